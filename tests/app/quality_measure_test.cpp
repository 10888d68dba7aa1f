// The truth judge: a SynthFaces render lies close to the render of the factors the predictor
// reads from it (the predictor's own error is all that separates them), and much closer than a
// render of other factors does.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "app/quality_measure.hpp"
#include "core/base/check.hpp"
#include "plugin/dataset_batch.hpp"
#include "plugin/manifest.hpp"
#include "plugin/torchscript_model.hpp"
#include "tests/test_paths.hpp"

namespace lw::app {
namespace {

TEST(QualityMeasure, RendersLieCloseToTheRenderOfTheirOwnPredictedFactors) {
  const plugin::Model model = plugin::load_model(LW_DEFAULT_MODEL);
  const auto real = plugin::render_batch(plugin::kEvaluationDataSeed, 0, 32, 64);
  const auto own = truth_distance(model, real.images);
  ASSERT_EQ(own.sizes(), (std::vector<std::int64_t>{32}));
  // The same faces with each other's factors: the distance a wrong face would leave.
  const auto others = plugin::render_factors(real.factors.roll(1, 0), 64);
  const auto wrong = (real.images - others).abs().flatten(1).mean(1) / 2;
  EXPECT_LT(own.mean().item<double>() * 3, wrong.mean().item<double>()) << own.mean().item<double>();
  // Rendering the true factors again draws the very image: the renderer is a pure function.
  EXPECT_LT((plugin::render_factors(real.factors, 64) - real.images).abs().max().item<double>(), 1e-6);
  EXPECT_TRUE(torch::allclose(quality_scores(model, real.images, QualityJudge::Truth), -own));
  EXPECT_EQ(quality_scores(model, real.images, QualityJudge::Discriminator).sizes(), own.sizes());
  EXPECT_THROW(parse_quality_judge("beauty"), Error);
}

}  // namespace
}  // namespace lw::app
