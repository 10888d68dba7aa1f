#include "app/quality_measure.hpp"

#include <torch/torch.h>

#include "app/factor_scores.hpp"
#include "core/base/check.hpp"
#include "plugin/dataset_batch.hpp"
#include "plugin/synthfaces.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {

QualityJudge parse_quality_judge(const std::string& name) {
  if (name == "truth") return QualityJudge::Truth;
  if (name == "discriminator") return QualityJudge::Discriminator;
  LW_FAIL("a quality judge is \"truth\" (distance to the SynthFaces render of the image's own factors) or "
          "\"discriminator\", got \"" << name << "\"");
}

std::string quality_judge_name(QualityJudge j) { return j == QualityJudge::Truth ? "truth" : "discriminator"; }

void check_quality_judge(const plugin::Model& model, QualityJudge judge) {
  if (judge == QualityJudge::Discriminator) {
    LW_EXPECT(model.discriminator != nullptr, model.folder.string() << ": no discriminator to judge realism with");
    return;
  }
  const auto& attrs = model.manifest.attributes;
  bool synthfaces_factors = model.predictor != nullptr && static_cast<int>(attrs.size()) == synthfaces::kNumFactors;
  for (const auto& a : attrs) synthfaces_factors = synthfaces_factors && synthfaces::factor_index(a.name) >= 0;
  LW_EXPECT(synthfaces_factors, model.folder.string() << ": the truth judge re-renders the SynthFaces factors the "
                                                         "predictor reads; this model does not predict them");
}

at::Tensor truth_distance(const plugin::Model& model, const at::Tensor& images) {
  check_quality_judge(model, QualityJudge::Truth);
  const auto& attrs = model.manifest.attributes;
  torch::NoGradGuard no_grad;
  const auto predicted = predict_factors(model, images).to(torch::kCPU);
  auto factors = torch::zeros({predicted.size(0), synthfaces::kNumFactors});
  for (std::size_t c = 0; c < attrs.size(); ++c) {
    const int column = synthfaces::factor_index(attrs[c].name);
    factors.select(1, column).copy_(predicted.select(1, static_cast<std::int64_t>(c)));
  }
  const auto rendered = plugin::render_factors(factors, static_cast<int>(images.size(2)));
  return (images.to(torch::kCPU) - rendered).abs().flatten(1).mean(1) / 2;
}

at::Tensor quality_scores(const plugin::Model& model, const at::Tensor& images, QualityJudge judge) {
  if (judge == QualityJudge::Truth) return -truth_distance(model, images);
  check_quality_judge(model, judge);
  torch::NoGradGuard no_grad;
  return model.discriminator->realism(images).to(torch::kCPU).flatten();
}

}  // namespace lw::app
