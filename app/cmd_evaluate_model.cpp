// latentwalk evaluate-model: how well the attribute predictor reads held-out dataset renders,
// and how the factors of generated images are distributed beside the dataset's.
#include <torch/torch.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "plugin/dataset_batch.hpp"
#include "plugin/synthfaces.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
using nlohmann::json;

namespace {

double pearson(const torch::Tensor& x, const torch::Tensor& y) {
  const auto a = x - x.mean(), b = y - y.mean();
  const double denom = (a.norm() * b.norm()).item<double>();
  return denom > 0 ? (a * b).sum().item<double>() / denom : 0.0;
}

}  // namespace

int cmd_evaluate_model(const std::vector<std::string>& argv) {
  Args a("evaluate-model",
         "Predictor quality on N held-out SynthFaces renders (accuracy for binary factors, R^2 for\n"
         "continuous ones; for binary ones also the continuous factor their logit follows most within\n"
         "a true class, a shortcut measure) and the predicted factor statistics of N generated images\n"
         "beside the dataset's ground truth. Needs a model whose predictor scores SynthFaces factors.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("n", "N", "held-out renders and generated images", "10000")
      .flag("seed", "S", "seed of the generated latent codes", "0")
      .flag("batch", "B", "batch size", "250")
      .flag("json", "", "print the result as JSON only");
  if (!a.parse(argv)) return 0;
  const auto n = a.integer("n");
  const auto batch = a.integer("batch");
  LW_EXPECT(n > 0 && batch > 0, "--n and --batch must be positive");
  auto model = plugin::load_model(a.str("model"));
  LW_EXPECT(model.predictor != nullptr, a.str("model") << ": the manifest names no attribute predictor");
  const auto& man = model.manifest;
  LW_EXPECT(man.height == man.width, "evaluate-model needs square images, the model makes " << man.height << "x" << man.width);

  // Manifest columns that are SynthFaces factors, paired with the dataset's column.
  struct Column {
    int model_col, factor_col;
    bool binary;
    std::string name;
  };
  std::vector<Column> cols;
  for (std::size_t i = 0; i < man.attributes.size(); ++i) {
    const int f = synthfaces::factor_index(man.attributes[i].name);
    if (f >= 0) cols.push_back({static_cast<int>(i), f, man.attributes[i].binary, man.attributes[i].name});
  }
  LW_EXPECT(!cols.empty(), "none of the predictor's attributes is a SynthFaces factor");

  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> truth, pred_real, pred_fake;
  auto gen = at::detail::createCPUGenerator(static_cast<std::uint64_t>(a.integer("seed")));
  ProgressBar bar("evaluate", 2 * n, "img");
  for (std::int64_t i = 0; i < n; i += batch) {
    const auto b = std::min(batch, n - i);
    auto data = plugin::render_batch(plugin::kEvaluationDataSeed, static_cast<std::uint64_t>(i), static_cast<int>(b), man.height);
    truth.push_back(data.factors);
    pred_real.push_back(model.predictor->predict(data.images));
    bar.update(2 * i + b);
    pred_fake.push_back(model.predictor->predict(model.generator->generate(torch::randn({b, man.latent_dim}, gen))));
    bar.update(2 * (i + b));
  }
  bar.finish();
  const auto t = torch::cat(truth), pr = torch::cat(pred_real), pf = torch::cat(pred_fake);

  json predictor = json::object(), generated = json::object();
  for (const auto& c : cols) {
    const auto y = t.select(1, c.factor_col).to(torch::kDouble);
    const auto p = pr.select(1, c.model_col).to(torch::kDouble);
    const auto g = pf.select(1, c.model_col).to(torch::kDouble);
    if (c.binary) {
      const double acc = ((p > 0).to(torch::kDouble) == y).to(torch::kDouble).mean().item<double>();
      predictor[c.name] = {{"accuracy", acc}};
      // Within each true class, how much the logit follows each continuous factor (the one of
      // the two classes where it follows it more). Some of it is sight (larger faces show
      // their eyeglasses more plainly); following a factor the attribute merely co-occurs with
      // is a shortcut (a predictor that learnt "young faces seldom wear eyeglasses" scores a
      // young face's lack of them more confidently).
      const auto with = y > 0.5;
      json follows = json::object();
      for (const auto& other : cols) {
        if (other.binary) continue;
        const auto x = t.select(1, other.factor_col).to(torch::kDouble);
        double most = 0.0;
        for (const auto& in_class : {with, ~with}) {
          if (in_class.sum().item<std::int64_t>() < 3) continue;
          const double r = pearson(x.masked_select(in_class), p.masked_select(in_class));
          if (std::abs(r) > std::abs(most)) most = r;
        }
        follows[other.name] = most;
      }
      predictor[c.name]["within_class_correlation"] = follows;
      generated[c.name] = {{"fraction", (g > 0).to(torch::kDouble).mean().item<double>()},
                           {"dataset_fraction", y.mean().item<double>()}};
    } else {
      const double sse = (p - y).pow(2).sum().item<double>();
      const double sst = (y - y.mean()).pow(2).sum().item<double>();
      predictor[c.name] = {{"r2", 1.0 - sse / sst}};
      generated[c.name] = {{"mean", g.mean().item<double>()},
                           {"std", g.std().item<double>()},
                           {"dataset_mean", y.mean().item<double>()},
                           {"dataset_std", y.std().item<double>()}};
    }
  }
  const json result{{"model", man.name}, {"n", n}, {"predictor", predictor}, {"generated", generated}};
  if (a.on("json")) {
    std::cout << result.dump(2) << "\n";
    return 0;
  }
  std::printf("%-12s %-22s %s\n", "factor", "predictor", "generated vs dataset");
  for (const auto& c : cols) {
    const auto& p = predictor[c.name];
    const auto& g = generated[c.name];
    if (c.binary) {
      std::string most_name;
      double most = 0.0;
      for (const auto& [name, r] : p["within_class_correlation"].items())
        if (std::abs(r.get<double>()) >= std::abs(most)) most_name = name, most = r.get<double>();
      std::printf("%-12s accuracy %-13.4f fraction %.3f vs %.3f (logit within a class follows %s most, r %.2f)\n",
                  c.name.c_str(), p["accuracy"].get<double>(), g["fraction"].get<double>(),
                  g["dataset_fraction"].get<double>(), most_name.c_str(), most);
    } else {
      std::printf("%-12s R^2 %-18.4f mean %.3f vs %.3f, std %.3f vs %.3f\n", c.name.c_str(), p["r2"].get<double>(),
                  g["mean"].get<double>(), g["dataset_mean"].get<double>(), g["std"].get<double>(),
                  g["dataset_std"].get<double>());
    }
  }
  return 0;
}

}  // namespace lw::app
