#include "plugin/manifest.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/base/text_file.hpp"
#include "core/json_fields.hpp"

namespace lw::plugin {
using nlohmann::json;

int Manifest::attribute_index(const std::string& n) const {
  for (std::size_t i = 0; i < attributes.size(); ++i)
    if (attributes[i].name == n) return static_cast<int>(i);
  return -1;
}

Manifest read_manifest(const std::filesystem::path& path) {
  return parse_manifest(read_text_file(path, "model manifest"), path);
}

Manifest parse_manifest(const std::string& text, const std::filesystem::path& path) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    LW_FAIL(path.string() << ": not valid JSON (" << e.what() << ")");
  }
  LW_EXPECT(j.is_object(), path.string() << ": a manifest must be a JSON object");
  JsonFields f(j, path.string());
  Manifest m;
  m.name = f.get<std::string>("name").value_or(path.parent_path().filename().string());
  m.generator = f.get<std::string>("generator").value_or(m.generator);
  m.latent_dim = f.require<int>("latent_dim");
  LW_EXPECT(m.latent_dim > 0, path.string() << ": latent_dim must be positive");
  m.prior = f.get<std::string>("prior").value_or(m.prior);
  LW_EXPECT(m.prior == "gaussian", path.string() << ": unknown prior \"" << m.prior << "\" (supported: gaussian)");
  const auto res = f.require<std::vector<int>>("resolution");
  LW_EXPECT(res.size() == 2 && res[0] > 0 && res[1] > 0, path.string() << ": resolution must be [height, width]");
  m.height = res[0];
  m.width = res[1];
  m.w_dim = f.get<int>("w_dim").value_or(0);
  m.num_ws = f.get<int>("num_ws").value_or(0);
  m.feature_layers = f.get<int>("feature_layers").value_or(0);
  LW_EXPECT(m.w_dim >= 0 && m.num_ws >= 0 && m.feature_layers >= 0,
           path.string() << ": w_dim, num_ws and feature_layers must not be negative");
  LW_EXPECT(m.num_ws == 0 || m.w_dim > 0, path.string() << ": num_ws needs w_dim (W+ needs a mapping network)");
  m.source = f.get<std::string>("source").value_or("");
  m.architecture = f.get<std::string>("architecture").value_or("");
  if (const auto p = f.get<json>("predictor")) {
    JsonFields predictor(*p, path.string() + ": \"predictor\"");
    m.predictor = predictor.require<std::string>("file");
    const auto& attributes = predictor.raw("attributes");
    predictor.no_others();
    LW_EXPECT(attributes.is_array() && !attributes.empty(), path.string() << ": predictor.attributes must be a non-empty list");
    for (const auto& a : attributes) {
      JsonFields attribute(a, path.string() + ": a predictor attribute");
      AttributeInfo info;
      info.name = attribute.require<std::string>("name");
      const auto kind = attribute.require<std::string>("kind");
      LW_EXPECT(kind == "binary" || kind == "continuous",
               path.string() << ": attribute \"" << info.name << "\" has kind \"" << kind
                             << "\" (expected binary or continuous)");
      info.binary = kind == "binary";
      if (const auto r = attribute.get<std::vector<float>>("range")) {
        LW_EXPECT(r->size() == 2 && (*r)[0] < (*r)[1], path.string() << ": attribute \"" << info.name << "\" range must be [lo, hi]");
        info.lo = (*r)[0];
        info.hi = (*r)[1];
      }
      attribute.no_others();
      LW_EXPECT(m.attribute_index(info.name) < 0, path.string() << ": attribute \"" << info.name << "\" listed twice");
      m.attributes.push_back(info);
    }
  }
  for (const char* part : {"discriminator", "encoder"}) {
    const auto p = f.get<json>(part);
    if (!p) continue;
    JsonFields file(*p, path.string() + ": \"" + part + "\"");
    (std::string(part) == "encoder" ? m.encoder : m.discriminator) = file.require<std::string>("file");
    file.no_others();
  }
  f.no_others();
  return m;
}

void write_manifest(const std::filesystem::path& path, const Manifest& m) {
  json j{{"name", m.name},
         {"generator", m.generator},
         {"latent_dim", m.latent_dim},
         {"prior", m.prior},
         {"resolution", {m.height, m.width}}};
  if (m.w_dim > 0) j["w_dim"] = m.w_dim;
  if (m.num_ws > 0) j["num_ws"] = m.num_ws;
  if (m.feature_layers > 0) j["feature_layers"] = m.feature_layers;
  if (m.predictor) {
    json attrs = json::array();
    for (const auto& a : m.attributes) {
      json e{{"name", a.name}, {"kind", a.binary ? "binary" : "continuous"}};
      if (!a.binary) e["range"] = {a.lo, a.hi};
      attrs.push_back(e);
    }
    j["predictor"] = {{"file", *m.predictor}, {"attributes", attrs}};
  }
  if (m.discriminator) j["discriminator"] = {{"file", *m.discriminator}};
  if (m.encoder) j["encoder"] = {{"file", *m.encoder}};
  if (!m.source.empty()) j["source"] = m.source;
  if (!m.architecture.empty()) j["architecture"] = m.architecture;
  AtomicFile out(path);
  {
    std::ofstream f(out.temp_path());
    f << j.dump(2) << "\n";
    LW_EXPECT(f.good(), "cannot write " << out.temp_path().string());
  }
  out.commit();
}

}  // namespace lw::plugin
