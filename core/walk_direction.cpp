#include "core/walk_direction.hpp"

#include <torch/torch.h>

#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "core/model.hpp"

namespace lw {

WalkDirection load_walk_direction(const std::filesystem::path& npy, int latent_dim) {
  const auto arr = read_npy(npy);
  LW_EXPECT(arr.rows() == 1 && arr.cols() == latent_dim,
            npy.string() << ": a direction must have shape [1, " << latent_dim << "] for this model");
  WalkDirection out;
  out.direction = Eigen::Map<const Latent>(arr.data.data(), latent_dim);
  LW_EXPECT(out.direction.norm() > 0.f, npy.string() << ": the direction is all zeros");
  out.direction.normalize();
  out.described = npy.string();
  return out;
}

WalkDirection attribute_direction(const Generator& g, const AttributePredictor* predictor, int column,
                                  const std::string& attribute, int samples) {
  torch::NoGradGuard no_grad;
  const int d = g.latent_dim();
  const auto z = torch::randn({samples, d}, at::detail::createCPUGenerator(2024));
  const int col = predictor ? column : -1;
  WalkDirection out;
  at::Tensor dir;
  if (col >= 0) {
    std::vector<at::Tensor> scores;
    for (int i = 0; i < samples; i += 250)
      scores.push_back(
          predictor->predict(g.generate(z.slice(0, i, std::min(i + 250, samples)))).select(1, col));
    const auto y = torch::cat(scores);
    const auto zc = z - z.mean(0), yc = (y - y.mean()).unsqueeze(1);
    dir = std::get<0>(torch::linalg_lstsq(zc, yc)).squeeze(1);
    out.described = "the direction of increasing " + attribute + " (least squares on " + std::to_string(samples) + " samples)";
  } else {
    dir = torch::randn({d}, at::detail::createCPUGenerator(7));
    out.described = "a random direction (seed 7)";
  }
  dir = dir / dir.norm();
  out.direction = Eigen::Map<const Latent>(dir.contiguous().data_ptr<float>(), d);
  return out;
}

}  // namespace lw
