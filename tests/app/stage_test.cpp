// The stage headless on lavapipe, validation on: parameters moved frame by frame (applied in the
// very next frame, no rebuild, no LibTorch call on the render thread), structure changes that
// fail and that build, a generator that never finishes (the display-paced loop goes on), and a
// background recording sharing the device and the model.
#include <gtest/gtest.h>
#include <lo/lo.h>
#include <torch/torch.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "app/stage/frame_outputs.hpp"
#include "app/stage/stage.hpp"
#include "app/stage/torch_call_counter.hpp"
#include "core/base/check.hpp"
#include "gui/control/link_session.hpp"
#include "gui/control/midi_input.hpp"
#include "gui/control/osc_sender.hpp"
#include "gui/control/osc_server.hpp"
#include "gui/control/track_player.hpp"
#include "core/synth_beat.hpp"
#include "core/track_analysis.hpp"
#include "core/model.hpp"
#include "core/walk.hpp"
#include "core/image.hpp"
#include "core/npy.hpp"
#include "core/tensor_images.hpp"
#include "plugin/dataset_batch.hpp"
#include "plugin/manifest.hpp"
#include "plugin/torchscript_model.hpp"
#include "renderer/context.hpp"
#include "renderer/offscreen_target.hpp"
#include "tests/test_paths.hpp"
#include "tests/support/test_validation.hpp"

namespace lw::stage {
namespace {
namespace fs = std::filesystem;

// Every frame's pixels, in memory.
class Frames : public FrameObserver {
 public:
  bool wants(std::uint64_t) const override { return true; }
  void on_frame(std::uint64_t index, const renderer::ReadbackImage& image) override {
    if (pixels.size() <= index) pixels.resize(index + 1);
    pixels[index].assign(image.pixels, image.pixels + static_cast<std::size_t>(image.width) * image.height * 4);
  }
  std::vector<std::vector<std::uint8_t>> pixels;
};

renderer::ContextOptions validated() {
  renderer::ContextOptions o;
  o.validation = test::validate_vulkan();
  return o;
}

fs::path shipped_preset() { return fs::path(LW_DEFAULT_MODEL).parent_path().parent_path() / "presets" / "compare_age.json"; }

class StageTest : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_EQ(context_.validation_errors(), 0);
    EXPECT_EQ(context_.validation_warnings(), 0);
  }
  StageOptions options(Pacing pacing) const {
    StageOptions o;
    o.preset = read_preset_resolved(shipped_preset());
    o.preset_file = shipped_preset();
    o.pacing = pacing;
    o.threads = 1;
    return o;
  }
  static void draw(Stage& stage, int frames, double dt = 0.0) {
    for (int k = 0; k < frames;) {
      if (!stage.begin_frame(dt)) continue;
      stage.end_frame(nullptr);
      ++k;
    }
  }

  renderer::Context context_{validated()};
  renderer::OffscreenTarget target_{context_.vulkan_device(), 256, 144, 2};
};

TEST(TorchCallCounter, CountsOperatorsOnItsOwnThreadOnly) {
  TorchCallCounter counter;
  std::thread([] { (void)(torch::ones({4}) * 2); }).join();
  EXPECT_EQ(counter.calls(), 0u) << "another thread's operators are not this thread's";
  const auto x = torch::ones({4}) * 2;
  EXPECT_GT(counter.calls(), 0u);
}

