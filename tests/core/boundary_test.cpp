#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "core/boundary.hpp"
#include "core/base/check.hpp"
#include "core/correlation.hpp"

namespace lw {
namespace {

TEST(BoundarySelection, TakesTheExactEndsAndSplitsThem) {
  // Scores are a permutation of 0..99: the top 10 are the scores 90..99.
  std::vector<float> scores(100);
  std::iota(scores.begin(), scores.end(), 0.f);
  std::mt19937 rng(3);
  std::shuffle(scores.begin(), scores.end(), rng);
  const auto s = select_for_boundary(scores, 0.1, 0.7, 5);
  ASSERT_EQ(s.train_positive.size(), 7u);
  ASSERT_EQ(s.validation_positive.size(), 3u);
  ASSERT_EQ(s.train_negative.size(), 7u);
  ASSERT_EQ(s.validation_negative.size(), 3u);
  ASSERT_EQ(s.remaining.size(), 80u);
  std::vector<int> pos = s.train_positive, neg = s.train_negative;
  pos.insert(pos.end(), s.validation_positive.begin(), s.validation_positive.end());
  neg.insert(neg.end(), s.validation_negative.begin(), s.validation_negative.end());
  for (int i : pos) EXPECT_GE(scores[static_cast<std::size_t>(i)], 90.f);
  for (int i : neg) EXPECT_LE(scores[static_cast<std::size_t>(i)], 9.f);
  std::sort(pos.begin(), pos.end());
  EXPECT_EQ(std::adjacent_find(pos.begin(), pos.end()), pos.end()) << "a sample chosen twice";
  for (int i : s.remaining) {
    EXPECT_GE(scores[static_cast<std::size_t>(i)], 10.f);
    EXPECT_LE(scores[static_cast<std::size_t>(i)], 89.f);
  }
  EXPECT_TRUE(std::is_sorted(s.remaining.begin(), s.remaining.end()));
  EXPECT_FLOAT_EQ(s.median, 49.5f);
  // Deterministic by seed, different across seeds.
  EXPECT_EQ(select_for_boundary(scores, 0.1, 0.7, 5).train_positive, s.train_positive);
  EXPECT_NE(select_for_boundary(scores, 0.1, 0.7, 6).train_positive, s.train_positive);
}

TEST(BoundarySelection, RejectsRatiosOutsideTheOpenHalfInterval) {
  const std::vector<float> scores(100, 0.f);
  EXPECT_THROW(select_for_boundary(scores, 0.0, 0.7), Error);
  EXPECT_THROW(select_for_boundary(scores, 0.51, 0.7), Error);
  EXPECT_THROW(select_for_boundary(scores, 0.1, 1.0), Error);
  EXPECT_THROW(select_for_boundary(std::vector<float>(10, 0.f), 0.1, 0.7), Error);  // one per class
  EXPECT_NO_THROW(select_for_boundary(scores, 0.5, 0.7));
}

TEST(LinearSvm, RecoversAPlantedNormal) {
  const int d = 16, n = 3000;
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  Eigen::VectorXf planted(d);
  for (int j = 0; j < d; ++j) planted[j] = normal(rng);
  planted.normalize();
  RowMatrixXf x(n, d);
  std::vector<int> pos, neg;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) x(i, j) = normal(rng);
    const float margin = x.row(i).dot(planted) - 0.3f;
    if (margin > 0.25f) pos.push_back(i);
    else if (margin < -0.25f) neg.push_back(i);
  }
  const auto svm = train_linear_svm(x, pos, neg);
  EXPECT_NEAR(svm.normal.norm(), 1.f, 1e-5f);
  EXPECT_GE(svm.normal.dot(planted), 0.99f);
  EXPECT_NEAR(svm.bias, -0.3f, 0.1f);
  EXPECT_EQ(svm_accuracy(svm, x, pos, neg), 1.0);
  // Swapping the classes flips the normal: it always points towards the positives.
  EXPECT_LE(train_linear_svm(x, neg, pos).normal.dot(planted), -0.99f);
}

TEST(ConditionBoundary, IsOrthogonalToEveryConditionAndUnitLength) {
  const int d = 64;
  std::mt19937 rng(2);
  std::normal_distribution<float> normal;
  auto random = [&] {
    Eigen::VectorXf v(d);
    for (int j = 0; j < d; ++j) v[j] = normal(rng);
    return Eigen::VectorXf(v.normalized());
  };
  const Eigen::VectorXf primary = random();
  const Eigen::VectorXf c1 = random(), c2 = random();
  // A third condition nearly parallel to the first: adds no rank, must not blow up.
  Eigen::VectorXf c3 = c1;
  c3[0] += 1e-7f;
  for (const auto& conditions : {std::vector<Eigen::VectorXf>{c1}, std::vector<Eigen::VectorXf>{c1, c2},
                                 std::vector<Eigen::VectorXf>{c1, c2, c3}}) {
    const auto out = condition_boundary(primary, conditions);
    EXPECT_NEAR(out.norm(), 1.f, 1e-6f);
    for (const auto& c : conditions) EXPECT_LE(std::abs(out.dot(c.normalized())), 1e-6f);
    EXPECT_GT(out.dot(primary), 0.5f);
  }
  EXPECT_THROW(condition_boundary(c1, {c1, c2}), Error);  // nothing left once c1 is removed
  EXPECT_THROW(condition_boundary(primary, {Eigen::VectorXf::Zero(d)}), Error);
  EXPECT_THROW(condition_boundary(primary, {Eigen::VectorXf::Ones(d + 1)}), Error);
}

TEST(CorrelationTables, CosineAndPearsonOfKnownData) {
  Eigen::VectorXf a(2), b(2);
  a << 1, 0;
  b << 1, 1;
  const auto cos = cosine_table({a, b});
  EXPECT_NEAR(cos(0, 1), std::sqrt(0.5), 1e-12);
  EXPECT_DOUBLE_EQ(cos(0, 0), 1.0);
  RowMatrixXf s(4, 3);
  s << 1, 2, 4, 2, 4, 3, 3, 6, 2, 4, 8, 1;  // column 1 = 2 x column 0, column 2 = 5 - column 0
  const auto p = pearson_table(s);
  EXPECT_NEAR(p(0, 1), 1.0, 1e-12);
  EXPECT_NEAR(p(0, 2), -1.0, 1e-12);
  EXPECT_NE(markdown_table({"x", "y", "z"}, p).find("| x | 1.000 | 1.000 | -1.000 |"), std::string::npos)
      << markdown_table({"x", "y", "z"}, p);
}

}  // namespace
}  // namespace lw
