#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include "core/base/check.hpp"
#include "plugin/default_networks.hpp"
#include "plugin/generator_export.hpp"

namespace lw::plugin {
namespace {

// A small generator keeps the test fast; the architecture is the shipped one.
GeneratorShape small_shape() {
  GeneratorShape s;
  s.z_dim = 16;
  s.w_dim = 12;
  s.channels = {16, 8, 4};
  return s;
}

at::Tensor prior(std::int64_t n, std::int64_t d, std::uint64_t seed) {
  return torch::randn({n, d}, at::detail::createCPUGenerator(seed));
}

TEST(GeneratorExport, ImagesAreUnchangedAndWIsWhiteOverThePrior) {
  const auto shape = small_shape();
  auto trained = make_generator(shape, 5);
  auto exported = export_generator(trained, shape);
  torch::NoGradGuard no_grad;
  const auto z = prior(8, shape.z_dim, 1);
  const auto before = trained.forward({z}).toTensor(), after = exported.forward({z}).toTensor();
  EXPECT_LT((before - after).abs().max().item<double>(), 1e-4);
  // Feature maps and W+ synthesis go through the same whitened rows.
  const auto f_before = trained.run_method("features", z, 1).toTensor();
  const auto f_after = exported.run_method("features", z, 1).toTensor();
  EXPECT_LT((f_before - f_after).abs().max().item<double>(), 1e-3);

  // Fresh prior samples (another seed than the export's) have mean ~0, covariance ~I.
  const auto w = exported.run_method("mapping", prior(40000, shape.z_dim, 99)).toTensor().to(torch::kDouble);
  const auto mean = w.mean(0);
  const auto cov = (w - mean).t().mm(w - mean) / (w.size(0) - 1);
  EXPECT_LT(mean.abs().max().item<double>(), 0.05);
  EXPECT_LT((cov - torch::eye(shape.w_dim, torch::kDouble)).abs().max().item<double>(), 0.1);
  // A unit step along any direction is one standard deviation of the codes.
  const auto dir = torch::nn::functional::normalize(prior(1, shape.w_dim, 3).to(torch::kDouble),
                                                    torch::nn::functional::NormalizeFuncOptions().dim(1));
  EXPECT_NEAR(w.mm(dir.t()).std().item<double>(), 1.0, 0.05);
  EXPECT_LT(exported.attr("w_avg").toTensor().abs().max().item<float>(), 0.05f);
  // The raw (training) generator is not white: the export did something.
  const auto raw = trained.run_method("mapping", prior(4000, shape.z_dim, 99)).toTensor();
  EXPECT_GT((raw.mean(0)).abs().max().item<float>(), 0.05f);
}

TEST(GeneratorExport, AWhitenedGeneratorIsNotWhitenedTwice) {
  const auto shape = small_shape();
  auto exported = export_generator(make_generator(shape, 5), shape);
  EXPECT_THROW(standardize_w(exported, 1000), Error);
}

TEST(GeneratorExport, ACheckpointOfAnotherShapeIsNamed) {
  auto other = small_shape();
  other.channels = {16, 8, 8};
  try {
    export_generator(make_generator(other, 5), small_shape());
    FAIL() << "a checkpoint of another shape was exported";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("has shape"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lw::plugin
