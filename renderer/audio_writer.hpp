// An audio file written through the FFmpeg libraries: 16-bit PCM in a .wav, or .flac, as the
// name says. Written beside the path and renamed into place when complete (nothing is left at
// the path on an error).
#pragma once

#include <filesystem>

namespace lw::renderer {

struct AudioTrack;

void write_audio_file(const std::filesystem::path& path, const AudioTrack& track);

}  // namespace lw::renderer
