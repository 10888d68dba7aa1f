// latentwalk generate: InterFaceGAN's sampling step. N latent codes (each from its own seeded
// stream, so any range of them can be made anywhere), their w codes, and the attribute
// predictor's scores of their images, as .npy files. Shards split the work across processes or
// machines; the last shard to finish merges them into exactly the files one run writes.
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "app/quality_measure.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "core/base/progress.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Sample i's code depends on (seed, i) only, never on batches or shards.
at::Tensor codes(std::uint64_t seed, std::int64_t begin, std::int64_t count, int dim) {
  auto z = torch::empty({count, dim});
  for (std::int64_t i = 0; i < count; ++i)
    z[i] = torch::randn({dim}, at::detail::createCPUGenerator(splitmix(seed ^ splitmix(static_cast<std::uint64_t>(begin + i)))));
  return z;
}

struct Shard {
  int index = 0, count = 1;
};

Shard parse_shard(const std::string& text) {
  const auto pair = parse_pair<int>(text, '/');
  LW_EXPECT(pair, "--shard expects i/n (shard i of n, counting from 0), got \"" << text << "\"");
  Shard s;
  std::tie(s.index, s.count) = *pair;
  LW_EXPECT(s.count >= 1 && s.index >= 0 && s.index < s.count, "--shard i/n needs 0 <= i < n, got \"" << text << "\"");
  return s;
}

