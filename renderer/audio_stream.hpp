// An audio stream of a file being written through libavformat: a track's samples (interleaved
// float) converted by libswresample to what the encoder takes (AAC in a video, PCM in a WAV, FLAC)
// and encoded a frame at a time as the caller asks for them, timestamped by sample, so a video's
// sound is written alongside its pictures. Internal to renderer: the video encoder and the audio
// file writer share it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

struct AVFormatContext;

namespace lw::renderer {

struct AudioTrack;

class AudioStream {
 public:
  // Adds the stream to `format` (before its header is written) with the encoder `codec_name`;
  // `track` must outlive this. Throws lw::Error when the encoder is missing or refuses the rate.
  AudioStream(AVFormatContext* format, const AudioTrack& track, const std::string& codec_name, int bit_rate);
  ~AudioStream();
  AudioStream(const AudioStream&) = delete;
  AudioStream& operator=(const AudioStream&) = delete;

  // Encodes the track's sample frames up to `end` (clamped to the track) in whole encoder frames.
  void write_until(std::int64_t end);
  // Encodes what is left, the last frame short, and flushes the encoder.
  void finish();
  std::int64_t written() const { return next_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::int64_t next_ = 0;  // the first sample frame not yet encoded
};

// The sample rates FFmpeg's AAC encoder takes: `wanted` when it is one, else 48000.
int aac_sample_rate(int wanted);

}  // namespace lw::renderer
