// Real frames on lavapipe through the path a window uses: the host staging sink, the tile pass,
// frames in flight and readback, with validation on and failing the test on any message.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <vector>

#include "core/base/check.hpp"
#include "interop/host_staging_sink.hpp"
#include "renderer/context.hpp"
#include "tests/support/test_validation.hpp"
#include "renderer/frame_renderer.hpp"
#include "renderer/offscreen_target.hpp"

namespace lw::renderer {
namespace {

ContextOptions validated() {
  ContextOptions o;
  o.validation = test::validate_vulkan();
  return o;
}

// Planar [batch, 3, h, w] in [-1, 1], each image filled with one RGB8 colour.
std::vector<float> uniform_batch(const std::vector<std::array<int, 3>>& colours, int h, int w) {
  std::vector<float> out;
  for (const auto& c : colours)
    for (int ch = 0; ch < 3; ++ch) out.insert(out.end(), static_cast<std::size_t>(h) * w, c[ch] / 255.f * 2.f - 1.f);
  return out;
}

struct Captured {
  std::map<std::uint64_t, std::vector<std::uint8_t>> frames;  // RGBA
  std::uint32_t width = 0, height = 0;
  const std::uint8_t* px(std::uint64_t f, std::uint32_t x, std::uint32_t y) const {
    return frames.at(f).data() + (static_cast<std::size_t>(y) * width + x) * 4;
  }
};

class HeadlessFrame : public ::testing::Test {
 protected:
  void SetUp() override {
    context = std::make_unique<Context>(validated());
    target = std::make_unique<OffscreenTarget>(context->vulkan_device(), 96, 48, 2);
    sink = std::make_unique<interop::HostStagingSink>(context->vulkan_device(), 2);
    frames = std::make_unique<FrameRenderer>(*context, *target, *sink, 2);
    frames->on_readback([this](std::uint64_t f, const ReadbackImage& image) {
      captured.width = image.width;
      captured.height = image.height;
      auto& rgba = captured.frames[f];
      rgba.assign(image.pixels, image.pixels + static_cast<std::size_t>(image.width) * image.height * 4);
      if (image.bgr)
        for (std::size_t i = 0; i < rgba.size(); i += 4) std::swap(rgba[i], rgba[i + 2]);
    });
  }
  void TearDown() override {
    if (!context) return;  // SetUp failed (no Vulkan driver): the failure is already reported
    frames.reset();
    sink.reset();
    target.reset();
    EXPECT_EQ(context->validation_errors() + context->validation_warnings(), 0)
        << ::testing::PrintToString(context->validation_messages());
    context.reset();
  }
  void draw(const std::vector<float>* batch, int tiles, int h, int w, const std::vector<Rect>& rects) {
    ASSERT_TRUE(frames->begin_frame());
    if (batch) sink->write(interop::ImageView{batch->data(), tiles, h, w, -1.f, 1.f}, frames->slot());
    FrameContent content;
    content.tiles = rects;
    content.readback = true;
    frames->end_frame(content);
  }