void append(NpyArray& into, const at::Tensor& t) {
  const auto c = t.contiguous();
  into.data.insert(into.data.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

const char* kFiles[] = {"z.npy", "w.npy", "scores.npy"};

// Concatenates the shards' files, in shard order, into `out` once every shard is there.
bool merge_if_complete(const fs::path& out, int count) {
  std::vector<fs::path> dirs;
  for (int i = 0; i < count; ++i) {
    dirs.push_back(out / "shards" / (std::to_string(i) + "-of-" + std::to_string(count)));
    if (!fs::exists(dirs.back() / "done")) return false;
  }
  for (const char* name : kFiles) {
    if (!fs::exists(dirs.front() / name)) continue;
    NpyArray merged;
    for (const auto& d : dirs) {
      auto part = read_npy(d / name);
      if (merged.shape.empty()) merged.shape = {0, part.cols()};
      LW_CHECK(part.cols() == merged.shape[1], "shards disagree on the width of " << name);
      merged.shape[0] += part.rows();
      merged.data.insert(merged.data.end(), part.data.begin(), part.data.end());
    }
    write_npy(out / name, merged);
  }
  if (fs::exists(dirs.front() / "attributes.json"))
    fs::copy_file(dirs.front() / "attributes.json", out / "attributes.json", fs::copy_options::overwrite_existing);
  fs::remove_all(out / "shards");
  return true;
}

}  // namespace

int cmd_generate(const std::vector<std::string>& argv) {
  Args a("generate",
         "Samples latent codes and scores their images with the model's attribute predictor\n"
         "(InterFaceGAN's first step). Writes z.npy [N, d], w.npy [N, w_dim] when the model has a\n"
         "mapping network, scores.npy [N, m] and attributes.json naming the score columns.\n"
         "A model without a predictor (an imported StyleGAN) gets the codes only: score their images\n"
         "with your own classifier (sample --latents DIR/z.npy --npy images.npy gives the images), save\n"
         "scores.npy [N, m] and attributes.json {\"attributes\": [names]} beside them, then boundary train.\n"
         "Deterministic by seed; --shard i/n makes one part, and the last part to finish merges\n"
         "all of them into the files a single run writes.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("n", "N", "number of samples")
      .flag("seed", "S", "seed of the latent codes", "0")
      .flag("out", "DIR", "output folder (created)")
      .flag("shard", "i/n", "make shard i of n (from 0) of the N samples", "0/1")
      .flag("batch", "B", "images per generator call", "250")
      .flag("quality", "JUDGE", "add a \"quality\" score column judged by truth (distance to the SynthFaces render of "
                                "the image's own factors, negated) or discriminator: boundary train --attribute quality")
      .flag("json", "", "print what was written as JSON");
  if (!a.parse(argv)) return 0;
  const std::int64_t n = a.integer_in("n", 1, 100'000'000);
  const std::int64_t batch = a.integer_in("batch", 1, 4096);
  const auto shard = parse_shard(a.str("shard"));
  const auto seed = static_cast<std::uint64_t>(a.integer("seed"));
  const fs::path out = a.str("out");
  auto model = plugin::load_model(a.str("model"));
  const Generator& g = *model.generator;
  const bool scored = model.predictor != nullptr;
  // A quality column: judged by `quality_judge` when asked for.
  const bool judge = a.has("quality");
  const QualityJudge quality_judge = judge ? parse_quality_judge(a.str("quality")) : QualityJudge::Truth;
  LW_EXPECT(!judge || scored, a.str("model") << ": --quality adds a column to the predictor's scores; this model has no predictor");
  if (judge) check_quality_judge(model, quality_judge);

  // Batches sit at fixed absolute positions, so every image is computed in the same batch
  // whichever shard makes it: the files match a single run byte for byte.
  const std::int64_t batches = (n + batch - 1) / batch;
  const std::int64_t first = batches * shard.index / shard.count, last = batches * (shard.index + 1) / shard.count;
  const std::int64_t begin = first * batch, end = std::min(n, last * batch);
  const fs::path dir = shard.count == 1 ? out : out / "shards" / (std::to_string(shard.index) + "-of-" + std::to_string(shard.count));
  make_output_folder(out);
  fs::create_directories(dir);  // out's own shards/i-of-n

  NpyArray z_all, w_all, s_all;
  const auto m = scored ? static_cast<std::int64_t>(model.predictor->attribute_names().size()) + (judge ? 1 : 0) : 0;
  z_all.shape = {end - begin, g.latent_dim()};
  w_all.shape = {end - begin, g.w_dim()};
  s_all.shape = {end - begin, m};
  torch::NoGradGuard no_grad;
  ProgressBar bar("generate", end - begin, "img");
  for (std::int64_t b = begin; b < end; b += batch) {
    const std::int64_t count = std::min(batch, end - b);
    const auto z = codes(seed, b, count, g.latent_dim());
    append(z_all, z);
    at::Tensor w;
    if (g.w_dim() > 0) append(w_all, w = g.mapping(z));
    if (scored) {
      const auto images = w.defined() ? g.synthesis(w) : g.generate(z);
      auto scores = model.predictor->predict(images).to(torch::kCPU);
      if (judge) scores = torch::cat({scores, quality_scores(model, images, quality_judge).unsqueeze(1)}, 1);
      append(s_all, scores);
    }
    bar.update(b + count - begin);
  }
  bar.finish();
  write_npy(dir / "z.npy", z_all);
  if (g.w_dim() > 0) write_npy(dir / "w.npy", w_all);
  if (!scored) {
    // Scores of an earlier run would silently pair with these codes.
    fs::remove(dir / "scores.npy");
    fs::remove(dir / "attributes.json");
  } else {
    write_npy(dir / "scores.npy", s_all);
    nlohmann::json attrs;
    attrs["model"] = model.manifest.name;
    attrs["n"] = n;
    attrs["seed"] = seed;
    auto names = model.predictor->attribute_names();
    if (judge) names.push_back("quality");
    attrs["attributes"] = names;
    if (judge) attrs["quality_judge"] = quality_judge_name(quality_judge);
    write_text_file(dir / "attributes.json", attrs.dump(2) + "\n");
  }
  nlohmann::json outcome{{"model", model.manifest.name}, {"samples", n}, {"scored", scored}, {"folder", out.string()}};
  if (shard.count == 1) {
    std::ostringstream text;
    text << "wrote " << count_text(n, "sample", "samples") << " of " << model.manifest.name << " to " << out.string() << "\n";
    if (!scored)
      text << "  no attribute predictor in this model: codes only. Score their images with your own classifier\n"
           << "  (latentwalk sample --model " << a.str("model") << " --latents " << (out / "z.npy").string()
           << " --npy images.npy), write scores.npy [N, m] and attributes.json beside z.npy, then boundary train.\n";
    print_outcome(a, outcome, text.str());
    return 0;
  }
  std::ofstream(dir / "done") << "samples " << begin << " to " << end << "\n";
  const bool merged = merge_if_complete(out, shard.count);
  outcome["shard"] = {{"index", shard.index}, {"count", shard.count}, {"begin", begin}, {"end", end}, {"merged", merged}};
  std::ostringstream text;
  text << "shard " << shard.index << "/" << shard.count << " done";
  if (merged)
    text << "; all shards merged into " << out.string() << "\n";
  else
    text << " (samples " << begin << " to " << end << "); the last shard to finish merges them\n";
  print_outcome(a, outcome, text.str());
  return 0;
}

}  // namespace lw::app
