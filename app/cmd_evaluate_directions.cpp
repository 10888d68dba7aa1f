// latentwalk evaluate-directions: which ground-truth factor does each direction move? Walks from
// many starts along each direction; the attribute predictor scores every image; the factor whose
// score follows the stride most closely (Pearson, centred per start) is the direction's.
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/base/atomic_file.hpp"
#include "app/model_location.hpp"
#include "core/learned_modules.hpp"
#include "app/factor_scores.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "core/walk_batch.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

// Pearson correlation of every factor with the stride over walks [P strides, n starts, m], each
// walk centred on its own mean so that differences between starts do not count.
at::Tensor stride_correlation(const at::Tensor& values, const at::Tensor& eps) {
  const auto y = values - values.mean(0, true);
  const auto x = (eps - eps.mean()).view({-1, 1, 1});
  const auto num = (x * y).sum(at::IntArrayRef{0, 1});
  const auto den = torch::sqrt(x.pow(2).sum() * values.size(1) * y.pow(2).sum(at::IntArrayRef{0, 1})).clamp_min(1e-12);
  return num / den;
}

}  // namespace

int cmd_evaluate_directions(const std::vector<std::string>& argv) {
  Args a("evaluate-directions",
         "For each direction of --directions ([k, d] .npy), walks from --n starts over strides -S..S\n"
         "(density-preserving by default: the closed form in Z, the learned correction in W),\n"
         "scores every image with the model's attribute predictor (binary attributes as\n"
         "probabilities) and reports the factor whose value correlates most with the stride.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("space", "z|w", "the space the directions live in", "w")
      .flag("directions", "F.npy", "directions [k, d]")
      .flag("density", "DIR", "learned density and correction (default: the model's dplase/<space>)")
      .flag("walk", "dp|linear", "how the walks step", "dp")
      .flag("n", "N", "starts per direction", "200")
      .flag("stride", "S", "largest stride of the walks", "3")
      .flag("points", "P", "strides per walk, evenly spaced over -S..S", "9")
      .flag("seed", "S", "seed of the starts", "11")
      .flag("save-names", "", "write each direction's best factor beside the directions file (F.names.json): "
                               "the viewer's Directions panel then names them")
      .flag("json", "", "print JSON");
  if (!a.parse(argv)) return 0;
  const std::int64_t n = a.integer_in("n", 2, 100000), points = a.integer_in("points", 3, 101);
  const float stride = static_cast<float>(a.real("stride"));
  LW_EXPECT(stride > 0, "--stride must be positive");
  const std::string walk = a.choice("walk", {"dp", "linear"});

  auto model = plugin::load_model(a.str("model"));
  LW_EXPECT(model.predictor != nullptr, "the model has no attribute predictor to name factors with");
  const LatentSpace space(*model.generator, parse_space(a.str("space")), model.manifest.prior == "gaussian");
  const auto gamma = load_directions(a.str("directions"), space);
  std::unique_ptr<LearnedModules> modules;
  const fs::path density_dir = a.has("density") ? fs::path(a.str("density")) : shipped_dplase_folder(model.folder, space.space());
  if (walk == "dp" && !space.gaussian()) modules = std::make_unique<LearnedModules>(load_learned(density_dir, space.dims()));
  const auto rules = walk == "dp" ? walk_rules(space, modules.get(), false) : WalkRules{};
  const StepFn step = walk == "dp" ? rules.dp_step : StepFn(linear_steps);

  torch::NoGradGuard no_grad;
  const auto starts = space.sample(n, static_cast<std::uint64_t>(a.integer("seed")));
  const auto eps = torch::linspace(-stride, stride, points);
  const auto& names = model.predictor->attribute_names();
  ProgressBar bar("evaluate-directions", gamma.size(0) * points, "walk");
  nlohmann::json directions = nlohmann::json::array();
  for (std::int64_t j = 0; j < gamma.size(0); ++j) {
    const auto dir = gamma[j].unsqueeze(0).expand({n, -1});
    std::vector<at::Tensor> values;
    for (std::int64_t p = 0; p < points; ++p) {
      const auto e = torch::full({n}, eps[p].item<float>());
      std::vector<at::Tensor> parts;
      for (std::int64_t b = 0; b < n; b += 250) {
        const auto end = std::min(n, b + 250);
        parts.push_back(predict_factors(model, space.images(step(starts.slice(0, b, end), e.slice(0, b, end),
                                                                  dir.slice(0, b, end)))));
      }
      values.push_back(torch::cat(parts));
      bar.update(j * points + p + 1);
    }
    const auto r = stride_correlation(torch::stack(values), eps);
    const auto best = r.abs().argmax().item<std::int64_t>();
    nlohmann::json pearson = nlohmann::json::object();
    for (std::size_t c = 0; c < names.size(); ++c) pearson[names[c]] = r[static_cast<std::int64_t>(c)].item<double>();
    directions.push_back({{"index", j},
                          {"best_factor", names[static_cast<std::size_t>(best)]},
                          {"abs_pearson", r[best].abs().item<double>()},
                          {"pearson", pearson}});
  }
  bar.finish();
  const nlohmann::json report{{"space", space.name()},
                              {"walk", walk == "dp" ? rules.dp_name : "linear"},
                              {"stride", stride},
                              {"n", n},
                              {"directions", directions}};
  if (a.on("save-names")) {
    // Beside the directions, so the names travel with them (the shipped model's are committed).
    nlohmann::json names = nlohmann::json::array(), strengths = nlohmann::json::array();
    for (const auto& d : directions) names.push_back(d["best_factor"]), strengths.push_back(d["abs_pearson"]);
    const fs::path file = fs::path(a.str("directions")).replace_extension(".names.json");
    write_text_file(file, nlohmann::json{{"names", names},
                                         {"abs_pearson", strengths},
                                         {"measure", "the predicted factor that correlates most with the stride"},
                                         {"space", space.name()}}
                              .dump(2) + "\n");
    std::cerr << "evaluate-directions: names written to " << file.string() << "\n";
  }
  if (a.on("json")) {
    std::cout << report.dump() << "\n";
    return 0;
  }
  std::cout << "direction  best factor     |pearson|\n";
  for (const auto& d : directions) {
    std::printf("%9d  %-14s  %8.3f\n", d["index"].get<int>(), d["best_factor"].get<std::string>().c_str(),
                d["abs_pearson"].get<double>());
  }
  return 0;
}

}  // namespace lw::app
