#include "core/learned_modules.hpp"

#include "core/base/check.hpp"
#include "core/walk_batch.hpp"

namespace lw {
namespace fs = std::filesystem;

fs::path density_file(const fs::path& folder) { return folder / "density.pt"; }
fs::path correction_file(const fs::path& folder) { return folder / "correction.pt"; }

LearnedModules load_learned(const fs::path& folder, int dims) {
  LW_EXPECT(fs::is_directory(folder), "no learned density folder " << folder.string()
                                                                   << " (latentwalk discover writes one)");
  LearnedModules m;
  m.folder = folder;
  m.density = std::make_shared<DensityModel>(DensityModel::load(density_file(folder), dims));
  m.correction = std::make_shared<CorrectionModel>(CorrectionModel::load(correction_file(folder), dims));
  return m;
}

fs::path shipped_dplase_folder(const fs::path& model_folder, Space space) {
  return model_folder / "dplase" / space_name(space);
}

WalkRules walk_rules(const LatentSpace& space, const LearnedModules* modules, bool learned) {
  WalkRules r;
  if (space.gaussian() && !learned) {
    r.dp_step = gaussian_dp_steps;
    r.log_density = gaussian_log_density;
    r.dp_name = "closed-form";
    r.density_name = "gaussian";
    return r;
  }
  LW_EXPECT(modules != nullptr && modules->density && modules->correction,
            "walks in " << space.name() << " need a learned density and correction (--density DIR, written by "
                                           "latentwalk discover)");
  const auto c = modules->correction;
  const auto f = modules->density;
  r.dp_step = [c, f](const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) {
    return c->walk(*f, z0, eps, gamma);
  };
  r.log_density = [f](const at::Tensor& z) { return f->log_density(z); };
  r.dp_name = "learned";
  r.density_name = "learned";
  return r;
}

}  // namespace lw
