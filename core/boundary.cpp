#include "core/boundary.hpp"

#include <linear.h>

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>

#include "core/base/check.hpp"

namespace lw {

namespace {
// Fisher-Yates with a fixed generator: the same split on every platform and library version.
void shuffle(std::vector<int>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(v[i - 1], v[j]);
  }
}

void quiet(const char*) {}
}  // namespace

BoundarySplit select_for_boundary(const std::vector<float>& scores, double ratio, double split, std::uint64_t seed) {
  LW_EXPECT(ratio > 0.0 && ratio <= 0.5, "--ratio must be in (0, 0.5], got " << ratio);
  LW_EXPECT(split > 0.0 && split < 1.0, "--split must be in (0, 1), got " << split);
  const int n = static_cast<int>(scores.size());
  for (float s : scores) LW_EXPECT(std::isfinite(s), "the scores contain a non-finite value");
  const int chosen = std::min(static_cast<int>(std::floor(ratio * n)), n / 2);
  LW_EXPECT(chosen >= 2, "too few samples: ratio " << ratio << " of " << n << " leaves " << chosen
                                                     << " per class; generate more samples");
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[static_cast<std::size_t>(a)] > scores[static_cast<std::size_t>(b)]; });

  BoundarySplit out;
  std::vector<float> sorted(scores);
  std::sort(sorted.begin(), sorted.end());
  const auto half = static_cast<std::size_t>(n / 2);
  out.median = n % 2 == 1 ? sorted[half] : 0.5f * (sorted[half - 1] + sorted[half]);

  std::vector<int> positive(order.begin(), order.begin() + chosen);
  std::vector<int> negative(order.end() - chosen, order.end());
  out.remaining.assign(order.begin() + chosen, order.end() - chosen);
  std::sort(out.remaining.begin(), out.remaining.end());
  std::mt19937_64 rng(seed);
  shuffle(positive, rng);
  shuffle(negative, rng);
  const int train = std::max(1, std::min(chosen - 1, static_cast<int>(std::floor(chosen * split))));
  out.train_positive.assign(positive.begin(), positive.begin() + train);
  out.validation_positive.assign(positive.begin() + train, positive.end());
  out.train_negative.assign(negative.begin(), negative.begin() + train);
  out.validation_negative.assign(negative.begin() + train, negative.end());
  return out;
}

SvmResult train_linear_svm(const RowMatrixXf& latents, const std::vector<int>& positive, const std::vector<int>& negative) {
  LW_EXPECT(!positive.empty() && !negative.empty(), "an SVM needs samples of both classes");
  const int d = static_cast<int>(latents.cols());
  const int l = static_cast<int>(positive.size() + negative.size());
  // liblinear's sparse rows: d features (1-based), the bias feature, a terminator.
  std::vector<feature_node> nodes(static_cast<std::size_t>(l) * (d + 2));
  std::vector<feature_node*> rows(static_cast<std::size_t>(l));
  std::vector<double> labels(static_cast<std::size_t>(l));
  int r = 0;
  for (const auto* group : {&positive, &negative}) {
    for (int idx : *group) {
      LW_CHECK(idx >= 0 && idx < latents.rows(), "sample index " << idx << " out of range");
      feature_node* row = nodes.data() + static_cast<std::size_t>(r) * (d + 2);
      for (int j = 0; j < d; ++j) row[j] = {j + 1, latents(idx, j)};
      row[d] = {d + 1, 1.0};
      row[d + 1] = {-1, 0.0};
      rows[static_cast<std::size_t>(r)] = row;
      labels[static_cast<std::size_t>(r)] = group == &positive ? 1.0 : -1.0;
      ++r;
    }
  }
  problem prob{};
  prob.l = l;
  prob.n = d + 1;
  prob.y = labels.data();
  prob.x = rows.data();
  prob.bias = 1.0;
  parameter param{};
  param.solver_type = L2R_L2LOSS_SVC_DUAL;
  param.C = 1.0;
  param.eps = 0.1;
  param.p = 0.1;
  const char* bad = check_parameter(&prob, &param);
  LW_CHECK(bad == nullptr, "liblinear rejected its parameters: " << bad);
  set_print_string_function(quiet);
  std::unique_ptr<model, void (*)(model*)> m(train(&prob, &param), [](model* p) { free_and_destroy_model(&p); });
  LW_CHECK(m != nullptr, "liblinear failed to train");
  int order[2] = {0, 0};
  get_labels(m.get(), order);
  const double sign = order[0] == 1 ? 1.0 : -1.0;  // liblinear's decision value favours its first label
  Eigen::VectorXd w(d);
  for (int j = 0; j < d; ++j) w[j] = sign * m->w[j];
  const double b = sign * m->w[d] * prob.bias;
  const double norm = w.norm();
  LW_EXPECT(norm > 0.0, "the SVM found no separating direction (are all scores equal?)");
  SvmResult out;
  out.normal = (w / norm).cast<float>();
  out.bias = static_cast<float>(b / norm);
  return out;
}

