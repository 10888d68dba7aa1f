// What the viewer holds besides Vulkan: the model, the scene built from the panels' preset, the
// Directions list, and the panels' requests (open a model or a direction file, save or load a
// preset) carried out with the errors a user sees. No window or device is needed, so all of it is
// tested headless.
//
// A model the Model panel replaces is retired, not destroyed: the generator thread and the
// compare plots may still use it. The loop stops those, then calls release_retired().
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "app/direction_library.hpp"
#include "app/view_loop.hpp"
#include "app/view_scene.hpp"
#include "gui/view_settings.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {

class ViewSession {
 public:
  // What an update changed, for the loop's Vulkan side.
  enum class Change { None, Walks, Tiles, Model };

  // Loads `preset`'s model (paths absolute, as read_preset_resolved gives them) or, without one,
  // options.model with the default comparison, and builds its scene into `settings.scene`; with
  // `cuda_device` >= 0 the generator runs on that CUDA device (this and every model the Model
  // panel opens). Throws naming what does not load.
  ViewSession(const ViewOptions& options, gui::ViewSettings& settings, int cuda_device = -1,
              const std::optional<Preset>& preset = std::nullopt);

  const plugin::Model& model() const { return *model_; }
  const ViewScene& scene() const { return *scene_; }
  const Preset& applied() const { return applied_; }  // the preset the scene was built from
  const at::Tensor& w_avg() const { return w_avg_; }
  std::uint64_t version() const { return version_; }  // grows with every scene built
  std::string described() const { return described_; }

  // Carries out the panels' requests and applies their edits: a new scene when the walks
  // changed; an edit or file that does not load leaves everything as it was, with the reason in
  // `status` and `settings.scene` set back.
  Change update(gui::ViewSettings& settings, gui::ViewStatus& status);
  // The model, its sizes, its directions and the presets found, into `status`.
  void describe(gui::ViewStatus& status) const;
  // The walks as applied now, as a preset file at `path` (paths relative where they can be).
  void save(const std::filesystem::path& path) const;
  // Frees a model replaced by the Model panel, once nothing uses it.
  void release_retired() { retired_.reset(); }

 private:
  bool open_model(const std::filesystem::path& path, const Preset* with, gui::ViewSettings& settings,
                  gui::ViewStatus& status);
  Change apply_edits(gui::ViewSettings& settings, gui::ViewStatus& status);

  std::unique_ptr<plugin::Model> load(const std::filesystem::path& path) const;

  ViewOptions options_;
  int cuda_device_ = -1;
  std::unique_ptr<plugin::Model> model_, retired_;
  at::Tensor w_avg_;
  LearnedCache learned_;
  DirectionLibrary library_;
  std::filesystem::path computed_direction_;  // a default direction made at start, in a temporary file
  std::unique_ptr<ViewScene> scene_;
  Preset applied_;
  std::uint64_t version_ = 1;
  std::string described_;
};

}  // namespace lw::app
