// The scene: a preset (its paths absolute) made ready to draw. It gives every tile's code at a
// walk time from the parameter values of that frame, the render spec they are drawn with, and
// the metrics the compare plots show. Built when the preset's structure changes (model, space,
// files, seeds, tiles and kinds: see scene_parameters.hpp); a parameter change only changes the
// values passed in. Every method may call the model, so the stage runs them on its generator
// worker, never on the render thread.
//
// In W a dp tile walks z0 + eps gamma + C(z0, eps, gamma) with the learned C, tabulated at
// kPathKnots strides in one batch whenever its start, direction or stride changes and read by
// linear interpolation, so window and headless runs read the same table. In W+ walks and edits
// move the style rows [layer_begin, layer_end) only; the other rows keep the tile's anchor (its
// start code). A tile started from a W+ code file walks from the mean of the code's rows, and
// every row keeps its own difference from that mean.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/learned_modules.hpp"
#include "core/path_metrics.hpp"
#include "core/preset.hpp"
#include "core/render_codes.hpp"
#include "core/scene_parameters.hpp"

namespace lw {
class Discriminator;

// What a scene needs of a loaded model.
struct SceneModel {
  const Generator* generator = nullptr;
  const Discriminator* discriminator = nullptr;  // null: no realism in the plots
  bool gaussian_prior = true;                    // the manifest's prior is N(0, I)
  std::filesystem::path folder;                  // where MODEL/dplase/<space> lies
  at::Tensor w_avg;                              // mean_w of the generator (truncation's centre)
};

// Learned F and C by folder, loaded once: scenes are rebuilt on every structure change.
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

class Scene {
 public:
  // Throws naming what does not load or fit the model. `files`: direction files read before are
  // not read again (a session's cache).
  Scene(const Preset& preset, const SceneModel& model, LearnedCache& learned, NpyCache* files = nullptr);

  const Preset& preset() const { return preset_; }
  const SceneParameters& parameters() const { return layout_; }
  int tiles() const { return static_cast<int>(walks_.size()); }  // the walks, each a code per frame
  // What is drawn: the walks' tiles and, with the preset's `difference`, one more after them.
  int shown_tiles() const { return tiles() + (preset_.difference ? 1 : 0); }
  const std::vector<std::string>& labels() const { return labels_; }  // one per shown tile
  int rows() const { return rows_; }  // style rows per code: num_ws in W+, else 1
  int dims() const { return dims_; }
  Space space() const { return space_; }
  const SceneModel& model() const { return model_; }

  // How the codes become images under these parameter values.
  RenderSpec spec(const std::vector<double>& values) const;
  // The walks' images [tiles, 3, H, W] with the difference tile appended when the preset asks
  // for one: |tile 1 - tile 2| times /view/difference_gain, from -1 (no difference: black).
  at::Tensor shown_images(const at::Tensor& images, const std::vector<double>& values) const;
  // Takes the learned-C path tables `previous` has computed: a rebuild that leaves a tile's
  // start, direction and stride alone costs no C batch.
  void reuse_paths_from(const Scene& previous);

  // Every tile's code at walk time `walk_t`: [tiles, rows, dims] floats, tile by tile.
  void codes(double walk_t, const std::vector<double>& values, std::vector<float>& out);
  // The first direction walk's step at walk time `walk_t` (0 when there is none), for the panel.
  float eps(double walk_t, const std::vector<double>& values);
  // The walk seconds the compare plots span (the longest tile period; eight knots of a random
  // walk) and where walk time falls in it, 0..1.
  double plot_span(const std::vector<double>& values);
  float plot_phase(double walk_t, const std::vector<double>& values);
  // Log-density, latent norm and realism along each tile's walk over plot_span(), at `samples`
  // times.
  std::vector<PathMetrics> path_metrics(int samples, const std::vector<double>& values);

 private:
  void apply(const std::vector<double>& values);  // the values into the walks and the edit
  Latent walk_code(std::size_t tile, double walk_t);  // in the space, before edits
  void tile_code(std::size_t tile, double walk_t, float* out);
  Latent map_z(const Latent& z) const;

  Preset preset_;
  SceneModel model_;
  SceneParameters layout_;
  Space space_ = Space::Z;
  int dims_ = 0, rows_ = 1, layer_begin_ = 0, layer_end_ = 1;
  std::vector<WalkSettings> walks_;
  std::vector<Latent> anchors_;  // W+: the rows outside the layer range
  // W+ tiles started from a code whose rows differ: each row's distance from the rows' mean
  // (where the walk starts), [rows, dims]; empty for every other tile. Every row moves with the
  // walk and keeps its own difference.
  std::vector<Eigen::MatrixXf> row_offsets_;
  std::vector<std::string> labels_;
  std::vector<Latent> edit_directions_;  // conditioned on the holds
  std::vector<float> alphas_;
  Latent edit_;
  std::shared_ptr<LearnedModules> learned_;  // W: F and C (F for the plots; C for dp tiles)

  static constexpr int kPathKnots = 1024;
  struct DpTable {
    Latent start, direction;
    float stride = -1.f;
    Eigen::MatrixXf knots;  // [d, kPathKnots]
  };
  std::vector<DpTable> tables_;
};

}  // namespace lw
