// latentwalk discover: DP-LaSE's unsupervised direction discovery in Z or W. Fits the density F
// on samples of the space, then trains the directions Gamma (l_var on the model's features of one
// layer, l_reg) jointly with the correction module C (l_den on walks along Gamma and along random
// directions). Checkpoints as it goes; run it again with the same --out to resume.
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "core/learned_modules.hpp"
#include "app/labelled_grid.hpp"
#include "core/tensor_images.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/direction_space.hpp"
#include "core/discovery_features.hpp"
#include "core/image.hpp"
#include "core/npy.hpp"
#include "core/base/progress.hpp"
#include "core/walk_batch.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

// Each step draws its batch from its own generator, so a resumed run draws what an unbroken
// one would have.
at::Generator step_generator(std::uint64_t seed, std::int64_t step) {
  return at::detail::createCPUGenerator(seed * 1'000'003ULL + static_cast<std::uint64_t>(step) + 17);
}

// The run's identity: a checkpoint is resumed only by a run with the same settings on the same
// model. The model is known by a probe: the sums of two images it draws from fixed codes (a
// retrained generator draws others).
nlohmann::json run_settings(const Args& a, const LatentSpace& space, const std::vector<int>& layers, const Generator& g) {
  torch::NoGradGuard no_grad;
  const auto z = torch::randn({2, g.latent_dim()}, at::detail::createCPUGenerator(0x5eed));
  const auto probe = g.generate(z).sum({1, 2, 3}).to(at::kDouble).contiguous();
  // Rounded: the sums may differ in the last bits between thread counts, another model's by far more.
  std::vector<double> model_probe;
  for (std::int64_t i = 0; i < probe.numel(); ++i) model_probe.push_back(std::round(probe[i].item<double>() * 100.0) / 100.0);
  // One layer is a number, as runs before layer lists wrote it (their checkpoints still resume);
  // several, their list as parsed ("0,2"), so that "0, 2" resumes "0,2".
  std::string list;
  for (const int l : layers) list += (list.empty() ? "" : ",") + std::to_string(l);
  nlohmann::json settings = {{"space", space.name()},           {"model_probe", model_probe},
          {"layer", layers.size() == 1 ? nlohmann::json(layers.front()) : nlohmann::json(list)},
          {"k", a.integer("k")},
          {"samples", a.integer("samples")}, {"seed", a.integer("seed")},     {"batch", a.integer("batch")},
          {"eps", a.real("eps")},            {"lambda", a.real("lambda")},    {"zeta", a.real("zeta")},
          {"lr", a.real("lr")},              {"density_steps", a.integer("density-steps")},
          {"correction_warmup", a.integer("correction-warmup")},             {"max_eps", a.real("max-eps")},
          {"correction_size_weight", a.real("correction-size-weight")},     {"correction_lr", a.real("correction-lr")}};
  if (a.on("normalise-features")) settings["normalise_features"] = true;
  if (a.given("from")) settings["from"] = fs::weakly_canonical(fs::absolute(a.str("from"))).string();
  return settings;
}

void write_json(const fs::path& path, const nlohmann::json& j) { write_text_file(path, j.dump(2) + "\n"); }

// An earlier run's F and C serve only its own space of the same model: same sizes are not enough
// (SynthFaces' Z and W are both 64-d). Runs that wrote their settings say both.
void check_from(const fs::path& from, const nlohmann::json& settings) {
  std::ifstream is(from / "settings.json");
  if (!is) return;  // F and C shipped with a model: its own folder per space
  const auto earlier = nlohmann::json::parse(is, nullptr, false);
  LW_EXPECT(!earlier.is_discarded() && earlier.value("space", "") == settings["space"] &&
                earlier.value("model_probe", nlohmann::json()) == settings["model_probe"],
            "--from " << from.string() << " is a discover run of another space or model (its settings.json)");
}

// One row per direction and kind: the linear walk, then the density-preserving one, from the
// same start, strides -S..S left to right.
ImageRGB8 contact_sheet(const LatentSpace& space, const WalkRules& rules, const at::Tensor& gamma, float stride,
                        int columns, std::uint64_t seed) {
  torch::NoGradGuard no_grad;
  const auto start = space.sample(1, seed);
  const auto eps = torch::linspace(-stride, stride, columns);
  std::vector<ImageRGB8> tiles;
  for (std::int64_t j = 0; j < gamma.size(0); ++j) {
    const auto z0 = start.expand({columns, -1});
    const auto dir = gamma[j].unsqueeze(0).expand({columns, -1});
    for (const auto& step : {StepFn(linear_steps), rules.dp_step}) {
      const auto row = to_images(space.images(step(z0, eps, dir)));
      tiles.insert(tiles.end(), row.begin(), row.end());
    }
  }
  GridLabels labels{space.name() + " directions, same start (seed " + std::to_string(seed) + ")", {}, {}};
  for (int c = 0; c < columns; ++c) labels.columns.push_back("ε " + number_text(eps[c].item<float>()));
  for (std::int64_t j = 0; j < gamma.size(0); ++j)
    for (const char* kind : {"linear", "dp"}) labels.rows.push_back(std::to_string(j) + " " + kind);
  return make_labelled_grid(tiles, columns, labels);
}

}  // namespace

