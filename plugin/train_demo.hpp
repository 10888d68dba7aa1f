// Trains the default SynthFaces model from scratch on the procedural dataset and writes it as
// a model folder (TorchScript networks + manifest.json) that loads like any user's model.
// Checkpoints let an interrupted run resume where it stopped.
#pragma once

#include <cstdint>
#include <filesystem>

namespace lw::plugin {

struct TrainDemoOptions {
  std::filesystem::path out_dir = "synthfaces-trained";        // the finished model folder
  std::filesystem::path work_dir = "synthfaces-trained-work";  // checkpoints
  std::int64_t predictor_steps = 2000;
  std::int64_t gan_steps = 14000;  // with the defaults below: the recipe of the shipped model (~80 min on 2 cores)
  int predictor_batch = 64;
  int gan_batch = 16;
  int threads = 0;                  // 0: all cores
  std::uint64_t seed = 1;
  std::int64_t checkpoint_every = 250;
  double kl_weight = 2.5e-4;        // VAE terms: L1 reconstruction (weight 1) + KL to N(0, I)
  double adversarial_weight = 0.1;
  // Rates sized for a short CPU budget: a few thousand steps, not StyleGAN's hundreds of thousands.
  double generator_lr = 5e-3;
  double mapping_lr_multiplier = 0.1;
  double discriminator_lr = 2e-3;
  double encoder_lr = 1e-3;
  // The image -> w encoder shipped for inversion, trained on the exported generator's (w, G(w))
  // pairs once the model is written (plugin/encoder_training.hpp); 0: none.
  int inversion_encoder_steps = 3000;
  double moment_weight = 0.1;       // predicted-factor moment matching (training_objectives.hpp)
  // Factor readout along directions of W (training_objectives.hpp): each factor a direction.
  double linear_weight = 0.0;
  // StyleGAN2-ADA's heuristic 0.0002 * resolution^2 / batch gives 0.05 at 64x64, batch 16.
  double r1_gamma = 0.05;
  bool resume = true;
  // Trains the predictor of a resumed run anew (e.g. after a change to how it learns), then
  // carries on with the generator from its checkpoint.
  bool retrain_predictor = false;
};

void train_demo(const TrainDemoOptions& options);

}  // namespace lw::plugin
