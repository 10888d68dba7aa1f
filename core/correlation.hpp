// InterFaceGAN's two entanglement tables: cosine similarity between boundary normals, and the
// Pearson correlation between attribute scores over sampled images. With a markdown renderer
// for reports and READMEs.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/npy.hpp"

namespace lw {

// Cosine similarity of every pair of vectors (all the same size, none zero).
Eigen::MatrixXd cosine_table(const std::vector<Eigen::VectorXf>& normals);
// Pearson correlation of every pair of columns of `scores` [N, m]; N >= 2, no constant column.
Eigen::MatrixXd pearson_table(const RowMatrixXf& scores);
// A square table with row and column names, values to `digits` decimals.
std::string markdown_table(const std::vector<std::string>& names, const Eigen::MatrixXd& values, int digits = 3);

}  // namespace lw
