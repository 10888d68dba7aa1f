#include "app/dplase_space.hpp"

#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "core/walk_batch.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

LatentSpace::LatentSpace(const plugin::Model& model, Space space) : model_(model), space_(space) {
  LW_EXPECT(space != Space::WPlus, "--space must be z or w");
  LW_EXPECT(space == Space::Z || model.generator->w_dim() > 0, "this model has no mapping network, so no W space");
  dims_ = space == Space::Z ? model.generator->latent_dim() : model.generator->w_dim();
}

bool LatentSpace::gaussian() const { return space_ == Space::Z && model_.manifest.prior == "gaussian"; }

at::Tensor LatentSpace::sample(std::int64_t n, std::uint64_t seed) const {
  torch::NoGradGuard no_grad;
  const auto z = torch::randn({n, model_.generator->latent_dim()}, at::detail::createCPUGenerator(seed));
  if (space_ == Space::Z) return z;
  std::vector<at::Tensor> parts;
  for (std::int64_t b = 0; b < n; b += 1000) parts.push_back(model_.generator->mapping(z.slice(0, b, std::min(n, b + 1000))));
  return torch::cat(parts);
}

at::Tensor LatentSpace::images(const at::Tensor& codes) const {
  return space_ == Space::Z ? model_.generator->generate(codes) : model_.generator->synthesis(codes);
}

void LatentSpace::check_layer(int layer) const {
  const auto& g = *model_.generator;
  LW_EXPECT(g.feature_layers() > 0, "this model declares no feature layers (manifest feature_layers), which direction "
                                    "discovery needs");
  LW_EXPECT(layer >= 0 && layer < g.feature_layers(),
            "--layer " << layer << " is not a layer of this model: it has layers 0.." << g.feature_layers() - 1);
  LW_EXPECT(space_ == Space::Z || g.has_synthesis_features(),
            "this model has no synthesis_features(w, layer), which direction discovery in W needs");
}

at::Tensor LatentSpace::features(const at::Tensor& codes, int layer) const {
  return space_ == Space::Z ? model_.generator->features(codes, layer)
                            : model_.generator->synthesis_features(codes, layer);
}

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

fs::path shipped_dplase_folder(const plugin::Model& model, Space space) {
  return model.folder / "dplase" / space_name(space);
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

at::Tensor load_directions(const fs::path& npy, const LatentSpace& space) {
  const auto a = read_npy(npy);
  LW_EXPECT(a.shape.size() == 2 && a.shape[0] >= 1,
            npy.string() << " must hold directions as [k, d] float32, got " << a.shape.size() << " dimensions");
  LW_EXPECT(a.shape[1] == static_cast<std::int64_t>(space.dims()),
            npy.string() << " holds directions of dimension " << a.shape[1] << ", but " << space.name()
                         << " of this model has " << space.dims());
  auto t = torch::from_blob(const_cast<float*>(a.data.data()), {a.shape[0], a.shape[1]}).clone();
  const auto norms = t.norm(2, 1, true);
  LW_EXPECT((norms > 1e-6).all().item<bool>(), npy.string() << " holds a zero direction");
  return t / norms;
}

}  // namespace lw::app
