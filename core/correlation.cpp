#include "core/correlation.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/base/check.hpp"

namespace lw {

Eigen::MatrixXd cosine_table(const std::vector<Eigen::VectorXf>& normals) {
  const auto k = static_cast<Eigen::Index>(normals.size());
  Eigen::MatrixXd out(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    LW_EXPECT(normals[static_cast<std::size_t>(i)].size() == normals[0].size(), "boundaries of different dimensions");
    for (Eigen::Index j = 0; j < k; ++j) {
      const Eigen::VectorXd a = normals[static_cast<std::size_t>(i)].cast<double>();
      const Eigen::VectorXd b = normals[static_cast<std::size_t>(j)].cast<double>();
      const double denom = a.norm() * b.norm();
      LW_EXPECT(denom > 0.0, "a boundary is all zeros");
      out(i, j) = a.dot(b) / denom;
    }
  }
  return out;
}

Eigen::MatrixXd pearson_table(const RowMatrixXf& scores) {
  LW_EXPECT(scores.rows() >= 2, "correlations need at least two samples");
  const Eigen::MatrixXd x = scores.cast<double>();
  const Eigen::MatrixXd centred = x.rowwise() - x.colwise().mean();
  const Eigen::VectorXd sd = centred.colwise().norm();
  for (Eigen::Index j = 0; j < sd.size(); ++j) LW_EXPECT(sd[j] > 0.0, "score column " << j << " is constant");
  const Eigen::MatrixXd cov = centred.transpose() * centred;
  return cov.array() / (sd * sd.transpose()).array();
}

std::string markdown_table(const std::vector<std::string>& names, const Eigen::MatrixXd& values, int digits) {
  LW_CHECK(static_cast<Eigen::Index>(names.size()) == values.rows() && values.rows() == values.cols(),
           "a square table needs one name per row");
  std::ostringstream os;
  os << "| |";
  for (const auto& n : names) os << " " << n << " |";
  os << "\n|---|";
  for (std::size_t i = 0; i < names.size(); ++i) os << "---:|";
  os << "\n" << std::fixed << std::setprecision(digits);
  for (std::size_t i = 0; i < names.size(); ++i) {
    os << "| " << names[i] << " |";
    for (std::size_t j = 0; j < names.size(); ++j)
      os << " " << values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) << " |";
    os << "\n";
  }
  return os.str();
}

}  // namespace lw
