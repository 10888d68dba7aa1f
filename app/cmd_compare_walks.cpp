// latentwalk compare-walks: DP-LaSE's claim, measured. From many starts, walks along the given
// directions at growing strides, once linearly and once the density-preserving way; per stride
// and kind: how far the end's log-density is from the start's, how realistic the end looks to the
// discriminator, and how much the factors other than the direction's own drift.
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "core/learned_modules.hpp"
#include "app/factor_scores.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "core/walk_batch.hpp"
#include "plugin/torchscript_model.hpp"
#include "app/chart_image.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

std::vector<float> parse_strides(const std::string& text) {
  const auto out = parse_list<float>(text);
  LW_EXPECT(out && std::all_of(out->begin(), out->end(), [](float v) { return v > 0.f; }),
            "--strides expects positive numbers separated by commas, got \"" << text << "\"");
  LW_EXPECT(!out->empty(), "--strides is empty");
  return *out;
}

// What a set of codes looks like to the model: log-density, realism, factor values.
struct Measured {
  at::Tensor logp, realism, factors;
};

// Identity drift: the mean change of the factors other than the direction's own, each in units
// of its spread over the starts; a direction's own factor is the one it changes most.
double identity_drift(const at::Tensor& change, const at::Tensor& direction_of, std::int64_t k) {
  double total = 0.0;
  std::int64_t count = 0;
  for (std::int64_t j = 0; j < k; ++j) {
    const auto rows = change.index({direction_of == j});
    if (rows.size(0) == 0) continue;
    const auto own = rows.mean(0).argmax().item<std::int64_t>();
    const auto keep = torch::ones({rows.size(1)}, torch::kBool);
    keep[own] = false;
    total += rows.index({torch::indexing::Slice(), keep}).mean(1).sum().item<double>();
    count += rows.size(0);
  }
  return total / static_cast<double>(std::max<std::int64_t>(1, count));
}

}  // namespace

