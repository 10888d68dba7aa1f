#include "app/music_track.hpp"

#include <chrono>
#include <cmath>
#include <optional>
#include <sstream>

#include "core/base/progress.hpp"
#include "renderer/audio_stream.hpp"

namespace lw::app {

MusicTrack load_music_track(const std::filesystem::path& file, bool progress) {
  const auto started = std::chrono::steady_clock::now();
  MusicTrack t;
  t.file = file;
  auto sound = std::make_shared<renderer::AudioTrack>(renderer::decode_audio(file));
  if (renderer::aac_sample_rate(sound->sample_rate) != sound->sample_rate)  // a rate AAC cannot carry
    sound = std::make_shared<renderer::AudioTrack>(renderer::decode_audio(file, renderer::aac_sample_rate(sound->sample_rate)));
  const auto channels = static_cast<std::size_t>(sound->channels);
  std::vector<float> mono(sound->samples.size() / channels);
  for (std::size_t i = 0; i < mono.size(); ++i) {
    float sum = 0.f;
    for (std::size_t c = 0; c < channels; ++c) sum += sound->samples[i * channels + c];
    mono[i] = sum / static_cast<float>(channels);
  }
  AudioAnalysisSettings settings;
  settings.sample_rate = sound->sample_rate;
  std::optional<ProgressBar> bar;
  if (progress && mono.size() > static_cast<std::size_t>(60 * sound->sample_rate)) bar.emplace("analyse", 100, "%");
  t.analysis = std::make_shared<const TrackAnalysis>(analyse_track(mono, settings, [&](double done) {
    if (bar) bar->update(static_cast<std::int64_t>(std::lround(done * 100)));
  }));
  if (bar) bar->finish();
  t.sound = std::move(sound);
  t.analysis_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return t;
}

renderer::AudioTrack cut_sound(const renderer::AudioTrack& sound, double start, double seconds) {
  renderer::AudioTrack out;
  out.sample_rate = sound.sample_rate;
  out.channels = sound.channels;
  const auto channels = static_cast<std::size_t>(sound.channels);
  const auto first = static_cast<std::size_t>(std::llround(std::max(start, 0.0) * sound.sample_rate));
  const auto frames = static_cast<std::size_t>(std::llround(seconds * sound.sample_rate));
  out.samples.assign(frames * channels, 0.f);
  const std::size_t have = sound.samples.size() / channels;
  for (std::size_t i = 0; i < frames && first + i < have; ++i)
    for (std::size_t c = 0; c < channels; ++c) out.samples[i * channels + c] = sound.samples[(first + i) * channels + c];
  return out;
}

std::string describe_track(const MusicTrack& t) {
  std::ostringstream s;
  s.precision(1);
  s << std::fixed << t.file.filename().string() << ": " << t.analysis->seconds << " s, " << t.sound->sample_rate << " Hz "
    << (t.sound->channels == 1 ? "mono" : t.sound->channels == 2 ? "stereo" : std::to_string(t.sound->channels) + " channels");
  if (t.analysis->grid.bpm > 0) s << ", " << t.analysis->grid.bpm << " bpm";
  s << ", " << t.analysis->onsets.size() << " onsets";
  return s.str();
}

}  // namespace lw::app
