// latentwalk evaluate-inversion: inversion measured where the truth is known. SynthFaces renders
// of held-out seeds are the "real images" (every factor that made them known); generated
// images, whose codes exist, are the in-domain control. Per space: PSNR and SSIM of the
// reconstructions, the error of the factors the predictor reads from them against the truth
// (beside the predictor's own error on the real images: the floor), InterFaceGAN edits of the
// inverted codes (the share moved the right way), the same edit on a generated image's inverted
// and true code, and the seconds per image.
#include <torch/torch.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/commands.hpp"
#include "app/factor_scores.hpp"
#include "app/labelled_grid.hpp"
#include "plugin/inversion.hpp"
#include "app/model_location.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "core/boundary.hpp"
#include "core/latent_space.hpp"
#include "core/tensor_images.hpp"
#include "plugin/dataset_batch.hpp"
#include "plugin/manifest.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace {
namespace fs = std::filesystem;

constexpr std::int64_t kBatch = 25;

struct Boundaries {
  std::vector<std::string> names;
  std::vector<at::Tensor> normals;  // unit, [w_dim]
  std::vector<int> columns;         // the predictor's column of each
};

Boundaries w_boundaries(const plugin::Model& model) {
  const fs::path dir = model.folder / "boundaries" / "w";
  LW_EXPECT(fs::is_directory(dir), dir.string() << ": no W boundaries to edit the inverted codes with");
  Boundaries b;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".npy") continue;
    const int column = model.manifest.attribute_index(e.path().stem().string());
    if (column < 0) continue;
    const auto normal = read_boundary(e.path());
    LW_EXPECT(normal.size() == model.generator->w_dim(), e.path().string() << " is not a direction of W (" << normal.size()
                                                                          << " numbers, W has " << model.generator->w_dim() << ")");
    b.names.push_back(e.path().stem().string());
    b.normals.push_back(to_tensor(normal.normalized()));
    b.columns.push_back(column);
  }
  LW_EXPECT(!b.names.empty(), dir.string() << " holds no boundary of an attribute the predictor scores");
  return b;
}

// Each attribute's error against the truth, [m]: continuous ones the mean absolute error in
// their units, binary ones the share called wrong (probability on the wrong side of one half).
at::Tensor factor_error(const plugin::Model& model, const at::Tensor& predicted, const at::Tensor& truth) {
  const auto t = truth_as_predicted(model, truth, "evaluate-inversion");
  std::vector<at::Tensor> errors;
  for (std::size_t c = 0; c < model.manifest.attributes.size(); ++c) {
    const auto i = static_cast<std::int64_t>(c);
    errors.push_back(model.manifest.attributes[c].binary
                         ? ((predicted.select(1, i) > 0.5) != (t.select(1, i) > 0.5)).to(torch::kFloat).mean()
                         : (predicted.select(1, i) - t.select(1, i)).abs().mean());
  }
  return torch::stack(errors);
}

// Every target inverted, a batch at a time.
Projection invert_all(const plugin::InversionSetup& setup, const at::Tensor& targets, ProgressBar& bar, std::int64_t& done) {
  Projection all;
  std::vector<at::Tensor> codes, images;
  for (std::int64_t i = 0; i < targets.size(0); i += kBatch) {
    const auto p = setup.project(targets.slice(0, i, std::min(targets.size(0), i + kBatch)), true);
    codes.push_back(p.codes), images.push_back(p.images.to(torch::kCPU));
    all.psnr.insert(all.psnr.end(), p.psnr.begin(), p.psnr.end());
    all.ssim.insert(all.ssim.end(), p.ssim.begin(), p.ssim.end());
    all.seconds += p.seconds;
    bar.update(++done);
  }
  all.codes = torch::cat(codes), all.images = torch::cat(images);
  return all;
}