int cmd_discover(const std::vector<std::string>& argv) {
  Args a("discover",
         "Discovers K directions in Z or W without labels (DP-LaSE): directions along which a\n"
         "density-preserving walk changes the features of --layer the most, decorrelated from each\n"
         "other and orthogonal. First fits the density F of the space, then trains the directions\n"
         "together with the correction C that keeps walks at their start's density. Writes to --out:\n"
         "directions.npy [K, d], density.pt, correction.pt, contact_sheet.png (per direction a linear\n"
         "row above a density-preserving row, strides -S..S) and summary.json. A checkpoint is kept\n"
         "in --out; running the same command again resumes it (a larger --steps trains further).");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("space", "z|w", "latent space to discover directions in", "w")
      .flag("layer", "L", "feature layer whose change the directions maximise (early layers: coarse factors), or "
                          "several side by side, such as 1,3", "1")
      .flag("normalise-features", "", "standardise each feature channel by its mean and spread over sample codes "
                                      "before measuring the change (no channel or layer outweighs the rest by scale)")
      .flag("from", "DIR", "start from the density F and correction C of an earlier discover run of the same model "
                           "and space in DIR: F is not fitted again, and with --correction-warmup 0 the directions "
                           "train at once (a layer sweep)")
      .flag("k", "K", "number of directions", "8")
      .flag("steps", "N", "direction training steps", "1500")
      .flag("out", "DIR", "output folder")
      .flag("batch", "B", "starts per step (each walked along every direction)", "32")
      .flag("eps", "E", "stride of the walks whose feature change is measured", "3")
      .flag("lambda", "L", "weight of the decorrelation term of l_var", "1")
      .flag("zeta", "Z", "weight of the orthogonality loss l_reg", "10")
      .flag("lr", "R", "learning rate of the directions", "0.01")
      .flag("samples", "N", "codes of the space the density and the starts come from", "20000")
      .flag("density-steps", "N", "training steps of the density F", "3000")
      .flag("correction-warmup", "N", "steps of C on random directions before the directions train", "6000")
      .flag("max-eps", "E", "largest stride C is trained for", "8")
      .flag("correction-size-weight", "W", "weight of C's size penalty (keeps walks moving, not returning)", "0.1")
      .flag("correction-lr", "R", "learning rate of C", "0.001")
      .flag("sheet-stride", "S", "largest stride shown in the contact sheet", "6")
      .flag("seed", "S", "seed of the samples, the initial directions and the batches", "0")
      .flag("restart", "", "ignore a checkpoint in --out and start over");
  if (!a.parse(argv)) return 0;
  const fs::path out = a.str("out");

  LW_EXPECT(a.integer("steps") >= 0 && a.integer("density-steps") >= 1 && a.integer("correction-warmup") >= 0,
            "step counts must not be negative (--density-steps at least 1)");
  LW_EXPECT(a.integer("batch") >= 2 && a.integer("samples") >= 100, "--batch must be at least 2 and --samples at least 100");
  LW_EXPECT(a.real("eps") > 0 && a.real("max-eps") > 0 && a.real("sheet-stride") > 0, "strides must be positive");

  auto model = plugin::load_model(a.str("model"));
  const LatentSpace space(*model.generator, parse_space(a.str("space")), model.manifest.prior == "gaussian");
  const auto layers = parse_feature_layers(a.str("layer"), space);
  const std::optional<fs::path> from = a.given("from") ? std::optional<fs::path>(a.str("from")) : std::nullopt;
  if (from)
    LW_EXPECT(fs::exists(density_file(*from)) && fs::exists(correction_file(*from)),
              "--from " << from->string() << " holds no finished discover run (density.pt and correction.pt)");
  const int k = static_cast<int>(a.integer_in("k", 1, space.dims()));
  const auto seed = static_cast<std::uint64_t>(a.integer("seed"));

  make_output_folder(out);
  const fs::path checkpoint = out / "checkpoint.pt", settings_path = out / "settings.json";
  const auto settings = run_settings(a, space, layers, *model.generator);
  if (from) check_from(*from, settings);
  bool resume = !a.on("restart") && fs::exists(checkpoint) && fs::exists(density_file(out));
  if (resume) {
    std::ifstream is(settings_path);
    const auto saved = nlohmann::json::parse(is, nullptr, false);
    LW_EXPECT(saved == settings, out.string() << " holds a discover run with other settings or of another model; use "
                                                 "the same flags and model to resume it, --restart to start over, or "
                                                 "another --out");
  }

  DiscoverySettings ds;
  ds.k = k;
  ds.batch = static_cast<int>(a.integer("batch"));
  ds.eps = static_cast<float>(a.real("eps"));
  ds.lambda = static_cast<float>(a.real("lambda"));
  ds.zeta = static_cast<float>(a.real("zeta"));
  ds.lr = static_cast<float>(a.real("lr"));
  ds.seed = seed;
  CorrectionSettings cs;
  cs.max_eps = static_cast<float>(a.real("max-eps"));
  cs.size_weight = static_cast<float>(a.real("correction-size-weight"));
  cs.lr = static_cast<float>(a.real("correction-lr"));
  cs.seed = seed;

  const auto samples = space.sample(a.integer("samples"), seed);
  // The density F: fitted once; a resumed run loads it.
  DensityModel density(space.dims(), DensitySettings{}.hidden);
  if (resume) {
    density = DensityModel::load(density_file(out), space.dims());
  } else {
    if (from) {
      density = DensityModel::load(density_file(*from), space.dims());  // --from: not fitted again
    } else {
      DensitySettings fs_;
      fs_.steps = static_cast<int>(a.integer("density-steps"));
      fs_.seed = seed;
      ProgressBar bar("density", fs_.steps, "step");
      train_density(density, samples, fs_, [&](int step, float loss) {
        bar.update(step, "loss " + std::to_string(loss));
      });
      bar.finish();
    }
    density.save(density_file(out));
    write_json(settings_path, settings);
    fs::remove(checkpoint);
  }

  CorrectionModel correction = from ? CorrectionModel::load(correction_file(*from), space.dims())
                                    : CorrectionModel(space.dims(), cs.hidden);
  CorrectionTraining c_training(correction, density, cs);
  DirectionSearch search(space.dims(), ds);
  std::int64_t step = 0;
  if (resume) {
    torch::serialize::InputArchive archive;
    try {
      archive.load_from(checkpoint.string());
    } catch (const std::exception&) {
      LW_FAIL(checkpoint.string() << " is not a discover checkpoint (use --restart)");
    }
    at::Tensor s;
    archive.read("step", s);
    step = s.item<std::int64_t>();
    search.load(archive);
    c_training.load(archive);
    std::cerr << "discover: resuming at step " << step << " from " << checkpoint.string() << "\n";
  }
  auto save_checkpoint = [&] {
    torch::serialize::OutputArchive archive;
    archive.write("step", torch::tensor(step));
    search.save(archive);
    c_training.save(archive);
    AtomicFile f(checkpoint);
    archive.save_to(f.temp_path().string());
    f.commit();
  };

  // Directions walk the density-preserving way: the closed form in a Gaussian Z, C elsewhere.
  // The rules borrow this run's F and C (no-op deleters: they live on this stack frame).
  LearnedModules modules{std::shared_ptr<DensityModel>(&density, [](DensityModel*) {}),
                         std::shared_ptr<CorrectionModel>(&correction, [](CorrectionModel*) {}), out};
  const auto rules = walk_rules(space, &modules, false);
  const FeatureFn features = discovery_features(space, layers, a.on("normalise-features"), samples);

  const std::int64_t warmup = a.integer("correction-warmup"), total = warmup + a.integer("steps");
  ProgressBar bar("discover", total, "step");
  bar.update(step);
  float l_var = 0.f, l_den = 0.f;
  for (; step < total; ++step) {
    auto gen = step_generator(seed, step);
    if (step >= warmup) {
      const auto z0 = samples.index_select(0, torch::randint(samples.size(0), {ds.batch}, gen, torch::kLong));
      l_var = search.step(z0, features, rules.dp_step);
    }
    // C learns the directions being discovered and, for half its batch, random ones.
    const auto directions = step >= warmup ? search.directions() : at::Tensor();
    l_den = c_training.step(sample_walks(samples, directions, cs, gen, 0.5f));
    std::ostringstream status;
    status << "l_den " << l_den;
    if (step >= warmup) status << " l_var " << l_var;
    bar.update(step + 1, status.str());
    if ((step + 1) % 100 == 0) save_checkpoint();
  }
  bar.finish();
  save_checkpoint();

  const auto gamma = search.directions();
  NpyArray dirs;
  dirs.shape = {gamma.size(0), gamma.size(1)};
  const auto g = gamma.contiguous();
  dirs.data.assign(g.data_ptr<float>(), g.data_ptr<float>() + g.numel());
  write_npy(out / "directions.npy", dirs);
  write_direction_sidecar(out / "directions.npy", space.space(), {{"discovered", "DP-LaSE"}, {"layer", settings["layer"]}});
  correction.save(correction_file(out));
  write_png(out / "contact_sheet.png",
            contact_sheet(space, rules, gamma, static_cast<float>(a.real("sheet-stride")), 9, seed + 99));
  write_json(out / "summary.json", {{"settings", settings},
                                    {"steps", a.integer("steps")},
                                    {"dp_walk", rules.dp_name},
                                    {"final_l_var", l_var},
                                    {"final_l_den", l_den}});
  std::cerr << "discover: wrote " << out.string() << "/{directions.npy, density.pt, correction.pt, contact_sheet.png}\n";
  return 0;
}

}  // namespace lw::app
