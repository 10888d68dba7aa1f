// InterFaceGAN's semantic boundaries (Shen et al., CVPR 2020): from latent codes and an
// attribute's scores, keep the most confident positives and negatives, fit a linear SVM, and
// take its unit normal as the attribute's direction. Conditioning removes from a normal its
// projection on other attributes' normals, so an edit leaves those attributes alone.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/npy.hpp"

namespace lw {

// Which samples train and validate a boundary, by row index into the latents.
struct BoundarySplit {
  std::vector<int> train_positive, train_negative, validation_positive, validation_negative;
  std::vector<int> remaining;  // every sample not chosen
  float median = 0.f;          // of all scores: the remaining samples' labels are score > median
};

// InterFaceGAN's selection: sort by score (descending, ties by index), take the top and bottom
// floor(ratio * N) samples (at most N / 2 each), shuffle each group with `seed` and put the first
// floor(count * split) of each into training, the rest into validation. ratio in (0, 0.5],
// split in (0, 1).
BoundarySplit select_for_boundary(const std::vector<float>& scores, double ratio, double split, std::uint64_t seed = 0);

struct SvmResult {
  Eigen::VectorXf normal;  // unit length, pointing towards higher scores
  float bias = 0.f;        // of the unit-normal decision function n.x + bias
};

// A linear SVM (liblinear, L2-regularised L2-loss, C = 1, with a bias term) separating the
// positive from the negative rows of `latents`.
SvmResult train_linear_svm(const RowMatrixXf& latents, const std::vector<int>& positive,
                           const std::vector<int>& negative);

// Fraction of rows classified as their label (positive: n.x + bias > 0).
double svm_accuracy(const SvmResult& svm, const RowMatrixXf& latents, const std::vector<int>& positive,
                    const std::vector<int>& negative);

// The primary normal with its projection on the span of all condition normals removed, unit
// length. Stable when conditions are nearly parallel (rank-revealing QR drops dependent ones);
// throws when the primary lies in their span.
Eigen::VectorXf condition_boundary(const Eigen::VectorXf& primary, const std::vector<Eigen::VectorXf>& conditions);

// A direction file as InterFaceGAN writes and reads them: [1, d] float32.
void write_boundary(const std::filesystem::path& path, const Eigen::VectorXf& normal);
Eigen::VectorXf read_boundary(const std::filesystem::path& path);

}  // namespace lw
