// Audio files through the FFmpeg libraries: WAV, FLAC, MP3, AAC, Ogg and whatever else this
// FFmpeg decodes, to float samples at a chosen rate and channel count (libswresample).
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

namespace lw::renderer {

struct AudioTrack {
  int sample_rate = 0;
  int channels = 0;
  std::vector<float> samples;  // interleaved, [-1, 1]
  double seconds() const { return channels > 0 && sample_rate > 0 ? static_cast<double>(samples.size()) / channels / sample_rate : 0.0; }
};

// Decodes the file's first audio stream, resampled to `sample_rate` and mixed to `channels`
// (each defaults to the file's own). Throws lw::Error naming the file when it is missing, not
// audio, or corrupt.
AudioTrack decode_audio(const std::filesystem::path& path, std::optional<int> sample_rate = std::nullopt,
                        std::optional<int> channels = std::nullopt);

}  // namespace lw::renderer