int cmd_compare_walks(const std::vector<std::string>& argv) {
  Args a("compare-walks",
         "Walks from --n starts along --directions (start i takes direction i mod k) at each of\n"
         "--strides, linearly (z0 + eps gamma) and density-preserving (the closed form in Z; z0 + eps\n"
         "gamma + C in W, or in Z with --learned), and reports per stride and kind: distance, how far\n"
         "the walk's end is from its start; dlogp, the mean\n"
         "|log p(end) - log p(start)| (the exact Gaussian in Z, the learned F otherwise); realism, the\n"
         "discriminator's mean score at the end, and realism_change from the start; identity_drift,\n"
         "the mean change of the predicted factors other than the direction's own (the one it changes\n"
         "most), in units of each factor's spread over the starts.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("space", "z|w", "the space the directions live in", "w")
      .flag("directions", "F.npy", "directions [k, d] (default: the model's discovered dplase/<space>/directions.npy)")
      .flag("density", "DIR", "learned density and correction (default: the model's dplase/<space>)")
      .flag("learned", "", "in Z, judge and correct with the learned F and C instead of the closed forms")
      .flag("strides", "LIST", "strides to compare", "1,2,4,6,8")
      .flag("n", "N", "number of starts", "500")
      .flag("seed", "S", "seed of the starts", "5")
      .flag("plot", "P.png", "also draw the table as charts")
      .flag("json", "", "print JSON");
  if (!a.parse(argv)) return 0;
  const auto strides = parse_strides(a.str("strides"));
  const std::int64_t n = a.integer_in("n", 2, 1'000'000);
  auto model = plugin::load_model(a.str("model"));
  // Realism needs a discriminator and identity drift a predictor; without them those columns are
  // null (an imported generator often comes alone).
  const bool has_realism = model.discriminator != nullptr, has_factors = model.predictor != nullptr;
  const LatentSpace space(*model.generator, parse_space(a.str("space")), model.manifest.prior == "gaussian");
  const fs::path directions = a.has("directions") ? fs::path(a.str("directions"))
                                                  : model.folder / "dplase" / space.name() / "directions.npy";
  const auto gamma = load_directions(directions, space);
  const bool learned = a.on("learned") || !space.gaussian();
  std::unique_ptr<LearnedModules> modules;
  if (learned) {
    const fs::path dir = a.has("density") ? fs::path(a.str("density")) : shipped_dplase_folder(model.folder, space.space());
    modules = std::make_unique<LearnedModules>(load_learned(dir, space.dims()));
  }
  const auto rules = walk_rules(space, modules.get(), learned);

  torch::NoGradGuard no_grad;
  const auto starts = space.sample(n, static_cast<std::uint64_t>(a.integer("seed")));
  const auto direction_of = torch::arange(n, torch::kLong).remainder(gamma.size(0));
  const auto dirs = gamma.index_select(0, direction_of);
  auto measure = [&](const at::Tensor& codes) {
    Measured m;
    std::vector<at::Tensor> logp, realism, factors;
    for (std::int64_t b = 0; b < n; b += 250) {
      const auto c = codes.slice(0, b, std::min(n, b + 250));
      const auto images = space.images(c);
      logp.push_back(rules.log_density(c));
      if (has_realism) realism.push_back(model.discriminator->realism(images));
      if (has_factors) factors.push_back(predict_factors(model, images));
    }
    return Measured{torch::cat(logp), has_realism ? torch::cat(realism) : at::Tensor(),
                    has_factors ? torch::cat(factors) : at::Tensor()};
  };
  ProgressBar bar("compare-walks", static_cast<std::int64_t>(1 + 2 * strides.size()), "pass");
  const auto start = measure(starts);
  bar.update(1);
  const auto spread = has_factors ? start.factors.std(0).clamp_min(1e-6) : at::Tensor();
  auto mean_or_null = [](bool has, const std::function<at::Tensor()>& value) -> nlohmann::json {
    return has ? nlohmann::json(value().mean().item<double>()) : nlohmann::json();
  };

  nlohmann::json results = nlohmann::json::array();
  for (const float s : strides) {
    const auto eps = torch::full({n}, s);
    for (const std::string kind : {"linear", "dp"}) {
      const auto ends = kind == "linear" ? linear_steps(starts, eps, dirs) : rules.dp_step(starts, eps, dirs);
      const auto end = measure(ends);
      results.push_back(
          {{"stride", s},
           {"kind", kind},
           {"distance", (ends - starts).norm(2, 1).mean().item<double>()},
           {"dlogp", (end.logp - start.logp).abs().mean().item<double>()},
           {"realism", mean_or_null(has_realism, [&] { return end.realism; })},
           {"realism_change", mean_or_null(has_realism, [&] { return end.realism - start.realism; })},
           {"identity_drift", has_factors ? nlohmann::json(identity_drift((end.factors - start.factors).abs() / spread,
                                                                          direction_of, gamma.size(0)))
                                          : nlohmann::json()}});
      bar.update(static_cast<std::int64_t>(results.size()) + 1);
    }
  }
  bar.finish();
  const nlohmann::json report{{"space", space.name()},
                              {"dp_walk", rules.dp_name},
                              {"log_density", rules.density_name},
                              {"n", n},
                              {"start_realism", mean_or_null(has_realism, [&] { return start.realism; })},
                              {"results", results}};

  if (a.has("plot")) {
    auto panel = [&](const std::string& title, const std::string& key) {
      ChartPanel p{title, "stride", {}};
      for (const std::string kind : {"linear", "dp"}) {
        ChartSeries series{kind == "linear" ? "linear" : "density-preserving",
                           kind == "linear" ? std::array<std::uint8_t, 3>{220, 90, 30} : std::array<std::uint8_t, 3>{40, 100, 200},
                           {}, {}};
        for (const auto& r : results)
          if (r["kind"] == kind && !r[key].is_null()) {
            series.x.push_back(r["stride"].get<double>());
            series.y.push_back(r[key].get<double>());
          }
        p.series.push_back(series);
      }
      return p;
    };
    write_png(a.str("plot"), draw_charts({panel("mean |delta log p| (" + rules.density_name + ")", "dlogp"),
                                          panel("realism at the end (discriminator)", "realism"),
                                          panel("identity drift (other factors)", "identity_drift")}));
  }
  if (a.on("json")) {
    std::cout << report.dump() << "\n";
    return 0;
  }
  std::printf("%s space, density-preserving walk: %s, log-density: %s, %lld starts\n", space.name().c_str(),
              rules.dp_name.c_str(), rules.density_name.c_str(), static_cast<long long>(n));
  if (!has_realism) std::printf("(no discriminator in this model: realism is not measured)\n");
  if (!has_factors) std::printf("(no attribute predictor in this model: identity drift is not measured)\n");
  auto cell = [](const nlohmann::json& v, int width) {
    char buf[32];
    if (v.is_null()) std::snprintf(buf, sizeof buf, "%*s", width, "-");
    else std::snprintf(buf, sizeof buf, "%*.3f", width, v.get<double>());
    return std::string(buf);
  };
  std::printf("stride  kind    distance   |dlogp|   realism  realism_change  identity_drift\n");
  for (const auto& r : results)
    std::printf("%6.2f  %-6s  %8.3f  %8.3f  %s  %s  %s\n", r["stride"].get<double>(), r["kind"].get<std::string>().c_str(),
                r["distance"].get<double>(), r["dlogp"].get<double>(), cell(r["realism"], 8).c_str(),
                cell(r["realism_change"], 14).c_str(), cell(r["identity_drift"], 14).c_str());
  return 0;
}

}  // namespace lw::app
