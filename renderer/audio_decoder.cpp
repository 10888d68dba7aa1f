#include "renderer/audio_decoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <memory>

#include "core/base/check.hpp"
#include "renderer/av_check.hpp"

namespace lw::renderer {

namespace {

struct Decoding {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  SwrContext* resample = nullptr;
  AVPacket* packet = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  ~Decoding() {
    av_frame_free(&frame);
    av_packet_free(&packet);
    swr_free(&resample);
    avcodec_free_context(&codec);
    avformat_close_input(&format);
  }
};

// Converts what swr holds or `frame` brings, appending to `out`.
void convert(Decoding& d, const AVFrame* frame, AudioTrack& out) {
  const int in_samples = frame ? frame->nb_samples : 0;
  const int room = swr_get_out_samples(d.resample, in_samples);
  if (room <= 0) return;
  const std::size_t at = out.samples.size();
  out.samples.resize(at + static_cast<std::size_t>(room) * static_cast<std::size_t>(out.channels));
  auto* dst = reinterpret_cast<std::uint8_t*>(out.samples.data() + at);
  const int got = swr_convert(d.resample, &dst, room, frame ? const_cast<const std::uint8_t**>(frame->extended_data) : nullptr, in_samples);
  LW_EXPECT(got >= 0, "resampling audio: " << av_error(got));
  out.samples.resize(at + static_cast<std::size_t>(got) * static_cast<std::size_t>(out.channels));
}

}  // namespace

AudioTrack decode_audio(const std::filesystem::path& path, std::optional<int> sample_rate, std::optional<int> channels) {
  LW_EXPECT(std::filesystem::is_regular_file(path), path.string() << ": no such audio file");
  // A damaged or misnamed file makes the demuxers talk; our one line says it, with FFmpeg's words.
  struct Quiet {
    int before = av_log_get_level();
    Quiet() { av_log_set_level(AV_LOG_QUIET); }
    ~Quiet() { av_log_set_level(before); }
  } quiet;
  Decoding d;
  const std::string name = path.string();
  LW_AV_CHECK(avformat_open_input(&d.format, name.c_str(), nullptr, nullptr), name << ": not an audio file FFmpeg reads");
  LW_AV_CHECK(avformat_find_stream_info(d.format, nullptr), name << ": no stream information");
  const int stream = av_find_best_stream(d.format, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  LW_EXPECT(stream >= 0, name << ": no audio stream");
  const AVCodecParameters* par = d.format->streams[stream]->codecpar;
  const AVCodec* decoder = avcodec_find_decoder(par->codec_id);
  LW_EXPECT(decoder != nullptr, name << ": no decoder for its audio (" << avcodec_get_name(par->codec_id) << ")");
  d.codec = avcodec_alloc_context3(decoder);
  LW_AV_CHECK(avcodec_parameters_to_context(d.codec, par), name);
  LW_AV_CHECK(avcodec_open2(d.codec, decoder, nullptr), name << ": cannot open its decoder");
  if (d.codec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) av_channel_layout_default(&d.codec->ch_layout, d.codec->ch_layout.nb_channels);

  AudioTrack out;
  out.sample_rate = sample_rate.value_or(d.codec->sample_rate);
  out.channels = channels.value_or(d.codec->ch_layout.nb_channels);
  LW_EXPECT(out.sample_rate >= 8000 && out.sample_rate <= 384000 && out.channels >= 1 && out.channels <= 8,
            name << ": " << out.channels << " channels at " << out.sample_rate << " Hz is not audio latentwalk takes");
  AVChannelLayout layout{};
  av_channel_layout_default(&layout, out.channels);
  LW_AV_CHECK(swr_alloc_set_opts2(&d.resample, &layout, AV_SAMPLE_FMT_FLT, out.sample_rate, &d.codec->ch_layout,
                                  d.codec->sample_fmt, d.codec->sample_rate, 0, nullptr),
              name << ": resampling");
  LW_AV_CHECK(swr_init(d.resample), name << ": resampling");
  av_channel_layout_uninit(&layout);

  auto receive = [&] {
    for (;;) {
      const int rc = avcodec_receive_frame(d.codec, d.frame);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      LW_AV_CHECK(rc, name << ": corrupt audio");
      // The resampler was set up for the stream's first format: a stream that changes rate,
      // sample format or channels midway would be read past its planes.
      LW_EXPECT(d.frame->format == d.codec->sample_fmt && d.frame->sample_rate == d.codec->sample_rate &&
                    d.frame->ch_layout.nb_channels == d.codec->ch_layout.nb_channels,
                name << ": the audio changes format midway (" << d.frame->ch_layout.nb_channels << " channels at "
                     << d.frame->sample_rate << " Hz after " << d.codec->ch_layout.nb_channels << " at "
                     << d.codec->sample_rate << "); convert it to one format first");
      convert(d, d.frame, out);
      av_frame_unref(d.frame);
    }
  };
  while (av_read_frame(d.format, d.packet) >= 0) {
    if (d.packet->stream_index == stream) {
      const int rc = avcodec_send_packet(d.codec, d.packet);
      av_packet_unref(d.packet);
      LW_AV_CHECK(rc, name << ": corrupt audio");
      receive();
    } else {
      av_packet_unref(d.packet);
    }
  }
  LW_AV_CHECK(avcodec_send_packet(d.codec, nullptr), name);
  receive();
  convert(d, nullptr, out);  // what the resampler still holds
  LW_EXPECT(!out.samples.empty(), name << ": no audio samples in it");
  return out;
}

}  // namespace lw::renderer
