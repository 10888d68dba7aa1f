// The H.264 encoder round trip: frames in, an MP4 a decoder reads back with the frame count,
// codec, pixel format and picture it was given.
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "core/base/check.hpp"
#include "renderer/video_encoder.hpp"
#include "tests/test_paths.hpp"
#include "video_probe.hpp"

namespace lw::renderer {
namespace {
namespace fs = std::filesystem;

// A smooth gradient that moves with the frame index: BGRA bytes as a swapchain holds them.
std::vector<std::uint8_t> gradient(int w, int h, int frame) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = px.data() + (static_cast<std::size_t>(y) * w + x) * 4;
      p[2] = static_cast<std::uint8_t>((x * 255) / (w - 1));                 // R
      p[1] = static_cast<std::uint8_t>((y * 255) / (h - 1));                 // G
      p[0] = static_cast<std::uint8_t>((frame * 40 + x / 2 + y / 2) % 256);  // B
      p[3] = 255;
    }
  return px;
}

TEST(VideoEncoder, WritesH264Yuv420pThatDecodesToTheFramesGiven) {
  const fs::path out = fs::path(LW_TEST_TMP) / "encoder_round_trip.mp4";
  fs::remove(out);
  const int w = 160, h = 96, n = 12;
  {
    VideoEncoder enc(out, VideoSettings{w, h, 24, 18, "veryfast"});
    for (int i = 0; i < n; ++i) enc.add(gradient(w, h, i).data(), true);
    enc.finish();
    EXPECT_EQ(enc.frames(), n);
  }
  const auto p = test::probe_video(out);
  EXPECT_EQ(p.codec, "h264");
  EXPECT_EQ(p.pixel_format, "yuv420p");
  EXPECT_EQ(p.width, w);
  EXPECT_EQ(p.height, h);
  EXPECT_EQ(p.frames, n);
  EXPECT_NEAR(p.fps, 24.0, 1e-6);
  // The first frame as RGB.
  const auto bgra = gradient(w, h, 0);
  std::vector<std::uint8_t> rgb;
  for (std::size_t i = 0; i < bgra.size(); i += 4) rgb.insert(rgb.end(), {bgra[i + 2], bgra[i + 1], bgra[i]});
  EXPECT_GE(test::psnr(p.first_frame, rgb), 35.0);
  fs::remove(out);
}

TEST(VideoEncoder, FrameRatesAreStoredAsExactFractions) {
  EXPECT_EQ(frame_rate_of(30).num, 30);
  EXPECT_EQ(frame_rate_of(30).den, 1);
  for (const auto& [fps, num] : {std::pair{23.976, 24000}, {29.97, 30000}, {59.94, 60000}, {119.88, 120000}}) {
    EXPECT_EQ(frame_rate_of(fps).num, num) << fps;
    EXPECT_EQ(frame_rate_of(fps).den, 1001) << fps;
  }
  EXPECT_EQ(frame_rate_of(12.5).num, 25);
  EXPECT_EQ(frame_rate_of(12.5).den, 2);
  EXPECT_THROW(frame_rate_of(29.1234), Error);
  EXPECT_THROW(frame_rate_of(0.5), Error);
  EXPECT_THROW(frame_rate_of(241), Error);
  // An NTSC video plays at 29.97 frames per second, read back.
  const fs::path out = fs::path(LW_TEST_TMP) / "encoder_ntsc.mp4";
  {
    VideoSettings s{64, 64, 30000};
    s.fps_base = 1001;
    VideoEncoder enc(out, s);
    for (int i = 0; i < 6; ++i) enc.add(gradient(64, 64, i).data(), true);
    enc.finish();
  }
  const auto p = test::probe_video(out);
  EXPECT_EQ(p.frames, 6);
  EXPECT_NEAR(p.fps, 30000.0 / 1001, 1e-6);
  fs::remove(out);
}

TEST(VideoEncoder, RefusesOddSizesAndUnwritablePaths) {
  EXPECT_THROW(VideoEncoder(fs::path(LW_TEST_TMP) / "odd.mp4", VideoSettings{161, 96, 24}), Error);
  EXPECT_FALSE(fs::exists(fs::path(LW_TEST_TMP) / "odd.mp4"));
  EXPECT_THROW(VideoEncoder(fs::path(LW_TEST_TMP) / "no_such_folder" / "x.mp4", VideoSettings{160, 96, 24}), Error);
  EXPECT_THROW(VideoEncoder(fs::path(LW_TEST_TMP) / "bad_crf.mp4", VideoSettings{160, 96, 24, 60}), Error);
}

}  // namespace
}  // namespace lw::renderer
