#include "plugin/train_demo.hpp"

#include "plugin/checkpoint.hpp"

#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/image.hpp"
#include "core/base/progress.hpp"
#include "plugin/dataset_batch.hpp"
#include "plugin/default_networks.hpp"
#include "plugin/encoder_training.hpp"
#include "plugin/generator_export.hpp"
#include "plugin/manifest.hpp"
#include "plugin/training_objectives.hpp"
#include "plugin/synthfaces.hpp"

namespace lw::plugin {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Dataset stream used for training; evaluation draws from other seeds (manifest.hpp).
constexpr std::uint64_t kTrainDataSeed = 1000;

// Predictor targets: continuous factors scaled to [-1, 1]-ish units, binaries as {0, 1}.
struct TargetScaling {
  torch::Tensor centre, half_range, is_binary;
};
TargetScaling target_scaling() {
  const auto& table = synthfaces::factor_table();
  std::vector<float> c, h, bin;
  for (const auto& f : table) {
    const bool binary = f.kind == synthfaces::FactorKind::Binary;
    c.push_back(binary ? 0.f : 0.5f * (f.lo + f.hi));
    h.push_back(binary ? 1.f : 0.5f * (f.hi - f.lo));
    bin.push_back(binary ? 1.f : 0.f);
  }
  auto t = [](std::vector<float>& v) { return torch::tensor(v); };
  return {t(c), t(h), t(bin)};
}

// Converts raw predictor outputs to factor units: binaries become probabilities.
torch::Tensor factor_values(const torch::Tensor& raw, const torch::Tensor& is_binary) {
  return torch::where(is_binary.to(torch::kBool), torch::sigmoid(raw), raw);
}

// The shipped predictor scores in the units of the manifest: continuous factors in their own
// range, binary ones as logits. Training works in scaled units; this wraps the trained network
// with the inverse scaling, as TorchScript, so any LibTorch loads it as it is.
torch::jit::Module predictor_in_factor_units(const torch::jit::Module& net, const TargetScaling& s) {
  torch::jit::Module m("SynthFacesPredictorInFactorUnits");
  m.register_module("net", net);
  const auto binary = s.is_binary.to(torch::kBool);
  m.register_buffer("scale", torch::where(binary, torch::ones_like(s.half_range), s.half_range));
  m.register_buffer("shift", torch::where(binary, torch::zeros_like(s.centre), s.centre));
  m.define("def forward(self, x: Tensor) -> Tensor:\n    return self.net.forward(x) * self.scale + self.shift\n");
  return m;
}

struct State {
  std::string phase = "predictor";
  std::int64_t step = 0;
  // The generator's step to carry on from once the predictor is trained: 0 on a fresh run,
  // the checkpoint's step when the predictor of a trained model is trained again.
  std::int64_t gan_step = 0;
};

std::string state_json(const State& s) {
  json j{{"phase", s.phase}, {"step", s.step}};
  if (s.gan_step > 0) j["gan_step"] = s.gan_step;
  return j.dump(2);
}
void save_state(const fs::path& p, const State& s) { write_text_file(p, state_json(s)); }
void add_state(Checkpoint& c, const fs::path& p, const State& s) {
  c.add(p, [&](const fs::path& temp) { std::ofstream(temp) << state_json(s); });
}
void add_module(Checkpoint& c, const fs::path& p, const torch::jit::Module& m) {
  c.add(p, [&](const fs::path& temp) { m.save(temp.string()); });
}
void add_optimizer(Checkpoint& c, const fs::path& p, const torch::optim::Adam& opt) {
  c.add(p, [&](const fs::path& temp) { torch::save(opt, temp.string()); });
}
State load_state(const fs::path& p) {
  std::ifstream in(p);
  const json j = json::parse(in);
  State s;
  s.phase = j.at("phase").get<std::string>();
  s.step = j.at("step").get<std::int64_t>();
  s.gan_step = j.value("gan_step", std::int64_t{0});
  return s;
}

// Copies tensors in place (EMA init and checkpoint restore keep the optimiser's references).
void ema_update(std::vector<torch::Tensor>& ema, const std::vector<torch::Tensor>& live, double beta) {
  torch::NoGradGuard ng;
  for (std::size_t i = 0; i < ema.size(); ++i) ema[i].lerp_(live[i], 1.0 - beta);
}

// Predicted factor values of real images (the moment targets): mean and covariance.
std::pair<torch::Tensor, torch::Tensor> real_moments(torch::jit::Module& P, const torch::Tensor& is_binary, int res) {
  torch::NoGradGuard ng;
  std::vector<torch::Tensor> chunks;
  for (int i = 0; i < 8; ++i)
    chunks.push_back(P.forward({render_batch(kTrainDataSeed + 1, static_cast<std::uint64_t>(i) * 512, 512, res).images}).toTensor());
  const auto v = factor_values(torch::cat(chunks), is_binary);
  const auto mean = v.mean(0);
  const auto centred = v - mean;
  return {mean, centred.t().mm(centred) / static_cast<double>(v.size(0) - 1)};
}

double cosine_lr(double base, std::int64_t step, std::int64_t total) {
  // From base down to base / 10.
  return base * (0.55 + 0.45 * std::cos(M_PI * static_cast<double>(step) / static_cast<double>(total)));
}

void set_lr(torch::optim::Adam& opt, double lr) {
  for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
}

}  // namespace

