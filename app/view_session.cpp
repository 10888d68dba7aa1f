#include "app/view_session.hpp"

#include <unistd.h>

#include <algorithm>

#include "app/walk_direction.hpp"
#include "core/boundary.hpp"
#include "core/base/check.hpp"
#include "core/model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

fs::path normal(const fs::path& p) { return fs::absolute(p).lexically_normal(); }

// The viewer's default: linear beside density-preserving along the age boundary from one start,
// in W when the model ships a W boundary and learned F and C (there the two walks differ; a
// StyleGAN-style mapping normalises z, so in Z they draw the same images), in Z otherwise. With
// no boundary shipped, the least-squares age direction in Z, kept in a temporary file named in
// `computed`.
Preset default_preset(const plugin::Model& model, const ViewOptions& o, fs::path& computed) {
  const fs::path w_age = model.folder / "boundaries" / "w" / "age.npy", z_age = model.folder / "boundaries" / "z" / "age.npy";
  Preset p;
  p.model = normal(model.folder).string();
  p.seed = o.seed;
  float stride = 4.f;
  const float period = 6.f;
  fs::path direction;
  if (o.direction) {
    direction = *o.direction;
  } else if (fs::exists(w_age) && fs::is_directory(shipped_dplase_folder(model, Space::W))) {
    p.space = "w";
    direction = w_age;
    stride = 3.f;
  } else if (fs::exists(z_age)) {
    direction = z_age;
  } else {
    const auto dir = attribute_direction(model, "age", 500);
    direction = fs::temp_directory_path() / ("latentwalk-" + std::to_string(::getpid()) + "-direction.npy");
    write_boundary(direction, dir.direction);
    computed = direction;
  }
  p.duration = 2.0 * period;
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

std::unique_ptr<plugin::Model> ViewSession::load(const fs::path& path) const {
  auto model = std::make_unique<plugin::Model>(plugin::load_model(path));
  if (cuda_device_ >= 0) model->generator->to_device(c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(cuda_device_)));
  return model;
}

ViewSession::ViewSession(const ViewOptions& options, gui::ViewSettings& settings, int cuda_device,
                         const std::optional<Preset>& preset)
    : options_(options), cuda_device_(cuda_device) {
  model_ = load(preset ? fs::path(preset->model) : options_.model);
  w_avg_ = mean_w(*model_->generator);
  settings.scene = preset ? *preset : default_preset(*model_, options_, computed_direction_);
  scene_ = std::make_unique<ViewScene>(settings.scene, *model_, w_avg_, learned_);
  applied_ = settings.scene;
  described_ = preset && options_.preset ? "the preset " + options_.preset->string() : applied_.tiles.front().direction + " in " + applied_.space;
  settings.model_path = normal(model_->folder).string();
}

void ViewSession::describe(gui::ViewStatus& status) const {
  const Generator& g = *model_->generator;
  status.model = model_->manifest.name;
  status.model_folder = normal(model_->folder).string();
  status.latent_dim = g.latent_dim();
  status.w_dim = g.w_dim();
  status.num_ws = g.num_ws();
  status.input_transform = g.has_input_transform();
  status.height = g.height();
  status.width = g.width();
  status.directions = library_.entries(*model_, parse_space(applied_.space));
  std::vector<fs::path> folders{model_->folder.parent_path().parent_path() / "presets", options_.recordings};
  if (options_.preset) folders.push_back(normal(*options_.preset).parent_path());
  status.preset_files = find_presets(folders);
}

void ViewSession::save(const fs::path& path) const {
  Preset p = applied_;
  // A direction computed at start lives in a temporary file: copied beside the preset as
  // `<stem>-direction.npy`, so the preset outlives it.
  if (!computed_direction_.empty()) {
    const fs::path copy = normal(path).parent_path() / (path.stem().string() + "-direction.npy");
    bool used = false;
    for (auto& t : p.tiles)
      if (fs::path(t.direction) == computed_direction_) t.direction = copy.string(), used = true;
    for (auto& e : p.edits)
      if (fs::path(e.ref.direction) == computed_direction_) e.ref.direction = copy.string(), used = true;
    if (used) write_boundary(copy, read_boundary(computed_direction_));
  }
  write_preset_relative(path, p);
}

