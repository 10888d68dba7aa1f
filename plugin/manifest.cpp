#include "plugin/manifest.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "plugin/default_networks.hpp"
#include "plugin/synthfaces.hpp"

namespace lw::plugin {
using nlohmann::json;

int Manifest::attribute_index(const std::string& n) const {
  for (std::size_t i = 0; i < attributes.size(); ++i)
    if (attributes[i].name == n) return static_cast<int>(i);
  return -1;
}

namespace {
void reject_unknown(const json& j, const std::set<std::string>& known, const std::string& where,
                    const std::filesystem::path& path) {
  for (const auto& [k, v] : j.items())
    LW_EXPECT(known.count(k) != 0, path.string() << ": unknown field \"" << k << "\" in " << where);
}
template <class T>
T get(const json& j, const char* key, const std::filesystem::path& path) {
  LW_EXPECT(j.contains(key), path.string() << ": missing field \"" << key << "\"");
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    LW_FAIL(path.string() << ": field \"" << key << "\" has the wrong type");
  }
}
}  // namespace

Manifest read_manifest(const std::filesystem::path& path) {
  std::ifstream in(path);
  LW_EXPECT(in.good(), "cannot open model manifest " << path.string());
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    LW_FAIL(path.string() << ": not valid JSON (" << e.what() << ")");
  }
  LW_EXPECT(j.is_object(), path.string() << ": a manifest must be a JSON object");
  reject_unknown(j,
                 {"name", "generator", "latent_dim", "prior", "resolution", "w_dim", "num_ws", "feature_layers",
                  "predictor", "discriminator", "encoder", "source", "architecture"},
                 "the manifest", path);
  Manifest m;
  m.name = j.value("name", path.parent_path().filename().string());
  m.generator = j.value("generator", m.generator);
  m.latent_dim = get<int>(j, "latent_dim", path);
  LW_EXPECT(m.latent_dim > 0, path.string() << ": latent_dim must be positive");
  m.prior = j.value("prior", m.prior);
  LW_EXPECT(m.prior == "gaussian", path.string() << ": unknown prior \"" << m.prior << "\" (supported: gaussian)");
  const auto res = get<std::vector<int>>(j, "resolution", path);
  LW_EXPECT(res.size() == 2 && res[0] > 0 && res[1] > 0, path.string() << ": resolution must be [height, width]");
  m.height = res[0];
  m.width = res[1];
  m.w_dim = j.value("w_dim", 0);
  m.num_ws = j.value("num_ws", 0);
  m.feature_layers = j.value("feature_layers", 0);
  LW_EXPECT(m.w_dim >= 0 && m.num_ws >= 0 && m.feature_layers >= 0,
           path.string() << ": w_dim, num_ws and feature_layers must not be negative");
  LW_EXPECT(m.num_ws == 0 || m.w_dim > 0, path.string() << ": num_ws needs w_dim (W+ needs a mapping network)");
  m.source = j.value("source", std::string());
  m.architecture = j.value("architecture", std::string());
  if (j.contains("predictor")) {
    const auto& p = j["predictor"];
    reject_unknown(p, {"file", "attributes"}, "\"predictor\"", path);
    m.predictor = get<std::string>(p, "file", path);
    LW_EXPECT(p.contains("attributes") && p["attributes"].is_array() && !p["attributes"].empty(),
             path.string() << ": predictor.attributes must be a non-empty list");
    for (const auto& a : p["attributes"]) {
      reject_unknown(a, {"name", "kind", "range"}, "a predictor attribute", path);
      AttributeInfo info;
      info.name = get<std::string>(a, "name", path);
      const auto kind = get<std::string>(a, "kind", path);
      LW_EXPECT(kind == "binary" || kind == "continuous",
               path.string() << ": attribute \"" << info.name << "\" has kind \"" << kind
                             << "\" (expected binary or continuous)");
      info.binary = kind == "binary";
      if (a.contains("range")) {
        const auto r = get<std::vector<float>>(a, "range", path);
        LW_EXPECT(r.size() == 2 && r[0] < r[1], path.string() << ": attribute \"" << info.name << "\" range must be [lo, hi]");
        info.lo = r[0];
        info.hi = r[1];
      }
      LW_EXPECT(m.attribute_index(info.name) < 0, path.string() << ": attribute \"" << info.name << "\" listed twice");
      m.attributes.push_back(info);
    }
  }
  if (j.contains("discriminator")) {
    const auto& d = j["discriminator"];
    reject_unknown(d, {"file"}, "\"discriminator\"", path);
    m.discriminator = get<std::string>(d, "file", path);
  }
  if (j.contains("encoder")) {
    const auto& e = j["encoder"];
    reject_unknown(e, {"file"}, "\"encoder\"", path);
    m.encoder = get<std::string>(e, "file", path);
  }
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

Manifest synthfaces_manifest(const GeneratorShape& shape) {
  Manifest m;
  m.name = "SynthFaces";
  m.latent_dim = shape.z_dim;
  m.height = m.width = shape.resolution();
  m.w_dim = shape.w_dim;
  m.num_ws = shape.num_ws();
  m.feature_layers = static_cast<int>(shape.channels.size());
  m.predictor = "predictor.pt";
  for (const auto& f : synthfaces::factor_table())
    m.attributes.push_back({std::string(f.name), f.kind == synthfaces::FactorKind::Binary, f.lo, f.hi});
  m.discriminator = "discriminator.pt";
  return m;
}

}  // namespace lw::plugin
