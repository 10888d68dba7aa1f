// How DP-LaSE's commands (discover, evaluate-directions, compare-walks) see one latent space of a
// model: where starts come from, how codes become images and features, and the two rules a walk
// in that space follows: its density-preserving step and the log-density it is judged by. In Z
// with a Gaussian prior both are closed form (rescale to ||z0||, the exact log N); elsewhere they
// are the learned F and C that `discover` writes (DIR/density.pt, DIR/correction.pt).
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/latent_edit.hpp"
#include "core/correction.hpp"
#include "core/density.hpp"
#include "core/discovery.hpp"

namespace lw::plugin {
struct Model;
}

namespace lw::app {

class LatentSpace {
 public:
  // Space Z or W; throws when the model has no such space.
  LatentSpace(const plugin::Model& model, Space space);

  Space space() const { return space_; }
  std::string name() const { return space_name(space_); }
  int dims() const { return dims_; }
  // True in Z under a Gaussian prior, where the closed forms apply.
  bool gaussian() const;
  const plugin::Model& model() const { return model_; }

  // n codes of the space, seeded: z ~ N(0, I), or mapping(z) in W. Without gradients.
  at::Tensor sample(std::int64_t n, std::uint64_t seed) const;
  at::Tensor images(const at::Tensor& codes) const;
  // The intermediate output G1 that direction discovery differentiates; checks the layer.
  at::Tensor features(const at::Tensor& codes, int layer) const;
  void check_layer(int layer) const;

 private:
  const plugin::Model& model_;
  Space space_;
  int dims_;
};

// The learned density F and correction C of one space, as `discover` writes them.
struct LearnedModules {
  std::shared_ptr<DensityModel> density;
  std::shared_ptr<CorrectionModel> correction;
  std::filesystem::path folder;
};
std::filesystem::path density_file(const std::filesystem::path& folder);
std::filesystem::path correction_file(const std::filesystem::path& folder);
// Loads both; throws naming the missing or mismatched file.
LearnedModules load_learned(const std::filesystem::path& folder, int dims);
// Where the model ships its learned modules for a space: MODEL/dplase/<space>.
std::filesystem::path shipped_dplase_folder(const plugin::Model& model, Space space);

// How walks in a space are taken and judged.
struct WalkRules {
  StepFn dp_step;
  std::function<at::Tensor(const at::Tensor&)> log_density;
  std::string dp_name;       // "closed-form" or "learned"
  std::string density_name;  // "gaussian" or "learned"
};
// The closed forms in a Gaussian Z unless `learned` is set (then `modules` must hold F and C);
// F and C everywhere else.
WalkRules walk_rules(const LatentSpace& space, const LearnedModules* modules, bool learned);

// A `--directions` file: [k, d] or [1, d] float32 .npy with d the space's size; rows made unit.
at::Tensor load_directions(const std::filesystem::path& npy, const LatentSpace& space);

}  // namespace lw::app