// The `count` real images whose reconstructions (in the last space inverted) the predictor reads
// furthest from the truth (each factor's error over its spread in the truth, summed), beside each
// space's reconstruction: what inversion loses, where a table only says how much.
void write_misread_pairs(const fs::path& file, const plugin::Model& model, const at::Tensor& real, const at::Tensor& truth,
                         const std::vector<std::pair<Space, at::Tensor>>& reconstructions, int count) {
  const auto t = truth_as_predicted(model, truth, "evaluate-inversion");
  const auto misread = ((predict_factors(model, reconstructions.back().second) - t).abs() / t.std(0).clamp_min(1e-6)).sum(1);
  const auto worst = std::get<1>(misread.topk(std::min<std::int64_t>(count, misread.size(0))));
  GridLabels labels;
  labels.title = model.manifest.name + ": the renders whose reconstructions are misread most";
  labels.columns.push_back("real");
  std::vector<at::Tensor> shown{real.index_select(0, worst)};
  for (const auto& [space, images] : reconstructions) {
    labels.columns.push_back(space_label(space));
    shown.push_back(images.index_select(0, worst));
  }
  const auto grid = torch::stack(shown, 1).flatten(0, 1);  // each render, then its reconstructions
  write_png(file, make_labelled_grid(to_images(grid), static_cast<int>(shown.size()), labels));
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

// Each boundary's share of codes whose score rises at +alpha and falls at -alpha.
nlohmann::json edit_success(const plugin::Model& model, const Boundaries& b, const at::Tensor& codes, Space space, float alpha) {
  const Generator& g = *model.generator;
  const auto base = model.predictor->predict(g.synthesis(codes));
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < b.names.size(); ++i) {
    const int c = b.columns[i];
    const auto up = model.predictor->predict(edited_images(g, codes, space, b.normals[i], alpha)).select(1, c);
    const auto down = model.predictor->predict(edited_images(g, codes, space, b.normals[i], -alpha)).select(1, c);
    const auto both = (up > base.select(1, c)).logical_and(down < base.select(1, c));
    out[b.names[i]] = both.to(torch::kFloat).mean().item<double>();
  }
  return out;
}

// The same edit on generated images' true codes and on their inverted codes: the mean absolute
// difference of the factor change it makes (factor units).
nlohmann::json twin_edits(const plugin::Model& model, const Boundaries& b, const at::Tensor& truth_w,
                          const at::Tensor& inverted, Space space, float alpha) {
  const Generator& g = *model.generator;
  const auto true_codes = space == Space::WPlus ? truth_w.unsqueeze(1).repeat({1, g.num_ws(), 1}) : truth_w;
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < b.names.size(); ++i) {
    const int c = b.columns[i];
    auto change = [&](const at::Tensor& codes) {
      return (predict_factors(model, edited_images(g, codes, space, b.normals[i], alpha)) -
              predict_factors(model, g.synthesis(codes)))
          .select(1, c);
    };
    const auto on_true = change(true_codes), on_inverted = change(inverted);
    out[b.names[i]] = {{"true_code_change", on_true.mean().item<double>()},
                       {"inverted_code_change", on_inverted.mean().item<double>()},
                       {"mean_abs_difference", (on_true - on_inverted).abs().mean().item<double>()}};
  }
  return out;
}

}  // namespace

