// latentwalk edit: image strips along a boundary, one row per sample, alpha left to right.
#include <torch/torch.h>

#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "plugin/inversion.hpp"
#include "app/model_location.hpp"
#include "core/latent_space.hpp"
#include "app/labelled_grid.hpp"
#include "core/tensor_images.hpp"
#include "core/boundary.hpp"
#include "core/direction_space.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {

int cmd_edit(const std::vector<std::string>& argv) {
  Args a("edit",
         "Edits sampled images along a boundary: each row is one sample, alpha goes over --range in\n"
         "--steps left to right (the middle column, alpha 0, is the unedited image when the range\n"
         "is symmetric). In W+ only --layers a:b are moved. Real images too: --codes edits the codes\n"
         "invert wrote, --image inverts a photo (in W+) and edits it, the photo heading its row.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("boundary", "NPY", "the direction ([1, d] for the space)")
      .flag("space", "auto|z|w|wplus", "where to edit (auto: W when the model has a mapping network, as every command)",
            "auto")
      .flag("layers", "a:b", "W+ layers a to b-1 (default: all)")
      .flag("codes", "CODE.npy", "edit these W or W+ codes (as invert writes them) instead of sampled ones")
      .flag("image", "PHOTO.png", "invert this photo in W+ and edit its code")
      .flag("invert-steps", "N", "with --image: Adam steps of the inversion", "300")
      .flag("seed", "S", "seed of the samples", "0")
      .flag("n", "K", "number of samples (rows)", "4")
      .flag("range", "LO:HI", "alpha range", "-3:3")
      .flag("steps", "N", "columns", "7")
      .flag("out", "PNG", "the strip image")
      .flag("json", "", "print what was written as JSON");
  if (!a.parse(argv)) return 0;
  LW_EXPECT(a.has("codes") + a.has("image") < 2, "give --codes or --image, not both");
  check_output_file(a.str("out"));
  auto model = plugin::load_model(a.str("model"));
  const Generator& g = *model.generator;
  // The codes to edit: a file's (their space follows), a photo's inversion (in W+ where the
  // model has it, or as --space says), or sampled ones. Everything is checked before inverting.
  std::optional<plugin::CodeFile> given;
  if (a.has("codes")) given = plugin::read_codes(a.str("codes"), g);
  const Space space = given                  ? given->space
                      : a.has("image")       ? (a.str("space") == "auto" ? (g.num_ws() > 0 ? Space::WPlus : Space::W)
                                                                         : parse_space(a.str("space")))
                      : a.str("space") == "auto" ? auto_space(a.str("boundary"), g.w_dim() > 0)
                                                 : parse_space(a.str("space"));
  LW_EXPECT(!given || a.str("space") == "auto" || parse_space(a.str("space")) == space,
            "the codes are in " << space_label(space) << ": drop --space, or give codes of that space");
  LW_EXPECT(!a.has("image") || space != Space::Z, "a photo is inverted in W or W+, not Z");
  const LayerRange layers = a.has("layers") ? parse_layers(a.str("layers")) : LayerRange{};
  LW_EXPECT(!a.has("layers") || space == Space::WPlus, "--layers applies to --space wplus only");
  const auto n = given ? given->codes.size(0) : a.has("image") ? 1 : a.integer_in("n", 1, 64), steps = a.integer_in("steps", 2, 33);
  LW_EXPECT(n <= 64, a.str("codes") << " holds " << n << " codes; edit draws at most 64 rows");
  const auto range = parse_pair<float>(a.str("range"), ':');
  LW_EXPECT(range, "--range expects LO:HI, for example -3:3, got \"" << a.str("range") << "\"");
  const auto [lo, hi] = *range;
  LW_EXPECT(hi > lo, "--range needs LO < HI");
  const std::string out = a.str("out");
  const auto boundary = read_boundary(a.str("boundary"));
  check_direction_space(a.str("boundary"), space);
  check_space(g, space, boundary, layers);
  at::Tensor photo;
  if (a.has("image")) {
    use_all_cores_for_torch();
    photo = plugin::read_target(a.str("image"), g, "latentwalk edit");
    const plugin::InversionSetup setup(model, space, static_cast<int>(a.integer_in("invert-steps", 1, 100000)));
    const Projection p = setup.project(photo, true);
    std::cerr << "latentwalk edit: " << a.str("image") << " inverted in " << space_label(space) << ", PSNR "
              << number_text(p.psnr[0]) << " dB" << std::endl;
    given = plugin::CodeFile{p.codes, space};
  }
  torch::NoGradGuard no_grad;
  const auto codes = given ? given->codes
                           : codes_in(g, torch::randn({n, g.latent_dim()}, at::detail::createCPUGenerator(static_cast<std::uint64_t>(a.integer("seed")))), space);
  const auto dir = to_tensor(boundary.normalized());
  std::vector<at::Tensor> columns;
  if (photo.defined()) columns.push_back(photo);
  for (std::int64_t s = 0; s < steps; ++s)
    columns.push_back(edited_images(g, codes, space, dir, lo + (hi - lo) * static_cast<float>(s) / static_cast<float>(steps - 1), layers).to(torch::kCPU));
  // Row-major tiles: sample by sample, alpha by alpha.
  const auto tiles = to_images(torch::stack(columns, 1).flatten(0, 1));
  GridLabels labels{model.manifest.name + ": " + std::filesystem::path(a.str("boundary")).stem().string() + " in " +
                        space_label(space) + (a.has("layers") ? " (layers " + a.str("layers") + ")" : "") +
                        (a.has("image") ? ", " + std::filesystem::path(a.str("image")).filename().string()
                         : a.has("codes") ? ", " + std::filesystem::path(a.str("codes")).filename().string()
                                          : ", seed " + a.str("seed")),
                    {}, {}};
  for (std::int64_t s = 0; s < steps; ++s)
    labels.columns.push_back("α " + number_text(lo + (hi - lo) * static_cast<float>(s) / static_cast<float>(steps - 1)));
  if (photo.defined()) labels.columns.insert(labels.columns.begin(), "photo");
  write_png(out, make_labelled_grid(tiles, static_cast<int>(columns.size()), labels));
  print_outcome(a, {{"rows", n}, {"columns", steps}, {"space", space_name(space)}, {"wrote", {out}}},
                "wrote " + count_text(n, "row", "rows") + " x " + count_text(steps, "edit", "edits") + " in " +
                    space_label(space) + " to " + out + "\n");
  return 0;
}

}  // namespace lw::app
