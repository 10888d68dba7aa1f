// latentwalk sample: a grid of generated images.
#include <torch/torch.h>

#include <cmath>
#include <iostream>

#include "app/commands.hpp"
#include "app/tensor_images.hpp"
#include "core/check.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {

int cmd_sample(const std::vector<std::string>& argv) {
  Args a("sample", "Writes a grid of images generated from seeded Gaussian latent codes.");
  a.flag("model", "DIR", "model folder or .pt file", "assets/models/synthfaces")
      .flag("n", "N", "number of images", "64")
      .flag("seed", "S", "seed of the latent codes", "0")
      .flag("truncation", "PSI", "truncation in W (1: none; needs a mapping network)", "1")
      .flag("out", "PNG", "output image");
  if (!a.parse(argv)) return 0;
  const auto n = a.integer("n");
  LW_EXPECT(n > 0 && n <= 4096, "--n must be between 1 and 4096, got " << n);
  const std::string out = a.str("out");
  const double psi = a.real("truncation");
  auto model = plugin::load_model(a.str("model"));
  const auto& g = *model.generator;
  const auto z = torch::randn({n, g.latent_dim()}, at::detail::createCPUGenerator(static_cast<std::uint64_t>(a.integer("seed"))));
  at::Tensor images;
  if (psi != 1.0) {
    LW_EXPECT(g.w_dim() > 0, "--truncation needs a model with a mapping network");
    // The mean w over many codes stands in for the average the model was trained towards.
    const auto w_mean = g.mapping(torch::randn({4096, g.latent_dim()}, at::detail::createCPUGenerator(99))).mean(0);
    const auto w = g.mapping(z);
    images = g.synthesis(w_mean + psi * (w - w_mean));
  } else {
    images = g.generate(z);
  }
  const auto tiles = to_images(images);
  write_png(out, make_grid(tiles, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))))));
  std::cout << "wrote " << n << " samples of " << model.manifest.name << " to " << out << "\n";
  return 0;
}

}  // namespace lw::app
