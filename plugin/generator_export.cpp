#include "plugin/generator_export.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <Eigen/Eigenvalues>
#include <map>
#include <set>

#include "core/base/check.hpp"

namespace lw::plugin {

namespace {

// The mapping network's outputs for `samples` prior codes, in chunks, as doubles.
at::Tensor mapped_codes(torch::jit::Module& g, std::int64_t samples, std::uint64_t seed) {
  const std::int64_t z_dim = g.attr("map0_w").toTensor().size(1);
  auto gen = at::detail::createCPUGenerator(seed);
  std::vector<at::Tensor> parts;
  for (std::int64_t done = 0; done < samples; done += 4096) {
    const auto z = torch::randn({std::min<std::int64_t>(4096, samples - done), z_dim}, gen);
    parts.push_back(g.run_method("mapping", z).toTensor().to(torch::kDouble));
  }
  return torch::cat(parts);
}

}  // namespace

void standardize_w(torch::jit::Module& g, std::int64_t samples, std::uint64_t seed) {
  LW_CHECK(samples > 1, "standardize_w needs at least two samples");
  torch::NoGradGuard no_grad;
  auto shift = g.attr("w_shift").toTensor(), whiten = g.attr("w_whiten").toTensor(), colour = g.attr("w_colour").toTensor();
  const auto eye = torch::eye(shift.size(0));
  LW_CHECK(shift.abs().max().item<double>() == 0.0 && whiten.equal(eye) && colour.equal(eye),
           "standardize_w: the generator's W is already whitened");

  const auto w = mapped_codes(g, samples, seed);
  const auto mean = w.mean(0);
  const auto centred = w - mean;
  const auto cov = centred.t().mm(centred) / static_cast<double>(samples - 1);
  const auto d = cov.size(0);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto cov_c = cov.contiguous();
  const RowMajor c = Eigen::Map<const RowMajor>(cov_c.data_ptr<double>(), d, d);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c);
  LW_CHECK(eig.info() == Eigen::Success, "standardize_w: the covariance of W has no eigen decomposition");
  // A floor keeps a direction the mapping barely uses from being blown up a millionfold.
  const Eigen::VectorXd lambda = eig.eigenvalues().cwiseMax(eig.eigenvalues().maxCoeff() * 1e-6);
  const Eigen::MatrixXd& u = eig.eigenvectors();
  const Eigen::MatrixXd w_whiten = u * lambda.cwiseSqrt().cwiseInverse().asDiagonal() * u.transpose();
  const Eigen::MatrixXd w_colour = u * lambda.cwiseSqrt().asDiagonal() * u.transpose();
  auto to_tensor = [d](const Eigen::MatrixXd& m) {
    RowMajor r = m;
    return torch::from_blob(r.data(), {d, d}, torch::kDouble).to(torch::kFloat);  // a copy
  };
  shift.copy_(mean.to(torch::kFloat));
  whiten.copy_(to_tensor(w_whiten));
  colour.copy_(to_tensor(w_colour));
  // The mean of the whitened codes of these samples: zero by construction.
  g.attr("w_avg").toTensor().zero_();
}

torch::jit::Module export_generator(const torch::jit::Module& trained, const GeneratorShape& shape) {
  auto out = make_generator(shape, 1);
  std::map<std::string, at::Tensor> source;
  for (const auto& p : trained.named_parameters()) source[p.name] = p.value;
  for (const auto& b : trained.named_buffers()) source[b.name] = b.value;
  // Buffers a checkpoint of an earlier architecture may lack keep their defaults (identity).
  const std::set<std::string> optional{"w_shift", "w_whiten", "w_colour"};
  torch::NoGradGuard no_grad;
  auto copy = [&](const std::string& name, at::Tensor dst) {
    const auto it = source.find(name);
    if (it == source.end()) {
      LW_EXPECT(optional.count(name) > 0, "the generator checkpoint has no tensor \"" << name << "\"");
      return;
    }
    LW_EXPECT(it->second.sizes() == dst.sizes(), "the generator checkpoint's \"" << name << "\" has shape "
                                                     << it->second.sizes() << ", the architecture " << dst.sizes());
    dst.copy_(it->second);
  };
  for (const auto& p : out.named_parameters()) copy(p.name, p.value);
  for (const auto& b : out.named_buffers()) copy(b.name, b.value);
  standardize_w(out);
  out.eval();
  return out;
}

}  // namespace lw::plugin
