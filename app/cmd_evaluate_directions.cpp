// latentwalk evaluate-directions: which ground-truth factor does each direction move, and does it
// move that one alone? Walks from many starts along each direction; the attribute predictor scores
// every image; each factor's change over the walk is measured in that factor's standard deviations
// (binary factors as probability), and a direction's selectivity is the share of the total squared
// change its largest one carries. Pearson with the stride is kept beside it: along a straight walk
// every factor that moves at all moves monotonically, so it cannot tell a mixture from one factor.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/base/atomic_file.hpp"
#include "app/model_location.hpp"
#include "core/learned_modules.hpp"
#include "app/factor_scores.hpp"
#include "core/boundary.hpp"
#include "core/semantic_selectivity.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "core/walk_batch.hpp"
#include "plugin/synthfaces.hpp"
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

// Each factor's spread, the unit its changes are measured in: SynthFaces' dataset (its factors
// drawn as the training set drew them) where the predictor's attributes are SynthFaces factors,
// else the predicted values at the walks' starts. Binary factors are measured as probability: 1.
struct FactorScale {
  at::Tensor sd;       // [m]
  std::string source;  // what `sd` was measured on
};

FactorScale factor_scale(const plugin::Model& model, const at::Tensor& at_starts) {
  FactorScale scale;
  try {
    constexpr std::int64_t kDraws = 20000;
    auto truth = torch::empty({kDraws, synthfaces::kNumFactors});
    auto rows = truth.accessor<float, 2>();
    for (std::int64_t i = 0; i < kDraws; ++i) {
      const auto f = synthfaces::sample_factors(20261130, static_cast<std::uint64_t>(i)).as_array();
      for (int c = 0; c < synthfaces::kNumFactors; ++c) rows[i][c] = f[static_cast<std::size_t>(c)];
    }
    scale.sd = truth_as_predicted(model, truth, "evaluate-directions").std(0);
    scale.source = "the SynthFaces dataset's factors (20,000 draws)";
  } catch (const Error&) {  // not SynthFaces' factors: the generated faces' own spread
    scale.sd = at_starts.std(0);
    scale.source = "the predicted factors of the walks' starts";
  }
  const auto& attrs = model.manifest.attributes;
  for (std::size_t c = 0; c < attrs.size() && static_cast<std::int64_t>(c) < scale.sd.size(0); ++c)
    if (attrs[c].binary) scale.sd[static_cast<std::int64_t>(c)] = 1.f;
  scale.sd = scale.sd.clamp_min(1e-6);
  return scale;
}

