#include "app/audio_file_player.hpp"

#include <chrono>

#include "renderer/audio_decoder.hpp"

namespace lw::app {

AudioFilePlayer::AudioFilePlayer(const std::filesystem::path& file) {
  auto track = renderer::decode_audio(file, std::nullopt, 1);
  samples_ = std::move(track.samples);
  AudioAnalysisSettings settings;
  settings.sample_rate = track.sample_rate;
  input_ = std::make_unique<control::AudioInput>(settings);
  thread_ = std::thread([this, rate = track.sample_rate, name = file.filename().string()] {
    // 10 ms at a time, on the wall clock: what a capture callback delivers.
    const std::size_t chunk = static_cast<std::size_t>(rate / 100);
    const auto start = std::chrono::steady_clock::now();
    std::size_t played = 0;
    while (!stop_.load()) {
      const std::size_t at = played % samples_.size();
      const std::size_t n = std::min(chunk, samples_.size() - at);
      input_->push({samples_.data() + at, n});
      played += n;
      std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<long long>(1e6 * static_cast<double>(played) / rate)));
    }
  });
}

AudioFilePlayer::~AudioFilePlayer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

}  // namespace lw::app
