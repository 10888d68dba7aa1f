// Inversion on the shipped model: the projector recovers a generated image's code (it exists),
// (its image: W is larger than what the synthesis reads, so not its very numbers), W+ reconstructs
// a dataset render better than W, the discriminator rewritten with features() scores as before,
// and an encoder trained a few hundred steps guesses codes better than W's mean.
#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>

#include "core/base/check.hpp"
#include "core/model.hpp"
#include "core/projector.hpp"
#include "plugin/dataset_batch.hpp"
#include "plugin/encoder_training.hpp"
#include "plugin/manifest.hpp"
#include "plugin/torchscript_model.hpp"
#include "tests/test_paths.hpp"

namespace lw::plugin {
namespace {
namespace fs = std::filesystem;

const Model& shipped() {
  static const Model model = load_model(LW_DEFAULT_MODEL);
  return model;
}

TEST(Projector, SsimAndPsnrOfAnImageWithItself) {
  // Smooth pictures (gradients), as faces are; noise on them is what SSIM sees.
  const auto ramp = torch::linspace(-0.8, 0.8, 64);
  const auto a = torch::stack({ramp.view({1, 64}).expand({64, 64}), ramp.view({64, 1}).expand({64, 64}), torch::zeros({64, 64})})
                     .unsqueeze(0)
                     .repeat({2, 1, 1, 1});
  EXPECT_NEAR(ssim(a, a).min().item<double>(), 1.0, 1e-5);
  EXPECT_NEAR(multiscale_ssim(a, a).min().item<double>(), 1.0, 1e-5);
  EXPECT_GT(psnr(a, a).min().item<double>(), 90.0);
  const auto b = (a + 0.2 * torch::randn_like(a)).clamp(-1, 1);
  EXPECT_LT(ssim(a, b).max().item<double>(), 0.9);
  EXPECT_LT(psnr(a, b).max().item<double>(), 30.0);
}

TEST(Projector, RecoversTheCodeOfAGeneratedImage) {
  const Generator& g = *shipped().generator;
  const WStatistics w = w_statistics(g, 2000, 1);
  at::Tensor truth, target;
  {
    torch::NoGradGuard no_grad;
    truth = g.mapping(torch::randn({4, g.latent_dim()}, at::detail::createCPUGenerator(5)));
    target = g.synthesis(truth);
  }
  ProjectorSettings s;
  s.steps = 200;
  const Projection p = project(g, target, w.mean.unsqueeze(0).expand({4, -1}).contiguous(), w, s);
  for (double q : p.psnr) EXPECT_GT(q, 28.0);
  for (double q : p.ssim) EXPECT_GT(q, 0.9);
  ASSERT_EQ(p.stages.size(), 11u);
  EXPECT_LT(p.stages.back().loss, p.stages.front().loss / 5);
}

TEST(Projector, WPlusReconstructsARenderBetterThanW) {
  const Generator& g = *shipped().generator;
  const WStatistics w = w_statistics(g, 2000, 1);
  const auto target = render_batch(kEvaluationDataSeed, 0, 3, g.height()).images;
  const auto start = w.mean.unsqueeze(0).expand({3, -1}).contiguous();
  ProjectorSettings s;
  s.steps = 150;
  const Projection in_w = project(g, target, start, w, s);
  s.space = Space::WPlus;
  const Projection in_wplus = project(g, target, start, w, s);
  EXPECT_EQ(in_wplus.codes.sizes(), (std::vector<std::int64_t>{3, g.num_ws(), g.w_dim()}));
  double gain = 0;
  for (std::size_t i = 0; i < 3; ++i) gain += in_wplus.psnr[i] - in_w.psnr[i];
  EXPECT_GT(gain / 3, 0.5) << "W+ has six times the freedom";
}

TEST(Projector, RefusesWhatItCannotDo) {
  const Generator& g = *shipped().generator;
  const WStatistics w = w_statistics(g, 100, 1);
  ProjectorSettings s;
  s.perceptual = 1.0;  // a discriminator is needed for it
  EXPECT_THROW(project(g, torch::zeros({1, 3, 64, 64}), w.mean.unsqueeze(0), w, s), Error);
  s.perceptual = 0.0;
  EXPECT_THROW(project(g, torch::zeros({1, 3, 32, 32}), w.mean.unsqueeze(0), w, s), Error);  // another size
}

TEST(DiscriminatorFeatures, TheRewrittenDiscriminatorScoresAsBeforeAndHasFeatures) {
  const auto old = torch::jit::load((fs::path(LW_DEFAULT_MODEL) / "discriminator.pt").string());
  auto rewritten = discriminator_with_features(old, 64);
  const auto images = render_batch(kEvaluationDataSeed, 0, 4, 64).images;
  torch::NoGradGuard no_grad;
  const auto before = const_cast<torch::jit::Module&>(old).forward({images}).toTensor();
  const auto after = rewritten.forward({images}).toTensor();
  EXPECT_TRUE(torch::allclose(before, after, 1e-5, 1e-5));
  EXPECT_EQ(rewritten.run_method("feature_layers").toInt(), 5);
  const auto f = rewritten.run_method("features", images, 2).toTensor();
  EXPECT_EQ(f.sizes(), (std::vector<std::int64_t>{4, 64, 16, 16}));
}

TEST(EncoderTraining, AFewHundredStepsGuessBetterThanTheMean) {
  const Generator& g = *shipped().generator;
  EncoderSettings s;
  s.steps = 200;
  const EncoderTraining e = train_encoder(g, s);
  const WStatistics w = w_statistics(g, 2000, 9);
  torch::NoGradGuard no_grad;
  const auto truth = g.mapping(torch::randn({64, g.latent_dim()}, at::detail::createCPUGenerator(11)));
  const auto guess = const_cast<torch::jit::Module&>(e.encoder).forward({g.synthesis(truth)}).toTensor();
  const double encoder_error = (guess - truth).pow(2).sum(1).mean().item<double>();
  const double mean_error = (w.mean - truth).pow(2).sum(1).mean().item<double>();
  EXPECT_LT(encoder_error, mean_error);  // a smoke run: the shipped encoder trains 3000 steps
  EXPECT_LT(e.final_loss, 1.0);
}

}  // namespace
}  // namespace lw::plugin
