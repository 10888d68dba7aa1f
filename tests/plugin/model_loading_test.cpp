#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "core/base/check.hpp"
#include "plugin/default_networks.hpp"
#include "plugin/manifest.hpp"
#include "plugin/torchscript_model.hpp"
#include "tests/test_paths.hpp"

namespace lw::plugin {
namespace {
namespace fs = std::filesystem;

// A tiny generator following the contract: z [B, 8] -> image [B, 3, 4, 4] via a linear layer.
// `body` replaces the forward body to break one rule at a time.
torch::jit::Module tiny_generator(const std::string& forward_body = "return torch.tanh(torch.mm(z, self.w)).view(-1, 3, 4, 4)") {
  torch::jit::Module m("TinyGenerator");
  m.register_parameter("w", torch::randn({8, 48}), false);
  m.define("def forward(self, z: Tensor) -> Tensor:\n    " + forward_body + "\n");
  return m;
}

class ModelLoading : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(LW_TEST_TMP) / ("model_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void write_manifest_text(const std::string& text) { std::ofstream(dir_ / "manifest.json") << text; }
  void write_tiny_manifest() { write_manifest_text(R"({"name": "tiny", "latent_dim": 8, "resolution": [4, 4]})"); }
  // The error message of loading the folder, or "" when it loads.
  std::string load_error() {
    try {
      load_model(dir_);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(ModelLoading, LoadsAContractAbidingGenerator) {
  tiny_generator().save((dir_ / "generator.pt").string());
  write_tiny_manifest();
  const auto model = load_model(dir_);
  const auto img = model.generator->generate(torch::randn({5, 8}));
  EXPECT_EQ(img.sizes(), (std::vector<std::int64_t>{5, 3, 4, 4}));
  EXPECT_FALSE(img.requires_grad());  // inference runs under NoGradGuard
  EXPECT_EQ(model.predictor, nullptr);
  // A bare .pt with <stem>.json beside it loads too.
  fs::copy_file(dir_ / "manifest.json", dir_ / "generator.json");
  EXPECT_EQ(load_model(dir_ / "generator.pt").manifest.name, "tiny");
}

TEST_F(ModelLoading, RejectsAMissingOrNonTorchScriptFile) {
  write_tiny_manifest();
  EXPECT_NE(load_error().find("model file does not exist"), std::string::npos) << load_error();
  std::ofstream(dir_ / "generator.pt") << "definitely not a zip archive";
  const auto e = load_error();
  EXPECT_NE(e.find("generator.pt: not a TorchScript model"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "one line: " << e;
}

TEST_F(ModelLoading, RejectsTheWrongOutputShape) {
  tiny_generator("return torch.mm(z, self.w).view(-1, 3, 16)").save((dir_ / "generator.pt").string());
  write_tiny_manifest();
  const auto e = load_error();
  EXPECT_NE(e.find("output shape rule broken"), std::string::npos) << e;
  EXPECT_NE(e.find("generator.pt"), std::string::npos) << e;
}

TEST_F(ModelLoading, RejectsValuesOutsideMinusOneToOne) {
  tiny_generator("return (torch.mm(z, self.w) * 0.0 + 3.0).view(-1, 3, 4, 4)").save((dir_ / "generator.pt").string());
  write_tiny_manifest();
  EXPECT_NE(load_error().find("value range rule broken"), std::string::npos) << load_error();
}

TEST_F(ModelLoading, RejectsAManifestLatentSizeTheModelCannotTake) {
  tiny_generator().save((dir_ / "generator.pt").string());
  write_manifest_text(R"({"latent_dim": 9, "resolution": [4, 4]})");
  const auto e = load_error();
  EXPECT_NE(e.find("latent size rule broken"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "one line: " << e;
}

TEST_F(ModelLoading, RejectsMissingOptionalMethodsTheManifestPromises) {
  tiny_generator().save((dir_ / "generator.pt").string());
  write_manifest_text(R"({"latent_dim": 8, "resolution": [4, 4], "w_dim": 8})");
  EXPECT_NE(load_error().find("has no method `mapping`"), std::string::npos) << load_error();
}

TEST_F(ModelLoading, RejectsBadManifests) {
  tiny_generator().save((dir_ / "generator.pt").string());
  write_manifest_text("{ not json");
  EXPECT_NE(load_error().find("not valid JSON"), std::string::npos);
  write_manifest_text(R"({"latent_dim": 8, "resolution": [4, 4], "colour": "blue"})");
  EXPECT_NE(load_error().find("unknown field \"colour\""), std::string::npos);
  write_manifest_text(R"({"resolution": [4, 4]})");
  EXPECT_NE(load_error().find("\"latent_dim\" is missing"), std::string::npos);
  write_manifest_text(R"({"latent_dim": "eight", "resolution": [4, 4]})");
  EXPECT_NE(load_error().find("\"latent_dim\" has the wrong type"), std::string::npos);
  fs::remove(dir_ / "manifest.json");
  EXPECT_NE(load_error().find("no manifest.json"), std::string::npos);
}

TEST_F(ModelLoading, PredictorMustScoreEveryAttribute) {
  tiny_generator().save((dir_ / "generator.pt").string());
  torch::jit::Module p("TinyPredictor");
  p.define("def forward(self, x: Tensor) -> Tensor:\n    return x.flatten(1)[:, :2]\n");
  p.save((dir_ / "predictor.pt").string());
  write_manifest_text(R"({"latent_dim": 8, "resolution": [4, 4], "predictor": {"file": "predictor.pt",
      "attributes": [{"name": "a", "kind": "binary"}, {"name": "b", "kind": "continuous"}, {"name": "c", "kind": "binary"}]}})");
  EXPECT_NE(load_error().find("score shape rule broken"), std::string::npos) << load_error();
}

TEST_F(ModelLoading, TheDefaultArchitecturesHonourTheContractAfterSaving) {
  const GeneratorShape shape;
  make_generator(shape, 1).save((dir_ / "generator.pt").string());
  make_predictor(shape.resolution(), 12, 2).save((dir_ / "predictor.pt").string());
  make_discriminator(shape.resolution(), 3).save((dir_ / "discriminator.pt").string());
  write_manifest(dir_ / "manifest.json", synthfaces_manifest(shape));
  const auto model = load_model(dir_);
  const auto& g = *model.generator;
  const auto z = torch::randn({3, shape.z_dim});
  const auto w = g.mapping(z);
  EXPECT_EQ(w.sizes(), (std::vector<std::int64_t>{3, shape.w_dim}));
  EXPECT_TRUE(torch::allclose(g.generate(z), g.synthesis(w)));
  const auto wplus = w.unsqueeze(1).expand({3, shape.num_ws(), shape.w_dim}).contiguous();
  EXPECT_TRUE(torch::allclose(g.synthesis(w), g.synthesis(wplus)));
  for (int l = 0; l < g.feature_layers(); ++l) {
    const auto f = g.features(z, l);
    EXPECT_EQ(f.size(2), 4 << l);
    EXPECT_EQ(f.size(1), shape.channels[static_cast<std::size_t>(l)]);
  }
  EXPECT_THROW(g.features(z, g.feature_layers()), Error);
  EXPECT_THROW(g.generate(torch::randn({2, shape.z_dim + 1})), Error);
  EXPECT_EQ(model.predictor->predict(g.generate(z)).sizes(), (std::vector<std::int64_t>{3, 12}));
  EXPECT_EQ(model.discriminator->realism(g.generate(z)).sizes(), (std::vector<std::int64_t>{3}));
}

TEST(DefaultModel, ShippedModelLoadsThroughTheSamePath) {
  const fs::path dir = LW_DEFAULT_MODEL;
  if (!fs::exists(dir / "manifest.json")) GTEST_SKIP() << "no trained default model at " << dir;
  const auto model = load_model(dir);
  EXPECT_EQ(model.manifest.name, "SynthFaces");
  ASSERT_NE(model.predictor, nullptr);
  ASSERT_NE(model.discriminator, nullptr);
  EXPECT_EQ(model.predictor->attribute_names().size(), 12u);
  // Same seed, same images: inference is deterministic.
  const auto z = torch::randn({4, model.generator->latent_dim()}, at::detail::createCPUGenerator(1));
  EXPECT_TRUE(torch::equal(model.generator->generate(z), model.generator->generate(z)));
}

TEST(DefaultModel, FeaturesAreDifferentiableInTheCodesAndNothingElseIs) {
  const fs::path dir = LW_DEFAULT_MODEL;
  if (!fs::exists(dir / "manifest.json")) GTEST_SKIP() << "no trained default model at " << dir;
  const auto model = load_model(dir);
  const auto& g = *model.generator;
  ASSERT_TRUE(g.has_synthesis_features());
  const auto z = torch::randn({2, g.latent_dim()}).requires_grad_();
  g.features(z, 1).pow(2).sum().backward();
  ASSERT_TRUE(z.grad().defined());
  EXPECT_GT(z.grad().abs().sum().item<float>(), 0.f);
  const auto w = g.mapping(z).detach().requires_grad_();
  g.synthesis_features(w, 0).sum().backward();
  ASSERT_TRUE(w.grad().defined());
  EXPECT_GT(w.grad().abs().sum().item<float>(), 0.f);
  // Plain inference builds no graph, and under NoGradGuard the features do not either.
  EXPECT_FALSE(g.generate(z).requires_grad());
  torch::NoGradGuard no_grad;
  EXPECT_FALSE(g.features(z, 1).requires_grad());
  EXPECT_THROW(g.synthesis_features(w, g.feature_layers()), Error);
}

}  // namespace
}  // namespace lw::plugin
