#include "gui/control/audio_input.hpp"

#include <portaudio.h>

#include <chrono>
#include <sstream>

#include "core/base/check.hpp"
#include "gui/control/portaudio.hpp"
#include "gui/control/quiet_stderr.hpp"

namespace lw::control {

namespace {

constexpr std::size_t kRingSamples = 1 << 17;  // 2.7 s at 48 kHz: the analysis may fall that far behind

}  // namespace

// The device's channels, interleaved: mono as it is, more mixed down in blocks on the stack
// (no allocation in the audio callback).
struct AudioInput::Capture {
  AudioInput* input = nullptr;
  int channels = 1;
};

namespace {

int capture(const void* data, void*, unsigned long frames, const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags,
            void* user) {
  const auto& c = *static_cast<const AudioInput::Capture*>(user);
  const auto* in = static_cast<const float*>(data);
  if (!in) return paContinue;
  if (c.channels == 1) {
    c.input->push({in, frames});
    return paContinue;
  }
  float mono[256];
  for (unsigned long at = 0; at < frames; at += 256) {
    const unsigned long n = std::min<unsigned long>(256, frames - at);
    for (unsigned long i = 0; i < n; ++i) {
      float sum = 0.f;
      for (int ch = 0; ch < c.channels; ++ch) sum += in[(at + i) * static_cast<unsigned long>(c.channels) + static_cast<unsigned long>(ch)];
      mono[i] = sum / static_cast<float>(c.channels);
    }
    c.input->push({mono, n});
  }
  return paContinue;
}

}  // namespace

AudioInput::AudioInput(const AudioAnalysisSettings& settings)
    : settings_(settings), ring_(kRingSamples), features_(std::make_unique<Features>()) {
  AudioAnalyzer check(settings_);  // settings aubio cannot take fail here, not on the thread
  thread_ = std::thread([this] { run(); });
}

std::unique_ptr<AudioInput> AudioInput::open_device(const std::string& device, AudioAnalysisSettings settings) {
  start_portaudio();
  PaDeviceIndex chosen = paNoDevice;
  std::ostringstream listed;
  for (PaDeviceIndex i = 0; i < Pa_GetDeviceCount(); ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (!info || info->maxInputChannels < 1) continue;
    listed << (listed.tellp() > 0 ? ", " : "") << "\"" << info->name << "\"";
    if (chosen == paNoDevice && std::string(info->name).find(device) != std::string::npos) chosen = i;
  }
  if (device == "default") chosen = Pa_GetDefaultInputDevice();
  LW_EXPECT(listed.tellp() > 0, "audio input: this machine has no audio input device");
  LW_EXPECT(chosen != paNoDevice, "audio input: no input device matches \"" << device << "\"; there are " << listed.str());
  const PaDeviceInfo* info = Pa_GetDeviceInfo(chosen);
  settings.sample_rate = static_cast<int>(info->defaultSampleRate);
  auto input = std::make_unique<AudioInput>(settings);
  PaStreamParameters in{};
  in.device = chosen;
  in.channelCount = std::min(2, info->maxInputChannels);  // many devices open in stereo only
  in.sampleFormat = paFloat32;
  in.suggestedLatency = info->defaultLowInputLatency;
  PaStream* stream = nullptr;
  input->capture_ = std::make_unique<Capture>(Capture{input.get(), in.channelCount});
  input->source_ = std::string(info->name) + (in.channelCount > 1 ? " (stereo, mixed to mono)" : "");
  const PaError opened = [&] {
    QuietStderr quiet;
    return Pa_OpenStream(&stream, &in, nullptr, info->defaultSampleRate, paFramesPerBufferUnspecified, paNoFlag, capture,
                         input->capture_.get());
  }();
  LW_EXPECT(opened == paNoError, "audio input: cannot open \"" << info->name << "\" (" << Pa_GetErrorText(opened) << ")");
  input->stream_ = stream;
  const PaError started = Pa_StartStream(stream);
  LW_EXPECT(started == paNoError, "audio input: cannot start \"" << info->name << "\" (" << Pa_GetErrorText(started) << ")");
  return input;
}

AudioInput::~AudioInput() {
  if (stream_) {
    Pa_StopStream(static_cast<PaStream*>(stream_));
    Pa_CloseStream(static_cast<PaStream*>(stream_));
  }
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

std::size_t AudioInput::available() const { return written_.load(std::memory_order_acquire) - read_.load(std::memory_order_relaxed); }

void AudioInput::push(std::span<const float> samples) {
  const std::size_t w = written_.load(std::memory_order_relaxed);
  const std::size_t room = ring_.size() - (w - read_.load(std::memory_order_acquire));
  const std::size_t n = std::min(room, samples.size());
  for (std::size_t i = 0; i < n; ++i) ring_[(w + i) & (ring_.size() - 1)] = samples[i];
  written_.store(w + n, std::memory_order_release);
  if (n < samples.size()) dropped_.fetch_add(samples.size() - n, std::memory_order_relaxed);
}

void AudioInput::run() {
  AudioAnalyzer analyzer(settings_);
  const auto hop = static_cast<std::size_t>(settings_.hop);
  std::vector<float> block(hop);
  // A quarter of a hop between looks: features arrive within ~3 ms of their samples.
  const auto nap = std::chrono::microseconds(static_cast<long long>(250000.0 * static_cast<double>(hop) / settings_.sample_rate));
  while (!stop_.load()) {
    if (available() < hop) {
      std::this_thread::sleep_for(nap);
      continue;
    }
    const std::size_t r = read_.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < hop; ++i) block[i] = ring_[(r + i) & (ring_.size() - 1)];
    read_.store(r + hop, std::memory_order_release);
    if (!features_->push(analyzer.process(block))) features_dropped_.fetch_add(1, std::memory_order_relaxed);
    hops_.fetch_add(1, std::memory_order_release);
  }
}

void AudioInput::drain() const {
  const auto whole_hops = written_.load(std::memory_order_acquire) / static_cast<std::size_t>(settings_.hop);
  while (hops_.load(std::memory_order_acquire) < whole_hops) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace lw::control
