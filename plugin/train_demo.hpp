// Trains the default SynthFaces model from scratch on the procedural dataset and writes it as
// a model folder (TorchScript networks + manifest.json) that loads like any user's model.
// Checkpoints let an interrupted run resume where it stopped.
#pragma once

#include <cstdint>
#include <filesystem>

namespace lw::plugin {

struct TrainDemoOptions {
  std::filesystem::path out_dir = "assets/models/synthfaces";  // the finished model folder
  std::filesystem::path work_dir = "build/train-demo";         // checkpoints
  std::int64_t predictor_steps = 2000;
  std::int64_t gan_steps = 5000;
  int predictor_batch = 64;
  int gan_batch = 32;
  int threads = 0;                  // 0: all cores
  std::uint64_t seed = 1;
  std::int64_t checkpoint_every = 250;
  double moment_weight = 1.0;       // predicted-factor moment matching (see train_demo.cpp)
  double r1_gamma = 1.0;
  bool resume = true;
};

void train_demo(const TrainDemoOptions& options);

}  // namespace lw::plugin
