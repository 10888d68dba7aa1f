#include "app/stage/session.hpp"

#include <unistd.h>

#include <algorithm>

#include "core/base/check.hpp"
#include "core/boundary.hpp"
#include "core/direction_space.hpp"
#include "core/learned_modules.hpp"

#include <nlohmann/json.hpp>
#include "core/model.hpp"
#include "core/walk_direction.hpp"

namespace lw::stage {
namespace fs = std::filesystem;

namespace {

fs::path normal(const fs::path& p) { return fs::absolute(p).lexically_normal(); }


// Presets a user may want to load: the model's neighbouring presets folder (assets/presets for
// the shipped model), the recordings folder and the folder of the preset being played.
std::vector<std::string> find_presets(const std::vector<fs::path>& folders) {
  std::vector<std::string> out;
  for (const auto& folder : folders) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    std::vector<std::string> here;
    for (const auto& e : fs::directory_iterator(folder, ec))
      if (e.path().extension() == ".json") here.push_back(normal(e.path()).string());
    std::sort(here.begin(), here.end());
    for (auto& f : here)
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

std::optional<std::string> preset_named(const std::vector<std::string>& preset_files, const std::string& name) {
  if (name.empty()) return std::nullopt;
  // The last folder wins (the recordings, then the playing preset's folder, after the model's
  // shipped presets): a performer's edited copy shadows the shipped one of the same name.
  for (auto file = preset_files.rbegin(); file != preset_files.rend(); ++file) {
    const fs::path f(*file);
    if (f.stem().string() == name || f.filename().string() == name) return *file;
  }
  return std::nullopt;
}

Preset default_walks(const plugin::Model& model, const SessionOptions& o, fs::path& computed) {
  const fs::path w_age = model.folder / "boundaries" / "w" / "age.npy", z_age = model.folder / "boundaries" / "z" / "age.npy";
  Preset p;
  p.model = normal(model.folder).string();
  p.seed = o.seed;
  float stride = 4.f;
  const float period = 6.f;
  fs::path direction;
  if (o.direction) {
    direction = *o.direction;
    const bool w_walkable = model.generator->w_dim() > 0 && fs::is_directory(shipped_dplase_folder(model.folder, Space::W));
    p.space = space_name(auto_space(direction, w_walkable));
  } else if (fs::exists(w_age) && fs::is_directory(shipped_dplase_folder(model.folder, Space::W))) {
    p.space = "w";
    direction = w_age;
    // At 8 the two walks plainly differ on the shipped model (realism -9.7 linear against -4.2
    // density-preserving over 200 starts, from -1.9 at the start; tiles 11 of 255 apart on
    // average at -8): at 3 they drew the same faces to the eye.
    stride = 8.f;
  } else if (fs::exists(z_age)) {
    direction = z_age;
  } else {
    const int column = model.predictor ? model.manifest.attribute_index("age") : -1;
    const auto dir = attribute_direction(*model.generator, model.predictor.get(), column, "age", 500);
    direction = fs::temp_directory_path() / ("latentwalk-" + std::to_string(::getpid()) + "-direction.npy");
    write_boundary(direction, dir.direction);
    write_direction_sidecar(direction, Space::Z, {{"attribute", "age"}, {"computed", dir.described}});
    computed = direction;
  }
  p.duration = 2.0 * period;
  p.difference = o.difference;
  for (const auto kind : {WalkKind::Linear, WalkKind::DensityPreserving}) {
    TilePreset tile;
    tile.label = kind == WalkKind::Linear ? "linear" : "density-preserving";
    tile.walk = kind;
    tile.direction = normal(direction).string();
    tile.stride = stride;
    tile.period = period;
    p.tiles.push_back(tile);
  }
  return p;
}

std::shared_ptr<const plugin::Model> Session::load(const fs::path& path) const {
  auto model = std::make_shared<plugin::Model>(plugin::load_model(path));
  if (options_.cuda_device >= 0)
    model->generator->to_device(c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(options_.cuda_device)));
  return model;
}

SceneModel Session::scene_model(const plugin::Model& m, const at::Tensor& w_avg) const {
  return {m.generator.get(), m.discriminator.get(), m.manifest.prior == "gaussian", m.folder, w_avg};
}

Session::Session(const SessionOptions& options, const std::optional<Preset>& preset,
                 std::shared_ptr<const plugin::Model> shared)
    : options_(options) {
  model_ = shared ? std::move(shared) : load(preset ? fs::path(preset->model) : options_.model);
  w_avg_ = mean_w(*model_->generator);
  const Preset first = preset ? *preset : default_walks(*model_, options_, computed_direction_);
  scene_ = std::make_unique<Scene>(first, scene_model(*model_, w_avg_), learned_, &files_);
  ++builds_;
  state_.version = 1;
  state_.applied = first;
  state_.described = preset && options_.preset_file ? "the preset " + options_.preset_file->string()
                                                     : first.tiles.front().direction + " in " + first.space;
  publish();
}

void Session::publish() {
  const Generator& g = *model_->generator;
  state_.labels = scene_->labels();
  state_.tiles = scene_->shown_tiles();
  state_.model = model_->manifest.name;
  state_.model_folder = normal(model_->folder).string();
  state_.latent_dim = g.latent_dim();
  state_.w_dim = g.w_dim();
  state_.num_ws = g.num_ws();
  state_.input_transform = g.has_input_transform();
  state_.height = g.height();
  state_.width = g.width();
  // The lists are for the panels: a folder that cannot be read leaves its list empty, not the
  // scene unpublished.
  try {
    state_.directions = library_.entries(*model_, parse_space(state_.applied.space), files_);
  } catch (const std::exception&) {
    state_.directions.clear();
  }
  std::vector<fs::path> folders{model_->folder.parent_path().parent_path() / "presets", options_.recordings};
  if (options_.preset_file) folders.push_back(normal(*options_.preset_file).parent_path());
  state_.preset_files = find_presets(folders);
}

void Session::save(const fs::path& path, const Preset& with_values) const {
  Preset p = with_values;
  // Edits at alpha 0 stay in the scene while it plays (moving through 0 is no rebuild); a saved
  // preset lists only what is set.
  std::erase_if(p.edits, [](const EditPreset& e) { return e.alpha == 0.f; });
  // A direction computed at start lives in a temporary file: copied beside the preset as
  // `<stem>-direction.npy`, so the preset outlives it.
  if (!computed_direction_.empty()) {
    const fs::path copy = normal(path).parent_path() / (path.stem().string() + "-direction.npy");
    bool used = false;
    for (auto& t : p.tiles)
      if (fs::path(t.direction) == computed_direction_) t.direction = copy.string(), used = true;
    for (auto& e : p.edits)
      if (fs::path(e.ref.direction) == computed_direction_) e.ref.direction = copy.string(), used = true;
    if (used) {
      write_boundary(copy, read_boundary(computed_direction_));
      write_direction_sidecar(copy, Space::Z, {{"attribute", "age"}, {"computed", "at the viewer's start"}});
    }
  }
  write_preset_relative(path, p);
}

Session::Outcome Session::rebuild(const Preset& edited) {
  Outcome out;
  if (structure_of(edited) == structure_of(state_.applied)) return out;
  Preset next_preset = edited;
  try {
    if (next_preset.space != state_.applied.space) move_directions_to_space(next_preset, *model_);
    auto next = std::make_unique<Scene>(next_preset, scene_model(*model_, w_avg_), learned_, &files_);
    next->reuse_paths_from(*scene_);
    const bool tiles_changed = next->shown_tiles() != scene_->shown_tiles();
    scene_ = std::move(next);
    ++builds_;
    state_.applied = next_preset;
    ++state_.version;
    publish();
    out.change = tiles_changed ? Change::Tiles : Change::Walks;
  } catch (const std::exception& e) {
    out.scene_error = e.what();
  }
  return out;
}

bool Session::replace_model(std::shared_ptr<const plugin::Model> next, const Preset* with, Outcome& out) {
  // Everything is built for the new model before anything is replaced: a model or walks that
  // do not load leave the old ones running.
  at::Tensor next_w_avg;
  LearnedCache next_learned;
  fs::path computed;
  Preset preset;
  std::unique_ptr<Scene> next_scene;
  try {
    next_w_avg = mean_w(*next->generator);
    preset = with ? *with : default_walks(*next, options_, computed);
    next_scene = std::make_unique<Scene>(preset, scene_model(*next, next_w_avg), next_learned, &files_);
  } catch (const std::exception& e) {
    out.message = std::string("model not opened: ") + e.what();
    return false;
  }
  model_ = std::move(next);
  w_avg_ = std::move(next_w_avg);
  learned_ = std::move(next_learned);
  library_ = DirectionLibrary();
  computed_direction_ = computed;
  scene_ = std::move(next_scene);
  ++builds_;
  state_.applied = preset;
  ++state_.version;
  state_.described = preset.tiles.front().direction + " in " + preset.space;
  publish();
  out.change = Change::Model;
  out.values_from_preset = true;
  return true;
}

Session::Outcome Session::open_model(const fs::path& path) {
  Outcome out;
  std::shared_ptr<const plugin::Model> next;
  try {
    next = load(path);
  } catch (const std::exception& e) {
    out.message = std::string("model not opened: ") + e.what();
    return out;
  }
  if (replace_model(std::move(next), nullptr, out))
    out.message = "opened " + model_->manifest.name + " (" + state_.model_folder + ")";
  return out;
}

Session::Outcome Session::open_direction(const fs::path& file) {
  Outcome out;
  try {
    const int rows = library_.open(file, *model_, parse_space(state_.applied.space), files_);
    state_.directions = library_.entries(*model_, parse_space(state_.applied.space), files_);
    out.message = "added " + std::to_string(rows) + " direction(s) from " + file.string();
  } catch (const std::exception& e) {
    out.message = std::string("direction not opened: ") + e.what();
  }
  return out;
}

Session::Outcome Session::load_preset(const fs::path& file) {
  Outcome out;
  Preset loaded;
  try {
    loaded = read_preset_resolved(file);
  } catch (const std::exception& e) {
    out.message = std::string("preset not loaded: ") + e.what();
    return out;
  }
  if (fs::path(loaded.model) != normal(model_->folder)) {
    std::shared_ptr<const plugin::Model> next;
    try {
      next = load(loaded.model);
    } catch (const std::exception& e) {
      out.message = std::string("preset not loaded: ") + e.what();
      return out;
    }
    if (replace_model(std::move(next), &loaded, out)) out.message = "loaded " + file.string() + " with its model";
    return out;
  }
  // This model: applied like an edit, values included; walks that do not build leave the old.
  const Preset before = state_.applied;
  state_.applied.tiles.clear();  // forces a build even when only values differ
  out = rebuild(loaded);
  if (out.change == Change::None) state_.applied = before;
  if (!out.scene_error.empty()) {
    state_.applied = before;
    out.message = "preset not loaded: " + out.scene_error;
    out.scene_error.clear();
    return out;
  }
  out.values_from_preset = true;
  out.message = "loaded " + file.string();
  return out;
}

Session::Outcome Session::save_preset(const fs::path& path, const Preset& with_values) {
  Outcome out;
  try {
    save(path, with_values);
    out.message = "saved " + normal(path).string();
    publish();  // the list of presets
  } catch (const std::exception& e) {
    out.message = std::string("preset not saved: ") + e.what();
  }
  return out;
}

}  // namespace lw::stage