void train_demo(const TrainDemoOptions& o) {
  LW_EXPECT(o.predictor_steps > 0 && o.gan_steps > 0, "train-demo needs positive step counts");
  torch::set_num_threads(o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  make_output_folder(o.work_dir);
  make_output_folder(o.out_dir);
  const int res = 64;
  const GeneratorShape shape;
  const int m = synthfaces::kNumFactors;
  const auto scaling = target_scaling();

  const fs::path state_path = o.work_dir / "state.json";
  State st;
  torch::jit::Module P, G, G_ema, D;
  if (o.resume && fs::exists(state_path)) {
    st = load_state(state_path);
    // A finished run given a larger budget carries on training the generator.
    if (st.phase == "done" && st.step < o.gan_steps) st.phase = "gan";
    std::cerr << "train-demo: resuming " << st.phase << " at step " << st.step << " from " << o.work_dir << "\n";
    if (o.retrain_predictor && st.phase != "predictor") {
      // A new predictor from scratch; the generator then carries on from its checkpoint.
      std::cerr << "train-demo: training the attribute predictor anew, then the generator from step " << st.step << "\n";
      st = State{"predictor", 0, st.step};
      P = make_predictor(res, m, o.seed);
    } else {
      P = torch::jit::load((o.work_dir / "predictor.pt").string());
    }
  } else {
    LW_EXPECT(!o.retrain_predictor, "--retrain-predictor needs a run to resume in " << o.work_dir.string());
    P = make_predictor(res, m, o.seed);
  }
  auto p_params = parameters_of(P);
  for (auto& t : p_params) t.requires_grad_(true);

  // Phase 1: the attribute predictor, supervised on dataset renders with known factors, drawn
  // independently of each other (synthfaces::Draw) so that each score reads its own factor.
  if (st.phase == "predictor") {
    torch::optim::Adam opt(p_params, torch::optim::AdamOptions(1e-3));
    if (st.step > 0) torch::load(opt, (o.work_dir / "predictor_opt.pt").string());
    ProgressBar bar("predictor", o.predictor_steps, "step");
    bar.update(st.step);
    while (st.step < o.predictor_steps) {
      set_lr(opt, cosine_lr(1e-3, st.step, o.predictor_steps));
      auto batch = render_batch(kTrainDataSeed, static_cast<std::uint64_t>(st.step) * o.predictor_batch,
                                o.predictor_batch, res, synthfaces::Draw::Independent);
      // Light pixel noise so the predictor also reads generated images, which are never exact.
      auto x = batch.images + 0.03 * torch::randn_like(batch.images);
      auto target = (batch.factors - scaling.centre) / scaling.half_range;
      auto out = P.forward({x}).toTensor();
      auto bin = scaling.is_binary.to(torch::kBool);
      auto loss = torch::where(bin, torch::binary_cross_entropy_with_logits(out, target, {}, {}, at::Reduction::None),
                               (out - target).pow(2))
                      .mean();
      opt.zero_grad();
      loss.backward();
      opt.step();
      ++st.step;
      const double l = loss.item<double>();
      std::ostringstream status;
      status << "loss " << l;
      bar.update(st.step, status.str());
      if (st.step % o.checkpoint_every == 0 || st.step == o.predictor_steps) {
        Checkpoint c;
        add_module(c, o.work_dir / "predictor.pt", P);
        add_optimizer(c, o.work_dir / "predictor_opt.pt", opt);
        add_state(c, state_path, st);
        c.commit();
      }
    }
    bar.finish();
    st.phase = "gan";
    st.step = st.gan_step;
    st.gan_step = 0;
    Checkpoint c;
    add_module(c, o.work_dir / "predictor.pt", P);
    add_state(c, state_path, st);
    c.commit();
  }
  for (auto& t : p_params) t.requires_grad_(false);

  // Phase 2: the generator against the discriminator.
  if (st.phase == "gan") {
    const bool fresh = st.step == 0;
    G = fresh ? make_generator(shape, o.seed + 1) : torch::jit::load((o.work_dir / "generator.pt").string());
    // Same seed, same initial weights: the EMA copy starts equal to G with leaf tensors of its own.
    G_ema = fresh ? make_generator(shape, o.seed + 1) : torch::jit::load((o.work_dir / "generator_ema.pt").string());
    D = fresh ? make_discriminator(res, o.seed + 2) : torch::jit::load((o.work_dir / "discriminator.pt").string());
    // The encoder (an image -> [mu, log var] network, the predictor's architecture) is only
    // a training aid: it is not shipped.
    const fs::path encoder_path = o.work_dir / "encoder.pt";
    auto E = fs::exists(encoder_path) ? torch::jit::load(encoder_path.string()) : make_predictor(res, 2 * shape.z_dim, o.seed + 3);
    auto enc_params = parameters_of(E);
    for (auto& t : enc_params) t.requires_grad_(true);
    torch::optim::Adam e_opt(enc_params, torch::optim::AdamOptions(o.encoder_lr).betas({0.5, 0.99}));
    if (fs::exists(o.work_dir / "encoder_opt.pt")) torch::load(e_opt, (o.work_dir / "encoder_opt.pt").string());
    set_lr(e_opt, o.encoder_lr);
    auto g_params = parameters_of(G), d_params = parameters_of(D);
    auto e_params = parameters_of(G_ema);
    for (auto& t : g_params) t.requires_grad_(true);
    for (auto& t : d_params) t.requires_grad_(true);
    for (auto& t : e_params) t.requires_grad_(false);
    // Mapping layers learn slower (StyleGAN's lr multiplier), which keeps W stable.
    std::vector<torch::Tensor> map_params, syn_params;
    for (const auto& p : G.named_parameters())
      (p.name.rfind("map", 0) == 0 ? map_params : syn_params).push_back(p.value);
    const double glr = o.generator_lr, dlr = o.discriminator_lr;
    auto adam = [](double lr) { return torch::optim::AdamOptions(lr).betas({0.0, 0.99}).eps(1e-8); };
    torch::optim::Adam g_opt({torch::optim::OptimizerParamGroup(syn_params, std::make_unique<torch::optim::AdamOptions>(adam(glr))),
                              torch::optim::OptimizerParamGroup(map_params, std::make_unique<torch::optim::AdamOptions>(adam(glr * o.mapping_lr_multiplier)))},
                             adam(glr));
    torch::optim::Adam d_opt(d_params, adam(dlr));
    if (!fresh) {
      torch::load(g_opt, (o.work_dir / "generator_opt.pt").string());
      torch::load(d_opt, (o.work_dir / "discriminator_opt.pt").string());
      // Checkpointed optimisers carry their old rates: the options of this run win.
      g_opt.param_groups()[0].options().set_lr(glr);
      g_opt.param_groups()[1].options().set_lr(glr * o.mapping_lr_multiplier);
      set_lr(d_opt, dlr);
    }
    // Predicted factor statistics of real images (a few seconds, so computed here rather than
    // kept in state.json): the targets of moment matching and the readout's units.
    const auto [real_mean, real_cov] = real_moments(P, scaling.is_binary, res);
    const auto real_std = real_cov.diagonal().sqrt().clamp_min(1e-3);
    // Binary factors' logits are scaled and clipped only far out, so a binary factor keeps
    // growing along its direction past the point where the image already shows it; continuous
    // factors count in their spread on real images.
    const auto is_binary = scaling.is_binary.to(torch::kBool);
    auto readout_target = [&](const torch::Tensor& raw) {
      return torch::where(is_binary, raw.clamp(-24.0, 24.0) / 4.0, raw / real_std);
    };
    DirectionReadout readout(m, shape.w_dim, o.work_dir, is_binary);
    RunningMoments moments(real_mean, real_cov);
    auto w_avg = G_ema.attr("w_avg").toTensor();
    auto gen = at::detail::createCPUGenerator(o.seed * 7919 + static_cast<std::uint64_t>(st.step));
    const int B = o.gan_batch;
    const int r1_every = 8;
    const double ema_beta = std::pow(0.5, static_cast<double>(B) / (10.0 * 1000.0));

    ProgressBar bar("gan", o.gan_steps, "step");
    bar.update(st.step);
    double d_loss_ema = 0, g_loss_ema = 0, mm_ema = 0, rec_ema = 0, kl_ema = 0, lin_ema = 0;
    while (st.step < o.gan_steps) {
      auto real = render_batch(kTrainDataSeed + 2, static_cast<std::uint64_t>(st.step) * B, B, res).images;

      // Discriminator: non-saturating logistic loss, lazy R1 on real images.
      torch::Tensor fake;
      {
        torch::NoGradGuard ng;
        fake = G.get_method("forward_raw")({torch::randn({B, shape.z_dim}, gen)}).toTensor();
      }
      const bool r1 = st.step % r1_every == 0;
      if (r1) real.requires_grad_(true);
      auto d_real = D.forward({real}).toTensor();
      auto d_fake = D.forward({fake}).toTensor();
      auto d_loss = torch::softplus(d_fake).mean() + torch::softplus(-d_real).mean();
      if (r1) {
        auto grad = torch::autograd::grad({d_real.sum()}, {real}, {}, true, true)[0];
        d_loss = d_loss + grad.pow(2).sum({1, 2, 3}).mean() * (o.r1_gamma * 0.5 * r1_every);
      }
      d_opt.zero_grad();
      d_loss.backward();
      d_opt.step();

      // Generator: reconstruct real images through the encoder (a VAE's L1 and KL terms keep
      // every part of the data covered and give dense gradients from the first step), fool D
      // with samples from the prior, and match the real images' predicted factor statistics
      // (training_objectives.hpp).
      auto x = real.detach();
      auto stats = E.forward({x}).toTensor();
      auto mu = stats.slice(1, 0, shape.z_dim), logvar = stats.slice(1, shape.z_dim).clamp(-8.0, 4.0);
      auto rec = G.get_method("forward_raw")({mu + torch::exp(0.5 * logvar) * torch::randn(mu.sizes(), gen)}).toTensor();
      auto rec_loss = (rec - x).abs().mean();
      auto kl = (0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)).sum(1).mean();
      auto z = torch::randn({B, shape.z_dim}, gen);
      auto w = G.get_method("mapping")({z}).toTensor();
      auto img = G.get_method("synthesis_raw")({w}).toTensor();
      auto g_adv = torch::softplus(-D.forward({img}).toTensor()).mean();
      auto raw = P.forward({img.clamp(-1.0, 1.0)}).toTensor();
      auto v = factor_values(raw, scaling.is_binary);
      auto mm = moments.loss(v);
      auto lin = readout.loss(w, readout_target(raw));
      auto g_loss = rec_loss + o.kl_weight * kl + o.adversarial_weight * g_adv + o.moment_weight * mm;
      if (o.linear_weight > 0) g_loss = g_loss + o.linear_weight * lin;
      g_opt.zero_grad();
      d_opt.zero_grad();
      e_opt.zero_grad();
      readout.zero_grad();
      g_loss.backward();
      g_opt.step();
      e_opt.step();
      if (o.linear_weight > 0) readout.step();
      ema_update(e_params, g_params, ema_beta);
      {
        torch::NoGradGuard ng;
        auto wm = G.get_method("mapping")({z}).toTensor().mean(0);
        w_avg.lerp_(wm, 0.005);
      }

      ++st.step;
      d_loss_ema = 0.98 * d_loss_ema + 0.02 * d_loss.item<double>();
      g_loss_ema = 0.98 * g_loss_ema + 0.02 * g_adv.item<double>();
      mm_ema = 0.98 * mm_ema + 0.02 * mm.item<double>();
      rec_ema = 0.98 * rec_ema + 0.02 * rec_loss.item<double>();
      kl_ema = 0.98 * kl_ema + 0.02 * kl.item<double>();
      lin_ema = 0.98 * lin_ema + 0.02 * lin.item<double>();
      std::ostringstream status;
      status.precision(3);
      status << "D " << d_loss_ema << " G " << g_loss_ema << " L1 " << rec_ema << " KL " << kl_ema << " moments " << mm_ema << " linear " << lin_ema;
      bar.update(st.step, status.str());
      if (st.step % o.checkpoint_every == 0 || st.step == o.gan_steps) {
        Checkpoint c;
        add_module(c, o.work_dir / "generator.pt", G);
        add_module(c, o.work_dir / "generator_ema.pt", G_ema);
        add_module(c, o.work_dir / "discriminator.pt", D);
        add_module(c, encoder_path, E);
        add_optimizer(c, o.work_dir / "encoder_opt.pt", e_opt);
        add_optimizer(c, o.work_dir / "generator_opt.pt", g_opt);
        add_optimizer(c, o.work_dir / "discriminator_opt.pt", d_opt);
        readout.save(c);
        add_state(c, state_path, st);  // last: what a resume reads first
        c.commit();
        // A preview grid to watch training.
        torch::NoGradGuard ng;
        auto prev = G_ema.forward({torch::randn({16, shape.z_dim}, at::detail::createCPUGenerator(5))}).toTensor();
        std::vector<ImageRGB8> tiles;
        for (int i = 0; i < 16; ++i) {
          auto t = prev[i].contiguous();
          tiles.push_back(image_from_planar({t.data_ptr<float>(), static_cast<std::size_t>(t.numel())}, res, res, -1.f, 1.f));
        }
        write_png(o.work_dir / "preview.png", make_grid(tiles, 8));
      }
    }
    bar.finish();
    st.phase = "done";
    save_state(state_path, st);
  } else {
    G_ema = torch::jit::load((o.work_dir / "generator_ema.pt").string());
    D = torch::jit::load((o.work_dir / "discriminator.pt").string());
  }

  // Export the model folder: the EMA generator, the discriminator as realism scorer, the
  // predictor, and the manifest that describes them. The generator is exported into the
  // current architecture with W whitened (generator_export.hpp).
  for (auto* mod : {&D, &P}) mod->eval();
  Checkpoint model;
  add_module(model, o.out_dir / "generator.pt", export_generator(G_ema, shape));
  // Today's source with the trained weights: features(image, layer) for inversion included.
  add_module(model, o.out_dir / "discriminator.pt", discriminator_with_features(D, shape.resolution()));
  add_module(model, o.out_dir / "predictor.pt", predictor_in_factor_units(P, scaling));
  model.commit();
  write_manifest(o.out_dir / "manifest.json", synthfaces_manifest(shape));
  if (o.inversion_encoder_steps > 0) {
    EncoderSettings es;
    es.steps = o.inversion_encoder_steps;
    ProgressBar encoder_bar("encoder", es.steps, "step");
    const auto e = add_encoder(o.out_dir, es, [&](int step, double loss) {
      if (step % 25 == 0) encoder_bar.update(step + 1, "loss " + std::to_string(loss));
    });
    encoder_bar.finish();
    std::cerr << "train-demo: the inversion encoder's squared error is " << e.training.final_loss << " of guessing W's mean\n";
  }
  std::cerr << "train-demo: wrote the model to " << o.out_dir << "\n";
}

}  // namespace lw::plugin
