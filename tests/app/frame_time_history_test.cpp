#include <gtest/gtest.h>

#include "app/stage/frame_time_history.hpp"

namespace lw::stage {
namespace {

TEST(FrameTimeHistory, PercentilesOverTheNewestSamples) {
  FrameTimeHistory h(100);
  for (int i = 1; i <= 100; ++i) h.record(Timing::Draw, static_cast<float>(i));
  EXPECT_FLOAT_EQ(h.percentile(Timing::Draw, 0.5f), 50.f);
  EXPECT_FLOAT_EQ(h.percentile(Timing::Draw, 0.99f), 99.f);
  EXPECT_FLOAT_EQ(h.percentile(Timing::Draw, 1.f), 100.f);
  // The ring forgets the oldest: after 50 more samples of 1000 the median moves.
  for (int i = 0; i < 50; ++i) h.record(Timing::Draw, 1000.f);
  EXPECT_FLOAT_EQ(h.percentile(Timing::Draw, 0.5f), 100.f);
  EXPECT_EQ(h.count(Timing::Draw), 100u);
  EXPECT_EQ(h.count(Timing::Generate), 0u);
  EXPECT_FLOAT_EQ(h.percentile(Timing::Generate, 0.5f), 0.f);
}

TEST(FrameTimeHistory, OrderedOldestFirst) {
  FrameTimeHistory h(3);
  for (float v : {1.f, 2.f, 3.f, 4.f}) h.record(Timing::Frame, v);
  std::vector<float> out;
  h.ordered(Timing::Frame, out);
  EXPECT_EQ(out, (std::vector<float>{2.f, 3.f, 4.f}));
  EXPECT_EQ(timing_name(Timing::Handoff), "handoff");
}

}  // namespace
}  // namespace lw::stage
