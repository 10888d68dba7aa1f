// latentwalk train-demo: trains the default SynthFaces model.
#include <filesystem>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "core/base/check.hpp"
#include "plugin/train_demo.hpp"

namespace lw::app {

int cmd_train_demo(const std::vector<std::string>& argv) {
  Args a("train-demo",
         "Trains the default SynthFaces model on the procedural dataset, from C++: first the attribute\n"
         "predictor, then the style-based generator with an encoder (VAE terms) and a discriminator\n"
         "(adversarial term), the discriminator kept as a realism scorer; last, an image -> w encoder\n"
         "that inversion starts from, trained on the finished generator's own images.\n"
         "Checkpoints go to --work; an interrupted run resumes from the last one.");
  plugin::TrainDemoOptions o;
  a.flag("out", "DIR", "model folder to write", o.out_dir.string())
      .flag("work", "DIR", "checkpoint folder", o.work_dir.string())
      .flag("predictor-steps", "N", "attribute predictor training steps", std::to_string(o.predictor_steps))
      .flag("gan-steps", "N", "GAN training steps", std::to_string(o.gan_steps))
      .flag("encoder-steps", "N", "steps of the image -> w encoder inversion starts from (0: none)", std::to_string(o.inversion_encoder_steps))
      .flag("batch", "B", "GAN batch size", std::to_string(o.gan_batch))
      .flag("threads", "N", "CPU threads (0: all cores)", "0")
      .flag("seed", "S", "seed of the network initialisation", "1")
      .flag("r1-gamma", "G", "weight of the R1 penalty on the discriminator", number_text(o.r1_gamma))
      .flag("moment-weight", "W", "weight of predicted-factor moment matching", number_text(o.moment_weight))
      .flag("linear-weight", "W", "weight of the factor readout along directions of W (each factor a direction)",
            number_text(o.linear_weight))
      .flag("lr", "R", "generator learning rate", number_text(o.generator_lr))
      .flag("d-lr", "R", "discriminator learning rate", number_text(o.discriminator_lr))
      .flag("kl-weight", "W", "weight of the KL term of the encoder's posterior", number_text(o.kl_weight))
      .flag("adversarial-weight", "W", "weight of the adversarial term for the generator", number_text(o.adversarial_weight))
      .flag("fresh", "", "ignore existing checkpoints and start over")
      .flag("force", "", "allow --out to be the shipped model's folder (the model every command uses by default)")
      .flag("retrain-predictor", "", "train the attribute predictor of the run in --work anew, then carry on with its generator");
  if (!a.parse(argv)) return 0;
  o.out_dir = a.str("out");
  o.work_dir = a.str("work");
  o.predictor_steps = a.integer("predictor-steps");
  o.gan_steps = a.integer("gan-steps");
  o.inversion_encoder_steps = static_cast<int>(a.integer_in("encoder-steps", 0, 1000000));
  o.gan_batch = static_cast<int>(a.integer("batch"));
  o.threads = static_cast<int>(a.integer("threads"));
  o.seed = static_cast<std::uint64_t>(a.integer("seed"));
  o.r1_gamma = a.real("r1-gamma");
  o.moment_weight = a.real("moment-weight");
  o.linear_weight = a.real("linear-weight");
  o.kl_weight = a.real("kl-weight");
  o.generator_lr = a.real("lr");
  o.discriminator_lr = a.real("d-lr");
  o.adversarial_weight = a.real("adversarial-weight");
  o.resume = !a.on("fresh");
  o.retrain_predictor = a.on("retrain-predictor");
  LW_EXPECT(!(o.retrain_predictor && !o.resume), "--retrain-predictor and --fresh exclude each other");
  std::error_code ec;
  LW_EXPECT(a.on("force") || !std::filesystem::equivalent(o.out_dir, default_model_folder(), ec),
            "--out " << o.out_dir.string() << " is the shipped model's folder; writing over it needs --force");
  plugin::train_demo(o);
  return 0;
}

}  // namespace lw::app
