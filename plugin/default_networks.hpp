// The default model's three networks, each defined once as TorchScript source and built with
// torch::jit::Module::define: trained from C++ and saved with save(), they load through the
// same path as any user's model (plugin/torchscript_model.hpp).
#pragma once

#include <torch/script.h>

#include <cstdint>
#include <vector>

namespace lw::plugin {

struct GeneratorShape {
  int z_dim = 64;
  int w_dim = 64;
  int mapping_layers = 4;
  // Channels of the synthesis blocks at 4x4, 8x8, ... up to the output resolution.
  // One modulated 3x3 convolution per block keeps a training step affordable on two CPU cores.
  std::vector<int> channels{128, 128, 96, 48, 16};
  int resolution() const { return 4 << (static_cast<int>(channels.size()) - 1); }
  int num_ws() const { return static_cast<int>(channels.size()) + 1; }
};

// Style-based generator: mapping z -> w (an MLP after pixel norm), synthesis from a 4x4 input
// projected from w with modulated/demodulated 3x3 convolutions and skip-connected RGB outputs.
// Methods: forward(z), mapping(z), synthesis(w [B,w_dim] or [B,num_ws,w_dim]),
// features(z, layer), synthesis_features(w, layer); forward_raw and synthesis_raw give the
// unclamped output training sees. Buffer w_avg tracks the mean w.
torch::jit::Module make_generator(const GeneratorShape& shape, std::uint64_t seed);

// Realism scorer: forward(image [B,3,R,R]) -> logits [B]; no batch statistics, so a score
// depends on its own image only.
torch::jit::Module make_discriminator(int resolution, std::uint64_t seed);

// Attribute predictor: forward(image [B,3,R,R]) -> scores [B, num_outputs].
torch::jit::Module make_predictor(int resolution, int num_outputs, std::uint64_t seed);

// Trainable parameters of a module, in a stable order.
std::vector<torch::Tensor> parameters_of(const torch::jit::Module& m);

}  // namespace lw::plugin
