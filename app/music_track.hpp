// A track for a music video or a live set: decoded once at its own rate and channels (a rate AAC
// takes), its mono mix analysed ahead (core's TrackAnalysis), and the stretch a video holds cut
// out of it, silence after the end.
#pragma once

#include <filesystem>
#include <memory>

#include "core/track_analysis.hpp"
#include "renderer/audio_decoder.hpp"

namespace lw::app {

struct MusicTrack {
  std::filesystem::path file;
  std::shared_ptr<const renderer::AudioTrack> sound;  // interleaved, as the file has it
  std::shared_ptr<const TrackAnalysis> analysis;
  double analysis_seconds = 0.0;  // how long decoding and analysing took
};

// Decodes and analyses `file`; `progress` draws a bar on stderr. Throws lw::Error naming the
// file when it does not decode.
MusicTrack load_music_track(const std::filesystem::path& file, bool progress);
// `seconds` of the sound from `start` on, silence where the track has ended.
renderer::AudioTrack cut_sound(const renderer::AudioTrack& sound, double start, double seconds);
// "beat.flac: 16.0 s, 44100 Hz stereo, 120.0 bpm, 64 onsets": what a run says about its track.
std::string describe_track(const MusicTrack& track);

}  // namespace lw::app
