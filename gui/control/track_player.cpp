#include "gui/control/track_player.hpp"

#include <portaudio.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/base/check.hpp"
#include "gui/control/portaudio.hpp"
#include "gui/control/quiet_stderr.hpp"

namespace lw::control {

// Written by the device callback only; read by position() through a sequence count (odd while
// the callback writes), so the callback never waits.
struct TrackPlayer::Playback {
  const float* samples = nullptr;
  std::size_t frames = 0, first = 0;
  int channels = 0;
  std::atomic<std::uint64_t> handed{0};  // frames handed to the device since the start
  std::atomic<double> dac_time{0.0};     // when the newest buffer's first frame reaches the speaker
  std::atomic<std::uint64_t> handed_before{0};  // frames handed before that buffer
  std::atomic<std::uint64_t> sequence{0};
  std::atomic<bool> paused{true};
};

namespace {

int play(const void*, void* output, unsigned long n, const PaStreamCallbackTimeInfo* time, PaStreamCallbackFlags, void* user) {
  auto& p = *static_cast<TrackPlayer::Playback*>(user);
  auto* out = static_cast<float*>(output);
  const auto channels = static_cast<std::size_t>(p.channels);
  if (p.paused.load(std::memory_order_relaxed)) {
    std::memset(out, 0, n * channels * sizeof(float));
    return paContinue;
  }
  const std::uint64_t handed = p.handed.load(std::memory_order_relaxed);
  p.sequence.fetch_add(1, std::memory_order_acq_rel);
  p.dac_time.store(time ? time->outputBufferDacTime : 0.0, std::memory_order_relaxed);
  p.handed_before.store(handed, std::memory_order_relaxed);
  p.sequence.fetch_add(1, std::memory_order_acq_rel);
  std::size_t at = static_cast<std::size_t>((p.first + handed) % p.frames);
  for (unsigned long i = 0; i < n; ++i) {
    std::memcpy(out + i * channels, p.samples + at * channels, channels * sizeof(float));
    at = at + 1 == p.frames ? 0 : at + 1;  // looping
  }
  p.handed.store(handed + n, std::memory_order_release);
  return paContinue;
}

}  // namespace

TrackPlayer::TrackPlayer(std::vector<float> samples, int rate, int channels, double start, bool output)
    : samples_(std::move(samples)), rate_(rate), channels_(channels) {
  LW_EXPECT(rate > 0 && channels > 0 && samples_.size() >= static_cast<std::size_t>(channels),
            "a track to play needs samples, a rate and channels");
  frames_ = samples_.size() / static_cast<std::size_t>(channels);
  playback_ = std::make_unique<Playback>();
  playback_->samples = samples_.data(), playback_->frames = frames_, playback_->channels = channels;
  playback_->first = static_cast<std::size_t>(std::clamp(start, 0.0, seconds()) * rate) % frames_;
  silent_at_ = static_cast<double>(playback_->first) / rate;
  since_ = std::chrono::steady_clock::now();
  if (!output) {
    device_ = "no output asked for";
    return;
  }
  try {
    start_portaudio();
  } catch (const std::exception& e) {
    device_ = e.what();
    return;
  }
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
  PaError rc = [&] {
    QuietStderr quiet;
    return Pa_OpenStream(&stream, nullptr, &out, rate, paFramesPerBufferUnspecified, paNoFlag, play, playback_.get());
  }();
  if (rc == paNoError) rc = Pa_StartStream(stream);
  if (rc != paNoError) {
    device_ = std::string("\"") + info->name + "\" did not start (" + Pa_GetErrorText(rc) + ")";
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
  const double length = seconds(), start = static_cast<double>(playback_->first) / rate_;
  if (!stream_) {
    double at = silent_at_;
    if (!paused_.load()) at += std::chrono::duration<double>(std::chrono::steady_clock::now() - since_).count();
    return std::fmod(at, length);
  }
  const Playback& p = *playback_;
  // What reaches the speaker now: the frames handed before the newest buffer, plus the time since
  // that buffer's first frame began to play (within the buffer; none before it starts).
  double heard = 0.0;
  for (;;) {
    const std::uint64_t seq = p.sequence.load(std::memory_order_acquire);
    if (seq % 2 != 0) continue;
    const double dac = p.dac_time.load(std::memory_order_relaxed);
    const auto before = static_cast<double>(p.handed_before.load(std::memory_order_relaxed));
    const auto handed = static_cast<double>(p.handed.load(std::memory_order_relaxed));
    if (p.sequence.load(std::memory_order_acquire) != seq) continue;
    const double now = Pa_GetStreamTime(static_cast<PaStream*>(stream_));
    heard = dac > 0.0 && now > 0.0 ? std::clamp(before / rate_ + (now - dac), before / rate_, handed / rate_)
                                   : std::max(0.0, handed / rate_ - latency_);  // no device clock: the buffers, less latency
    break;
  }
  return std::fmod(start + heard, length);
}

void TrackPlayer::pause(bool paused) {
  playback_->paused.store(paused);
  if (paused == paused_.load()) return;
  if (paused) silent_at_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - since_).count();
  since_ = std::chrono::steady_clock::now();
  paused_.store(paused);
}

}  // namespace lw::control
