// latentwalk train-encoder: a model folder made ready for inversion (plugin/encoder_training.hpp):
// an image -> w encoder trained on the model's own images, written beside it and named in its
// manifest; the default discriminator of an older model brought to today's, with features().
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "plugin/encoder_training.hpp"

namespace lw::app {

int cmd_train_encoder(const std::vector<std::string>& argv) {
  Args a("train-encoder",
         "Trains the encoder inversion starts from: an image -> w network regressing w from the "
         "model's own images (z ~ N(0, I), w = mapping(z), the image synthesis(w)), written as "
         "encoder.pt in the model folder and named in its manifest (train-demo does this for the "
         "models it trains). Works for any model with W, an imported StyleGAN's too. A default "
         "discriminator from before features(image, layer) is rewritten with its weights in "
         "today's source, so inversion can use its features.");
  const plugin::EncoderSettings defaults;
  a.flag("model", "DIR", "model folder", default_model_folder().string())
      .flag("steps", "N", "training steps", std::to_string(defaults.steps))
      .flag("batch", "B", "images per step", std::to_string(defaults.batch))
      .flag("json", "", "print the final error, the seconds and what was written as JSON");
  if (!a.parse(argv)) return 0;
  use_all_cores_for_torch();
  plugin::EncoderSettings s;
  s.steps = static_cast<int>(a.integer_in("steps", 1, 10000000));
  s.batch = static_cast<int>(a.integer_in("batch", 1, 4096));
  const auto started = std::chrono::steady_clock::now();
  ProgressBar bar("encoder", s.steps, "step");
  const auto e = plugin::add_encoder(a.str("model"), s, [&](int step, double loss) {
    if (step % 10 == 0 || step + 1 == s.steps) bar.update(step + 1, "error " + number_text(loss));
  });
  bar.finish();
  if (!e.discriminator_note.empty()) std::cerr << "latentwalk train-encoder: " << e.discriminator_note << std::endl;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const nlohmann::json j{{"model", a.str("model")}, {"encoder", "encoder.pt"}, {"steps", s.steps},
                         {"final_error", e.training.final_loss}, {"discriminator_upgraded", e.discriminator_upgraded},
                         {"discriminator_note", e.discriminator_note},
                         {"seconds", seconds}};
  print_outcome(a, j,
                "latentwalk train-encoder: " + a.str("model") + "/encoder.pt, squared error " + number_text(e.training.final_loss) +
                    " of guessing W's mean" + (e.discriminator_upgraded ? "; the discriminator now has features()" : "") +
                    ", " + number_text(seconds) + " s\n");
  return 0;
}

}  // namespace lw::app