  std::unique_ptr<Context> context;
  std::unique_ptr<OffscreenTarget> target;
  std::unique_ptr<interop::HostStagingSink> sink;
  std::unique_ptr<FrameRenderer> frames;
  Captured captured;
};

TEST_F(HeadlessFrame, TwoTilesLandWhereTheLayoutPutsThem) {
  frames->configure_sink(2, 8, 8);
  const auto batch = uniform_batch({{255, 0, 0}, {0, 0, 255}}, 8, 8);
  const std::vector<Rect> rects{{0, 0, 48, 48}, {56, 8, 32, 32}};
  draw(&batch, 2, 8, 8, rects);
  frames->finish();
  ASSERT_EQ(captured.frames.size(), 1u);
  EXPECT_EQ(captured.width, 96u);
  const auto* red = captured.px(0, 24, 24);
  EXPECT_EQ(red[0], 255);
  EXPECT_EQ(red[1], 0);
  EXPECT_EQ(red[2], 0);
  const auto* blue = captured.px(0, 72, 24);
  EXPECT_EQ(blue[2], 255);
  EXPECT_EQ(blue[0], 0);
  const auto* gap = captured.px(0, 52, 24);  // between the tiles: the background
  EXPECT_LT(gap[0], 30);
  EXPECT_LT(gap[2], 30);
  const auto* letterbox = captured.px(0, 72, 2);  // above the second tile
  EXPECT_LT(letterbox[2], 30);
}

TEST_F(HeadlessFrame, AnyImageSizeIsSampledBilinearlyAcrossItsTile) {
  // A 3 x 5 image (height x width): a horizontal ramp in red, 0 -> 255.
  const int h = 3, w = 5;
  frames->configure_sink(1, h, w);
  std::vector<float> ramp(3 * h * w, -1.f);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) ramp[static_cast<std::size_t>(y * w + x)] = x / 4.f * 2.f - 1.f;
  draw(&ramp, 1, h, w, {{0, 0, 96, 48}});
  frames->finish();
  // Texel centres sit at (x + 0.5) / 5 of the width; bilinear values in between.
  EXPECT_EQ(captured.px(0, 0, 24)[0], 0);             // clamped at the left edge
  EXPECT_EQ(captured.px(0, 95, 24)[0], 255);          // and at the right
  const int mid = captured.px(0, 48, 24)[0];          // the middle texel: 127.5
  EXPECT_NEAR(mid, 128, 2);
  const int quarter = captured.px(0, 29, 24)[0];      // between texels 1 and 2
  EXPECT_GT(quarter, 64);
  EXPECT_LT(quarter, 128);
}

TEST_F(HeadlessFrame, FramesInFlightEachShowTheirOwnBatchInOrder) {
  frames->configure_sink(1, 4, 4);
  const std::vector<Rect> all{{0, 0, 96, 48}};
  std::vector<std::vector<float>> batches;
  for (int k = 0; k < 6; ++k) batches.push_back(uniform_batch({{k * 40, 0, 0}}, 4, 4));
  for (int k = 0; k < 6; ++k) draw(&batches[static_cast<std::size_t>(k)], 1, 4, 4, all);
  draw(nullptr, 1, 4, 4, all);  // no new batch: the last one stays on screen
  frames->finish();
  ASSERT_EQ(captured.frames.size(), 7u);
  for (int k = 0; k < 6; ++k) EXPECT_EQ(captured.px(static_cast<std::uint64_t>(k), 48, 24)[0], k * 40) << "frame " << k;
  EXPECT_EQ(captured.px(6, 48, 24)[0], 200);
}

TEST_F(HeadlessFrame, NothingIsSampledBeforeTheFirstBatchAndReconfiguringIsSafe) {
  frames->configure_sink(2, 8, 8);
  draw(nullptr, 2, 8, 8, {{0, 0, 48, 48}, {48, 0, 48, 48}});  // the background only
  frames->configure_sink(1, 16, 16);  // while the first frame may still be in flight
  const auto batch = uniform_batch({{0, 255, 0}}, 16, 16);
  draw(&batch, 1, 16, 16, {{0, 0, 96, 48}});
  frames->finish();
  EXPECT_LT(captured.px(0, 24, 24)[1], 30);
  EXPECT_EQ(captured.px(1, 48, 24)[1], 255);
}

TEST_F(HeadlessFrame, TheSinkRejectsABatchOfTheWrongShape) {
  frames->configure_sink(2, 8, 8);
  const auto batch = uniform_batch({{0, 0, 0}}, 8, 8);  // one image for two tiles
  ASSERT_TRUE(frames->begin_frame());
  EXPECT_THROW(sink->write(interop::ImageView{batch.data(), 1, 8, 8, -1.f, 1.f}, frames->slot()), lw::Error);
  FrameContent content;
  frames->end_frame(content);
}

TEST(Context, NamesTheDeviceAndWhyItWasChosen) {
  Context context(validated());
  EXPECT_FALSE(context.device_info().name.empty());
  EXPECT_FALSE(context.device_choice_reason().empty());
  EXPECT_TRUE(context.validation_enabled());
  EXPECT_EQ(context.validation_errors(), 0);
}

}  // namespace
}  // namespace lw::renderer
