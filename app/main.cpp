// latentwalk: real-time renderer for GAN latent spaces. Dispatches the subcommands.
#include <exception>
#include <functional>
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>

#include "app/commands.hpp"
#include "core/base/check.hpp"
#include "core/memory_tuning.hpp"

namespace {

struct Command {
  std::function<int(const std::vector<std::string>&)> run;
  const char* summary;
};

const std::map<std::string, Command>& commands() {
  using namespace lw::app;
  static const std::map<std::string, Command> table{
      {"demo", {cmd_demo, "write a sample grid and a linear vs density-preserving walk strip to out/"}},
      {"import", {cmd_import, "import a StyleGAN2/StyleGAN3 pickle or rosinality checkpoint as a model folder"}},
      {"sample", {cmd_sample, "write a grid of generated images"}},
      {"evaluate-model", {cmd_evaluate_model, "measure predictor quality and generated factor statistics"}},
      {"train-demo", {cmd_train_demo, "train the default SynthFaces model"}},
      {"generate", {cmd_generate, "sample latent codes, w codes and attribute scores (InterFaceGAN, step 1)"}},
      {"boundary", {cmd_boundary, "train an attribute boundary (linear SVM) or condition one on others"}},
      {"invert", {cmd_invert, "find the code of a photo in W or W+ (to edit it or start a walk from it)"}},
      {"evaluate-inversion", {cmd_evaluate_inversion, "inversion measured on SynthFaces renders, whose truth is known"}},
      {"evaluate-quality", {cmd_evaluate_quality, "the quality boundary against truncation, judged by an independent critic"}},
      {"train-encoder", {cmd_train_encoder, "train the image -> w encoder a model's inversion starts from"}},
      {"edit", {cmd_edit, "image strips edited along a boundary in Z, W or W+"}},
      {"analyze", {cmd_analyze, "cosine table between boundaries and Pearson table between scores"}},
      {"evaluate-edits", {cmd_evaluate_edits, "measure single and conditional edits with the predictor"}},
      {"discover", {cmd_discover, "learn density, correction and directions without labels (DP-LaSE)"}},
      {"evaluate-directions", {cmd_evaluate_directions, "name the factor each direction moves"}},
      {"compare-walks", {cmd_compare_walks, "linear against density-preserving walks: density, realism, drift"}},
      {"bench", {cmd_bench, "time the generator-to-Vulkan hand-off on each path (host staging, CUDA)"}},
      {"view", {cmd_view, "the real-time viewer: walks drawn through Vulkan, in a window or headless"}},
      {"osc-map", {cmd_osc_map, "list the OSC addresses the viewer answers (view --osc-port)"}},
#ifdef LW_HAVE_VIDEO
      {"record", {cmd_record, "render a walk preset to an H.264 video, frame exact (a track: a music video)"}},
      {"synth-beat", {cmd_synth_beat, "write a synthesised beat with a known tempo, to try audio bindings"}},
#endif
  };
  return table;
}

void usage(std::ostream& os) {
  os << "usage: latentwalk <command> [flags]   (latentwalk <command> --help for its flags)\n\ncommands:\n";
  std::size_t width = 0;
  for (const auto& [name, c] : commands()) width = std::max(width, name.size());
  for (const auto& [name, c] : commands()) {
    std::string n = "  " + name;
    n.resize(width + 4, ' ');  // the longest name and two spaces: no name runs into its summary
    os << n << c.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  lw::keep_freed_memory_in_process();  // before any tensor exists
  // On lavapipe, rasterising threads would take CPU cores from the generator: let the queue's
  // own thread rasterise (llvmpipe reads this when the driver loads; a user's setting wins).
  // Here, on the main thread before any other exists: setenv is not thread-safe.
  setenv("LP_NUM_THREADS", "0", 0);
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "latentwalk " << LW_VERSION << "\n";
    return 0;
  }
  const auto it = commands().find(name);
  if (it == commands().end()) {
    std::cerr << "latentwalk: unknown command \"" << name << "\" (run latentwalk --help for the list)\n";
    return 2;
  }
  try {
    lw::app::use_all_cores_for_torch();
    return it->second.run(std::vector<std::string>(argv + 2, argv + argc));
  } catch (const lw::Error& e) {
    std::cerr << "latentwalk " << name << ": " << e.what() << "\n";
  } catch (const std::exception& e) {
    // LibTorch and the standard library report through their own exceptions; keep one line.
    std::cerr << "latentwalk " << name << ": " << lw::first_line(e) << "\n";
  }
  return 1;
}
