// A file played into the live audio input in real time, as a microphone would hear it: for
// rehearsing a performance's audio bindings without a sound card, and for testing them.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>

#include "gui/control/audio_input.hpp"

namespace lw::app {

class AudioFilePlayer {
 public:
  // Decodes `file` (any format FFmpeg reads) to mono and starts playing it into input() at once,
  // looping; throws lw::Error naming the file when it does not decode.
  explicit AudioFilePlayer(const std::filesystem::path& file);
  ~AudioFilePlayer();
  control::AudioInput& input() { return *input_; }

 private:
  std::unique_ptr<control::AudioInput> input_;
  std::vector<float> samples_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace lw::app
