#include "renderer/audio_writer.hpp"

extern "C" {
#include <libavformat/avformat.h>
}

#include <cctype>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "renderer/audio_decoder.hpp"
#include "renderer/audio_stream.hpp"
#include "renderer/av_check.hpp"

namespace lw::renderer {

namespace {

struct AudioFormat {
  const char* extension;
  const char* muxer;
  const char* encoder;
  int bit_rate;  // per channel; 0: lossless
};

// What each name writes: PCM and FLAC lossless; MP3, Ogg Vorbis and AAC at a transparent rate.
constexpr AudioFormat kFormats[] = {{".wav", "wav", "pcm_s16le", 0},     {".flac", "flac", "flac", 0},
                                    {".mp3", "mp3", "libmp3lame", 96000}, {".ogg", "ogg", "libvorbis", 80000},
                                    {".m4a", "ipod", "aac", 96000}};

}  // namespace

void write_audio_file(const std::filesystem::path& path, const AudioTrack& track) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const AudioFormat* f = nullptr;
  for (const AudioFormat& candidate : kFormats)
    if (ext == candidate.extension) f = &candidate;
  LW_EXPECT(f != nullptr, path.string() << ": audio is written as .wav, .flac, .mp3, .ogg or .m4a");
  LW_EXPECT(track.channels > 0 && track.sample_rate > 0, path.string() << ": no audio to write");
  AtomicFile file(path);
  const std::string temp = file.temp_path().string();
  AVFormatContext* format = nullptr;
  LW_AV_CHECK(avformat_alloc_output_context2(&format, nullptr, f->muxer, temp.c_str()), path.string());
  struct Close {
    AVFormatContext* format;
    bool open = false;
    ~Close() {
      if (open) avio_closep(&format->pb);
      avformat_free_context(format);
    }
  } close{format};
  {
    AudioStream stream(format, track, f->encoder, f->bit_rate * track.channels);
    LW_AV_CHECK(avio_open(&format->pb, temp.c_str(), AVIO_FLAG_WRITE), "cannot write " << path.string());
    close.open = true;
    LW_AV_CHECK(avformat_write_header(format, nullptr), "writing " << path.string());
    stream.finish();
    LW_AV_CHECK(av_write_trailer(format), "writing " << path.string());
  }
  avio_closep(&format->pb);
  close.open = false;
  file.commit();
}

}  // namespace lw::renderer
