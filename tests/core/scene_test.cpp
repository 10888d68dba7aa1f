// The scene reads its parameter values every frame: a stride, a period, an alpha or the tempo
// moves the codes of the same scene object, with no rebuild, exactly as a scene built with those
// values would place them.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "core/base/check.hpp"
#include "core/boundary.hpp"
#include "core/model.hpp"
#include "core/npy.hpp"
#include "core/scene.hpp"
#include "tests/test_paths.hpp"

namespace lw {
namespace {
namespace fs = std::filesystem;

// A generator of Z codes only: all a scene in Z asks of a model is its latent size.
class ZOnly : public Generator {
 public:
  int latent_dim() const override { return 8; }
  int height() const override { return 4; }
  int width() const override { return 4; }
  int w_dim() const override { return 0; }
  int num_ws() const override { return 0; }
  int feature_layers() const override { return 0; }
  at::Tensor generate(const at::Tensor& z) const override { return torch::zeros({z.size(0), 3, 4, 4}); }
  at::Tensor mapping(const at::Tensor&) const override { LW_FAIL("no mapping"); }
  at::Tensor synthesis(const at::Tensor&) const override { LW_FAIL("no synthesis"); }
  at::Tensor features(const at::Tensor&, int) const override { LW_FAIL("no features"); }
  bool has_synthesis_features() const override { return false; }
  at::Tensor synthesis_features(const at::Tensor&, int) const override { LW_FAIL("no features"); }
  void to_device(const c10::Device&) override {}
  c10::Device device() const override { return c10::Device(c10::kCPU); }
};

class SceneValues : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(LW_TEST_TMP) / "scene_values";
    fs::create_directories(folder_);
    Latent d = Latent::Zero(8), e = Latent::Zero(8);
    d[0] = 1.f;
    e[1] = 1.f;
    write_boundary(folder_ / "age.npy", d);
    write_boundary(folder_ / "smile.npy", e);
    preset_.model = folder_.string();
    preset_.seed = 3;
    preset_.tiles.resize(2);
    for (auto& t : preset_.tiles) t.direction = (folder_ / "age.npy").string(), t.stride = 2.f, t.period = 4.f;
    preset_.edits = {{{(folder_ / "smile.npy").string(), 0}, 0.5f}};
    model_.generator = &generator_;
    model_.folder = folder_;
  }

  // Where tile 0 is at walk time t with this stride and period (seconds), alpha along smile.
  Latent expected(double t, float stride, float period, float alpha) const {
    WalkSettings w;
    w.start = seeded_code(3, 8);
    w.direction = Latent::Unit(8, 0);
    w.stride = stride;
    w.period = period;
    return latent_at(w, t) + alpha * Latent::Unit(8, 1);
  }

  fs::path folder_;
  Preset preset_;
  ZOnly generator_;
  SceneModel model_;
};

TEST_F(SceneValues, AValueMovesTheCodesOfTheSameSceneAsABuildWithItWould) {
  LearnedCache learned;
  Scene scene(preset_, model_, learned);
  ParameterRegistry r;
  ASSERT_EQ(register_scene_parameters(r, preset_).tiles.size(), 2u);
  std::vector<float> codes;
  scene.codes(1.0, r.values(), codes);
  ASSERT_EQ(codes.size(), 16u);
  EXPECT_TRUE(Eigen::Map<const Latent>(codes.data(), 8).isApprox(expected(1.0, 2.f, 4.f, 0.5f)));

  r.assign("/tile/1/stride=5");
  r.assign("/edit/smile/alpha=-1.5");
  scene.codes(1.0, r.values(), codes);
  EXPECT_EQ(Latent(Eigen::Map<const Latent>(codes.data(), 8)), expected(1.0, 5.f, 4.f, -1.5f));
  // Tile 2 keeps its own stride, and moves by the same edit.
  EXPECT_EQ(Latent(Eigen::Map<const Latent>(codes.data() + 8, 8)), expected(1.0, 2.f, 4.f, -1.5f));

  // A tempo makes periods count beats: 4 beats at 120 bpm are 2 seconds.
  r.assign("/clock/bpm=120");
  scene.codes(0.25, r.values(), codes);
  EXPECT_EQ(Latent(Eigen::Map<const Latent>(codes.data(), 8)), expected(0.25, 5.f, 2.f, -1.5f));

  // The same values as a preset, built afresh: the same codes to the bit.
  Preset built = preset_;
  built.tiles[0].stride = 5.f;
  built.edits[0].alpha = -1.5f;
  built.bpm = 120.0;
  Scene fresh(built, model_, learned);
  std::vector<float> again;
  fresh.codes(0.25, r.values(), again);
  EXPECT_EQ(again, codes);
  EXPECT_EQ(scene.spec(r.values()).truncation, 1.f);
  r.assign("/model/truncation=0.6");
  EXPECT_FLOAT_EQ(scene.spec(r.values()).truncation, 0.6f);
}

// W and W+ with the mapping as the identity: codes read back exactly as written.
class IdentityW : public ZOnly {
 public:
  int latent_dim() const override { return 4; }
  int w_dim() const override { return 4; }
  int num_ws() const override { return 3; }
  at::Tensor mapping(const at::Tensor& z) const override { return z.clone(); }
};

TEST(SceneCodeStart, AW_PlusCodeKeepsEveryRowAndTheWalkMovesTheRowsItMoves) {
  const fs::path folder = fs::path(LW_TEST_TMP) / "scene_code_start";
  fs::create_directories(folder);
  write_boundary(folder / "d.npy", Latent::Unit(4, 0));
  NpyArray code;
  code.shape = {1, 3, 4};
  code.data = {1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4};
  write_npy(folder / "me.npy", code);
  Preset p;
  p.model = folder.string();
  p.space = "wplus";
  p.layer_begin = 1;  // rows 1 and 2 walk; row 0 keeps the photo's
  p.tiles.resize(1);
  p.tiles[0].direction = (folder / "d.npy").string();
  p.tiles[0].stride = 2.f, p.tiles[0].period = 4.f;
  p.tiles[0].start_file = (folder / "me.npy").string();
  IdentityW g;
  SceneModel model;
  model.generator = &g;
  model.folder = folder;
  LearnedCache learned;
  Scene scene(p, model, learned);
  ParameterRegistry r;
  register_scene_parameters(r, p);
  std::vector<float> codes;
  scene.codes(0.0, r.values(), codes);
  ASSERT_EQ(codes.size(), 12u);
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_NEAR(codes[i], code.data[i], 1e-5f) << "at the start every row is the file's own";
  scene.codes(1.0, r.values(), codes);  // a quarter period: eps = stride
  for (int row = 0; row < 3; ++row)
    for (int k = 0; k < 4; ++k) {
      const float moved = row >= 1 && k == 0 ? 2.f : 0.f;
      EXPECT_NEAR(codes[static_cast<std::size_t>(row * 4 + k)], code.data[static_cast<std::size_t>(row * 4 + k)] + moved, 1e-5f)
          << "row " << row << " component " << k;
    }
  // A walk of another kind starts from seeds: a code file left on it is not read.
  Preset random = p;
  random.tiles[0].walk = WalkKind::Random;
  random.tiles[0].start_file = (folder / "gone.npy").string();
  EXPECT_NO_THROW(Scene(random, model, learned));
  // In W the rows of a W+ code have nowhere to go: the error says where they do.
  p.space = "w";
  try {
    Scene w(p, model, learned);
    ADD_FAILURE() << "a W+ code in W built";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("W+ preset"), std::string::npos) << e.what();
  }
  fs::remove_all(folder);
}

}  // namespace
}  // namespace lw
