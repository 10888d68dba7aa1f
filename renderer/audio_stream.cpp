#include "renderer/audio_stream.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
}

#include <algorithm>

#include "core/base/check.hpp"
#include "renderer/audio_decoder.hpp"
#include "renderer/av_check.hpp"
#include "renderer/av_write.hpp"

namespace lw::renderer {

struct AudioStream::Impl {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  SwrContext* convert = nullptr;
  AVFrame* frame = av_frame_alloc();
  AVPacket* packet = av_packet_alloc();
  const AudioTrack* track = nullptr;
  int frame_size = 1024;  // sample frames per encoder frame

  ~Impl() {
    av_packet_free(&packet);
    av_frame_free(&frame);
    swr_free(&convert);
    avcodec_free_context(&codec);
  }

  void encode(const AVFrame* f) { encode_and_write(format, codec, stream, packet, f, "audio"); }

  // Sample frames [from, from + n) of the track as one encoder frame.
  void encode_samples(std::int64_t from, int n) {
    av_frame_unref(frame);
    frame->nb_samples = n;
    frame->format = codec->sample_fmt;
    frame->sample_rate = codec->sample_rate;
    LW_AV_CHECK(av_channel_layout_copy(&frame->ch_layout, &codec->ch_layout), "audio frame");
    LW_AV_CHECK(av_frame_get_buffer(frame, 0), "audio frame");
    const auto* src = reinterpret_cast<const std::uint8_t*>(track->samples.data() + from * track->channels);
    const int got = swr_convert(convert, frame->extended_data, n, &src, n);
    LW_EXPECT(got == n, "converting audio for the encoder: " << (got < 0 ? av_error(got) : "short"));
    frame->pts = from;
    encode(frame);
  }
};

AudioStream::AudioStream(AVFormatContext* format, const AudioTrack& track, const std::string& codec_name, int bit_rate)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.format = format;
  m.track = &track;
  LW_EXPECT(m.frame && m.packet, "audio encoder: out of memory");
  const AVCodec* encoder = avcodec_find_encoder_by_name(codec_name.c_str());
  LW_EXPECT(encoder != nullptr, "this FFmpeg has no " << codec_name << " encoder");
  m.stream = avformat_new_stream(format, nullptr);
  m.codec = avcodec_alloc_context3(encoder);
  LW_EXPECT(m.stream && m.codec, "audio stream: out of memory");
  m.codec->sample_rate = track.sample_rate;
  av_channel_layout_default(&m.codec->ch_layout, track.channels);
  m.codec->sample_fmt = encoder->sample_fmts ? encoder->sample_fmts[0] : AV_SAMPLE_FMT_FLT;
  if (bit_rate > 0) m.codec->bit_rate = bit_rate;
  m.codec->time_base = AVRational{1, track.sample_rate};
  if (format->oformat->flags & AVFMT_GLOBALHEADER) m.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  LW_AV_CHECK(avcodec_open2(m.codec, encoder, nullptr),
              codec_name << " at " << track.sample_rate << " Hz, " << track.channels << " channels");
  if (m.codec->frame_size > 0) m.frame_size = m.codec->frame_size;
  LW_AV_CHECK(avcodec_parameters_from_context(m.stream->codecpar, m.codec), "audio stream parameters");
  m.stream->time_base = m.codec->time_base;
  LW_AV_CHECK(swr_alloc_set_opts2(&m.convert, &m.codec->ch_layout, m.codec->sample_fmt, track.sample_rate, &m.codec->ch_layout,
                                  AV_SAMPLE_FMT_FLT, track.sample_rate, 0, nullptr),
              "audio conversion");
  LW_AV_CHECK(swr_init(m.convert), "audio conversion");
}

AudioStream::~AudioStream() = default;

void AudioStream::write_until(std::int64_t end) {
  auto& m = *impl_;
  const auto total = static_cast<std::int64_t>(m.track->samples.size() / static_cast<std::size_t>(m.track->channels));
  end = std::min(end, total);
  while (end - next_ >= m.frame_size) {
    m.encode_samples(next_, m.frame_size);
    next_ += m.frame_size;
  }
}

void AudioStream::finish() {
  auto& m = *impl_;
  const auto total = static_cast<std::int64_t>(m.track->samples.size() / static_cast<std::size_t>(m.track->channels));
  write_until(total);
  if (next_ < total) {
    const bool short_last = (m.codec->codec->capabilities & (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE)) != 0;
    LW_EXPECT(short_last, "the " << m.codec->codec->name << " encoder cannot take a short last frame");
    m.encode_samples(next_, static_cast<int>(total - next_));
    next_ = total;
  }
  m.encode(nullptr);
}

int aac_sample_rate(int wanted) {
  for (const int rate : {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000})
    if (rate == wanted) return wanted;
  return 48000;
}

}  // namespace lw::renderer