TEST_F(StageTest, ParametersMovedFrameByFrameApplyInTheNextFrameWithoutRebuildOrRenderThreadTorch) {
  constexpr int kFrames = 10;
  auto stride_at = [](int k) { return 1.0 + 0.5 * k; };
  auto truncation_at = [](int k) { return 1.0 - 0.04 * k; };
  auto alpha_at = [](int k) { return -2.0 + 0.5 * k; };
  // The shipped comparison with an edit along smile, whose alpha moves too.
  auto with_edit = [&] {
    StageOptions o = options(Pacing::Content);
    o.preset->edits = {{{(fs::path(LW_DEFAULT_MODEL) / "boundaries" / "w" / "smile.npy").string(), 0}, 1.f}};
    return o;
  };
  Frames moved;
  {
    StageOptions o = with_edit();
    o.frames = kFrames;
    Stage stage(context_, target_, o);
    stage.add_observer(&moved);
    stage.warm_up(nullptr);
    const int stride = stage.parameters().index("/tile/1/stride");
    const int truncation = stage.parameters().index("/model/truncation");
    const int alpha = stage.parameters().index("/edit/smile/alpha");
    for (int k = 0; k < kFrames;) {
      stage.parameters().set(stride, stride_at(k));
      stage.parameters().set(truncation, truncation_at(k));
      stage.parameters().set(alpha, alpha_at(k));
      if (!stage.begin_frame()) continue;
      stage.end_frame(nullptr);
      ++k;
    }
    stage.finish();
    const auto c = stage.counters();
    EXPECT_EQ(c.frames, static_cast<std::uint64_t>(kFrames));
    EXPECT_EQ(c.batches, static_cast<std::uint64_t>(kFrames));
    EXPECT_EQ(c.scene_rebuilds, 0u);
    EXPECT_EQ(c.render_thread_torch_calls, 0u);
    stage.remove_observer(&moved);
  }
  ASSERT_EQ(moved.pixels.size(), static_cast<std::size_t>(kFrames));
  // A stage that had frame 6's values from the start draws frame 6 the same, to the byte.
  constexpr int kCheck = 6;
  Frames fixed;
  StageOptions o = with_edit();
  o.frames = kCheck + 1;
  o.assignments = {"/tile/1/stride=" + std::to_string(stride_at(kCheck)),
                   "/model/truncation=" + std::to_string(truncation_at(kCheck)),
                   "/edit/smile/alpha=" + std::to_string(alpha_at(kCheck))};
  Stage stage(context_, target_, o);
  stage.add_observer(&fixed);
  stage.warm_up(nullptr);
  draw(stage, kCheck + 1);
  stage.finish();
  stage.remove_observer(&fixed);
  EXPECT_TRUE(fixed.pixels[kCheck] == moved.pixels[kCheck]) << "frame 6 shows the values set before it";
  EXPECT_FALSE(fixed.pixels[kCheck - 1] == moved.pixels[kCheck - 1]) << "frame 5 showed its own values";
}

