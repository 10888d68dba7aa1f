#include "gui/control/track_player.hpp"

#include <portaudio.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/base/check.hpp"
#include "gui/control/portaudio.hpp"
#include "gui/control/quiet_stderr.hpp"

namespace lw::control {

struct TrackPlayer::Playback {
  const float* samples = nullptr;
  std::size_t frames = 0;
  int channels = 0;
  std::atomic<std::size_t> played{0};  // frames handed to the device, modulo the track
  std::atomic<bool> paused{false};
};

namespace {

int play(const void*, void* output, unsigned long n, const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags, void* user) {
  auto& p = *static_cast<TrackPlayer::Playback*>(user);
  auto* out = static_cast<float*>(output);
  const auto channels = static_cast<std::size_t>(p.channels);
  if (p.paused.load(std::memory_order_relaxed)) {
    std::memset(out, 0, n * channels * sizeof(float));
    return paContinue;
  }
  std::size_t at = p.played.load(std::memory_order_relaxed);
  for (unsigned long i = 0; i < n; ++i) {
    std::memcpy(out + i * channels, p.samples + at * channels, channels * sizeof(float));
    at = at + 1 == p.frames ? 0 : at + 1;  // looping
  }
  p.played.store(at, std::memory_order_release);
  return paContinue;
}

}  // namespace

TrackPlayer::TrackPlayer(std::vector<float> samples, int rate, int channels, double start, bool output)
    : samples_(std::move(samples)), rate_(rate), channels_(channels) {
  LW_EXPECT(rate > 0 && channels > 0 && samples_.size() >= static_cast<std::size_t>(channels),
            "a track to play needs samples, a rate and channels");
  frames_ = samples_.size() / static_cast<std::size_t>(channels);
  const auto first = static_cast<std::size_t>(std::clamp(start, 0.0, seconds()) * rate) % frames_;
  playback_ = std::make_unique<Playback>();
  playback_->samples = samples_.data(), playback_->frames = frames_, playback_->channels = channels;
  playback_->played.store(first);
  silent_at_ = static_cast<double>(first) / rate;
  since_ = std::chrono::steady_clock::now();
  if (!output) {
    device_ = "no output asked for";
    return;
  }
  start_portaudio();
  const PaDeviceIndex chosen = Pa_GetDefaultOutputDevice();
  const PaDeviceInfo* info = chosen == paNoDevice ? nullptr : Pa_GetDeviceInfo(chosen);
  if (!info || info->maxOutputChannels < channels) {
    device_ = info ? std::string("\"") + info->name + "\" has fewer channels than the track" : "this machine has no audio output device";
    return;
  }
  PaStreamParameters out{};
  out.device = chosen;
  out.channelCount = channels;
  out.sampleFormat = paFloat32;
  out.suggestedLatency = info->defaultLowOutputLatency;
  PaStream* stream = nullptr;
  const PaError opened = [&] {
    QuietStderr quiet;
    return Pa_OpenStream(&stream, nullptr, &out, rate, paFramesPerBufferUnspecified, paNoFlag, play, playback_.get());
  }();
  if (opened != paNoError || Pa_StartStream(stream) != paNoError) {
    device_ = std::string("\"") + info->name + "\" did not open (" + Pa_GetErrorText(opened) + ")";
    if (stream) Pa_CloseStream(stream);
    return;
  }
  stream_ = stream;
  device_ = info->name;
  if (const PaStreamInfo* si = Pa_GetStreamInfo(stream)) latency_ = si->outputLatency;
}

TrackPlayer::~TrackPlayer() {
  if (!stream_) return;
  Pa_StopStream(static_cast<PaStream*>(stream_));
  Pa_CloseStream(static_cast<PaStream*>(stream_));
}

double TrackPlayer::position() const {
  const double length = seconds();
  if (stream_) {
    const double handed = static_cast<double>(playback_->played.load(std::memory_order_acquire)) / rate_;
    const double heard = handed - latency_;
    return heard < 0.0 ? heard + length : heard;
  }
  double at = silent_at_;
  if (!paused_.load()) at += std::chrono::duration<double>(std::chrono::steady_clock::now() - since_).count();
  return std::fmod(at, length);
}

void TrackPlayer::pause(bool paused) {
  playback_->paused.store(paused);
  if (paused == paused_.load()) return;
  if (paused) silent_at_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - since_).count();
  since_ = std::chrono::steady_clock::now();
  paused_.store(paused);
}

}  // namespace lw::control
