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

void write_audio_file(const std::filesystem::path& path, const AudioTrack& track) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  LW_EXPECT(ext == ".wav" || ext == ".flac", path.string() << ": audio is written as .wav or .flac");
  LW_EXPECT(track.channels > 0 && track.sample_rate > 0, path.string() << ": no audio to write");
  AtomicFile file(path);
  const std::string temp = file.temp_path().string();
  AVFormatContext* format = nullptr;
  LW_AV_CHECK(avformat_alloc_output_context2(&format, nullptr, ext == ".wav" ? "wav" : "flac", temp.c_str()), path.string());
  struct Close {
    AVFormatContext* format;
    bool open = false;
    ~Close() {
      if (open) avio_closep(&format->pb);
      avformat_free_context(format);
    }
  } close{format};
  {
    AudioStream stream(format, track, ext == ".wav" ? "pcm_s16le" : "flac", 0);
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
