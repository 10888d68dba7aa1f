#include "core/projector.hpp"

#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <numbers>

#include "core/base/check.hpp"
#include "core/density.hpp"
#include "core/model.hpp"

namespace lw {

namespace {

at::Tensor gaussian_window(int size, double sigma, int channels) {
  auto x = torch::arange(size, torch::kFloat) - (size - 1) / 2.0;
  auto g = torch::exp(-(x * x) / (2 * sigma * sigma));
  g = g / g.sum();
  return torch::outer(g, g).expand({channels, 1, size, size}).contiguous();
}

// NVlabs' learning-rate schedule at `t` in [0, 1]: a cosine ramp down over the last `down`, a
// linear ramp up over the first `up`.
double learning_rate_at(double t, const ProjectorSettings& s) {
  double ramp = std::min(1.0, (1.0 - t) / s.rampdown);
  ramp = 0.5 - 0.5 * std::cos(ramp * std::numbers::pi);
  return s.learning_rate * ramp * std::min(1.0, t / s.rampup);
}

// Each position's channel vector at unit length (LPIPS' normalisation), then the mean squared
// difference per sample [B].
at::Tensor feature_distance(const at::Tensor& a, const at::Tensor& b) {
  auto unit = [](const at::Tensor& f) { return f / (f.pow(2).sum(1, true) + 1e-10).sqrt(); };
  return (unit(a) - unit(b)).pow(2).sum(1).flatten(1).mean(1);
}

}  // namespace

at::Tensor ssim(const at::Tensor& a, const at::Tensor& b) {
  LW_EXPECT(std::min(a.size(2), a.size(3)) >= 11, "SSIM needs pictures of at least 11x11 pixels");
  const auto x = (a + 1) / 2, y = (b + 1) / 2;
  const int channels = static_cast<int>(x.size(1));
  const auto window = gaussian_window(11, 1.5, channels).to(x.device());
  // Valid windows only (no padding): zeros around the picture would read as structure.
  const std::vector<std::int64_t> no_padding{0, 0};
  auto blur = [&](const at::Tensor& t) { return torch::conv2d(t, window, {}, 1, no_padding, 1, channels); };
  const auto mx = blur(x), my = blur(y);
  const auto vx = blur(x * x) - mx * mx, vy = blur(y * y) - my * my, cxy = blur(x * y) - mx * my;
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  const auto map = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
  return map.flatten(1).mean(1);
}

at::Tensor multiscale_ssim(const at::Tensor& a, const at::Tensor& b) {
  auto x = a, y = b;
  at::Tensor sum = ssim(x, y);
  int scales = 1;
  while (std::min(x.size(2), x.size(3)) >= 32) {  // down to 16 pixels: a 6x6 map of windows
    x = torch::avg_pool2d(x, 2), y = torch::avg_pool2d(y, 2);
    sum = sum + ssim(x, y), ++scales;
  }
  return sum / scales;
}

at::Tensor psnr(const at::Tensor& a, const at::Tensor& b) {
  auto bytes = [](const at::Tensor& t) { return ((t.clamp(-1, 1) + 1) * 127.5).round(); };
  const auto mse = (bytes(a) - bytes(b)).pow(2).flatten(1).mean(1).clamp_min(1e-10);
  return 10 * torch::log10(255.0 * 255.0 / mse);
}

WStatistics w_statistics(const Generator& g, int samples, std::uint64_t seed) {
  LW_EXPECT(g.w_dim() > 0, "inversion needs a model with a mapping network (W)");
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(seed);
  std::vector<at::Tensor> ws;
  for (int done = 0; done < samples; done += 1000)
    ws.push_back(g.mapping(torch::randn({std::min(1000, samples - done), g.latent_dim()}, gen)).to(torch::kCPU));
  const auto w = torch::cat(ws);
  WStatistics s;
  s.mean = w.mean(0);
  s.spread = std::sqrt((w - s.mean).pow(2).sum(1).mean().item<double>());
  return s;
}

Projection project(const Generator& g, const at::Tensor& targets, const at::Tensor& start, const WStatistics& w,
                   const ProjectorSettings& s, const Discriminator* critic, const DensityModel* density,
                   const std::function<void(int, double)>& progress) {
  LW_EXPECT(s.space == Space::W || (s.space == Space::WPlus && g.num_ws() > 0),
            "inversion finds codes in W or W+ (a model with style rows)");
  LW_EXPECT(targets.dim() == 4 && targets.size(1) == 3 && targets.size(2) == g.height() && targets.size(3) == g.width(),
            "inversion targets must be [B, 3, " << g.height() << ", " << g.width() << "]");
  LW_EXPECT(start.dim() == 2 && start.size(0) == targets.size(0) && start.size(1) == g.w_dim(),
            "inversion starts must be [B, " << g.w_dim() << "], one per target");
  LW_EXPECT(s.steps >= 1, "inversion needs at least one step");
  LW_EXPECT(s.perceptual == 0.0 || (critic && critic->feature_layers() > 0),
            "the perceptual term needs a discriminator with features(image, layer)");
  LW_EXPECT(s.density == 0.0 || density, "the density prior needs W's learned density");
  for (int layer : s.feature_layers)
    LW_EXPECT(s.perceptual == 0.0 || (layer >= 0 && layer < critic->feature_layers()),
              "the discriminator has no feature layer " << layer << " (it has " << critic->feature_layers() << ")");
  const auto started = std::chrono::steady_clock::now();
  const std::int64_t batch = targets.size(0);
  const auto target = targets.detach().to(torch::kFloat);
  auto codes = (s.space == Space::WPlus ? start.unsqueeze(1).repeat({1, g.num_ws(), 1}) : start).detach().clone();
  codes.set_requires_grad(true);
  torch::optim::Adam adam({codes}, torch::optim::AdamOptions(s.learning_rate).betas({0.9, 0.999}));
  std::vector<at::Tensor> target_features;
  if (s.perceptual > 0.0) {
    torch::NoGradGuard no_grad;
    for (int layer : s.feature_layers) target_features.push_back(critic->features(target, layer).detach());
  }
  auto gen = at::detail::createCPUGenerator(s.seed);
  Projection out;
  torch::jit::GraphOptimizerEnabledGuard optimizer(s.graph_optimizer);
  torch::AutoGradMode grad(true);
  for (int step = 0; step <= s.steps; ++step) {
    const double t = static_cast<double>(step) / s.steps;
    const bool last = step == s.steps;
    const double noise = last ? 0.0 : w.spread * s.noise * std::pow(std::max(0.0, 1.0 - t / s.noise_ramp), 2.0);
    for (auto& group : adam.param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate_at(t, s));
    const auto noisy = noise > 0.0 ? codes + torch::randn(codes.sizes(), gen) * (noise / std::sqrt(g.w_dim())) : codes;
    const auto images = g.synthesis_raw(noisy).to(torch::kCPU);  // the losses on the host, whatever the generator's device
    const auto pixel = s.l2 * (images - target).pow(2).flatten(1).mean(1) + s.l1 * (images - target).abs().flatten(1).mean(1);
    const auto structure = s.ssim * (1 - multiscale_ssim(images, target));
    auto perceptual = torch::zeros({batch});
    for (std::size_t i = 0; i < target_features.size(); ++i)
      perceptual = perceptual + s.perceptual * feature_distance(critic->features(images, s.feature_layers[i]), target_features[i]);
    auto prior = torch::zeros({batch});
    const auto rows = codes.reshape({batch, -1, g.w_dim()});
    if (s.density > 0.0)
      prior = prior - s.density * density->log_density(rows.reshape({-1, g.w_dim()})).reshape({batch, -1}).mean(1) / g.w_dim();
    if (s.row_pull > 0.0 && s.space == Space::WPlus)
      prior = prior + s.row_pull * (rows - rows.mean(1, true)).pow(2).sum(2).mean(1) / (w.spread * w.spread);
    const auto per_target = pixel + structure + perceptual + prior;
    const auto loss = per_target.sum();  // each target's gradient its own, whatever the batch
    if (step % std::max(1, s.steps / 10) == 0 || last)
      out.stages.push_back({step, per_target.mean().item<double>(), pixel.mean().item<double>(),
                            structure.mean().item<double>(), perceptual.mean().item<double>(), prior.mean().item<double>()});
    if (progress) progress(step, per_target.mean().item<double>());
    if (last) break;
    adam.zero_grad();
    loss.backward();
    adam.step();
  }
  torch::NoGradGuard no_grad;
  out.codes = codes.detach();
  out.images = g.synthesis(out.codes).to(torch::kCPU);
  const auto p = psnr(out.images, target), q = ssim(out.images, target);
  for (std::int64_t i = 0; i < batch; ++i) out.psnr.push_back(p[i].item<double>()), out.ssim.push_back(q[i].item<double>());
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace lw
