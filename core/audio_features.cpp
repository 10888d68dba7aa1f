#include "core/audio_features.hpp"

#include <aubio/aubio.h>

#include <cmath>

#include "core/base/check.hpp"

namespace lw {

struct AudioAnalyzer::Aubio {
  fvec_t* in = nullptr;
  fvec_t* onset_out = nullptr;
  fvec_t* beat_out = nullptr;
  cvec_t* spectrum = nullptr;
  aubio_pvoc_t* pvoc = nullptr;
  aubio_onset_t* onset = nullptr;
  aubio_tempo_t* tempo = nullptr;
  ~Aubio() {
    if (tempo) del_aubio_tempo(tempo);
    if (onset) del_aubio_onset(onset);
    if (pvoc) del_aubio_pvoc(pvoc);
    if (spectrum) del_cvec(spectrum);
    if (beat_out) del_fvec(beat_out);
    if (onset_out) del_fvec(onset_out);
    if (in) del_fvec(in);
  }
};

AudioAnalyzer::AudioAnalyzer(const AudioAnalysisSettings& s) : settings_(s), aubio_(std::make_unique<Aubio>()) {
  LW_EXPECT(s.sample_rate >= 8000 && s.sample_rate <= 384000, "audio sample rate must be between 8000 and 384000 Hz, got " << s.sample_rate);
  LW_EXPECT(s.window >= 64 && (s.window & (s.window - 1)) == 0, "the analysis window must be a power of two, at least 64, got " << s.window);
  LW_EXPECT(s.hop >= 16 && s.hop <= s.window, "the analysis hop must be between 16 and the window, got " << s.hop);
  const auto win = static_cast<uint_t>(s.window), hop = static_cast<uint_t>(s.hop), sr = static_cast<uint_t>(s.sample_rate);
  auto& a = *aubio_;
  a.in = new_fvec(hop);
  a.onset_out = new_fvec(1);
  a.beat_out = new_fvec(2);
  a.spectrum = new_cvec(win);
  a.pvoc = new_aubio_pvoc(win, hop);
  // High-frequency content: aubio's "specflux" reported some 250 onsets on a 40-click metronome
  // over a faint hum (tests/core/audio_features_test.cpp); HFC finds each click once.
  a.onset = new_aubio_onset("hfc", win, hop, sr);
  a.tempo = new_aubio_tempo("default", win, hop, sr);
  LW_CHECK(a.in && a.onset_out && a.beat_out && a.spectrum && a.pvoc && a.onset && a.tempo, "aubio did not start");
  aubio_onset_set_threshold(a.onset, static_cast<smpl_t>(s.onset_threshold));
  aubio_onset_set_minioi_s(a.onset, static_cast<smpl_t>(s.refractory));
  // An onset is confirmed when its frame's centre (half a window back) has passed the peak
  // picker (one hop more), wherever in its hop it began (half a hop on average): aubio's own
  // guess of that lag put onsets 17 ms early on a metronome.
  aubio_onset_set_delay(a.onset, static_cast<uint_t>(s.window / 2 + 3 * s.hop / 2));
}

AudioAnalyzer::~AudioAnalyzer() = default;

AudioFeatures AudioAnalyzer::process(std::span<const float> hop) {
  LW_CHECK(static_cast<int>(hop.size()) == settings_.hop, "an analysis hop is " << settings_.hop << " samples, got " << hop.size());
  auto& a = *aubio_;
  AudioFeatures f;
  double sum = 0.0;
  for (std::size_t i = 0; i < hop.size(); ++i) {
    const float x = std::isfinite(hop[i]) ? hop[i] : 0.f;  // a broken device must not poison the state
    a.in->data[i] = x;
    sum += static_cast<double>(x) * x;
  }
  f.level = std::sqrt(sum / static_cast<double>(hop.size()));
  // Bands from the Hann-windowed spectrum: a sine of amplitude A spreads A^2 N^2 3/32 of power
  // over its bins (Parseval, with the window's sum of squares 3N/8), so the root of a band's
  // power times sqrt(32/3)/N reads as A.
  aubio_pvoc_do(a.pvoc, a.in, a.spectrum);
  const double hz_per_bin = static_cast<double>(settings_.sample_rate) / settings_.window;
  const double scale = std::sqrt(32.0 / 3.0) / settings_.window;
  double bass = 0.0, mid = 0.0, high = 0.0;
  for (uint_t k = 1; k < a.spectrum->length; ++k) {
    const double hz = k * hz_per_bin, power = static_cast<double>(a.spectrum->norm[k]) * a.spectrum->norm[k];
    if (hz < 20.0) continue;
    (hz < 150.0 ? bass : hz < 2000.0 ? mid : high) += power;
  }
  f.bass = std::sqrt(bass) * scale, f.mid = std::sqrt(mid) * scale, f.high = std::sqrt(high) * scale;
  aubio_onset_do(a.onset, a.in, a.onset_out);
  // No onset before a whole window has been heard: the start of the stream is not one.
  f.onset = a.onset_out->data[0] != 0.f && samples_ + settings_.hop > settings_.window;
  if (f.onset) f.onset_time = aubio_onset_get_last_s(a.onset);
  aubio_tempo_do(a.tempo, a.in, a.beat_out);
  f.beat = a.beat_out->data[0] != 0.f;
  if (f.beat) {
    f.beat_time = aubio_tempo_get_last_s(a.tempo);
    beats_.push_back(f.beat_time);
    if (beats_.size() > kTempoBeats) beats_.pop_front();
  }
  // aubio's estimate moves in steps of its lag grid (121.5 for a 120 metronome at hop 512); the
  // span of the last beats it placed averages those steps out.
  f.bpm = beats_.size() >= 4 && beats_.back() > beats_.front()
              ? 60.0 * static_cast<double>(beats_.size() - 1) / (beats_.back() - beats_.front())
              : aubio_tempo_get_bpm(a.tempo);
  samples_ += settings_.hop;
  f.time = static_cast<double>(samples_) / settings_.sample_rate;
  return f;
}

}  // namespace lw
