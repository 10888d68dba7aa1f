// One encoder's output into a file being muxed: send a frame (null: flush), then write every
// packet the encoder has ready, stamped in the stream's time base and interleaved with the
// file's other streams. The video and audio streams share it. Internal to renderer.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <string>

#include "renderer/av_check.hpp"

namespace lw::renderer {

inline void encode_and_write(AVFormatContext* format, AVCodecContext* codec, AVStream* stream, AVPacket* packet,
                             const AVFrame* frame, const std::string& what) {
  LW_AV_CHECK(avcodec_send_frame(codec, frame), "encoding " << what);
  for (;;) {
    const int rc = avcodec_receive_packet(codec, packet);
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
    LW_AV_CHECK(rc, "encoding " << what);
    av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
    packet->stream_index = stream->index;
    LW_AV_CHECK(av_interleaved_write_frame(format, packet), "writing " << what);
  }
}

}  // namespace lw::renderer
