// latentwalk invert: the code in W or W+ whose image is a photo (core/projector.hpp), started from
// the model's encoder (or W's mean), written as .npy for edit --codes, sample --codes and presets.
#include <torch/torch.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "plugin/inversion.hpp"
#include "app/labelled_grid.hpp"
#include "app/model_location.hpp"
#include "core/image.hpp"
#include "core/tensor_images.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/base/npy.hpp"
#include "core/base/progress.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {

int cmd_invert(const std::vector<std::string>& argv) {
  Args a("invert",
         "Finds the code whose image is a photo: Adam through the generator from the model's encoder's "
         "guess (or W's mean), the learning rate ramped up then down and noise on the code decaying, "
         "against the photo's pixels (L2, L1), multi-scale SSIM and, where the discriminator has "
         "features, their distance; priors keep the code editable (W's learned density; in W+ each "
         "row pulled toward the others). A photo of another size is resized to the model's. The code "
         "goes to an .npy ([1, w_dim] in W, [1, num_ws, w_dim] in W+) that edit --codes, sample --codes "
         "and presets take.");
  a.flag("model", "DIR", "model folder", default_model_folder().string())
      .flag("image", "PHOTO.png", "the photo to invert (PNG)")
      .flag("space", "w|wplus", "where the code lives: one w, or one per style row", "wplus")
      .flag("steps", "N", "Adam steps", "300")
      .flag("start", "encoder|mean", "the first guess: the model's encoder where it has one, or W's mean", "encoder")
      .flag("graph-optimizer", "on|off", "TorchScript's graph optimiser during the run (see README for what it costs)", "off")
      .flag("out", "CODE.npy", "the code to write")
      .flag("png", "FILE.png", "also write the photo beside its reconstruction")
      .flag("json", "", "print PSNR, SSIM, the loss at each tenth of the run and the seconds as JSON");
  if (!a.parse(argv)) return 0;
  LW_EXPECT(a.has("image"), "--image is required");
  LW_EXPECT(a.has("out"), "--out is required");
  const std::filesystem::path out = a.str("out");
  check_output_file(out);
  if (a.has("png")) check_output_file(a.str("png"));
  use_all_cores_for_torch();
  const plugin::Model model = plugin::load_model(a.str("model"));
  const auto& g = *model.generator;
  LW_EXPECT(g.w_dim() > 0, a.str("model") << ": inversion needs a model with W (a mapping network)");
  const Space space = parse_space(a.choice("space", {"w", "wplus"}));
  LW_EXPECT(space == Space::W || g.num_ws() > 0, a.str("model") << ": this model has no W+ (style rows)");
  const std::string start = a.choice("start", {"encoder", "mean"});
  const auto target = plugin::read_target(a.str("image"), g, "latentwalk invert");
  plugin::InversionSetup setup(model, space, static_cast<int>(a.integer_in("steps", 1, 100000)));
  setup.settings.graph_optimizer = a.choice("graph-optimizer", {"on", "off"}) == "on";
  ProgressBar bar("invert", setup.settings.steps + 1, "step");
  const Projection p = setup.project(target, start == "encoder", [&](int step, double loss) {
    if (step % 5 == 0 || step == setup.settings.steps) bar.update(step + 1, "loss " + number_text(loss));
  });
  bar.finish();
  write_npy(out, plugin::npy_of(p.codes));
  if (a.has("png")) {
    const auto pictures = to_images(torch::cat({target, p.images.to(torch::kCPU)}));
    write_png(a.str("png"), make_labelled_grid(pictures, 2,
                                               {"PSNR " + number_text(p.psnr[0]) + " dB, SSIM " + number_text(p.ssim[0]),
                                                {"photo", "inverted (" + space_name(space) + ")"},
                                                {}}));
  }
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& s : p.stages)
    stages.push_back({{"step", s.step}, {"loss", s.loss}, {"pixel", s.pixel}, {"ssim", s.ssim}, {"perceptual", s.perceptual}, {"prior", s.prior}});
  const nlohmann::json j{{"code", out.string()},     {"space", space_name(space)}, {"start", setup.start_name(start == "encoder")},
                         {"psnr", p.psnr[0]},        {"ssim", p.ssim[0]},          {"steps", setup.settings.steps},
                         {"seconds", p.seconds},     {"stages", stages}};
  print_outcome(a, j,
                "latentwalk invert: " + out.string() + " (" + space_name(space) + "), PSNR " + number_text(p.psnr[0]) +
                    " dB, SSIM " + number_text(p.ssim[0]) + ", " + number_text(p.seconds) + " s\n");
  return 0;
}

}  // namespace lw::app
