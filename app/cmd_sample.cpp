// latentwalk sample: a grid of generated images, or the exact images of given codes as .npy.
#include <torch/torch.h>

#include <cmath>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "plugin/inversion.hpp"
#include "app/model_location.hpp"
#include "core/latent_space.hpp"
#include "core/render_codes.hpp"
#include "app/labelled_grid.hpp"
#include "core/tensor_images.hpp"
#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace {

struct Codes {
  at::Tensor codes;
  Space space = Space::Z;
};

// The codes to draw: seeded Gaussian latents, or exactly those of --latents / --codes.
Codes codes_to_draw(const Args& a, const Generator& g, std::int64_t n, std::uint64_t seed) {
  LW_EXPECT(!(a.given("latents") && a.given("codes")), "give --latents or --codes, not both");
  if (a.given("latents")) {
    const auto z = read_npy(a.str("latents"));
    LW_EXPECT(z.shape.size() == 2 && z.shape[1] == g.latent_dim(),
              a.str("latents") << ": latents should be [N, " << g.latent_dim() << "] for this model");
    return {plugin::tensor_of(z), Space::Z};
  }
  if (a.given("codes")) {
    const Space space = parse_space(a.str("space"));
    LW_EXPECT(space != Space::Z, "--codes holds W or W+ codes: give --space w or wplus (Z codes: --latents)");
    LW_EXPECT(g.w_dim() > 0, "--codes needs a model with a mapping network (W)");
    const auto c = read_npy(a.str("codes"));
    const bool ok = space == Space::W ? c.shape.size() == 2 && c.shape[1] == g.w_dim()
                                      : c.shape.size() == 3 && c.shape[1] == g.num_ws() && c.shape[2] == g.w_dim();
    LW_EXPECT(ok, a.str("codes") << ": " << space_name(space) << " codes should be "
                                 << (space == Space::W ? "[N, " + std::to_string(g.w_dim()) + "]"
                                                       : "[N, " + std::to_string(g.num_ws()) + ", " + std::to_string(g.w_dim()) + "]")
                                 << " for this model");
    return {plugin::tensor_of(c), space};
  }
  return {torch::randn({n, g.latent_dim()}, at::detail::createCPUGenerator(seed)), Space::Z};
}

}  // namespace

int cmd_sample(const std::vector<std::string>& argv) {
  Args a("sample",
         "Writes images generated from seeded Gaussian latent codes as a PNG grid, or the images of\n"
         "exactly the codes in --latents (Z) or --codes (W, W+) as float32 [N,3,H,W] in [-1,1] (--npy),\n"
         "to compare with another implementation.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("n", "N", "number of images (seeded codes)", "64")
      .flag("seed", "S", "seed of the latent codes", "0")
      .flag("latents", "Z.npy", "draw these Z codes, [N, latent_dim]")
      .flag("codes", "C.npy", "draw these W [N, w_dim] or W+ [N, num_ws, w_dim] codes (with --space)")
      .flag("space", "w|wplus", "the space of --codes", "w")
      .flag("batch", "B", "images per generator call", "16")
      .flag("truncation", "PSI", "truncation in W (1: none; needs a mapping network)", "1")
      .flag("npy", "OUT.npy", "write the images as float32 [N, 3, H, W] in [-1, 1]")
      .flag("out", "PNG", "write the images as a PNG grid")
      .flag("json", "", "print what was written as JSON");
  if (!a.parse(argv)) return 0;
  LW_EXPECT(a.given("out") || a.given("npy"), "--out is required (a PNG grid), or --npy OUT.npy for the images as numbers");
  const auto n = a.integer_in("n", 1, 4096);
  const auto seed = static_cast<std::uint64_t>(a.integer("seed"));
  const auto batch = a.integer_in("batch", 1, 1024);
  const double psi = a.real("truncation");
  auto model = plugin::load_model(a.str("model"));
  const auto& g = *model.generator;
  LW_EXPECT(psi == 1.0 || g.w_dim() > 0, "--truncation needs a model with a mapping network");
  const Codes c = codes_to_draw(a, g, n, seed);
  // Truncation pulls w toward the mean of W, as the viewer's does; batches bound memory.
  const RenderSpec spec{c.space, static_cast<float>(psi)};
  const at::Tensor w_avg = psi != 1.0 ? mean_w(g) : at::Tensor();
  const auto drawn = c.codes.size(0);
  LW_EXPECT(!a.given("out") || drawn <= 4096, "--out draws a grid of at most 4096 images; " << drawn
                                                  << " codes go to --npy only");
  // Each batch goes to the .npy as it is drawn, so the codes may be many more than memory holds
  // images; the file appears whole at the end.
  std::optional<NpyWriter> npy;
  if (a.given("npy")) npy.emplace(a.str("npy"), std::vector<std::int64_t>{drawn, 3, g.height(), g.width()});
  std::vector<ImageRGB8> tiles;
  for (const auto& part : c.codes.split(batch)) {
    const at::Tensor images = render_codes(g, part, spec, w_avg).to(torch::kCPU).contiguous();
    if (npy) npy->append(images.data_ptr<float>(), images.numel());
    if (a.given("out"))
      for (auto& t : to_images(images)) tiles.push_back(std::move(t));
  }
  if (npy) npy->commit();
  if (a.given("out")) {
    const std::string source = a.given("latents") ? "Z codes of " + a.str("latents")
                               : a.given("codes") ? space_label(c.space) + " codes of " + a.str("codes")
                                                  : "seed " + std::to_string(seed);
    const GridLabels labels{samples_title(model.manifest.name, g.width(), g.height(), source), {}, {}};
    write_png(a.str("out"), make_labelled_grid(tiles, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(drawn)))), labels));
  }
  std::vector<std::string> wrote;
  if (a.given("npy")) wrote.push_back(a.str("npy"));
  if (a.given("out")) wrote.push_back(a.str("out"));
  print_outcome(a, {{"model", model.manifest.name}, {"images", drawn}, {"wrote", wrote}},
                "wrote " + count_text(drawn, "image", "images") + " of " + model.manifest.name + " to " +
                    (wrote.size() == 2 ? wrote[0] + " and " + wrote[1] : wrote[0]) + "\n");
  return 0;
}

}  // namespace lw::app
