// latentwalk demo: the first half of scripts/run.sh's main job. Writes a sample grid of the model
// and a walk strip that puts a linear walk beside a density-preserving one along one direction
// with growing stride, so the difference between the two can be seen: in W with the learned
// correction when the model ships one (a StyleGAN-style mapping normalises z, so in Z the two
// walks draw the same images), in Z with the closed form otherwise.
#include <torch/torch.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "core/base/atomic_file.hpp"
#include "core/direction_space.hpp"
#include "core/learned_modules.hpp"
#include "app/labelled_grid.hpp"
#include "core/tensor_images.hpp"
#include "core/walk_direction.hpp"
#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "core/walk.hpp"
#include "core/walk_batch.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

int cmd_demo(const std::vector<std::string>& argv) {
  Args a("demo",
         "Writes a sample grid and a walk strip (rows in pairs: linear, then density-preserving,\n"
         "from the same start; strides grow left to right) of a model to an output folder.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("out", "DIR", "output folder (created)", "out")
      .flag("attribute", "NAME", "predictor attribute whose direction to walk along", "age")
      .flag("direction", "NPY", "walk along this direction instead ([1, d] float32 .npy, e.g. a boundary)")
      .flag("space", "auto|z|w", "where to walk (auto: W when the model ships boundaries/w and dplase/w)", "auto")
      .flag("strides", "LIST", "comma-separated step sizes eps (default: 0,2,4,6,8,12,16,24 in Z, 0,1,2,3,4,5,6,8 in W)")
      .flag("starts", "N", "number of start codes (row pairs)", "3")
      .flag("seed", "S", "seed of the samples and start codes", "0")
      .flag("json", "", "print what was written as JSON");
  if (!a.parse(argv)) return 0;
  const std::string space = a.choice("space", {"auto", "z", "w"});
  const std::string stride_text = a.has("strides") ? a.str("strides") : "";
  const auto parsed = parse_list<float>(stride_text);
  LW_EXPECT(parsed, "--strides must be a comma-separated list of numbers, got \"" << stride_text << "\"");
  std::vector<float> strides = *parsed;
  const auto starts = a.integer_in("starts", 1, 16);
  const fs::path out = a.str("out");
  // Cheap inputs first: a bad direction file fails before the model loads.
  const bool has_direction = a.has("direction");
  if (has_direction) read_npy(a.str("direction"));
  auto model = plugin::load_model(a.str("model"));
  const auto& g = *model.generator;
  const auto seed = static_cast<std::uint64_t>(a.integer("seed"));

  torch::NoGradGuard no_grad;
  const fs::path w_boundary = model.folder / "boundaries" / "w" / (a.str("attribute") + ".npy");
  // auto: W where the model has it (a mapping and a learned DP-LaSE density there) and the
  // direction is W's (the shipped boundary, or a file whose sidecar or folder says W or nothing).
  const bool w_walkable = g.w_dim() > 0 && fs::is_directory(shipped_dplase_folder(model.folder, Space::W));
  const bool in_w = space == "w" || (space == "auto" && (has_direction ? auto_space(a.str("direction"), w_walkable) == Space::W
                                                                         : w_walkable && fs::exists(w_boundary)));
  if (has_direction) check_direction_space(a.str("direction"), in_w ? Space::W : Space::Z);
  if (strides.empty()) strides = in_w ? std::vector<float>{0, 1, 2, 3, 4, 5, 6, 8} : std::vector<float>{0, 2, 4, 6, 8, 12, 16, 24};
  const LatentSpace walk_space(*model.generator, in_w ? Space::W : Space::Z, model.manifest.prior == "gaussian");
  const int dims = walk_space.dims();
  const auto walk = has_direction ? load_walk_direction(a.str("direction"), dims)
                    : in_w        ? load_walk_direction(w_boundary, dims)
                                  : attribute_direction(*model.generator, model.predictor.get(), model.predictor ? model.manifest.attribute_index(a.str("attribute")) : -1, a.str("attribute"));
  std::unique_ptr<LearnedModules> modules;
  if (in_w) modules = std::make_unique<LearnedModules>(load_learned(shipped_dplase_folder(model.folder, Space::W), dims));
  const auto rules = walk_rules(walk_space, modules.get(), false);
  // Every input has loaded: only now is there an output folder.
  make_output_folder(out);
  const auto samples = to_images(g.generate(torch::randn({64, g.latent_dim()}, at::detail::createCPUGenerator(seed))));
  write_png(out / "samples.png", make_labelled_grid(samples, 8, {samples_title(model.manifest.name, g.width(), g.height(), "seed " + std::to_string(seed))}));
  const auto starts_codes = walk_space.sample(starts, seed + 1);
  const auto n = static_cast<std::int64_t>(strides.size());
  const auto eps = torch::from_blob(strides.data(), {n}).clone();
  const auto dir = to_tensor(walk.direction).unsqueeze(0).expand({n, dims});
  std::vector<ImageRGB8> tiles;
  for (std::int64_t s = 0; s < starts; ++s) {
    const auto z0 = starts_codes[s].unsqueeze(0).expand({n, dims});
    for (const auto& step : {StepFn(linear_steps), rules.dp_step})
      for (auto& im : to_images(walk_space.images(step(z0, eps, dir)))) tiles.push_back(std::move(im));
  }
  const std::string direction_name = has_direction ? fs::path(a.str("direction")).stem().string() : a.str("attribute");
  GridLabels strip{model.manifest.name + ": " + direction_name + " in " + (in_w ? "W" : "Z") + ", seed " + std::to_string(seed), {}, {}};
  for (const float s : strides) strip.columns.push_back("ε " + number_text(s));
  for (std::int64_t s = 0; s < starts; ++s) strip.rows.insert(strip.rows.end(), {"linear", "density-preserving"});
  write_png(out / "walk_strip.png", make_labelled_grid(tiles, static_cast<int>(strides.size()), strip));
  std::ostringstream listed;
  for (std::size_t i = 0; i < strides.size(); ++i) listed << (i ? "," : "") << strides[i];
  const std::string how = in_w ? "w0 + eps*n), the bottom one density-preserving (w0 + eps*n + C, the learned correction"
                               : "z0 + eps*n), the bottom one density-preserving (rescaled to ||z0||";
  const std::string& described = walk.described;
  std::ostringstream text;
  text << "latentwalk demo on " << model.manifest.name << ":\n"
       << "  " << (out / "samples.png").string() << "     64 samples (seed " << seed << ")\n"
       << "  " << (out / "walk_strip.png").string() << "  " << count_text(starts, "start", "starts") << "; in each pair of rows the\n"
       << "      top row walks linearly (" << how << "),\n"
       << "      eps = " << listed.str() << " left to right, in " << walk_space.name() << " along " << described << "\n";
  print_outcome(a, {{"model", model.manifest.name}, {"space", walk_space.name()}, {"direction", described},
                    {"strides", strides}, {"starts", starts},
                    {"wrote", {(out / "samples.png").string(), (out / "walk_strip.png").string()}}},
                text.str());
  return 0;
}

}  // namespace lw::app
