#include "app/stage/direction_library.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "core/semantic_selectivity.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::stage {
namespace fs = std::filesystem;

namespace {

std::string folder_name(Space s) { return s == Space::Z ? "z" : "w"; }

int space_dims(const plugin::Model& model, Space space) {
  return space == Space::Z ? model.manifest.latent_dim : model.manifest.w_dim;
}

// Rows and dimension of a direction file, or {0, 0} when it does not read as one.
std::pair<std::int64_t, std::int64_t> rows_and_dims(const fs::path& file, NpyCache& files) {
  try {
    const auto& a = files.read(file);
    if (a.shape.size() == 1) return {1, a.shape[0]};
    if (a.shape.size() == 2) return {a.shape[0], a.shape[1]};
  } catch (const Error&) {
  }
  return {0, 0};
}

// The factor each discovered direction moves most and its selectivity, as `evaluate-directions
// --save-names` writes them beside the file (F.names.json); empty when there is none or it does
// not fit.
struct DirectionNames {
  std::vector<std::string> names;
  std::vector<double> selectivity;  // empty in files written before selectivity was measured
};

DirectionNames direction_names(const fs::path& directions, std::int64_t rows) {
  DirectionNames out;
  out.names.resize(static_cast<std::size_t>(std::max<std::int64_t>(rows, 0)));
  fs::path file = directions;
  file.replace_extension(".names.json");
  std::ifstream in(file);
  if (!in) return out;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
    const auto& listed = j.at("names");
    if (static_cast<std::int64_t>(listed.size()) != rows) return out;
    for (std::size_t i = 0; i < out.names.size(); ++i) out.names[i] = listed[i].get<std::string>();
  } catch (const std::exception&) {
    return {std::vector<std::string>(out.names.size()), {}};
  }
  // Selectivity is optional: one that is not a number (a NaN is written as null) drops them all,
  // the names stay.
  try {
    if (j.contains("selectivity") && j["selectivity"].size() == out.names.size())
      out.selectivity = j["selectivity"].get<std::vector<double>>();
  } catch (const std::exception&) {
    out.selectivity.clear();
  }
  return out;
}

// "age carries 62% of its change (semantic)": the tooltip's line; the name alone fits the panel.
std::string selectivity_note(const std::string& factor, double selectivity) {
  const int percent = static_cast<int>(std::lround(selectivity * 100.0));
  return factor + " carries " + std::to_string(percent) + "% of its change" +
         (selectivity >= kSemanticSelectivity ? " (semantic)" : " (entangled: other factors move too)");
}

// A model's discovered directions in one space: directions.npy (the default layer's), then the
// other layers' directions_l<L>.npy by layer, each with its layer ("" for the default file).
std::vector<std::pair<fs::path, std::string>> discovered_files(const fs::path& folder) {
  std::vector<std::pair<fs::path, std::string>> files;
  const fs::path main = fs::absolute(folder / "directions.npy").lexically_normal();
  if (fs::exists(main)) files.push_back({main, ""});
  std::vector<std::pair<int, fs::path>> layers;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("directions_l") || e.path().extension() != ".npy") continue;
    const std::string digits = name.substr(12, name.size() - 12 - 4);
    if (digits.empty() || digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) continue;
    layers.push_back({std::stoi(digits), fs::absolute(e.path()).lexically_normal()});
  }
  std::sort(layers.begin(), layers.end());
  for (const auto& [layer, path] : layers) files.push_back({path, std::to_string(layer)});
  return files;
}

}  // namespace

std::vector<DirectionEntry> DirectionLibrary::entries(const plugin::Model& model, Space space, NpyCache& cache) const {
  std::vector<DirectionEntry> out;
  const int dims = space_dims(model, space);
  const fs::path boundaries = fs::absolute(model.folder / "boundaries" / folder_name(space)).lexically_normal();
  if (fs::is_directory(boundaries)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(boundaries))
      if (e.path().extension() == ".npy") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      if (rows_and_dims(f, cache).second == dims) out.push_back({f.stem().string(), "boundary", {f.string(), 0}});
  }
  for (const auto& [discovered, layer] : discovered_files(model.folder / "dplase" / folder_name(space))) {
    const auto [rows, d] = rows_and_dims(discovered, cache);
    if (d != dims) continue;
    const auto found = direction_names(discovered, rows);
    for (int r = 0; r < rows; ++r) {
      const auto i = static_cast<std::size_t>(r);
      const std::string number = (layer.empty() ? "discovered " : "layer " + layer + ", ") + std::to_string(r + 1);
      const std::string& factor = found.names[i];
      out.push_back({factor.empty() ? number : factor + " (" + number + ")", "discovered", {discovered.string(), r},
                     factor.empty() || found.selectivity.empty() ? "" : selectivity_note(factor, found.selectivity[i])});
    }
  }
  for (const auto& f : opened_)
    if (const auto [rows, d] = rows_and_dims(f, cache); d == dims)
      for (int r = 0; r < rows; ++r)
        out.push_back({f.filename().string() + "[" + std::to_string(r) + "]", "opened", {f.string(), r}});
  return out;
}

int DirectionLibrary::open(const fs::path& file, const plugin::Model& model, Space space, NpyCache& files) {
  const fs::path f = fs::absolute(file).lexically_normal();
  const auto& a = files.read(f);  // throws naming the file
  LW_EXPECT(a.shape.size() == 1 || a.shape.size() == 2, f.string() << " must hold directions as [k, d] or [d]");
  const std::int64_t d = a.shape.back(), rows = a.shape.size() == 2 ? a.shape[0] : 1;
  LW_EXPECT(d == space_dims(model, space), f.string() << " has dimension " << d << ", but " << space_name(space)
                                                      << " has " << space_dims(model, space));
  if (std::find(opened_.begin(), opened_.end(), f) == opened_.end()) opened_.push_back(f);
  return static_cast<int>(rows);
}

DirectionRef direction_in_space(const DirectionRef& ref, const plugin::Model& model, Space to) {
  const fs::path file(ref.direction), root = fs::absolute(model.folder).lexically_normal();
  for (const char* kind : {"boundaries", "dplase"})
    for (const char* from : {"z", "w"}) {
      const fs::path folder = root / kind / from;
      if (file.parent_path() != folder) continue;
      const fs::path moved = root / kind / folder_name(to) / file.filename();
      return fs::exists(moved) ? DirectionRef{moved.string(), ref.row} : ref;
    }
  return ref;
}

void move_directions_to_space(Preset& p, const plugin::Model& model) {
  const Space to = parse_space(p.space);
  for (auto& t : p.tiles) {
    // A code file or sent code is a point of the space it was found in (invert writes W and W+):
    // in Z, where z and w may have one size, it would be read as the wrong code. W codes serve W+.
    if (to == Space::Z) t.start_file.clear(), t.start_code.clear();
    if (!t.direction.empty()) {
      const auto r = direction_in_space({t.direction, t.row}, model, to);
      t.direction = r.direction, t.row = r.row;
    }
  }
  for (auto& e : p.edits) e.ref = direction_in_space(e.ref, model, to);
  for (auto& h : p.hold) h = direction_in_space(h, model, to);
}

}  // namespace lw::stage
