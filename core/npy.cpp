#include "core/npy.hpp"

#include <algorithm>

namespace lw {

RowMatrixXf to_matrix(const NpyArray& a) {
  RowMatrixXf m(a.rows(), a.cols());
  std::copy(a.data.begin(), a.data.end(), m.data());
  return m;
}

NpyArray from_matrix(const RowMatrixXf& m) {
  NpyArray a;
  a.shape = {m.rows(), m.cols()};
  a.data.assign(m.data(), m.data() + m.size());
  return a;
}

}  // namespace lw
