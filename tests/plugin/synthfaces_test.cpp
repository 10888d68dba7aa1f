#include <gtest/gtest.h>

#include <ctime>
#include <cmath>
#include <utility>
#include <vector>

#include "core/base/check.hpp"
#include "plugin/synthfaces.hpp"

namespace lw::synthfaces {
namespace {

std::vector<float> render_at(const Factors& f, int size) {
  std::vector<float> buf(3u * static_cast<std::size_t>(size * size));
  render(f, size, buf);
  return buf;
}

TEST(SynthFaces, DeterministicBySeedAndIndex) {
  const auto a = sample_factors(3, 17), b = sample_factors(3, 17), c = sample_factors(4, 17);
  EXPECT_EQ(a.as_array(), b.as_array());
  EXPECT_NE(a.as_array(), c.as_array());
  EXPECT_EQ(render_at(a, 64), render_at(b, 64));
}

TEST(SynthFaces, FactorsStayInTheirRanges) {
  const auto& table = factor_table();
  for (std::uint64_t i = 0; i < 5000; ++i) {
    const auto v = sample_factors(1, i).as_array();
    for (int k = 0; k < kNumFactors; ++k) {
      EXPECT_GE(v[k], table[k].lo);
      EXPECT_LE(v[k], table[k].hi);
    }
  }
}

// Pearson correlation of age with a binary factor, and that factor's frequency, over n draws.
std::pair<double, double> age_correlation(const char* name, Draw draw, int n) {
  const int age = factor_index("age"), col = factor_index(name);
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int i = 0; i < n; ++i) {
    const auto v = sample_factors(11, static_cast<std::uint64_t>(i), draw).as_array();
    const double x = v[age], y = v[col];
    sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
  }
  const double cov = sxy / n - sx / n * sy / n;
  return {cov / std::sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n)), sy / n};
}

TEST(SynthFaces, EyeglassesAndBeardCorrelateWithAgeBetween03And05) {
  for (const char* name : {"eyeglasses", "beard"}) {
    const auto [r, fraction] = age_correlation(name, Draw::Dataset, 100000);
    EXPECT_GT(r, 0.3) << name;
    EXPECT_LT(r, 0.5) << name;
  }
}

TEST(SynthFaces, IndependentDrawsKeepTheFrequenciesAndDropTheAgeCorrelation) {
  for (const char* name : {"eyeglasses", "beard"}) {
    const auto [r_dataset, f_dataset] = age_correlation(name, Draw::Dataset, 100000);
    const auto [r, fraction] = age_correlation(name, Draw::Independent, 100000);
    EXPECT_LT(std::abs(r), 0.01) << name;  // 3 standard errors at n = 100000
    EXPECT_NEAR(fraction, f_dataset, 0.006) << name;
  }
  // The continuous factors are drawn the same way in both.
  const auto a = sample_factors(3, 17), b = sample_factors(3, 17, Draw::Independent);
  EXPECT_EQ(a.age, b.age);
  EXPECT_EQ(a.face_scale, b.face_scale);
}

TEST(SynthFaces, EveryFactorChangesTheImage) {
  const Factors base = sample_factors(5, 0);
  const auto ref = render_at(base, 64);
  for (int k = 0; k < kNumFactors; ++k) {
    Factors f = base;
    auto v = f.as_array();
    const auto& info = factor_table()[k];
    // Move the factor to the far end of its range.
    const float target = v[k] > 0.5f * (info.lo + info.hi) ? info.lo : info.hi;
    switch (k) {
      case 0: f.pose = target; break;
      case 1: f.smile = target; break;
      case 2: f.age = target; break;
      case 3: f.eyeglasses = !f.eyeglasses; break;
      case 4: f.beard = !f.beard; break;
      case 5: f.skin_tone = target; break;
      case 6: f.hair_colour = target; break;
      case 7: f.hair_length = target; break;
      case 8: f.background = target; break;
      case 9: f.face_x = target; break;
      case 10: f.face_y = target; break;
      case 11: f.face_scale = target; break;
    }
    const auto img = render_at(f, 64);
    double diff = 0;
    for (std::size_t i = 0; i < img.size(); ++i) diff += std::abs(img[i] - ref[i]);
    EXPECT_GT(diff / static_cast<double>(img.size()), 0.002) << info.name << " leaves the image unchanged";
  }
}

TEST(SynthFaces, EdgesAreAntiAliased) {
  // A hard-edged renderer has only the few flat colours of its shapes; coverage blending puts
  // many in-between values on every edge.
  const auto img = render_at(sample_factors(2, 3), 64);
  std::vector<float> red(img.begin(), img.begin() + 64 * 64);
  std::sort(red.begin(), red.end());
  const auto distinct = std::unique(red.begin(), red.end()) - red.begin();
  EXPECT_GT(distinct, 300);
}

TEST(SynthFaces, RendersAnySizeAndRejectsBadBuffers) {
  for (int size : {16, 48, 64, 100, 256}) {
    const auto img = render_at(sample_factors(1, 1), size);
    for (float v : img) ASSERT_TRUE(v >= 0.f && v <= 1.f);
  }
  std::vector<float> small(10);
  EXPECT_THROW(render(sample_factors(1, 1), 64, small), Error);
  EXPECT_THROW(render(sample_factors(1, 1), 4, small), Error);
}

// CPU time of this thread: "per second on one core", whatever else the machine runs meanwhile.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

TEST(SynthFaces, RendersAtLeast2000ImagesPerSecondOnOneCore) {
  std::vector<float> buf(3 * 64 * 64);
  const int n = 4000;
  float sink = 0;
  const double t0 = thread_cpu_seconds();
  for (int i = 0; i < n; ++i) {
    render(sample_factors(9, static_cast<std::uint64_t>(i)), 64, buf);
    sink += buf[2000];
  }
  const double s = thread_cpu_seconds() - t0;
  const double rate = n / s;
  std::printf("SynthFaces: %.0f images/s at 64x64 on one core\n", rate);
  RecordProperty("images_per_second", std::to_string(rate));
  EXPECT_GE(rate, 2000.0);
  EXPECT_GT(sink, 0.f);
}

}  // namespace
}  // namespace lw::synthfaces