// The label-based view beside it: each InterFaceGAN boundary of the folder (NAME.npy, [1, d]) that
// lives in the directions' space, by name, for the cosine of each direction with it.
std::vector<std::pair<std::string, at::Tensor>> read_boundaries(const fs::path& folder, std::int64_t dims) {
  std::vector<std::pair<std::string, at::Tensor>> out;
  if (!fs::is_directory(folder)) return out;
  for (const auto& e : fs::directory_iterator(folder)) {
    if (e.path().extension() != ".npy") continue;
    const Eigen::VectorXf normal = read_boundary(e.path());
    if (normal.size() != dims) continue;
    out.emplace_back(e.path().stem().string(), torch::from_blob(const_cast<float*>(normal.data()), {dims}).clone());
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return out;
}


// Factor values along one direction from every start: [P strides, n starts, m factors].
at::Tensor walk_factors(const plugin::Model& model, const LatentSpace& space, const StepFn& step, const at::Tensor& starts,
                        const at::Tensor& eps, const at::Tensor& direction, const std::function<void()>& tick) {
  const std::int64_t n = starts.size(0);
  const auto dir = direction.unsqueeze(0).expand({n, -1});
  std::vector<at::Tensor> values;
  for (std::int64_t p = 0; p < eps.size(0); ++p) {
    const auto e = torch::full({n}, eps[p].item<float>());
    std::vector<at::Tensor> parts;
    for (std::int64_t b = 0; b < n; b += 250) {
      const auto end = std::min(n, b + 250);
      parts.push_back(predict_factors(model, space.images(step(starts.slice(0, b, end), e.slice(0, b, end), dir.slice(0, b, end)))));
    }
    values.push_back(torch::cat(parts));
    tick();
  }
  return torch::stack(values);
}

// What one direction's walks moved: each factor's change from the first stride to the last
// (mean over starts, in `sd` units), the best factor, its selectivity, and Pearson beside them.
nlohmann::json factor_measures(const at::Tensor& walked, const at::Tensor& eps, const at::Tensor& sd,
                               const std::vector<std::string>& names) {
  const auto r = stride_correlation(walked, eps);
  const auto change = (walked[walked.size(0) - 1] - walked[0]).mean(0) / sd;
  const auto squared = change.pow(2);
  const auto best = squared.argmax().item<std::int64_t>();
  const double selectivity = (squared[best] / squared.sum().clamp_min(1e-12)).item<double>();
  nlohmann::json pearson = nlohmann::json::object(), change_sd = nlohmann::json::object();
  for (std::size_t c = 0; c < names.size(); ++c) {
    pearson[names[c]] = r[static_cast<std::int64_t>(c)].item<double>();
    change_sd[names[c]] = change[static_cast<std::int64_t>(c)].item<double>();
  }
  return {{"best_factor", names[static_cast<std::size_t>(best)]},
          {"selectivity", selectivity},
          {"semantic", selectivity >= kSemanticSelectivity},
          {"change_sd", change_sd},
          {"abs_pearson", r[best].abs().item<double>()},
          {"pearson", pearson}};
}

// The direction's cosine with each boundary, and the nearest by |cosine|.
nlohmann::json boundary_match(const at::Tensor& direction, const std::vector<std::pair<std::string, at::Tensor>>& boundaries) {
  nlohmann::json cosines = nlohmann::json::object();
  std::string nearest;
  double nearest_cos = -1.0;
  for (const auto& [name, normal] : boundaries) {
    const double c = torch::cosine_similarity(direction, normal, 0).item<double>();
    cosines[name] = c;
    if (std::abs(c) > nearest_cos) nearest_cos = std::abs(c), nearest = name;
  }
  return {{"boundary_cosine", cosines}, {"best_boundary", nearest}, {"best_boundary_abs_cosine", nearest_cos}};
}

void print_table(const nlohmann::json& report) {
  const bool scored = report.contains("semantic");
  const bool matched = !report["directions"].empty() && report["directions"][0].contains("best_boundary");
  std::cout << "direction" << (scored ? "  best factor     change (sd)  selectivity  |pearson|" : "")
            << (matched ? "  nearest boundary  |cos|" : "") << "\n";
  for (const auto& d : report["directions"]) {
    std::printf("%9d", d["index"].get<int>());
    if (scored) {
      const auto& best = d["best_factor"].get<std::string>();
      std::printf("  %-14s  %11.2f  %11.2f%s  %8.3f", best.c_str(), d["change_sd"][best].get<double>(),
                  d["selectivity"].get<double>(), d["semantic"].get<bool>() ? "*" : " ", d["abs_pearson"].get<double>());
    }
    if (matched)
      std::printf("  %-16s  %5.2f", d["best_boundary"].get<std::string>().c_str(), d["best_boundary_abs_cosine"].get<double>());
    std::printf("\n");
  }
  if (scored)
    std::printf("%d of %zu directions semantic (* : selectivity >= %.1f); changes in %s\n", report["semantic"].get<int>(),
                report["directions"].size(), kSemanticSelectivity, report["change_unit"].get<std::string>().c_str());
}

}  // namespace

