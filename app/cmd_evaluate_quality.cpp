// latentwalk evaluate-quality: does moving along the quality boundary repair images, and is it
// more than truncation? N generated images are moved by alpha along MODEL/boundaries/SPACE/quality.npy
// and, separately, truncated toward W's mean at a range of psi. For each: the realism an
// independent critic gives them (not the judge the boundary was trained on), the diversity left
// (the mean distance between the images, and the predicted factors' spread), and, for the
// boundary, how far each factor drifted (in units of its dataset standard deviation). The
// comparison: the realism truncation reaches at the same loss of diversity as each alpha.
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app/commands.hpp"
#include "app/factor_scores.hpp"
#include "app/labelled_grid.hpp"
#include "app/model_location.hpp"
#include "app/quality_measure.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "core/boundary.hpp"
#include "core/correction.hpp"
#include "core/density.hpp"
#include "core/latent_space.hpp"
#include "core/learned_modules.hpp"
#include "core/render_codes.hpp"
#include "core/tensor_images.hpp"
#include "core/base/atomic_file.hpp"
#include "plugin/dataset_batch.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace {
namespace fs = std::filesystem;

constexpr std::int64_t kBatch = 250;

struct Judged {
  double realism = 0.0;           // the critic's mean
  double image_diversity = 0.0;   // mean distance between two images ([0, 1] pixel units)
  double factor_diversity = 0.0;  // the predicted factors' standard deviation over their dataset one, averaged
  at::Tensor factors;             // [N, m]
};

// `f` over `rows` (codes or images) a batch at a time, concatenated.
template <typename F>
at::Tensor batched(const at::Tensor& rows, F&& f) {
  std::vector<at::Tensor> parts;
  for (std::int64_t i = 0; i < rows.size(0); i += kBatch) parts.push_back(f(rows.slice(0, i, std::min(rows.size(0), i + kBatch))));
  return torch::cat(parts);
}

// Images of `codes` under `spec`, a batch at a time.
at::Tensor images_of(const Generator& g, const at::Tensor& codes, const RenderSpec& spec, const at::Tensor& w_avg) {
  return batched(codes, [&](const at::Tensor& part) { return render_codes(g, part, spec, w_avg).to(torch::kCPU); });
}

// `dataset_std`: each of the predictor's attributes' standard deviation in the dataset, in its order.
Judged judge(const plugin::Model& model, const at::Tensor& images, QualityJudge critic, const at::Tensor& dataset_std) {
  Judged j;
  j.realism = batched(images, [&](const at::Tensor& part) { return quality_scores(model, part, critic); }).mean().item<double>();
  const auto flat = images.flatten(1) / 2;  // [0, 1] pixel units
  const auto n = flat.size(0);
  j.image_diversity = (torch::cdist(flat, flat).sum() / (n * (n - 1)) / std::sqrt(static_cast<double>(flat.size(1)))).item<double>();
  j.factors = batched(images, [&](const at::Tensor& part) { return predict_factors(model, part); });
  j.factor_diversity = (j.factors.std(0) / dataset_std).mean().item<double>();
  return j;
}

// The realism truncation reaches at `loss` of image diversity, read off its curve (psi 1 first,
// losses growing) by linear interpolation; past its last point, that point's.
double truncation_realism_at(const std::vector<std::pair<double, double>>& loss_and_realism, double loss) {
  if (loss <= loss_and_realism.front().first) return loss_and_realism.front().second;
  for (std::size_t i = 1; i < loss_and_realism.size(); ++i) {
    const auto [l0, r0] = loss_and_realism[i - 1];
    const auto [l1, r1] = loss_and_realism[i];
    if (loss <= l1) return r0 + (r1 - r0) * (loss - l0) / std::max(l1 - l0, 1e-12);
  }
  return loss_and_realism.back().second;
}