double svm_accuracy(const SvmResult& svm, const RowMatrixXf& latents, const std::vector<int>& positive,
                    const std::vector<int>& negative) {
  const std::size_t total = positive.size() + negative.size();
  if (total == 0) return 0.0;
  std::size_t right = 0;
  for (int i : positive) right += latents.row(i).dot(svm.normal) + svm.bias > 0.f ? 1 : 0;
  for (int i : negative) right += latents.row(i).dot(svm.normal) + svm.bias <= 0.f ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(total);
}

Eigen::VectorXf condition_boundary(const Eigen::VectorXf& primary, const std::vector<Eigen::VectorXf>& conditions) {
  const Eigen::Index d = primary.size();
  LW_EXPECT(!conditions.empty(), "conditioning needs at least one condition boundary");
  Eigen::MatrixXd c(d, static_cast<Eigen::Index>(conditions.size()));
  for (std::size_t k = 0; k < conditions.size(); ++k) {
    LW_EXPECT(conditions[k].size() == d, "condition " << k + 1 << " has dimension " << conditions[k].size()
                                                      << ", the primary " << d);
    const double n = conditions[k].cast<double>().norm();
    LW_EXPECT(n > 0.0, "condition " << k + 1 << " is all zeros");
    c.col(static_cast<Eigen::Index>(k)) = conditions[k].cast<double>() / n;
  }
  // An orthonormal basis of the conditions' span; nearly parallel conditions add no rank.
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(c);
  qr.setThreshold(1e-8);
  const Eigen::Index rank = qr.rank();
  const Eigen::MatrixXd q = Eigen::MatrixXd(qr.householderQ()).leftCols(rank);
  Eigen::VectorXd p = primary.cast<double>();
  const double p_norm = p.norm();
  LW_EXPECT(p_norm > 0.0, "the primary boundary is all zeros");
  p /= p_norm;
  for (int pass = 0; pass < 2; ++pass) p -= q * (q.transpose() * p);  // twice: re-orthogonalised
  const double left = p.norm();
  LW_EXPECT(left > 1e-6, "the primary boundary lies in the span of the conditions: nothing is left to edit");
  return (p / left).cast<float>();
}

void write_boundary(const std::filesystem::path& path, const Eigen::VectorXf& normal) {
  NpyArray a;
  a.shape = {1, static_cast<std::int64_t>(normal.size())};
  a.data.assign(normal.data(), normal.data() + normal.size());
  write_npy(path, a);
}

Eigen::VectorXf read_boundary(const std::filesystem::path& path) {
  const auto a = read_npy(path);
  LW_EXPECT(a.shape.size() == 2 && a.shape[0] == 1, path.string() << ": a boundary must have shape [1, d]");
  return Eigen::Map<const Eigen::VectorXf>(a.data.data(), a.cols());
}

}  // namespace lw
