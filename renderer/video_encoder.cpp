#include "renderer/video_encoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <cmath>
#include <numeric>

#include "core/base/check.hpp"
#include "renderer/audio_stream.hpp"
#include "renderer/av_check.hpp"
#include "renderer/av_write.hpp"

namespace lw::renderer {


struct VideoEncoder::Impl {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  SwsContext* rgba = nullptr;
  SwsContext* bgra = nullptr;
  bool file_open = false;
  std::filesystem::path path;
  std::shared_ptr<const AudioTrack> audio;
  std::unique_ptr<AudioStream> sound;
  int fps = 30, fps_base = 1;

  ~Impl() {
    sound.reset();
    sws_freeContext(rgba);
    sws_freeContext(bgra);
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&codec);
    if (format && file_open) avio_closep(&format->pb);
    avformat_free_context(format);
  }

  // Sends `f` (null: flush) and writes every packet the encoder has ready.
  void encode(const AVFrame* f) { encode_and_write(format, codec, stream, packet, f, path.string()); }
};

FrameRate frame_rate_of(double fps) {
  LW_EXPECT(std::isfinite(fps) && fps >= 1.0 && fps <= 240.0, "--fps must be between 1 and 240, got " << fps);
  if (fps == std::round(fps)) return {static_cast<int>(fps), 1};
  const double ntsc = fps * 1.001;  // 29.97 -> 30.00
  if (std::abs(ntsc - std::round(ntsc)) < 0.006 && std::abs(fps - std::round(ntsc) * 1000 / 1001) < 0.0051)
    return {static_cast<int>(std::round(ntsc)) * 1000, 1001};
  const double hundredths = fps * 100;
  if (std::abs(hundredths - std::round(hundredths)) < 1e-6) {
    const int num = static_cast<int>(std::round(hundredths)), g = std::gcd(num, 100);
    return {num / g, 100 / g};
  }
  LW_FAIL("--fps " << fps << " is not a rate a video stores exactly: give a whole number, NTSC's 23.976, 29.97 or 59.94, or two decimals");
}

std::string video_container_for(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".mp4") return "mp4";
  if (ext == ".mov") return "mov";
  if (ext == ".mkv") return "matroska";
  LW_FAIL(path.string() << ": a video is written as .mp4, .mov or .mkv (H.264 in each), not \"" << path.extension().string()
                        << "\"");
}

VideoEncoder::VideoEncoder(const std::filesystem::path& path, const VideoSettings& s) : impl_(std::make_unique<Impl>()) {
  LW_EXPECT(s.width > 0 && s.height > 0 && s.width % 2 == 0 && s.height % 2 == 0,
            "video size must be even on both sides (yuv420p), got " << s.width << "x" << s.height);
  LW_EXPECT(s.fps > 0 && s.fps_base > 0 && s.fps <= 240 * s.fps_base,
            "video frame rate must be between 1 and 240, got " << s.fps << "/" << s.fps_base);
  LW_EXPECT(s.crf >= 0 && s.crf <= 51, "--crf must be between 0 and 51, got " << s.crf);
  auto& m = *impl_;
  m.path = path;
  av_log_set_level(AV_LOG_ERROR);  // x264's banner and statistics are not for our users
  const AVCodec* h264 = avcodec_find_encoder_by_name("libx264");
  LW_EXPECT(h264 != nullptr, "this FFmpeg has no libx264 encoder (Debian's libavcodec has one)");
  LW_AV_CHECK(avformat_alloc_output_context2(&m.format, nullptr, s.container.c_str(), path.string().c_str()),
              s.container << " output");
  m.stream = avformat_new_stream(m.format, nullptr);
  LW_EXPECT(m.stream != nullptr, "video output: no stream");
  m.codec = avcodec_alloc_context3(h264);
  LW_EXPECT(m.codec != nullptr, "H.264 encoder: out of memory");
  m.codec->width = s.width;
  m.codec->height = s.height;
  m.codec->pix_fmt = AV_PIX_FMT_YUV420P;
  m.codec->time_base = AVRational{s.fps_base, s.fps};
  m.codec->framerate = AVRational{s.fps, s.fps_base};
  m.codec->gop_size = std::max(1, 2 * s.fps / s.fps_base);
  if (m.format->oformat->flags & AVFMT_GLOBALHEADER) m.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av_opt_set(m.codec->priv_data, "preset", s.speed.c_str(), 0);
  av_opt_set(m.codec->priv_data, "crf", std::to_string(s.crf).c_str(), 0);
  LW_AV_CHECK(avcodec_open2(m.codec, h264, nullptr), "opening the H.264 encoder");
  LW_AV_CHECK(avcodec_parameters_from_context(m.stream->codecpar, m.codec), "video stream parameters");
  m.stream->time_base = m.codec->time_base;
  m.stream->avg_frame_rate = m.codec->framerate;
  m.fps = s.fps, m.fps_base = s.fps_base;
  if (s.audio) {
    m.audio = s.audio;
    m.sound = std::make_unique<AudioStream>(m.format, *s.audio, "aac", 96000 * std::min(s.audio->channels, 2));
  }
  LW_AV_CHECK(avio_open(&m.format->pb, path.string().c_str(), AVIO_FLAG_WRITE), "cannot write " << path.string());
  m.file_open = true;
  LW_AV_CHECK(avformat_write_header(m.format, nullptr), "writing the video header of " << path.string());

  m.frame = av_frame_alloc();
  m.packet = av_packet_alloc();
  LW_EXPECT(m.frame && m.packet, "video encoder: out of memory");
  m.frame->format = AV_PIX_FMT_YUV420P;
  m.frame->width = s.width;
  m.frame->height = s.height;
  LW_AV_CHECK(av_frame_get_buffer(m.frame, 0), "video frame buffer");
  // Full-range sRGB in, BT.601 limited range out: what players assume for untagged H.264.
  m.rgba = sws_getContext(s.width, s.height, AV_PIX_FMT_RGBA, s.width, s.height, AV_PIX_FMT_YUV420P, SWS_BICUBIC,
                          nullptr, nullptr, nullptr);
  m.bgra = sws_getContext(s.width, s.height, AV_PIX_FMT_BGRA, s.width, s.height, AV_PIX_FMT_YUV420P, SWS_BICUBIC,
                          nullptr, nullptr, nullptr);
  LW_EXPECT(m.rgba && m.bgra, "no RGBA to yuv420p conversion");
}

VideoEncoder::~VideoEncoder() = default;

void VideoEncoder::add(const std::uint8_t* pixels, bool bgr, std::int64_t pts) {
  auto& m = *impl_;
  if (pts < 0) pts = next_pts_;
  LW_EXPECT(pts >= next_pts_, "video frames must come in time order");
  LW_AV_CHECK(av_frame_make_writable(m.frame), "video frame");
  const std::uint8_t* src[1] = {pixels};
  const int stride[1] = {m.codec->width * 4};
  sws_scale(bgr ? m.bgra : m.rgba, src, stride, 0, m.codec->height, m.frame->data, m.frame->linesize);
  m.frame->pts = pts;
  next_pts_ = pts + 1;
  ++frames_;
  m.encode(m.frame);
  if (m.sound) m.sound->write_until((pts + 1) * m.fps_base * m.audio->sample_rate / m.fps);  // the sound up to this frame's end
}

void VideoEncoder::finish() {
  auto& m = *impl_;
  m.encode(nullptr);
  if (m.sound) m.sound->finish();
  LW_AV_CHECK(av_write_trailer(m.format), "writing the video trailer of " << m.path.string());
  avio_closep(&m.format->pb);
  m.file_open = false;
}

}  // namespace lw::renderer