// The diversity truncation gives up to gain `gain` over `start` (the realism before) in realism,
// read off its curve (psi 1 first, as losses grow); -1 when no truncation reaches that gain.
double truncation_loss_for_gain(const std::vector<std::pair<double, double>>& loss_and_realism, double start, double gain) {
  for (std::size_t i = 1; i < loss_and_realism.size(); ++i) {
    const auto [l0, r0] = loss_and_realism[i - 1];
    const auto [l1, r1] = loss_and_realism[i];
    if (r1 - start >= gain && r1 > r0) return l0 + (l1 - l0) * std::clamp((start + gain - r0) / (r1 - r0), 0.0, 1.0);
  }
  return -1.0;
}

// A flag's comma-separated numbers (cli.hpp's parse_list), none missing.
std::vector<double> numbers_of(const Args& a, const std::string& flag) {
  const auto out = parse_list<double>(a.str(flag));
  LW_EXPECT(out && !out->empty(), "--" << flag << " is a comma-separated list of numbers, got \"" << a.str(flag) << "\"");
  return *out;
}

}  // namespace

int cmd_evaluate_quality(const std::vector<std::string>& argv) {
  Args a("evaluate-quality",
         "Measures the quality boundary (MODEL/boundaries/SPACE/quality.npy) against truncation: N generated "
         "images moved by each alpha along it, and truncated at each psi, are judged by an independent critic "
         "(truth: the distance to the SynthFaces render of each image's own predicted factors; or the "
         "discriminator), their diversity measured (mean distance between images; the predicted factors' "
         "spread), and each factor's drift along the boundary in dataset standard deviations. Reports, per "
         "alpha, the realism gain beside truncation's at the same loss of diversity.");
  a.flag("model", "DIR", "model folder", default_model_folder().string())
      .flag("n", "N", "generated images (up to 5000)", "500")
      .flag("space", "z|w", "the boundary's space", "w")
      .flag("alphas", "LIST", "steps along the unit boundary", "0.5,1,1.5,2,3")
      .flag("psis", "LIST", "truncations to compare with", "0.95,0.9,0.8,0.7,0.6,0.5")
      .flag("critic", "JUDGE", "truth or discriminator: the judge the boundary was not trained on", "truth")
      .flag("worst", "F", "judge only the fraction F of the images the other judge (the labelling one) finds least "
                          "real, as artifact correction is for the images that have artifacts (1: all)", "1")
      .flag("walk", "linear|dp", "W: move codes by alpha along the boundary (linear), or density-preserving with "
                                 "the model's learned F and C (dplase/w): w + alpha n + C(w, alpha, n)", "linear")
      .flag("seed", "S", "seed of the images' codes", "777")
      .flag("strip", "PNG", "write the first 8 images judged (the least real with --worst) before and at each alpha")
      .flag("json", "", "print JSON");
  if (!a.parse(argv)) return 0;
  use_all_cores_for_torch();
  const std::int64_t n = a.integer_in("n", 10, 5000);
  const Space space = parse_space(a.str("space"));
  LW_EXPECT(space == Space::Z || space == Space::W, "--space is z or w");
  const QualityJudge critic = parse_quality_judge(a.str("critic"));
  const auto alphas = numbers_of(a, "alphas"), psis = numbers_of(a, "psis");
  for (double psi : psis) LW_EXPECT(psi > 0.0 && psi < 1.0, "--psis are truncations between 0 and 1, got " << psi);
  const plugin::Model model = plugin::load_model(a.str("model"));
  check_quality_judge(model, QualityJudge::Truth);  // the drift and diversity read SynthFaces factors
  check_quality_judge(model, critic);
  if (a.has("strip")) check_output_file(a.str("strip"));
  const Generator& g = *model.generator;
  LW_EXPECT(g.w_dim() > 0, a.str("model") << ": truncation needs W (a mapping network)");
  const fs::path boundary_file = model.folder / "boundaries" / space_name(space) / "quality.npy";
  LW_EXPECT(fs::exists(boundary_file), boundary_file.string() << ": no quality boundary (README: the quality direction)");
  const auto normal = read_boundary(boundary_file);
  const int dims = space == Space::Z ? g.latent_dim() : g.w_dim();
  LW_EXPECT(normal.size() == dims, boundary_file.string() << " has " << normal.size() << " numbers, " << space_name(space) << " has " << dims);
  const auto direction = to_tensor(normal.normalized());

  const std::string walk = a.str("walk");
  LW_EXPECT(walk == "linear" || walk == "dp", "--walk is linear or dp, got \"" << walk << "\"");
  LW_EXPECT(walk == "linear" || space == Space::W, "--walk dp moves codes in W (in Z a linear step already keeps the density)");
  std::optional<LearnedModules> learned;
  if (walk == "dp") learned = load_learned(shipped_dplase_folder(model.folder, Space::W), g.w_dim());
  // Every code moved by alpha along the boundary, the way --walk asks.
  auto moved_codes = [&](const at::Tensor& from, double alpha) {
    if (!learned) return edited_codes(g, from, space, direction, static_cast<float>(alpha));
    const auto b = from.size(0);
    return learned->correction->walk(*learned->density, from, torch::full({b}, static_cast<float>(alpha)),
                                     direction.unsqueeze(0).expand({b, -1}).contiguous());
  };

  torch::NoGradGuard no_grad;
  const auto truth = plugin::render_batch(plugin::kEvaluationDataSeed, 0, 2000, g.height()).factors;
  // Each attribute's spread in the dataset, in the predictor's order (drift and diversity are in its units).
  const auto dataset_std = truth_as_predicted(model, truth, "evaluate-quality").std(0).clamp_min(1e-6);
  const auto z = torch::randn({n, g.latent_dim()}, at::detail::createCPUGenerator(static_cast<std::uint64_t>(a.integer("seed"))));
  const auto w_avg = mean_w(g);
  auto codes = codes_in(g, z, space);
  const double worst = a.real_in("worst", 0.01, 1.0);
  if (worst < 1.0) {
    // The least real by the labelling judge (not the critic's): the images that have artifacts.
    const QualityJudge labeller = critic == QualityJudge::Truth ? QualityJudge::Discriminator : QualityJudge::Truth;
    check_quality_judge(model, labeller);
    const auto scores =
        batched(images_of(g, codes, {space}, w_avg), [&](const at::Tensor& part) { return quality_scores(model, part, labeller); });
    const auto keep = std::max<std::int64_t>(2, static_cast<std::int64_t>(static_cast<double>(n) * worst));
    codes = codes.index_select(0, std::get<1>(scores.topk(keep, 0, /*largest=*/false)));
  }
  ProgressBar bar("evaluate-quality", static_cast<std::int64_t>(1 + alphas.size() + psis.size()), "setting");
  std::int64_t done = 0;
  const Judged before = judge(model, images_of(g, codes, {space}, w_avg), critic, dataset_std);
  bar.update(++done);

  std::vector<std::pair<double, double>> truncation{{0.0, before.realism}};
  nlohmann::json truncations = nlohmann::json::array();
  for (double psi : psis) {
    const Judged t = judge(model, images_of(g, codes, {space, static_cast<float>(psi)}, w_avg), critic, dataset_std);
    truncation.emplace_back(before.image_diversity - t.image_diversity, t.realism);
    truncations.push_back({{"psi", psi}, {"realism", t.realism}, {"image_diversity", t.image_diversity},
                           {"factor_diversity", t.factor_diversity}});
    bar.update(++done);
  }
  // By growing loss, psi 1 (no loss) first; a truncation that widened the images (possible on a
  // small subset) says nothing about what narrowing costs.
  std::erase_if(truncation, [](const auto& p) { return p.first < 0.0; });
  std::sort(truncation.begin(), truncation.end());

  nlohmann::json moves = nlohmann::json::array();
  std::ostringstream text;
  text.precision(3);
  for (double alpha : alphas) {
    const auto moved = moved_codes(codes, alpha);
    const Judged m = judge(model, images_of(g, moved, {space}, w_avg), critic, dataset_std);
    const auto drift = ((m.factors - before.factors).abs().mean(0) / dataset_std);
    nlohmann::json drifts = nlohmann::json::object();
    double worst_drift = 0.0;
    std::string worst_factor;
    for (std::size_t c = 0; c < model.manifest.attributes.size(); ++c) {
      const double d = drift[static_cast<std::int64_t>(c)].item<double>();
      drifts[model.manifest.attributes[c].name] = d;
      if (d > worst_drift) worst_drift = d, worst_factor = model.manifest.attributes[c].name;
    }
    const double loss = before.image_diversity - m.image_diversity;
    const double truncation_gain = truncation_realism_at(truncation, loss) - before.realism;
    const double gain = m.realism - before.realism;
    // No gain: nothing to buy with truncation (null in the JSON).
    const double truncation_loss = gain > 0 ? truncation_loss_for_gain(truncation, before.realism, gain) : -1.0;
    moves.push_back({{"alpha", alpha}, {"realism", m.realism}, {"realism_gain", gain},
                     {"image_diversity", m.image_diversity}, {"factor_diversity", m.factor_diversity},
                     {"diversity_loss", loss}, {"truncation_gain_at_same_loss", truncation_gain},
                     {"truncation_diversity_loss_at_same_gain", truncation_loss >= 0 ? nlohmann::json(truncation_loss) : nlohmann::json()},
                     {"beats_truncation", gain > truncation_gain}, {"factor_drift_std", drifts},
                     {"worst_drift_std", worst_drift}, {"worst_drift_factor", worst_factor}});
    text << "  alpha " << alpha << ": realism " << (gain >= 0 ? "+" : "") << gain << " (truncation at the same diversity loss "
         << (truncation_gain >= 0 ? "+" : "") << truncation_gain << "; the diversity truncation gives up for this gain "
         << (gain <= 0 ? std::string("no gain to buy") : truncation_loss < 0 ? std::string("none reaches it") : number_text(truncation_loss))
         << "), diversity " << m.image_diversity << " (before "
         << before.image_diversity << "), worst factor drift " << worst_drift << " std (" << worst_factor << ")\n";
    bar.update(++done);
  }
  bar.finish();
  if (a.has("strip")) {
    // Rows: images; columns: before, then each alpha.
    const std::int64_t rows = std::min<std::int64_t>(8, codes.size(0));
    const auto shown = codes.slice(0, 0, rows);
    std::vector<at::Tensor> columns{images_of(g, shown, {space}, w_avg)};
    GridLabels labels;
    labels.title = model.manifest.name + ": along the quality boundary in " + space_name(space);
    labels.columns.push_back("before");
    for (double alpha : alphas) {
      columns.push_back(images_of(g, moved_codes(shown, alpha), {space}, w_avg));
      labels.columns.push_back("alpha " + number_text(alpha));
    }
    const auto grid = torch::stack(columns, 1).flatten(0, 1);  // row-major: each image, then its moves
    write_png(a.str("strip"), make_labelled_grid(to_images(grid), static_cast<int>(columns.size()), labels));
  }
  const nlohmann::json j{{"model", a.str("model")}, {"n", n}, {"judged", codes.size(0)}, {"worst", worst},
                         {"space", space_name(space)}, {"walk", walk}, {"critic", quality_judge_name(critic)},
                         {"before", {{"realism", before.realism}, {"image_diversity", before.image_diversity},
                                     {"factor_diversity", before.factor_diversity}}},
                         {"quality_boundary", moves}, {"truncation", truncations}};
  print_outcome(a, j, "latentwalk evaluate-quality (" + std::to_string(n) + " images, critic: " + quality_judge_name(critic) +
                          ", realism " + number_text(before.realism) + " before):\n" + text.str());
  return 0;
}

}  // namespace lw::app
