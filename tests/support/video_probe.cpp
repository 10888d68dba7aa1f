#include "video_probe.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <cmath>
#include <memory>
#include <stdexcept>

namespace lw::test {

VideoProbe probe_video(const std::filesystem::path& path) {
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.string().c_str(), nullptr, nullptr) < 0)
    throw std::runtime_error("cannot open " + path.string() + " as a video");
  std::unique_ptr<AVFormatContext, void (*)(AVFormatContext*)> fmt_owner(fmt, [](AVFormatContext* f) { avformat_close_input(&f); });
  if (avformat_find_stream_info(fmt, nullptr) < 0) throw std::runtime_error("no stream info in " + path.string());
  const int s = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (s < 0) throw std::runtime_error("no video stream in " + path.string());
  const AVStream* stream = fmt->streams[s];
  const AVCodec* dec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!dec) throw std::runtime_error("no decoder");
  std::unique_ptr<AVCodecContext, void (*)(AVCodecContext*)> ctx(avcodec_alloc_context3(dec),
                                                                 [](AVCodecContext* c) { avcodec_free_context(&c); });
  avcodec_parameters_to_context(ctx.get(), stream->codecpar);
  if (avcodec_open2(ctx.get(), dec, nullptr) < 0) throw std::runtime_error("cannot open the decoder");

  VideoProbe p;
  p.container = fmt->iformat->name;
  p.codec = avcodec_get_name(stream->codecpar->codec_id);
  const char* pf = av_get_pix_fmt_name(static_cast<AVPixelFormat>(stream->codecpar->format));
  p.pixel_format = pf ? pf : "?";
  p.width = stream->codecpar->width;
  p.height = stream->codecpar->height;
  p.fps = av_q2d(stream->r_frame_rate);

  std::unique_ptr<AVPacket, void (*)(AVPacket*)> pkt(av_packet_alloc(), [](AVPacket* k) { av_packet_free(&k); });
  std::unique_ptr<AVFrame, void (*)(AVFrame*)> frame(av_frame_alloc(), [](AVFrame* f) { av_frame_free(&f); });
  auto drain = [&] {
    while (avcodec_receive_frame(ctx.get(), frame.get()) >= 0) {
      if (p.frames++ == 0) {
        SwsContext* sws = sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
                                         frame->width, frame->height, AV_PIX_FMT_RGB24, SWS_BICUBIC, nullptr, nullptr, nullptr);
        p.first_frame.resize(static_cast<std::size_t>(frame->width) * frame->height * 3);
        std::uint8_t* dst[1] = {p.first_frame.data()};
        const int stride[1] = {frame->width * 3};
        sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, stride);
        sws_freeContext(sws);
      }
      av_frame_unref(frame.get());
    }
  };
  // The audio stream, decoded alongside.
  const int a = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  std::unique_ptr<AVCodecContext, void (*)(AVCodecContext*)> actx(nullptr, [](AVCodecContext* c) { avcodec_free_context(&c); });
  std::int64_t samples = 0;
  if (a >= 0) {
    const AVStream* audio = fmt->streams[a];
    const AVCodec* adec = avcodec_find_decoder(audio->codecpar->codec_id);
    if (!adec) throw std::runtime_error("no audio decoder");
    actx.reset(avcodec_alloc_context3(adec));
    avcodec_parameters_to_context(actx.get(), audio->codecpar);
    if (avcodec_open2(actx.get(), adec, nullptr) < 0) throw std::runtime_error("cannot open the audio decoder");
    p.audio_codec = avcodec_get_name(audio->codecpar->codec_id);
    p.sample_rate = audio->codecpar->sample_rate;
    p.channels = audio->codecpar->ch_layout.nb_channels;
    if (audio->duration != AV_NOPTS_VALUE) p.audio_stream_seconds = static_cast<double>(audio->duration) * av_q2d(audio->time_base);
  }
  auto drain_audio = [&] {
    while (avcodec_receive_frame(actx.get(), frame.get()) >= 0) {
      samples += frame->nb_samples;
      av_frame_unref(frame.get());
    }
  };
  while (av_read_frame(fmt, pkt.get()) >= 0) {
    if (pkt->stream_index == s) {
      avcodec_send_packet(ctx.get(), pkt.get());
      drain();
    } else if (a >= 0 && pkt->stream_index == a) {
      avcodec_send_packet(actx.get(), pkt.get());
      drain_audio();
    }
    av_packet_unref(pkt.get());
  }
  avcodec_send_packet(ctx.get(), nullptr);
  drain();
  if (a >= 0) {
    avcodec_send_packet(actx.get(), nullptr);
    drain_audio();
    p.audio_decoded_seconds = static_cast<double>(samples) / p.sample_rate;
  }
  return p;
}

double psnr(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  if (a.size() != b.size() || a.empty()) throw std::runtime_error("psnr: images differ in size");
  double se = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
    se += d * d;
  }
  const double mse = se / static_cast<double>(a.size());
  return mse == 0.0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace lw::test
