#include "plugin/encoder_training.hpp"

#include <torch/torch.h>

#include "core/base/check.hpp"
#include "core/model.hpp"
#include "core/projector.hpp"
#include "plugin/checkpoint.hpp"
#include "plugin/default_networks.hpp"
#include "plugin/manifest.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::plugin {

namespace {

// The trained network with W's statistics put back: forward(x) = net(x) * spread + mean.
torch::jit::Module encoder_in_w_units(const torch::jit::Module& net, const WStatistics& w) {
  torch::jit::Module m("LatentwalkEncoder");
  m.register_module("net", net);
  m.register_buffer("w_mean", w.mean.clone());
  m.register_buffer("w_spread", torch::tensor(static_cast<float>(w.spread)));
  m.define("def forward(self, x: Tensor) -> Tensor:\n    return self.net.forward(x) * self.w_spread + self.w_mean\n");
  return m;
}

}  // namespace

EncoderTraining train_encoder(const Generator& g, const EncoderSettings& s, const std::function<void(int, double)>& progress) {
  LW_EXPECT(g.w_dim() > 0, "an encoder regresses w: this model has no mapping network");
  LW_EXPECT(g.height() == g.width(), "an encoder's trunk takes square images, this model draws " << g.width() << "x" << g.height());
  LW_EXPECT(s.steps >= 1 && s.batch >= 1, "encoder training needs steps and a batch");
  const WStatistics w = w_statistics(g, 10000, s.seed);
  torch::AutoGradMode grad(true);  // whatever the caller's mode
  auto net = make_predictor(g.height(), g.w_dim(), s.seed + 1);
  net.train();
  torch::optim::Adam adam(parameters_of(net), torch::optim::AdamOptions(s.learning_rate).betas({0.9, 0.99}));
  auto gen = at::detail::createCPUGenerator(s.seed + 2);
  EncoderTraining out;
  double smoothed = 0.0;
  for (int step = 0; step < s.steps; ++step) {
    if (step == 2 * s.steps / 3)
      for (auto& group : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(s.learning_rate / 2);
    at::Tensor codes, images;
    {
      torch::NoGradGuard no_grad;
      codes = g.mapping(torch::randn({s.batch, g.latent_dim()}, gen)).to(torch::kCPU);
      images = g.synthesis(codes).to(torch::kCPU);
    }
    const auto target = (codes - w.mean) / w.spread;
    const auto loss = (net.forward({images}).toTensor() - target).pow(2).mean() * g.w_dim();
    adam.zero_grad();
    loss.backward();
    adam.step();
    const double value = loss.item<double>();
    smoothed = step == 0 ? value : 0.98 * smoothed + 0.02 * value;
    if (progress) progress(step, smoothed);
  }
  net.eval();
  for (auto p : net.parameters()) p.requires_grad_(false);
  out.encoder = encoder_in_w_units(net, w);
  out.final_loss = smoothed;
  return out;
}

torch::jit::Module discriminator_with_features(const torch::jit::Module& trained, int resolution) {
  auto fresh = make_discriminator(resolution, 0);
  torch::NoGradGuard no_grad;
  for (const auto& p : fresh.named_parameters()) {
    LW_EXPECT(trained.hasattr(p.name), "the discriminator has no parameter \"" << p.name << "\": not the default network");
    const auto value = trained.attr(p.name).toTensor();
    LW_EXPECT(value.sizes() == p.value.sizes(), "the discriminator's \"" << p.name << "\" has another shape: not the default network at "
                                                                           << resolution << " pixels");
    p.value.copy_(value);
  }
  fresh.eval();
  return fresh;
}

ModelEncoder add_encoder(const std::filesystem::path& folder, const EncoderSettings& settings,
                         const std::function<void(int, double)>& progress) {
  LW_EXPECT(std::filesystem::is_directory(folder), folder.string() << ": an encoder is added to a model folder");
  const Model model = load_model(folder);
  ModelEncoder out;
  // The discriminator first, so a model it does not fit costs no training: the default network
  // from before features() gets them, with scores checked equal on the dataset; any other is kept.
  torch::jit::Module upgraded;
  const Manifest& m = model.manifest;
  if (m.discriminator && model.discriminator && model.discriminator->feature_layers() == 0) {
    try {
      const auto trained = torch::jit::load((folder / *m.discriminator).string());
      upgraded = discriminator_with_features(trained, m.height);
      LW_EXPECT(upgraded.parameters().size() == trained.parameters().size(), "it has parameters the default network lacks");
      const auto probe = torch::rand({4, 3, m.height, m.width}) * 2 - 1;
      torch::NoGradGuard no_grad;
      const auto before = model.discriminator->realism(probe), after = upgraded.forward({probe}).toTensor();
      LW_EXPECT(torch::allclose(before, after, 1e-4, 1e-5), "the default network's source scores it differently");
      out.discriminator_upgraded = true;
    } catch (const std::exception& e) {
      out.discriminator_note = std::string("the discriminator is not the default network (") + e.what() + "): kept as it is";
    }
  }
  out.training = train_encoder(*model.generator, settings, progress);
  Manifest manifest = m;
  manifest.encoder = "encoder.pt";
  Checkpoint files;
  files.add(folder / "encoder.pt", [&](const std::filesystem::path& temp) { out.training.encoder.save(temp.string()); });
  if (out.discriminator_upgraded)
    files.add(folder / *m.discriminator, [&](const std::filesystem::path& temp) { upgraded.save(temp.string()); });
  files.add(folder / "manifest.json", [&](const std::filesystem::path& temp) { write_manifest(temp, manifest); });
  files.commit();
  return out;
}

}  // namespace lw::plugin