TEST_F(StageTest, OscFromARealClientAppliesInTheNextFrameAndAddsEditsByName) {
  control::OscServer osc("127.0.0.1", 0);
  control::OscServer controller("127.0.0.1", 0);  // a controller's layout, following the screen
  control::OscSender feedback("127.0.0.1:" + std::to_string(controller.port()));
  StageOptions o = options(Pacing::Content);
  Stage stage(context_, target_, o);
  stage.attach_osc(&osc, &feedback);
  stage.warm_up(nullptr);
  draw(stage, 2);
  lo_address to = lo_address_new("127.0.0.1", std::to_string(osc.port()).c_str());
  lo_send(to, "/tile/1/stride", "f", 4.0f);
  lo_send(to, "/norm/clock/speed", "f", 0.125f);
  lo_send(to, "/no/such/thing", "f", 1.0f);
  lo_send(to, "/edit/smile/alpha", "f", 1.5f);
  lo_address_free(to);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (osc.counters().messages < 4 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(stage.begin_frame());  // the next frame has the values
  EXPECT_EQ(stage.parameters().value("/tile/1/stride"), 4.0);
  EXPECT_EQ(stage.parameters().value("/clock/speed"), 2.0);
  stage.end_frame(nullptr);
  EXPECT_EQ(stage.status().osc.applied, 2u);
  EXPECT_EQ(stage.status().osc.unknown, 1u);
  EXPECT_EQ(stage.status().osc.edits_added, 1u);
  // The edit arrives with the scene built for it, off the render thread.
  for (int k = 0; k < 200 && !stage.parameters().find("/edit/smile/alpha"); ++k) draw(stage, 1);
  ASSERT_TRUE(stage.parameters().find("/edit/smile/alpha"));
  EXPECT_EQ(stage.parameters().value("/edit/smile/alpha"), 1.5);
  EXPECT_EQ(stage.parameters().value("/tile/1/stride"), 4.0) << "a new scene keeps the values moved before it";
  // A start code for tile 1, d numbers in the walk's space: a new scene starting there.
  const int dims = stage.status().session.w_dim;
  lo_message code = lo_message_new();
  for (int i = 0; i < dims; ++i) lo_message_add_float(code, 0.01f * static_cast<float>(i));
  lo_address again = lo_address_new("127.0.0.1", std::to_string(osc.port()).c_str());
  lo_send_message(again, "/tile/1/code", code);
  lo_send(again, "/tile/1/code", "ff", 1.0f, 2.0f);  // two numbers are no code of this space: refused
  lo_message_free(code);
  lo_address_free(again);
  for (int k = 0; k < 300 && stage.status().session.applied.tiles[0].start_code.empty(); ++k) {
    draw(stage, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(stage.status().session.applied.tiles[0].start_code.size(), static_cast<std::size_t>(dims));
  EXPECT_FLOAT_EQ(stage.status().session.applied.tiles[0].start_code[3], 0.03f);
  for (int k = 0; k < 50 && stage.status().osc.rejected == 0; ++k) draw(stage, 1);
  EXPECT_EQ(stage.status().osc.rejected, 1u);
  // A preset is loaded by name only: a path in a packet, even to a real preset, is refused.
  const auto tiles = stage.status().session.applied.tiles.size();
  lo_address loader = lo_address_new("127.0.0.1", std::to_string(osc.port()).c_str());
  unsigned long long refused = stage.status().osc.rejected;
  for (const std::string& path : {shipped_preset().string(), std::string("../../presets/compare_age")}) {
    lo_send(loader, "/preset/load", "s", path.c_str());  // one per frame: a frame loads its last
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (stage.status().osc.rejected == refused && std::chrono::steady_clock::now() < until) {
      draw(stage, 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_EQ(stage.status().osc.rejected, ++refused) << path;
  }
  lo_address_free(loader);
  EXPECT_NE(stage.status().message.find("no preset of that name"), std::string::npos) << stage.status().message;
  EXPECT_EQ(stage.status().session.applied.tiles.size(), tiles);
  stage.finish();
  EXPECT_EQ(stage.counters().render_thread_torch_calls, 0u);
  // Feedback: every value once at the start, then each change; the last stride sent is 4.
  double last_stride = -1.0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < until && last_stride != 4.0) {
    while (auto m = controller.queue().pop())
      if (m->address == "/tile/1/stride") last_stride = m->numbers.at(0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(last_stride, 4.0);
}

TEST_F(StageTest, AControllerBoundByMidiLearnStaysBoundThroughASavedAndReloadedPreset) {
  auto cc = [](int number, int value) {
    control::RawMidi m;
    m.bytes = {0xB0, static_cast<std::uint8_t>(number), static_cast<std::uint8_t>(value)};
    m.size = 3;
    return m;
  };
  const fs::path saved = fs::path(LW_TEST_TMP) / "learned.json";
  {
    control::MidiQueue midi;
    Stage stage(context_, target_, options(Pacing::Content));
    stage.attach_midi(&midi);
    stage.warm_up(nullptr);
    stage.command({Command::Kind::Learn, "/tile/1/stride"});
    EXPECT_EQ(stage.status().learning, "/tile/1/stride");
    midi.push(cc(21, 10));  // the knob moved while learning: it is the source now
    draw(stage, 1);
    EXPECT_TRUE(stage.status().learning.empty());
    ASSERT_EQ(stage.bindings().bindings().size(), 1u);
    EXPECT_EQ(stage.bindings().bindings()[0].source.number, 21);
    midi.push(cc(21, 127));
    draw(stage, 1);
    EXPECT_EQ(stage.parameters().value("/tile/1/stride"), 100.0);  // the top of the knob: the top of the range
    midi.push(cc(22, 127));  // another knob: not bound
    draw(stage, 1);
    EXPECT_EQ(stage.status().midi.bound, 1u);
    stage.save_preset(saved);
    stage.finish();
  }
  StageOptions o = options(Pacing::Content);
  o.preset = read_preset_resolved(saved);
  control::MidiQueue midi;
  Stage stage(context_, target_, o);
  stage.attach_midi(&midi);
  stage.warm_up(nullptr);
  midi.push(cc(21, 0));
  draw(stage, 1);
  EXPECT_EQ(stage.parameters().value("/tile/1/stride"), 0.0) << "the reloaded preset's knob moves the stride";
  stage.command({Command::Kind::Unbind, "/tile/1/stride"});
  midi.push(cc(21, 127));
  draw(stage, 1);
  EXPECT_EQ(stage.parameters().value("/tile/1/stride"), 0.0);
  stage.finish();
}

TEST_F(StageTest, TheTempoFollowsAnAbletonLinkPeerAndATapHereLeadsIt) {
  control::LinkSession stage_link(120.0), peer(120.0);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (peer.peers() == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (peer.peers() == 0) GTEST_SKIP() << "the Link peers did not find each other in 30 s: no interface here carries Link's multicast";
  Stage stage(context_, target_, options(Pacing::Display));
  stage.attach_link(&stage_link);
  stage.warm_up(nullptr);
  peer.set_tempo(97.0);
  for (int k = 0; k < 300 && std::abs(stage.parameters().value("/clock/bpm") - 97.0) > 1e-3; ++k) {
    draw(stage, 1, 1.0 / 60);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NEAR(stage.parameters().value("/clock/bpm"), 97.0, 1e-3);
  stage.parameters().set(stage.parameters().index("/clock/bpm"), 140.0);  // moved here: proposed to the session
  draw(stage, 1, 1.0 / 60);
  const auto later = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::abs(peer.tempo() - 140.0) > 1e-3 && std::chrono::steady_clock::now() < later)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NEAR(peer.tempo(), 140.0, 1e-3);
  EXPECT_EQ(stage.status().link.peers, 1u);
  stage.finish();
}

TEST_F(StageTest, TheDifferenceTileIsBlackWhereTheWalksAgreeAndShowsWhereTheyPartLater) {
  StageOptions o = options(Pacing::Content);
  o.preset->difference = true;
  o.frames = 46;
  Frames frames;
  Stage stage(context_, target_, o);
  stage.add_observer(&frames);
  stage.warm_up(nullptr);
  ASSERT_EQ(stage.status().session.tiles, 3);
  EXPECT_EQ(stage.status().session.labels.back(), "|linear - density-preserving|");
  draw(stage, 46);
  stage.finish();
  stage.remove_observer(&frames);
  const renderer::Rect r = stage.status().tiles[2];
  auto mean_in_tile = [&](const std::vector<std::uint8_t>& px) {
    double sum = 0;
    int n = 0;
    for (int y = static_cast<int>(r.y + r.height * 0.2f); y < static_cast<int>(r.y + r.height * 0.8f); ++y)
      for (int x = static_cast<int>(r.x + r.width * 0.2f); x < static_cast<int>(r.x + r.width * 0.8f); ++x, ++n)
        for (int c = 0; c < 3; ++c) sum += px[(static_cast<std::size_t>(y) * 256 + static_cast<std::size_t>(x)) * 4 + c];
    return sum / (3.0 * n);
  };
  // At t = 0 both walks are at their start (the density-preserving one read off its table of
  // corrected codes, whose knots straddle 0: a hair apart).
  EXPECT_LT(mean_in_tile(frames.pixels[0]), 1.0) << "no difference at the start";
  EXPECT_GT(mean_in_tile(frames.pixels[45]), 20.0) << "at eps = stride the walks differ";
}

TEST_F(StageTest, TheClockSpeedMovesTheWalkWithoutAJumpOrARebuild) {
  StageOptions o = options(Pacing::Content);
  Stage stage(context_, target_, o);
  stage.warm_up(nullptr);
  const int speed = stage.parameters().index("/clock/speed");
  for (int k = 0; k < 12; ++k) {
    stage.parameters().set(speed, k < 6 ? 1.0 : 0.25);
    draw(stage, 1);
  }
  // Frame 11 is clock 11/30; the walk ran at speed 1 until frame 6 (clock 0.2), then at a
  // quarter: walk time 0.2 + (11/30 - 0.2) / 4, not 11/30 / 4 (a jump back).
  EXPECT_NEAR(stage.status().time, 11.0 / 30.0, 1e-12);
  WalkSettings tile;
  tile.stride = static_cast<float>(stage.parameters().value("/tile/1/stride"));
  tile.period = static_cast<float>(stage.parameters().value("/tile/1/period"));
  const double walk_time = 6.0 / 30.0 + (11.0 / 30.0 - 6.0 / 30.0) * 0.25;
  EXPECT_FLOAT_EQ(stage.status().eps, walk_eps(tile, walk_time));
  EXPECT_EQ(stage.counters().scene_rebuilds, 0u);
  EXPECT_EQ(stage.counters().render_thread_torch_calls, 0u);
  stage.finish();
}

TEST_F(StageTest, AStructureChangeThatFailsKeepsTheLastSceneAndOneThatBuildsReplacesIt) {
  Stage stage(context_, target_, options(Pacing::Content));
  stage.warm_up(nullptr);
  draw(stage, 2);
  Preset broken = stage.current_preset();
  broken.tiles[0].direction = "/nowhere/missing.npy";
  stage.edit(broken);
  for (int k = 0; k < 500 && stage.status().scene_error.empty(); ++k) draw(stage, 1);
  EXPECT_NE(stage.status().scene_error.find("missing.npy"), std::string::npos) << stage.status().scene_error;
  EXPECT_EQ(stage.status().session.tiles, 2);
  EXPECT_EQ(stage.counters().scene_rebuilds, 0u);
  Preset panels = broken;
  stage.sync_panels(panels);
  EXPECT_EQ(panels, stage.current_preset()) << "the panels go back to the walks that play";

  // Two structure edits in a row: the second waits for the first's build, then builds too; a
  // value moved with the first survives both.
  Preset grown = stage.current_preset();
  grown.tiles.push_back(grown.tiles[0]);
  grown.tiles.back().label = "third";
  grown.tiles[0].stride = 5.5f;
  stage.edit(grown);
  Preset renamed = grown;
  renamed.tiles.back().label = "renamed";
  stage.edit(renamed);
  for (int k = 0; k < 500 && (stage.status().session.labels.size() != 3 || stage.status().session.labels.back() != "renamed"); ++k)
    draw(stage, 1);
  ASSERT_EQ(stage.status().session.tiles, 3);
  EXPECT_EQ(stage.status().session.labels.back(), "renamed");
  EXPECT_EQ(stage.parameters().value("/tile/1/stride"), 5.5);
  EXPECT_GE(stage.counters().scene_rebuilds, 1u);
  EXPECT_LE(stage.counters().scene_rebuilds, 2u);
  EXPECT_TRUE(stage.parameters().find("/tile/3/stride").has_value());
  const auto batches = stage.counters().batches;
  draw(stage, 3);
  EXPECT_EQ(stage.counters().batches, batches + 3) << "the new scene's frames are drawn";
  EXPECT_EQ(stage.counters().render_thread_torch_calls, 0u);
  stage.finish();
}

// A gate the generator waits at until the test opens it.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return open; });
  }
  void release() {
    {
      std::lock_guard lock(mutex);
      open = true;
    }
    cv.notify_all();
  }
};

// The shipped generator, made to wait at the gate once armed.
class GatedGenerator : public Generator {
 public:
  GatedGenerator(const Generator& g, Gate& gate) : g_(g), gate_(gate) {}
  std::atomic<bool> armed{false};
  std::atomic<bool> failing{false};  // as a CUDA context that faulted: every batch throws
  int latent_dim() const override { return g_.latent_dim(); }
  int height() const override { return g_.height(); }
  int width() const override { return g_.width(); }
  int w_dim() const override { return g_.w_dim(); }
  int num_ws() const override { return g_.num_ws(); }
  int feature_layers() const override { return g_.feature_layers(); }
  at::Tensor generate(const at::Tensor& z) const override { return pass(), g_.generate(z); }
  at::Tensor mapping(const at::Tensor& z) const override { return g_.mapping(z); }
  at::Tensor synthesis(const at::Tensor& w) const override { return pass(), g_.synthesis(w); }
  at::Tensor features(const at::Tensor& z, int l) const override { return g_.features(z, l); }
  bool has_synthesis_features() const override { return g_.has_synthesis_features(); }
  at::Tensor synthesis_features(const at::Tensor& w, int l) const override { return g_.synthesis_features(w, l); }
  void to_device(const c10::Device&) override {}
  c10::Device device() const override { return g_.device(); }

 private:
  void pass() const {
    if (failing) throw std::runtime_error("CUDA error: an illegal memory access was encountered\nsimulated by the test");
    if (armed) gate_.wait();
  }
  const Generator& g_;
  Gate& gate_;
};

// `loaded` with its generator behind `gate` (the model keeps using `loaded`'s networks): the model
// to hand a stage, and its generator to arm or fail.
std::pair<std::shared_ptr<plugin::Model>, GatedGenerator*> gated_model(const plugin::Model& loaded, Gate& gate) {
  auto model = std::make_shared<plugin::Model>();
  model->folder = loaded.folder;
  model->manifest = loaded.manifest;
  auto generator = std::make_unique<GatedGenerator>(*loaded.generator, gate);
  GatedGenerator* g = generator.get();
  model->generator = std::move(generator);
  return {model, g};
}

TEST_F(StageTest, ADisplayPacedLoopGoesOnWhileTheGeneratorNeverFinishes) {
  const auto loaded = std::make_shared<plugin::Model>(plugin::load_model(LW_DEFAULT_MODEL));
  Gate gate;
  const auto [gated, generator] = gated_model(*loaded, gate);
  GatedGenerator& g = *generator;
  {
    Stage stage(context_, target_, options(Pacing::Display), gated);
    stage.warm_up(nullptr);
    g.armed = true;
    // If a frame waited for the generator, this would never return: a watchdog opens the gate
    // after a minute, and the test then fails.
    std::atomic<bool> done{false}, rescued{false};
    std::thread watchdog([&] {
      for (int i = 0; i < 600 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!done) rescued = true, gate.release();
    });
    draw(stage, 30, 1.0 / 60.0);
    done = true;
    watchdog.join();
    EXPECT_FALSE(rescued) << "the frames waited for the generator";
    EXPECT_EQ(stage.counters().frames, 30u);
    EXPECT_EQ(stage.counters().batches, 0u) << "no batch finished: the frames went on without one";
    gate.release();
    for (int k = 0; k < 5000 && stage.counters().batches == 0; ++k) draw(stage, 1, 1.0 / 60.0);
    EXPECT_GT(stage.counters().batches, 0u) << "once the generator finishes, its newest batch is drawn";
    EXPECT_EQ(stage.counters().render_thread_torch_calls, 0u);
    stage.finish();
  }
}

// A CUDA context that fails mid-show (it cannot be made to here: the generator throws what LibTorch
// throws then): both pacings end the frames with the generator's error, the next frame or so,
// instead of waiting for a batch that never comes, and the stage still closes.
TEST_F(StageTest, AGeneratorThatFailsMidShowEndsTheFramesWithItsErrorInsteadOfWaiting) {
  const auto loaded = std::make_shared<plugin::Model>(plugin::load_model(LW_DEFAULT_MODEL));
  for (const Pacing pacing : {Pacing::Display, Pacing::Content}) {
    Gate gate;
    const auto [failing, generator] = gated_model(*loaded, gate);
    GatedGenerator& g = *generator;
    Stage stage(context_, target_, options(pacing), failing);
    stage.warm_up(nullptr);
    draw(stage, 3, 1.0 / 60.0);
    g.failing = true;
    std::string error;
    const auto start = std::chrono::steady_clock::now();
    try {
      for (int k = 0; k < 100000; ++k) draw(stage, 1, 1.0 / 60.0);
    } catch (const lw::Error& e) {
      error = e.what();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(error, "the generator failed: CUDA error: an illegal memory access was encountered")
        << (pacing == Pacing::Display ? "display" : "content") << "-paced";
    EXPECT_LT(seconds, 60.0) << "the frames went on for a minute after the generator failed";
  }
}

#ifdef LW_HAVE_VIDEO
TEST_F(StageTest, ARecordingRunsBesideTheWindowOnTheSameDeviceAndModel) {
  const fs::path folder = fs::path(LW_TEST_TMP) / "stage_background_record";
  fs::remove_all(folder);
  fs::create_directories(folder);
  StageOptions o = options(Pacing::Display);
  o.recordings = folder;
  Stage stage(context_, target_, o);
  stage.warm_up(nullptr);
  Preset short_walk = stage.current_preset();
  short_walk.duration = 0.5;  // the record length: a value, not a new scene
  stage.edit(short_walk);
  const long holders = stage.model().use_count();
  stage.command({Command::Kind::Record});
  bool shared = false;
  for (int k = 0; k < 20000; ++k) {
    draw(stage, 1, 1.0 / 60.0);
    shared = shared || stage.model().use_count() > holders;
    if (!stage.status().recording && stage.status().record_status.rfind("recording ", 0) != 0) break;
  }
  stage.finish();
  EXPECT_TRUE(shared) << "the recording held the window's model instead of loading its own";
  EXPECT_EQ(stage.counters().scene_rebuilds, 0u);
  EXPECT_EQ(stage.status().record_status.rfind("recorded ", 0), 0u) << stage.status().record_status;
  EXPECT_NE(stage.status().record_status.find("(15 frames)"), std::string::npos) << stage.status().record_status;
  int videos = 0, presets = 0;
  for (const auto& e : fs::directory_iterator(folder)) {
    videos += e.path().extension() == ".mp4" && fs::file_size(e.path()) > 0;
    presets += e.path().extension() == ".json";
  }
  EXPECT_EQ(videos, 1);
  EXPECT_EQ(presets, 1) << "the walks recorded are saved beside the video";
}
#endif

TEST_F(StageTest, APhotoIsInvertedWhileTheFramesGoOnAndTheDirectionWalksStartFromIt) {
  const fs::path folder = fs::path(LW_TEST_TMP) / "stage_photo";
  fs::remove_all(folder);
  fs::create_directories(folder);
  // A SynthFaces render at 96 px: a photo of another size than the model's 64.
  write_png(folder / "face.png", to_images(plugin::render_batch(plugin::kEvaluationDataSeed, 7, 1, 96).images).front());
  std::ofstream(folder / "notes.png") << "not a picture";
  StageOptions o = options(Pacing::Display);
  o.recordings = fs::relative(folder);  // as --recordings is often given: the code's path is still absolute
  Stage stage(context_, target_, o);
  stage.warm_up(nullptr);
  auto invert = [&](const fs::path& photo, std::vector<std::string>& seen) {
    stage.command({Command::Kind::OpenPhoto, photo.string(), 30});
    int frames = 0;
    do {
      draw(stage, 1, 1.0 / 60.0);
      ++frames;
      seen.push_back(stage.status().photo_status);
    } while (stage.status().inverting && frames < 100000);
    return frames;
  };
  std::vector<std::string> seen;
  EXPECT_GT(invert(folder / "face.png", seen), 1) << "the frames went on while the photo was inverted";
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const std::string& s) { return s.find("96x96, resized to 64x64") != std::string::npos; }))
      << seen.front();
  EXPECT_EQ(seen.back().rfind("photo inverted in w: PSNR", 0), 0u) << seen.back();
  for (int k = 0; k < 2000 && stage.status().session.applied.tiles[0].start_file.empty(); ++k) draw(stage, 1, 1.0 / 60.0);
  const Preset& walks = stage.status().session.applied;
  ASSERT_EQ(walks.tiles.size(), 2u);
  const fs::path code = walks.tiles[0].start_file;
  EXPECT_EQ(walks.tiles[1].start_file, code.string()) << "both direction walks start from the photo";
  EXPECT_TRUE(code.is_absolute()) << code;
  EXPECT_EQ(code.parent_path(), fs::absolute(folder).lexically_normal());
  EXPECT_EQ(read_npy(code).shape, (std::vector<std::int64_t>{1, 64})) << "the shipped comparison walks in W";
  EXPECT_EQ(stage.counters().scene_rebuilds, 1u);
  // What is no photo says so, and writes nothing.
  seen.clear();
  invert(folder / "notes.png", seen);
  EXPECT_EQ(seen.back().rfind("photo inversion failed: ", 0), 0u) << seen.back();
  seen.clear();
  invert(folder / "absent.png", seen);
  EXPECT_EQ(seen.back(), "absent.png: no such file");
  int codes = 0;
  for (const auto& e : fs::directory_iterator(folder)) codes += e.path().extension() == ".npy";
  EXPECT_EQ(codes, 1);
  stage.finish();
}

// A track's playback moved by hand, a frame at a time.
struct SteppedPlayback : control::Playback {
  double at = 0.0;
  bool paused = false;
  double position() const override { return at; }
  void pause(bool p) override { paused = p; }
  bool audible() const override { return false; }
};

std::shared_ptr<const TrackAnalysis> synthesised_beat_analysis() {
  SynthBeatSettings s;
  s.seconds = 4.0, s.channels = 1;
  AudioAnalysisSettings a;
  a.sample_rate = s.sample_rate;
  return std::make_shared<const TrackAnalysis>(analyse_track(synth_beat(s).samples, a));
}

TEST_F(StageTest, ATrackPlayedLiveDrawsTheFramesItsRecordingDraws) {
#ifndef LW_HAVE_AUDIO_ANALYSIS
  GTEST_SKIP() << "built without audio analysis (-DLW_WITH_AUDIO_ANALYSIS=OFF)";
#endif
  // The shipped pulse preset: keyframes a bar long on the track's beats, a pulse on every onset.
  const fs::path pulse = shipped_preset().parent_path() / "music_pulse.json";
  const auto track = synthesised_beat_analysis();
  const int frames = 40;  // 0 .. 1.3 s: the first kicks and hats
  auto with_pulse = [&](Pacing pacing) {
    StageOptions o = options(pacing);
    o.preset = read_preset_resolved(pulse);
    o.preset_file = pulse;
    o.frames = pacing == Pacing::Content ? frames : 0;
    return o;
  };
  Frames recorded, live;
  {
    Stage stage(context_, target_, with_pulse(Pacing::Content));
    stage.attach_track(track, "beat");
    stage.add_observer(&recorded);
    draw(stage, frames);
    stage.finish();
  }
  {
    Stage stage(context_, target_, with_pulse(Pacing::Display));
    SteppedPlayback playback;
    stage.attach_track(track, "beat", &playback);
    stage.add_observer(&live);
    for (int k = 0; k < frames;) {
      playback.at = k / 30.0;  // the playback as a window at 30 fps hears it
      if (!stage.begin_frame(1.0 / 30, true)) continue;
      stage.end_frame(nullptr);
      ++k;
    }
    stage.finish();
    stage.set_playing(false);
    EXPECT_TRUE(playback.paused);  // pausing the stage pauses the track
    EXPECT_GT(stage.status().audio.onsets, 3u);
    EXPECT_NEAR(stage.parameters().value("/clock/bpm"), track->grid.bpm, 1e-9);  // the walks count the track's beats
  }
  ASSERT_EQ(recorded.pixels.size(), static_cast<std::size_t>(frames));
  ASSERT_EQ(live.pixels.size(), static_cast<std::size_t>(frames));
  int pulses = 0;
  for (int k = 0; k < frames; ++k) {
    EXPECT_EQ(live.pixels[k], recorded.pixels[k]) << "frame " << k;
    pulses += k > 0 && recorded.pixels[k] != recorded.pixels[k - 1];
  }
  EXPECT_GT(pulses, frames / 2);  // the frames move: the comparison is not of still pictures
}

}  // namespace
}  // namespace lw::stage
