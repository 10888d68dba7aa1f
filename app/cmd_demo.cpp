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
#include "core/check.hpp"
#include "core/npy.hpp"
#include "core/walk.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

at::Tensor to_tensor(const Latent& z) { return torch::from_blob(const_cast<float*>(z.data()), {1, z.size()}).clone(); }

// A unit direction in Z along which the predictor's `attribute` score grows: the least-squares
// fit of the score on 2,000 latent codes. Random (seeded) when the model has no predictor.
Latent direction_for(const plugin::Model& model, const std::string& attribute, std::string& described) {
  const int d = model.generator->latent_dim();
  const auto z = torch::randn({2000, d}, at::detail::createCPUGenerator(2024));
  const int col = model.predictor ? model.manifest.attribute_index(attribute) : -1;
  at::Tensor dir;
  if (col >= 0) {
    std::vector<at::Tensor> scores;
    for (int i = 0; i < 2000; i += 250)
      scores.push_back(model.predictor->predict(model.generator->generate(z.slice(0, i, i + 250))).select(1, col));
    const auto y = torch::cat(scores);
    const auto zc = z - z.mean(0), yc = (y - y.mean()).unsqueeze(1);
    dir = std::get<0>(torch::linalg_lstsq(zc, yc, c10::nullopt, c10::nullopt)).squeeze(1);
    described = "the direction of increasing " + attribute + " (least squares on 2,000 samples)";
  } else {
    dir = torch::randn({d}, at::detail::createCPUGenerator(7));
    described = "a random direction (seed 7)";
  }
  dir = dir / dir.norm();
  return Eigen::Map<const Latent>(dir.contiguous().data_ptr<float>(), d);
}

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
  std::optional<NpyArray> direction_file;
  if (a.has("direction")) direction_file = read_npy(a.str("direction"));
  auto model = plugin::load_model(a.str("model"));
  const auto& g = *model.generator;
  const auto seed = static_cast<std::uint64_t>(a.integer("seed"));

  torch::NoGradGuard no_grad;
  const auto samples = to_images(g.generate(torch::randn({64, g.latent_dim()}, at::detail::createCPUGenerator(seed))));
  write_png(out / "samples.png", make_grid(samples, 8));

  std::string described;
  Latent dir;
  if (direction_file) {
    const auto& arr = *direction_file;
    LW_EXPECT(arr.rows() == 1 && arr.cols() == g.latent_dim(),
             a.str("direction") << ": a direction must have shape [1, " << g.latent_dim() << "] for this model");
    dir = Eigen::Map<const Latent>(arr.data.data(), g.latent_dim());
    LW_EXPECT(dir.norm() > 0.f, a.str("direction") << ": the direction is all zeros");
    dir.normalize();
    described = a.str("direction");
  } else {
    dir = direction_for(model, a.str("attribute"), described);
  }
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
