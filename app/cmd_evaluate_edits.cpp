// latentwalk evaluate-edits: do the boundaries edit what they claim? For each attribute, the
// fraction of samples whose predicted score moves the right way at +alpha and at -alpha; for
// conditional boundaries, how much the target and the held attributes change with and without
// the conditioning.
#include <torch/torch.h>

#include <filesystem>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "app/factor_scores.hpp"
#include "core/latent_space.hpp"
#include "core/boundary.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

struct Conditional {
  std::string target;
  std::vector<std::string> conditions;
};

std::vector<Conditional> parse_conditionals(const std::string& text) {
  std::vector<Conditional> out;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto bar = item.find('|');
    LW_EXPECT(bar != std::string::npos && bar > 0 && bar + 1 < item.size(),
              "--conditional expects TARGET|COND[+COND...] items separated by commas, got \"" << item << "\"");
    Conditional c;
    c.target = item.substr(0, bar);
    std::stringstream conds(item.substr(bar + 1));
    std::string cond;
    while (std::getline(conds, cond, '+')) c.conditions.push_back(cond);
    out.push_back(c);
  }
  return out;
}

}  // namespace

int cmd_evaluate_edits(const std::vector<std::string>& argv) {
  Args a("evaluate-edits",
         "Measures each boundary in --boundaries (NAME.npy for attribute NAME) with the model's\n"
         "attribute predictor on N samples: the fraction whose score rises at +alpha (up) and falls\n"
         "at -alpha (down); and, for --conditional TARGET|COND+COND, the mean absolute score change of\n"
         "the target and of each condition with and without conditioning (binary attributes as\n"
         "probabilities).");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("boundaries", "DIR", "folder of NAME.npy boundaries for --space (default: the model's boundaries/<space>)")
      .flag("space", "z|w", "the space the boundaries live in", "w")
      .flag("n", "N", "number of samples", "1000")
      .flag("alpha", "A", "edit strength: codes move by alpha times the unit normal", "3")
      .flag("seed", "S", "seed of the samples", "7")
      .flag("conditional", "LIST", "conditional edits to measure", "age|eyeglasses,age|beard,age|eyeglasses+beard")
      .flag("json", "", "print JSON");
  if (!a.parse(argv)) return 0;
  const auto space = parse_space(a.str("space"));
  LW_EXPECT(space != Space::WPlus, "--space must be z or w");
  const std::int64_t n = a.integer_in("n", 10, 1'000'000);
  const float alpha = static_cast<float>(a.real("alpha"));
  LW_EXPECT(alpha > 0.f, "--alpha must be positive");
  const auto conditionals = parse_conditionals(a.str("conditional"));
  auto model = plugin::load_model(a.str("model"));
  const fs::path dir = a.has("boundaries") ? fs::path(a.str("boundaries")) : model.folder / "boundaries" / space_name(space);
  LW_EXPECT(fs::is_directory(dir), dir.string() << " is not a folder");
  const Generator& g = *model.generator;
  LW_EXPECT(model.predictor != nullptr, "the model has no attribute predictor to measure edits with");

  std::map<std::string, Eigen::VectorXf> boundaries;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".npy") continue;
    auto b = read_boundary(e.path());
    check_space(g, space, b, {});
    boundaries[e.path().stem().string()] = b.normalized();
  }
  LW_EXPECT(!boundaries.empty(), dir.string() << " holds no .npy boundaries");
  auto column = [&](const std::string& attr) {
    const int c = model.manifest.attribute_index(attr);
    LW_EXPECT(c >= 0, "the predictor has no attribute \"" << attr << "\"");
    return c;
  };
  auto boundary = [&](const std::string& attr) -> const Eigen::VectorXf& {
    const auto it = boundaries.find(attr);
    LW_EXPECT(it != boundaries.end(), "no boundary " << attr << ".npy in " << dir.string());
    return it->second;
  };

  torch::NoGradGuard no_grad;
  const auto z_all = torch::randn({n, g.latent_dim()}, at::detail::createCPUGenerator(static_cast<std::uint64_t>(a.integer("seed"))));
  const auto codes_all = codes_in(g, z_all, space);
  const std::int64_t batch = 250;
  // Scores of all samples edited by alph * dir (0: unedited), InterFaceGAN's convention.
  auto scores = [&](const at::Tensor& dir_t, float alph) {
    std::vector<at::Tensor> parts;
    for (std::int64_t b = 0; b < n; b += batch) {
      const auto codes = codes_all.slice(0, b, std::min(n, b + batch));
      parts.push_back(model.predictor->predict(edited_images(g, codes, space, dir_t, alph)));
    }
    return torch::cat(parts);
  };
  std::size_t work = 1, done = 0;
  for (const auto& [attr, b] : boundaries) work += model.manifest.attribute_index(attr) >= 0 ? 2 : 0;
  work += 2 * conditionals.size();
  ProgressBar bar("evaluate-edits", static_cast<std::int64_t>(work), "pass");
  const auto zero = torch::zeros({space == Space::Z ? g.latent_dim() : g.w_dim()});
  const auto base = scores(zero, 0.f);
  bar.update(static_cast<std::int64_t>(++done));

  nlohmann::json single = nlohmann::json::object();
  for (const auto& [attr, b] : boundaries) {
    const int c = model.manifest.attribute_index(attr);
    if (c < 0) continue;  // a boundary of something the predictor does not score
    const auto dir_t = to_tensor(b);
    const auto up = scores(dir_t, alpha);
    bar.update(static_cast<std::int64_t>(++done));
    const auto down = scores(dir_t, -alpha);
    bar.update(static_cast<std::int64_t>(++done));
    single[attr] = {{"up", (up.select(1, c) > base.select(1, c)).to(torch::kFloat).mean().item<double>()},
                    {"down", (down.select(1, c) < base.select(1, c)).to(torch::kFloat).mean().item<double>()}};
  }

  nlohmann::json conditional = nlohmann::json::array();
  for (const auto& cond : conditionals) {
    const auto& primary = boundary(cond.target);
    std::vector<Eigen::VectorXf> held;
    for (const auto& c : cond.conditions) held.push_back(boundary(c));
    const auto conditioned = condition_boundary(primary, held);
    const auto with = scores(to_tensor(conditioned), alpha);
    bar.update(static_cast<std::int64_t>(++done));
    const auto without = scores(to_tensor(primary), alpha);
    bar.update(static_cast<std::int64_t>(++done));
    // Changes of the predicted factor values (binary attributes as probabilities).
    const auto base_values = factor_values(model, base);
    auto change = [&](const at::Tensor& s, int c) {
      return (factor_values(model, s).select(1, c) - base_values.select(1, c)).abs().mean().item<double>();
    };
    const int t = column(cond.target);
    nlohmann::json entry{{"target", cond.target},
                         {"conditions", cond.conditions},
                         {"target_change", change(with, t)},
                         {"target_change_unconditioned", change(without, t)}};
    for (const auto& c : cond.conditions) {
      entry["condition_change"][c] = change(with, column(c));
      entry["condition_change_unconditioned"][c] = change(without, column(c));
    }
    conditional.push_back(entry);
  }
  bar.finish();
  const nlohmann::json report{{"single", single}, {"conditional", conditional}};
  if (a.on("json")) {
    std::cout << report.dump() << "\n";
    return 0;
  }
  std::printf("Edits by alpha = +-%s in %s over %lld samples: the share whose score moved the right way.\n\n",
              number_text(alpha).c_str(), space_name(space).c_str(), static_cast<long long>(n));
  std::printf("%-14s %8s %8s\n", "boundary", "up", "down");
  for (const auto& [attr, r] : single.items())
    std::printf("%-14s %8.3f %8.3f\n", attr.c_str(), r["up"].get<double>(), r["down"].get<double>());
  for (const auto& c : conditional) {
    std::printf("\n%s holding", c["target"].get<std::string>().c_str());
    for (const auto& held : c["conditions"]) std::printf(" %s", held.get<std::string>().c_str());
    std::printf(": target change %.3f (%.3f unconditioned)\n", c["target_change"].get<double>(),
                c["target_change_unconditioned"].get<double>());
    for (const auto& [held, v] : c["condition_change"].items())
      std::printf("  %-12s change %.3f (%.3f unconditioned)\n", held.c_str(), v.get<double>(),
                  c["condition_change_unconditioned"][held].get<double>());
  }
  return 0;
}

}  // namespace lw::app