int cmd_evaluate_directions(const std::vector<std::string>& argv) {
  Args a("evaluate-directions",
         "For each direction of --directions ([k, d] .npy), walks from --n starts over strides -S..S\n"
         "(density-preserving by default: the closed form in Z, the learned correction in W),\n"
         "scores every image with the model's attribute predictor (binary attributes as\n"
         "probabilities) and reports each factor's change over the walk in standard deviations of\n"
         "that factor, the direction's best factor (the largest change) and its selectivity (that\n"
         "factor's share of the summed squared changes; semantic at 0.5 or more), with each\n"
         "factor's Pearson correlation with the stride beside them; and each direction's cosine with\n"
         "the model's InterFaceGAN boundaries. A model without a predictor (an imported one) gets the\n"
         "boundary view alone.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("space", "z|w", "the space the directions live in", "w")
      .flag("directions", "F.npy", "directions [k, d]")
      .flag("density", "DIR", "learned density and correction (default: the model's dplase/<space>)")
      .flag("walk", "dp|linear", "how the walks step", "dp")
      .flag("boundaries", "DIR", "InterFaceGAN boundaries to match each direction against by cosine "
                                 "(default: the model's boundaries/<space>)")
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
  const LatentSpace space(*model.generator, parse_space(a.str("space")), model.manifest.prior == "gaussian");
  const auto gamma = load_directions(a.str("directions"), space);
  LW_EXPECT(gamma.size(0) > 0, a.str("directions") << " holds no directions");
  const fs::path boundary_dir = a.has("boundaries") ? fs::path(a.str("boundaries")) : model.folder / "boundaries" / space.name();
  const auto boundaries = read_boundaries(boundary_dir, space.dims());
  const bool scored = model.predictor != nullptr;
  LW_EXPECT(scored || !boundaries.empty(),
            "the model has no attribute predictor to measure factors with and " << boundary_dir.string()
                << " holds no boundaries of its " << space.name() << " space to match against: train boundaries with "
                << "scores from your own classifier (README, \"InterFaceGAN on your model\") or pass --boundaries DIR");
  LW_EXPECT(scored || !a.on("save-names"), "--save-names names directions by the factors a predictor measures: this model has none");

  nlohmann::json report{{"space", space.name()}, {"directions", nlohmann::json::array()}};
  for (std::int64_t j = 0; j < gamma.size(0); ++j) report["directions"].push_back({{"index", j}});
  if (scored) {
    std::unique_ptr<LearnedModules> modules;
    const fs::path density_dir = a.has("density") ? fs::path(a.str("density")) : shipped_dplase_folder(model.folder, space.space());
    if (walk == "dp" && !space.gaussian()) modules = std::make_unique<LearnedModules>(load_learned(density_dir, space.dims()));
    const auto rules = walk == "dp" ? walk_rules(space, modules.get(), false) : WalkRules{};
    const StepFn step = walk == "dp" ? rules.dp_step : StepFn(linear_steps);
    torch::NoGradGuard no_grad;
    const auto starts = space.sample(n, static_cast<std::uint64_t>(a.integer("seed")));
    const auto eps = torch::linspace(-stride, stride, points);
    ProgressBar bar("evaluate-directions", gamma.size(0) * points, "walk");
    std::int64_t done = 0;
    std::optional<FactorScale> scale;
    int semantic = 0;
    for (std::int64_t j = 0; j < gamma.size(0); ++j) {
      const auto walked = walk_factors(model, space, step, starts, eps, gamma[j], [&] { bar.update(++done); });
      if (!scale) scale = factor_scale(model, walked[points / 2]);
      auto& entry = report["directions"][static_cast<std::size_t>(j)];
      entry.update(factor_measures(walked, eps, scale->sd, model.predictor->attribute_names()));
      semantic += entry["semantic"].get<bool>();
    }
    bar.finish();
    report.update({{"walk", walk == "dp" ? rules.dp_name : "linear"},
                   {"stride", stride},
                   {"n", n},
                   {"change_unit", "standard deviations of " + scale->source + "; binary factors: probability"},
                   {"semantic_at", kSemanticSelectivity},
                   {"semantic", semantic}});
  }
  if (!boundaries.empty()) {
    report["boundaries"] = boundary_dir.string();
    for (std::int64_t j = 0; j < gamma.size(0); ++j)
      report["directions"][static_cast<std::size_t>(j)].update(boundary_match(gamma[j], boundaries));
  }
  const auto& directions = report["directions"];
  if (a.on("save-names")) {
    // Beside the directions, so the names travel with them (the shipped model's are committed).
    nlohmann::json names = nlohmann::json::array(), strengths = nlohmann::json::array(), selectivities = nlohmann::json::array();
    for (const auto& d : directions)
      names.push_back(d["best_factor"]), strengths.push_back(d["abs_pearson"]), selectivities.push_back(d["selectivity"]);
    const fs::path file = fs::path(a.str("directions")).replace_extension(".names.json");
    write_text_file(file, nlohmann::json{{"names", names},
                                         {"selectivity", selectivities},
                                         {"abs_pearson", strengths},
                                         {"measure", "the predicted factor that changes most along the walk, in its "
                                                     "standard deviations; selectivity: its share of the squared changes"},
                                         {"space", space.name()}}
                              .dump(2) + "\n");
    std::cerr << "evaluate-directions: names written to " << file.string() << "\n";
  }
  if (a.on("json")) {
    std::cout << report.dump() << "\n";
    return 0;
  }
  print_table(report);
  return 0;
}

}  // namespace lw::app
