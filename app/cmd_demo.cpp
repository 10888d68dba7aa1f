// latentwalk demo: the main job of scripts/run.sh until the viewer exists. Writes a sample grid
// of the model and a walk strip that puts a linear walk beside a density-preserving one along
// one direction with growing stride, so the difference between the two can be seen.
#include <torch/torch.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/commands.hpp"
#include "app/tensor_images.hpp"
#include "app/walk_direction.hpp"
#include "core/check.hpp"
#include "core/npy.hpp"
#include "core/walk.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

at::Tensor to_tensor(const Latent& z) { return torch::from_blob(const_cast<float*>(z.data()), {1, z.size()}).clone(); }

}  // namespace

int cmd_demo(const std::vector<std::string>& argv) {
  Args a("demo",
         "Writes a sample grid and a walk strip (rows in pairs: linear, then density-preserving,\n"
         "from the same start; strides grow left to right) of a model to an output folder.");
  a.flag("model", "DIR", "model folder or .pt file", "assets/models/synthfaces")
      .flag("out", "DIR", "output folder (created)", "out")
      .flag("attribute", "NAME", "predictor attribute whose direction to walk along", "age")
      .flag("direction", "NPY", "walk along this direction instead ([1, d] float32 .npy, e.g. a boundary)")
      .flag("strides", "LIST", "comma-separated step sizes eps", "0,2,4,6,8,12,16,24")
      .flag("starts", "N", "number of start codes (row pairs)", "3")
      .flag("seed", "S", "seed of the samples and start codes", "0");
  if (!a.parse(argv)) return 0;
  std::vector<float> strides;
  {
    std::stringstream ss(a.str("strides"));
    std::string item;
    while (std::getline(ss, item, ',')) {
      try {
        strides.push_back(std::stof(item));
      } catch (const std::exception&) {
        LW_FAIL("--strides must be a comma-separated list of numbers, got \"" << a.str("strides") << "\"");
      }
    }
  }
  const auto starts = a.integer("starts");
  LW_EXPECT(!strides.empty() && starts > 0 && starts <= 16, "--starts must be 1..16 and --strides non-empty");
  const fs::path out = a.str("out");
  fs::create_directories(out);
  // Cheap inputs first: a bad direction file fails before the model loads.
  const bool has_direction = a.has("direction");
  if (has_direction) read_npy(a.str("direction"));
  auto model = plugin::load_model(a.str("model"));
  const auto& g = *model.generator;
  const auto seed = static_cast<std::uint64_t>(a.integer("seed"));

  torch::NoGradGuard no_grad;
  const auto samples = to_images(g.generate(torch::randn({64, g.latent_dim()}, at::detail::createCPUGenerator(seed))));
  write_png(out / "samples.png", make_grid(samples, 8));

  const auto walk = has_direction ? load_direction(a.str("direction"), g.latent_dim())
                                 : attribute_direction(model, a.str("attribute"));
  const Latent& dir = walk.direction;
  const std::string& described = walk.described;
  const auto z0s = torch::randn({starts, g.latent_dim()}, at::detail::createCPUGenerator(seed + 1));
  std::vector<ImageRGB8> tiles;
  for (std::int64_t s = 0; s < starts; ++s) {
    const Latent z0 = Eigen::Map<const Latent>(z0s[s].contiguous().data_ptr<float>(), g.latent_dim());
    for (const auto kind : {WalkKind::Linear, WalkKind::DensityPreserving}) {
      std::vector<at::Tensor> row;
      for (float eps : strides)
        row.push_back(to_tensor(kind == WalkKind::Linear ? linear_step(z0, dir, eps) : density_preserving_step(z0, dir, eps)));
      for (auto& im : to_images(g.generate(torch::cat(row)))) tiles.push_back(std::move(im));
    }
  }
  write_png(out / "walk_strip.png", make_grid(tiles, static_cast<int>(strides.size())));

  std::cout << "latentwalk demo on " << model.manifest.name << ":\n"
            << "  " << (out / "samples.png").string() << "     64 samples (seed " << seed << ")\n"
            << "  " << (out / "walk_strip.png").string() << "  " << starts << " starts; in each pair of rows the\n"
            << "      top row walks linearly (z0 + eps*n), the bottom one density-preserving (rescaled to ||z0||),\n"
            << "      eps = " << a.str("strides") << " left to right, along " << described << "\n";
  return 0;
}

}  // namespace lw::app