int cmd_evaluate_inversion(const std::vector<std::string>& argv) {
  Args a("evaluate-inversion",
         "Measures inversion where the truth is known: N SynthFaces renders of held-out seeds as the "
         "real images, N generated images (whose codes exist) as the control, each inverted in W and W+ "
         "from the encoder's guess. Reports PSNR and SSIM, the error of the factors the predictor reads "
         "from the reconstructions against the renderer's truth beside the predictor's own error on the "
         "real images, the share of inverted real images each W boundary moves the right way at "
         "+-alpha, the same edit on generated images' true and inverted codes, and seconds per image.");
  a.flag("model", "DIR", "model folder", default_model_folder().string())
      .flag("n", "N", "real images, and as many generated ones (up to 1000)", "100")
      .flag("steps", "N", "Adam steps per inversion", "300")
      .flag("alpha", "A", "edit strength along the unit boundaries", "3")
      .flag("spaces", "LIST", "the spaces to invert in: w, wplus or both", "w,wplus")
      .flag("perceptual", "W", "weight of the discriminator features' distance (default: the invert default)")
      .flag("density", "W", "weight of W's learned density as a prior (default: the invert default)")
      .flag("row-pull", "W", "W+: weight of each row's pull toward the rows' mean (default: the invert default)")
      .flag("pairs", "PNG", "write the 8 renders whose reconstructions are misread most, beside them")
      .flag("json", "", "print JSON");
  if (!a.parse(argv)) return 0;
  use_all_cores_for_torch();
  if (a.has("pairs")) check_output_file(a.str("pairs"));
  const std::int64_t n = a.integer_in("n", 1, 1000);
  const int steps = static_cast<int>(a.integer_in("steps", 1, 100000));
  const auto alpha = static_cast<float>(a.real_in("alpha", 0.01, 100));
  const plugin::Model model = plugin::load_model(a.str("model"));
  LW_EXPECT(model.predictor != nullptr, a.str("model") << ": evaluate-inversion reads factors with the model's predictor; it has none");
  const Generator& g = *model.generator;
  const Boundaries boundaries = w_boundaries(model);
  const auto real = plugin::render_batch(plugin::kEvaluationDataSeed, 0, static_cast<int>(n), g.height());
  at::Tensor generated_w, generated;
  {
    torch::NoGradGuard no_grad;
    generated_w = g.mapping(torch::randn({n, g.latent_dim()}, at::detail::createCPUGenerator(31337))).to(torch::kCPU);
    generated = g.synthesis(generated_w).to(torch::kCPU);
  }
  at::Tensor floor;
  {
    torch::NoGradGuard no_grad;
    floor = factor_error(model, predict_factors(model, real.images), real.factors);
  }
  const std::int64_t batches = (n + kBatch - 1) / kBatch;
  std::int64_t done = 0;
  nlohmann::json spaces = nlohmann::json::object();
  std::ostringstream text;
  std::vector<Space> chosen;
  std::stringstream listed(a.str("spaces"));
  for (std::string name; std::getline(listed, name, ',');) {
    LW_EXPECT(name == "w" || name == "wplus", "--spaces lists w, wplus or both, got \"" << a.str("spaces") << "\"");
    chosen.push_back(parse_space(name));
  }
  LW_EXPECT(!chosen.empty(), "--spaces lists w, wplus or both");
  ProgressBar bar("evaluate-inversion", 2 * batches * static_cast<std::int64_t>(chosen.size()), "batch");
  std::vector<std::pair<Space, at::Tensor>> reconstructions;
  for (const Space space : chosen) {
    plugin::InversionSetup setup(model, space, steps);
    if (a.has("perceptual")) setup.settings.perceptual = a.real_in("perceptual", 0, 100);
    if (a.has("density")) setup.settings.density = a.real_in("density", 0, 100);
    if (a.has("row-pull")) setup.settings.row_pull = a.real_in("row-pull", 0, 100);
    const Projection on_real = invert_all(setup, real.images, bar, done);
    const Projection on_generated = invert_all(setup, generated, bar, done);
    torch::NoGradGuard no_grad;
    const auto error = factor_error(model, predict_factors(model, on_real.images), real.factors);
    reconstructions.emplace_back(space, on_real.images);
    nlohmann::json factors = nlohmann::json::object();
    double worst_ratio = 0.0;
    for (std::size_t c = 0; c < model.manifest.attributes.size(); ++c) {
      const double e = error[static_cast<std::int64_t>(c)].item<double>(), f = floor[static_cast<std::int64_t>(c)].item<double>();
      const auto& attr = model.manifest.attributes[c];
      // A floor of no errors in n: the ratio against one error in n.
      const double ratio = e / std::max(f, attr.binary ? 1.0 / static_cast<double>(n) : 1e-9);
      factors[attr.name] = {{"kind", attr.binary ? "binary: share called wrong" : "continuous: mean absolute error"},
                            {"error", e}, {"predictor_on_real", f}, {"ratio", ratio}};
      worst_ratio = std::max(worst_ratio, ratio);
    }
    const auto edits = edit_success(model, boundaries, on_real.codes, space, alpha);
    double worst_edit = 1.0;
    for (const auto& [name, share] : edits.items()) worst_edit = std::min(worst_edit, share.get<double>());
    spaces[space_name(space)] = {
        {"real", {{"psnr", mean(on_real.psnr)}, {"ssim", mean(on_real.ssim)}, {"seconds_per_image", on_real.seconds / n}}},
        {"generated", {{"psnr", mean(on_generated.psnr)}, {"ssim", mean(on_generated.ssim)}}},
        {"factor_error", factors},
        {"worst_factor_error_ratio", worst_ratio},
        {"edit_success", edits},
        {"worst_edit_success", worst_edit},
        {"twin_edits", twin_edits(model, boundaries, generated_w, on_generated.codes, space, alpha)},
        {"start", setup.start_name(true)},
        {"steps", steps}};
    text << space_name(space) << ": real PSNR " << number_text(mean(on_real.psnr)) << " dB, SSIM " << number_text(mean(on_real.ssim))
         << "; generated PSNR " << number_text(mean(on_generated.psnr)) << " dB; factor error at most "
         << number_text(worst_ratio) << "x the predictor's own; edits right for at least " << number_text(100 * worst_edit)
         << "% per boundary; " << number_text(on_real.seconds / n) << " s per image\n";
  }
  bar.finish();
  if (a.has("pairs")) {
    torch::NoGradGuard no_grad;
    write_misread_pairs(a.str("pairs"), model, real.images, real.factors, reconstructions, 8);
  }
  const nlohmann::json j{{"model", a.str("model")}, {"n", n}, {"alpha", alpha}, {"spaces", spaces}};
  print_outcome(a, j, "latentwalk evaluate-inversion (" + std::to_string(n) + " real, " + std::to_string(n) + " generated):\n" + text.str());
  return 0;
}

}  // namespace lw::app
