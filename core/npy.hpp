// .npy arrays as Eigen matrices: the bridge between core/base's .npy files and core's maths.
#pragma once

#include <Eigen/Core>

#include "core/base/npy.hpp"

namespace lw {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

RowMatrixXf to_matrix(const NpyArray& a);
NpyArray from_matrix(const RowMatrixXf& m);

}  // namespace lw
