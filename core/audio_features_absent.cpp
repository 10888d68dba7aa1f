// AudioAnalyzer in a build without aubio (-DLW_WITH_AUDIO_ANALYSIS=OFF): Debian's aubio links
// FFmpeg, which a GPU machine without a package registry does not carry. Everything else of
// latentwalk works there; whatever needs sound analysed (live audio input, a track's analysis for a
// music video) stops with this one line instead of failing to link or load.
#include "core/audio_features.hpp"

#include "core/base/check.hpp"

namespace lw {

struct AudioAnalyzer::Aubio {};

namespace {
[[noreturn]] void not_built() {
  throw Error("this latentwalk was built without audio analysis (aubio): configure it with "
              "-DLW_WITH_AUDIO_ANALYSIS=ON where Debian's libaubio-dev is installed");
}
}  // namespace

AudioAnalyzer::AudioAnalyzer(const AudioAnalysisSettings& s) : settings_(s) { not_built(); }
AudioAnalyzer::~AudioAnalyzer() = default;
AudioFeatures AudioAnalyzer::process(std::span<const float>) { not_built(); }

}  // namespace lw
