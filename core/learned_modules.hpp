// DP-LaSE's learned density F and correction C of one space, as `discover` writes them
// (DIR/density.pt, DIR/correction.pt), and the two rules a walk in a space follows: its
// density-preserving step and the log-density it is judged by. In Z with a Gaussian prior both
// are closed form (rescale to ||z0||, the exact log N); elsewhere they are the learned F and C.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/correction.hpp"
#include "core/density.hpp"
#include "core/discovery.hpp"
#include "core/latent_space.hpp"

namespace lw {

struct LearnedModules {
  std::shared_ptr<DensityModel> density;
  std::shared_ptr<CorrectionModel> correction;
  std::filesystem::path folder;
};
std::filesystem::path density_file(const std::filesystem::path& folder);
std::filesystem::path correction_file(const std::filesystem::path& folder);
// Loads both; throws naming the missing or mismatched file.
LearnedModules load_learned(const std::filesystem::path& folder, int dims);
// Where a model folder ships its learned modules for a space: MODEL/dplase/<space>.
std::filesystem::path shipped_dplase_folder(const std::filesystem::path& model_folder, Space space);

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

}  // namespace lw
