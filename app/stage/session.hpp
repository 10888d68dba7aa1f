// What the stage holds besides Vulkan: the model, the scene built from a preset, the Directions
// list, and the requests that change them (open a model or a direction file, save or load a
// preset, a new structure from the panels), carried out with the errors a user sees. Every
// method may call the model, so the stage calls them on its generator worker only; what the
// render thread sees is the SessionState copy each call publishes. No window or device is
// needed, so all of it is tested headless.
//
// A model replaced by open_model goes when the last holder lets it go: frames in flight hold
// only its output tensors, a background recording holds the model itself.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "app/stage/direction_library.hpp"
#include "app/stage/stage_status.hpp"
#include "core/scene.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::stage {

struct SessionOptions {
  std::filesystem::path model = "assets/models/synthfaces";
  std::optional<std::filesystem::path> direction;    // [1, d] .npy; default: the model's age boundary
  std::optional<std::filesystem::path> preset_file;  // the preset played, named in descriptions
  int seed = 0;
  int cuda_device = -1;  // >= 0: every model loaded runs its generator on this CUDA device
  std::filesystem::path recordings = ".";  // searched for presets
  bool difference = false;  // the default comparison shows its difference tile
};

// The viewer's default: linear beside density-preserving along the age boundary from one start,
// in W when the model ships a W boundary and learned F and C (there the two walks differ; a
// StyleGAN-style mapping normalises z, so in Z they draw the same images), in Z otherwise. With
// no boundary shipped, the least-squares age direction in Z, kept in a temporary file named in
// `computed` (the caller removes it).
Preset default_walks(const plugin::Model& model, const SessionOptions& o, std::filesystem::path& computed);

// The preset among `preset_files` (the presets the session found) named `name`, by its stem
// ("dance") or its file name ("dance.json"), the last listed where two share it; nullopt for any
// other name. Only names: a path, a
// "../" or an absolute file never reaches a file outside those folders (an OSC packet names it).
std::optional<std::string> preset_named(const std::vector<std::string>& preset_files, const std::string& name);

class Session {
 public:
  using Change = SessionChange;
  using Outcome = SessionOutcome;

  // Loads `preset`'s model (paths absolute, as read_preset_resolved gives them) or, without one,
  // options.model with the default comparison, and builds its scene; `shared`: use this loaded
  // model instead of loading one (a background recording shares the window's). Throws naming
  // what does not load.
  Session(const SessionOptions& options, const std::optional<Preset>& preset,
          std::shared_ptr<const plugin::Model> shared = {});

  Scene& scene() { return *scene_; }
  const plugin::Model& model() const { return *model_; }
  std::shared_ptr<const plugin::Model> shared_model() const { return model_; }
  const at::Tensor& w_avg() const { return w_avg_; }
  const SessionState& state() const { return state_; }
  std::uint64_t version() const { return state_.version; }
  std::uint64_t scene_builds() const { return builds_; }  // scenes built since construction, the first included
  std::size_t file_reads() const { return files_.reads(); }  // direction files read from disk

  // New walks from the panels: a new scene when the structure differs from the applied one's
  // (scene_parameters.hpp), nothing otherwise. Walks that do not build leave the last ones.
  Outcome rebuild(const Preset& edited);
  Outcome open_model(const std::filesystem::path& path);
  Outcome open_direction(const std::filesystem::path& file);
  // Loads a preset file: applied like an edit when it names this model, with its model otherwise.
  Outcome load_preset(const std::filesystem::path& file);
  // `with_values`: the applied preset with the registry's values (paths relative where they can be).
  Outcome save_preset(const std::filesystem::path& path, const Preset& with_values);
  void save(const std::filesystem::path& path, const Preset& with_values) const;  // throws

 private:
  std::shared_ptr<const plugin::Model> load(const std::filesystem::path& path) const;
  bool replace_model(std::shared_ptr<const plugin::Model> next, const Preset* with, Outcome& outcome);
  SceneModel scene_model(const plugin::Model& m, const at::Tensor& w_avg) const;
  void publish();

  SessionOptions options_;
  std::shared_ptr<const plugin::Model> model_;
  at::Tensor w_avg_;
  LearnedCache learned_;
  NpyCache files_;  // direction files, read once across scene builds and the Directions list
  DirectionLibrary library_;
  std::filesystem::path computed_direction_;  // a default direction made at start, in a temporary file
  std::unique_ptr<Scene> scene_;
  SessionState state_;
  std::uint64_t builds_ = 0;
};

}  // namespace lw::stage
