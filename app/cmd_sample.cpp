// latentwalk sample: a grid of generated images.
#include <torch/torch.h>

#include <cmath>
#include <iostream>

#include "app/commands.hpp"
#include "app/render_codes.hpp"
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
  LW_EXPECT(psi == 1.0 || g.w_dim() > 0, "--truncation needs a model with a mapping network");
  // Truncation pulls w toward the mean of W, as the viewer's does.
  const auto images = render_codes(g, z, RenderSpec{Space::Z, static_cast<float>(psi)}, psi != 1.0 ? mean_w(g) : at::Tensor());
  const auto tiles = to_images(images);
  write_png(out, make_grid(tiles, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))))));
  std::cout << "wrote " << n << " samples of " << model.manifest.name << " to " << out << "\n";
  return 0;
}

}  // namespace lw::app
