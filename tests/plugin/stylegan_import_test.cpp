// The importer against NVlabs' own numbers: pickles written at test time with stand-in classes
// of NVlabs' byte layout (tests/support/pickles/make_test_pickles.py) around weights taken from
// NVlabs' random-weight networks, and the images NVlabs' code drew from them
// (tests/fixtures/stylegan, made by scripts/reference/make_stylegan_fixtures.py).
#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "core/render_codes.hpp"
#include "core/base/pickle_reader.hpp"
#include "plugin/stylegan/importer.hpp"
#include "plugin/stylegan/module_tree.hpp"
#include "plugin/stylegan/script_builder.hpp"
#include "plugin/stylegan/shapes.hpp"
#include "plugin/torchscript_model.hpp"
#include "tests/test_paths.hpp"

namespace fs = std::filesystem;
using namespace lw::plugin::stylegan;

namespace {

const fs::path kPickles = fs::path(LW_TEST_TMP) / "stylegan-pickles";
const fs::path kOut = fs::path(LW_TEST_TMP) / "stylegan-imports";

at::Tensor npy(const std::string& config, const std::string& key) {
  const auto a = lw::read_npy(kPickles / (config + "_" + key + ".npy"));
  return torch::from_blob(const_cast<float*>(a.data.data()), a.shape, torch::kFloat).clone();
}

bool has_case(const std::string& config, const std::string& key) {
  return fs::exists(kPickles / (config + "_" + key + ".npy"));
}

ImportReport import_file(const std::string& file, const std::string& out, std::optional<int> cls = std::nullopt) {
  ImportOptions o;
  o.source = kPickles / file;
  fs::create_directories(kOut);  // latentwalk creates an output folder's last part only
  o.out = kOut / out;
  o.class_index = cls;
  o.replace = true;
  o.progress = false;
  return import_network(o);
}

torch::jit::Module load_generator(const std::string& out) {
  auto m = torch::jit::load((kOut / out / "generator.pt").string());
  m.eval();
  return m;
}

at::Tensor run(torch::jit::Module& m, const char* method, const at::Tensor& x) {
  torch::NoGradGuard no_grad;
  return m.run_method(method, x).toTensor();
}

double max_diff(const at::Tensor& a, const at::Tensor& b) {
  EXPECT_EQ(a.sizes(), b.sizes());
  return (a - b).abs().max().item<double>();
}

constexpr double kTolerance = 1e-3;

class ImagesEqualNVlabs : public ::testing::TestWithParam<std::string> {};

TEST_P(ImagesEqualNVlabs, AtPsi1Psi07WPlusAndTransform) {
  const std::string config = GetParam();
  const auto report = import_file(config + ".pkl", config);
  auto g = load_generator(config);
  const at::Tensor z = npy(config, "z");
  const at::Tensor w = run(g, "mapping", z);
  const at::Tensor w_ref = npy(config, "w_psi1");
  EXPECT_LT(max_diff(w, w_ref.select(1, 0)), 1e-4) << "mapping";
  const at::Tensor img = run(g, "synthesis_raw", w);
  const double d1 = max_diff(img, npy(config, "img_psi1"));
  EXPECT_LT(d1, kTolerance) << "psi 1";
  // Truncation as the viewer and sample apply it: toward the file's w_avg.
  const at::Tensor w07 = at::lerp(g.attr("w_avg").toTensor(), w, 0.7);
  EXPECT_LT(max_diff(w07, npy(config, "w_psi07").select(1, 0)), 1e-4) << "psi 0.7 codes";
  if (has_case(config, "img_psi07")) {
    EXPECT_LT(max_diff(run(g, "synthesis_raw", w07), npy(config, "img_psi07")), kTolerance) << "psi 0.7";
  }
  const double dplus = max_diff(run(g, "synthesis_raw", npy(config, "wplus")), npy(config, "img_wplus"));
  EXPECT_LT(dplus, kTolerance) << "W+";
  if (has_case(config, "transform")) {
    g.run_method("set_input_transform", npy(config, "transform"));
    EXPECT_LT(max_diff(run(g, "synthesis_raw", w), npy(config, "img_transform")), kTolerance) << "input transform";
  }
  std::cout << config << " (" << report.info.architecture << "): max |ours - NVlabs| " << d1 << " at psi 1, " << dplus
            << " in W+\n";
}

INSTANTIATE_TEST_SUITE_P(Configs, ImagesEqualNVlabs, ::testing::Values("sg2_256", "sg2ada_64", "sg2orig_64", "sg2resnet_64", "sg3t_64", "sg3r_64"));

TEST(StyleganImport, ModelFolderLoadsThroughTheContract) {
  import_file("sg3t_64.pkl", "contract");
  auto model = lw::plugin::load_model(kOut / "contract");
  EXPECT_EQ(model.manifest.architecture, "StyleGAN3-T");
  EXPECT_EQ(model.manifest.num_ws, 16);
  const auto& g = *model.generator;
  const at::Tensor img = g.generate(npy("sg3t_64", "z"));
  EXPECT_EQ(img.sizes(), at::IntArrayRef({2, 3, 64, 64}));
  EXPECT_LE(img.abs().max().item<float>(), 1.0f);
  EXPECT_TRUE(g.w_avg().defined());
  EXPECT_EQ(g.features(npy("sg3t_64", "z"), 0).size(0), 2);
}

TEST(StyleganImport, InputTransformTurnsTheImageAsNVlabsDoes) {
  import_file("sg3t_64.pkl", "transform");
  auto model = lw::plugin::load_model(kOut / "transform");
  const auto& g = *model.generator;
  ASSERT_TRUE(g.has_input_transform());
  // The fixture's transform is gen_images.py's for --rotate 10 --translate 0.1,-0.05.
  auto values = lw::input_transform(10.f, 0.1f, -0.05f);
  const at::Tensor m = torch::from_blob(values.data(), {3, 3}, torch::kFloat).clone();
  EXPECT_LT(max_diff(m, npy("sg3t_64", "transform")), 1e-6);
  const at::Tensor w = g.mapping(npy("sg3t_64", "z"));
  const at::Tensor img = g.synthesis_transformed(w, m);
  EXPECT_LT(max_diff(img, npy("sg3t_64", "img_transform").clamp(-1, 1)), kTolerance);
  EXPECT_GT(max_diff(img, g.synthesis(w)), 1e-3) << "the transform changes the image";
}

// The layers NVlabs runs in fp16 (sg2ada_64 marks its upper blocks) in a low precision: on this
// CPU bfloat16 (8 bits of mantissa, so about 1% of the range), float16 on a GPU.
TEST(StyleganImport, LowPrecisionLayersStayCloseToFloat32) {
  import_file("sg2ada_64.pkl", "low-precision");
  auto model = lw::plugin::load_model(kOut / "low-precision");
  auto& g = *model.generator;
  const at::Tensor w = g.mapping(npy("sg2ada_64", "z"));
  const at::Tensor full = g.synthesis(w);
  ASSERT_TRUE(g.set_low_precision(true, c10::ScalarType::BFloat16));
  const at::Tensor low = g.synthesis(w);
  EXPECT_EQ(low.scalar_type(), at::kFloat);
  EXPECT_GT(max_diff(low, full), 0.0) << "the low-precision layers ran";
  EXPECT_LT((low - full).abs().mean().item<double>(), 0.02);
  ASSERT_TRUE(g.set_low_precision(false, c10::ScalarType::BFloat16));
  EXPECT_EQ(max_diff(g.synthesis(w), full), 0.0);
}

TEST(StyleganImport, TrainingSnapshotDrawsGEmaAndScoresWithD) {
  const auto report = import_file("snapshot.pkl", "snapshot");
  EXPECT_EQ(report.discriminator, "imported as the realism scorer");
  auto g = load_generator("snapshot");
  const at::Tensor img = run(g, "synthesis_raw", run(g, "mapping", npy("sg2_256", "z")));
  EXPECT_LT(max_diff(img, npy("sg2_256", "img_psi1")), kTolerance);
  // NVlabs' D on a batch of one (its minibatch deviation over a group of one, as ours always is).
  auto model = lw::plugin::load_model(kOut / "snapshot");
  ASSERT_NE(model.discriminator, nullptr);
  const at::Tensor logits = model.discriminator->realism(npy("sg2_256", "img_psi1"));
  EXPECT_LT(max_diff(logits, npy("sg2_256", "d_logits").view(-1)), kTolerance) << logits;
}

TEST(StyleganImport, Protocol2PickleReadsTheSame) {
  import_file("protocol2.pkl", "protocol2");
  auto g = load_generator("protocol2");
  EXPECT_LT(max_diff(run(g, "synthesis_raw", npy("sg3r_64", "wplus")), npy("sg3r_64", "img_wplus")), kTolerance);
}

TEST(StyleganImport, ConditionalModelNeedsAClass) {
  fs::remove_all(kOut / "conditional");
  try {
    import_file("conditional.pkl", "conditional");
    FAIL() << "a conditional generator imported without --class";
  } catch (const lw::Error& e) {
    EXPECT_NE(std::string(e.what()).find("--class"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(kOut / "conditional"));
  const auto report = import_file("conditional.pkl", "conditional", 3);
  EXPECT_GE(report.info.resolution, 64);
  EXPECT_TRUE(fs::exists(kOut / "conditional" / "generator.pt"));
}

TEST(StyleganImport, RosinalityCheckpoints) {
  for (const char* file : {"rosinality.pt", "rosinality_noargs.pt", "legacy_torchsave.pt", "rosinality_converted.pt"}) {
    SCOPED_TRACE(file);
    const auto report = import_file(file, std::string("ros-") + file);
    EXPECT_EQ(report.format, "rosinality checkpoint");
    EXPECT_EQ(report.info.resolution, 64);
    EXPECT_EQ(report.info.num_ws, 10);
    auto g = load_generator(std::string("ros-") + file);
    EXPECT_GT(g.attr("w_avg").toTensor().abs().sum().item<float>(), 0.f) << "w_avg estimated";
  }
}

struct BadFile {
  const char* file;
  const char* message;
};

void PrintTo(const BadFile& b, std::ostream* os) { *os << b.file; }

class RejectsBadFiles : public ::testing::TestWithParam<BadFile> {};

TEST_P(RejectsBadFiles, WithOneClearErrorAndNoFolder) {
  const auto [file, message] = GetParam();
  const std::string out = std::string("bad-") + file;
  fs::remove_all(kOut / out);
  try {
    import_file(file, out);
    FAIL() << file << " was imported";
  } catch (const lw::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(message), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
  }
  EXPECT_FALSE(fs::exists(kOut / out));
  EXPECT_FALSE(fs::exists(kOut / ("." + out + ".importing")));
}

INSTANTIATE_TEST_SUITE_P(
    Files, RejectsBadFiles,
    ::testing::Values(BadFile{"unknown_global_in_generator.pkl", "posix.system"},
                      BadFile{"truncated.pkl", "truncated.pkl: pickle:"},
                      BadFile{"not_a_generator.pkl", "with no generator"},
                      BadFile{"recursive.pkl", "with no generator"},
                      BadFile{"oversized.pkl", "claims 4611686018427387904 bytes"},
                      BadFile{"oversized_unicode.pkl", "claims 4611686018427387904 bytes"},
                      BadFile{"bad_storage.pkl", "more elements than its storage (4) holds"}),
    [](const auto& info) {
      std::string n = info.param.file;
      for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

// A network pickle cut anywhere (200 places spread over the file) is an error, never a crash or
// a folder.
TEST(StyleganImport, EveryCutOfANetworkPickleIsAClearError) {
  std::ifstream in(kPickles / "sg2ada_64.pkl", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000u);
  const fs::path cut = kOut / "cut.pkl";
  for (std::size_t n = 1; n < 200; ++n) {
    const std::size_t size = bytes.size() * n / 200;
    std::ofstream(cut, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(size));
    ImportOptions o;
    o.source = cut;
    o.out = kOut / "cut";
    o.progress = false;
    EXPECT_THROW(import_network(o), lw::Error) << "cut at " << size << " of " << bytes.size();
    EXPECT_FALSE(fs::exists(kOut / "cut"));
  }
}

// Protocol 2 bytes for hand-made hostile trees.
std::string text(const std::string& s) { return "X" + std::string(1, static_cast<char>(s.size())) + std::string(3, '\0') + s; }
// NVlabs' persistent object of class `name` whose state dict holds `state_items` (keys and
// values, already as opcodes).
std::string persistent(const std::string& name, const std::string& state_items) {
  return "ctorch_utils.persistence\n_reconstruct_persistent_obj\n(}(" + text("class_name") + text(name) + text("state") +
         "}(" + text("_parameters") + "}" + state_items + "uutR";
}
// A list of two references to the list before it, `levels` deep: 2^levels paths, levels+1 lists.
std::string shared_lists(int levels) {
  std::string s = "]q\x01";
  for (int i = 2; i <= levels + 1; ++i)
    s += "0(h" + std::string(1, static_cast<char>(i - 1)) + "h" + std::string(1, static_cast<char>(i - 1)) + "lq" +
         std::string(1, static_cast<char>(i));
  return s;
}

TEST(StyleganImport, SharedReferencesCannotMakeTheTreeExponential) {
  using namespace lw::pickle;
  // An attribute holding 2^60 paths through 61 lists is read once per list.
  {
    const std::string bytes = "\x80\x02" + persistent("Generator", text("_modules") + "}" + text("x") + shared_lists(60)) + ".";
    Document doc;
    const Value* root = read_stream(doc, bytes, ReadOptions{});
    const auto tree = lw::plugin::stylegan::module_tree(*root, "");
    EXPECT_TRUE(tree->has("x"));
  }
  // A module whose two children are one module, 30 levels down, is refused, not walked 2^30
  // times: a torch module appears once in a network.
  {
    std::string m = persistent("Leaf", text("_modules") + "}") + "q\x01";
    for (int i = 2; i <= 31; ++i) {
      const std::string prev = "h" + std::string(1, static_cast<char>(i - 1));
      m += "0" + persistent("Node", text("_modules") + "}(" + text("a") + prev + text("b") + prev + "u") + "q" +
           std::string(1, static_cast<char>(i));
    }
    Document doc;
    const Value* root = read_stream(doc, "\x80\x02" + m + ".", ReadOptions{});
    try {
      lw::plugin::stylegan::module_tree(*root, "");
      FAIL() << "a module tree of 2^30 nodes was built";
    } catch (const lw::Error& e) {
      EXPECT_NE(std::string(e.what()).find("appears twice in the network"), std::string::npos) << e.what();
    }
  }
}

// Module and layer names from a file become parts of the network's source: only plain
// identifiers pass, so a name cannot add a statement.
TEST(StyleganImport, NamesFromAFileNeverBecomeCode) {
  lw::plugin::stylegan::ScriptBuilder b("Probe");
  EXPECT_EQ(b.tensor("synthesis.L0_36_512.weight", torch::zeros({1})), "self.synthesis_L0_36_512_weight");
  EXPECT_THROW(b.tensor("synthesis.L0, 1)\n    while True:\n        pass\n#.weight", torch::zeros({1})), lw::Error);
  EXPECT_THROW(b.tensor("synthesis.b4 .weight", torch::zeros({1})), lw::Error);
  EXPECT_THROW(b.tensor("synthesis_L0_36_512.weight", torch::zeros({1})), lw::Error) << "the same flat name twice";
}

TEST(StyleganImport, UnknownGlobalOutsideTheGeneratorIsIgnored) {
  const auto report = import_file("unknown_global_outside_generator.pkl", "outside");
  EXPECT_EQ(report.format, "NVlabs pickle");
  EXPECT_FALSE(fs::exists("/tmp/lw_pwned"));
}

}  // namespace
