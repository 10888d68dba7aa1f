// How real a generated image is, by two judges that share nothing: the model's discriminator,
// and the truth SynthFaces knows. A SynthFaces image is the render of its factors, so an image
// the generator drew well lies close to the render of the factors the predictor reads from it;
// smears, doubled edges and melted glasses do not re-render and leave a distance. The quality
// boundary is trained on one judge and evaluated by the other.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace lw::plugin {
struct Model;
}

namespace lw::app {

enum class QualityJudge { Truth, Discriminator };
QualityJudge parse_quality_judge(const std::string& name);  // "truth" or "discriminator"; throws otherwise
std::string quality_judge_name(QualityJudge j);

// Throws naming what the model lacks for `judge`: a discriminator, or a predictor of the
// SynthFaces factors (checked before any work, so that nothing is written).
void check_quality_judge(const plugin::Model& model, QualityJudge judge);

// The mean absolute difference (in [0, 1] pixel units) between each image [B, 3, H, W] in
// [-1, 1] and the SynthFaces render of its predicted factors: [B], lower is more real. Throws
// when the model has no predictor of the SynthFaces factors.
at::Tensor truth_distance(const plugin::Model& model, const at::Tensor& images);

// Realism by `judge`, higher is more real: -truth_distance, or the discriminator's score.
at::Tensor quality_scores(const plugin::Model& model, const at::Tensor& images, QualityJudge judge);

}  // namespace lw::app
