// The image -> w encoder a model ships for inversion to start from, trained on the model's own
// (w, G(w)) pairs: z ~ N(0, I), w = mapping(z), the encoder regresses w from synthesis(w) (its
// output standardised by W's mean and spread, which the exported module undoes). The network is
// the default predictor's trunk at the model's resolution. Any model with W can have one: the
// default model and an imported StyleGAN alike.
#pragma once

#include <torch/script.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace lw {
class Generator;
}

namespace lw::plugin {

struct EncoderSettings {
  int steps = 3000;
  int batch = 32;
  double learning_rate = 1e-3;  // Adam, halved for the last third
  std::uint64_t seed = 7;
};

struct EncoderTraining {
  torch::jit::Module encoder;  // forward(image [B, 3, H, W]) -> w [B, w_dim]
  // The squared error of its guesses over that of guessing W's mean (1: no better), smoothed
  // over the last steps.
  double final_loss = 0.0;
};

// `progress(step, error)` every step, the error as final_loss counts it.
EncoderTraining train_encoder(const Generator& g, const EncoderSettings& settings,
                              const std::function<void(int, double)>& progress = {});

// The default discriminator's trained weights in today's source: the same scores, and the
// features(image, layer) inversion's perceptual term reads. `trained` must be a default
// discriminator at `resolution` (its parameters are copied by name).
torch::jit::Module discriminator_with_features(const torch::jit::Module& trained, int resolution);

// A model folder made ready for inversion: an encoder trained for its generator, written as
// encoder.pt and named in the manifest, and a default discriminator without features() brought
// to today's source. Every file is written beside its place and renamed when all are done.
struct ModelEncoder {
  EncoderTraining training;
  bool discriminator_upgraded = false;
  std::string discriminator_note;  // why a discriminator without features was left as it is
};
ModelEncoder add_encoder(const std::filesystem::path& model_folder, const EncoderSettings& settings,
                         const std::function<void(int, double)>& progress = {});

}  // namespace lw::plugin
