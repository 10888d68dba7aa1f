// The viewer's scene: a preset (its paths absolute) made ready to draw. It gives every tile's
// codes at a clock time, how those codes become images, and the metrics the compare plots show.
// Panels edit the preset; the render loop builds a new scene from it and keeps the last one
// that built when an edit names something that does not load.
//
// In W a dp tile walks z0 + eps gamma + C(z0, eps, gamma) with the learned C, tabulated at
// kPathKnots strides in one batch whenever its start, direction or stride changes and read by
// linear interpolation: a frame costs no network evaluation on the render thread, and window
// and headless runs read the same table. In W+ walks and edits move the style rows
// [layer_begin, layer_end) only; the other rows keep the tile's anchor (its start code).
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/dplase_space.hpp"
#include "app/render_codes.hpp"
#include "core/preset.hpp"
#include "gui/view_settings.hpp"

namespace lw::plugin {
struct Model;
}

namespace lw::app {

// Learned F and C by folder, loaded once: scenes are rebuilt on every edit.
class LearnedCache {
 public:
  std::shared_ptr<LearnedModules> get(const std::filesystem::path& folder, int dims);

 private:
  std::filesystem::path folder_;
  int dims_ = 0;
  std::shared_ptr<LearnedModules> modules_;
};

// The space a preset names ("z", "w", "wplus"), checked against the model.
Space preset_space(const Preset& p, const Generator& g);

class ViewScene {
 public:
  // `w_avg`: mean_w of the model. Throws naming what does not load or fit the model.
  ViewScene(const Preset& preset, const plugin::Model& model, at::Tensor w_avg, LearnedCache& learned);

  const Preset& preset() const { return preset_; }
  int tiles() const { return static_cast<int>(walks_.size()); }
  const std::vector<std::string>& labels() const { return labels_; }
  RenderSpec spec() const {
    return {space_, preset_.truncation, preset_.rotate, preset_.translate[0], preset_.translate[1]};
  }
  int rows() const { return rows_; }  // style rows per code: num_ws in W+, else 1
  int dims() const { return dims_; }
  double walk_time(double clock) const { return clock * preset_.speed; }

  // Takes the learned-C path tables `previous` has computed: an edit that leaves a tile's start,
  // direction and stride alone (an alpha, a hold elsewhere, truncation) then costs no C batch.
  // Tables that do not match are recomputed when first read, as always.
  void reuse_paths_from(const ViewScene& previous);

  // Every tile's code at clock time t: [tiles, rows, dims] floats, tile by tile.
  void codes(double t, std::vector<float>& out) const;
  // The first direction walk's step at clock time t (0 when there is none), for the panel.
  float eps(double t) const;
  // The walk seconds the compare plots span: the longest tile period (eight knots of a random
  // walk), and where clock time t falls in it, 0..1.
  double plot_span() const;
  float plot_phase(double t) const;
  // Log-density, latent norm and realism along each tile's walk over plot_span(), sampled at
  // `samples` times. Runs off the render thread on a copy of the scene.
  std::vector<gui::PathPlot> path_metrics(int samples) const;

 private:
  Latent walk_code(std::size_t tile, double walk_t) const;  // in the space, before edits
  void tile_code(std::size_t tile, double walk_t, float* out) const;
  Latent map_z(const Latent& z) const;

  Preset preset_;
  const plugin::Model* model_;
  at::Tensor w_avg_;
  Space space_ = Space::Z;
  int dims_ = 0, rows_ = 1, layer_begin_ = 0, layer_end_ = 1;
  std::vector<WalkSettings> walks_;
  std::vector<Latent> anchors_;  // W+: the rows outside the layer range
  std::vector<std::string> labels_;
  Latent edit_;
  std::shared_ptr<LearnedModules> learned_;  // W: F and C (F for the plots; C for dp tiles)

  static constexpr int kPathKnots = 1024;
  struct DpTable {
    Latent start, direction;
    float stride = -1.f;
    Eigen::MatrixXf knots;  // [d, kPathKnots]
  };
  mutable std::vector<DpTable> tables_;
};

}  // namespace lw::app