ViewSession::Change ViewSession::apply_edits(gui::ViewSettings& settings, gui::ViewStatus& status) {
  if (settings.scene == applied_) return Change::None;
  if (settings.scene.space != applied_.space) move_directions_to_space(settings.scene, *model_);
  try {
    auto next = std::make_unique<ViewScene>(settings.scene, *model_, w_avg_, learned_);
    next->reuse_paths_from(*scene_);
    const bool space_changed = settings.scene.space != applied_.space;
    const bool tiles_changed = next->tiles() != scene_->tiles();
    scene_ = std::move(next);
    applied_ = settings.scene;
    status.scene_error.clear();
    ++version_;
    if (space_changed) status.directions = library_.entries(*model_, parse_space(applied_.space));
    return tiles_changed ? Change::Tiles : Change::Walks;
  } catch (const std::exception& e) {
    status.scene_error = e.what();
    settings.scene = applied_;
    return Change::None;
  }
}

bool ViewSession::open_model(const fs::path& path, const Preset* with, gui::ViewSettings& settings,
                             gui::ViewStatus& status) {
  // Everything is built for the new model before anything is replaced: a model or walks that
  // do not load leave the old ones running.
  std::unique_ptr<plugin::Model> next;
  at::Tensor next_w_avg;
  LearnedCache next_learned;
  fs::path computed;
  Preset preset;
  std::unique_ptr<ViewScene> next_scene;
  try {
    next = load(path);
    next_w_avg = mean_w(*next->generator);
    preset = with ? *with : default_preset(*next, options_, computed);
    next_scene = std::make_unique<ViewScene>(preset, *next, next_w_avg, next_learned);
  } catch (const std::exception& e) {
    status.message = std::string("model not opened: ") + e.what();
    return false;
  }
  retired_ = std::move(model_);
  model_ = std::move(next);
  w_avg_ = std::move(next_w_avg);
  learned_ = std::move(next_learned);
  library_ = DirectionLibrary();
  computed_direction_ = computed;
  scene_ = std::move(next_scene);
  applied_ = settings.scene = preset;
  ++version_;
  settings.selected_tile = 0;
  describe(status);
  settings.model_path = status.model_folder;
  status.scene_error.clear();
  status.message = "opened " + model_->manifest.name + " (" + status.model_folder + ")";
  described_ = applied_.tiles.front().direction + " in " + applied_.space;
  return true;
}

ViewSession::Change ViewSession::update(gui::ViewSettings& settings, gui::ViewStatus& status) {
  Change change = Change::None;
  bool loading = false;  // a preset of this model was put into the panels' settings
  if (settings.open_model) {
    settings.open_model = false;
    if (open_model(settings.model_path, nullptr, settings, status)) change = Change::Model;
  }
  if (settings.open_direction) {
    settings.open_direction = false;
    try {
      const int rows = library_.open(settings.direction_path, *model_, parse_space(applied_.space));
      status.directions = library_.entries(*model_, parse_space(applied_.space));
      status.message = "added " + std::to_string(rows) + " direction(s) from " + settings.direction_path;
    } catch (const std::exception& e) {
      status.message = std::string("direction not opened: ") + e.what();
    }
  }
  if (settings.save_preset) {
    settings.save_preset = false;
    try {
      save(settings.preset_path);
      status.message = "saved " + normal(settings.preset_path).string();
      describe(status);  // the list of presets
    } catch (const std::exception& e) {
      status.message = std::string("preset not saved: ") + e.what();
    }
  }
  if (settings.load_preset) {
    settings.load_preset = false;
    try {
      const Preset loaded = read_preset_resolved(settings.preset_path);
      if (fs::path(loaded.model) == normal(model_->folder)) {
        // Applied below like any edit: a preset that does not build leaves the walks as they were.
        settings.scene = loaded;
        settings.selected_tile = 0;
        status.message = "loaded " + settings.preset_path;
        status.scene_error.clear();
        loading = true;
      } else if (open_model(loaded.model, &loaded, settings, status)) {
        status.message = "loaded " + settings.preset_path + " with its model";
        change = Change::Model;
      }
    } catch (const std::exception& e) {
      status.message = std::string("preset not loaded: ") + e.what();
    }
  }
  const Change edits = apply_edits(settings, status);
  if (loading && !status.scene_error.empty()) status.message = "preset not loaded: " + status.scene_error;
  return change == Change::Model ? change : edits;
}

}  // namespace lw::app
