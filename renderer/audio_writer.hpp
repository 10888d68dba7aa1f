// An audio file written through the FFmpeg libraries, as the name says: 16-bit PCM in a .wav,
// FLAC, MP3 (LAME), Ogg Vorbis or AAC in .m4a. Written beside the path and renamed into place when complete (nothing is left at
// the path on an error).
#pragma once

#include <filesystem>

namespace lw::renderer {

struct AudioTrack;

void write_audio_file(const std::filesystem::path& path, const AudioTrack& track);

}  // namespace lw::renderer
