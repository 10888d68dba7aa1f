#include "plugin/default_networks.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <sstream>
#include <string>

#include "core/base/check.hpp"

namespace lw::plugin {
namespace {

// Leaky ReLU with the gain that keeps activations at unit variance.
constexpr const char* kHelpers = R"(
def act(self, x: Tensor) -> Tensor:
    return torch.leaky_relu(x, 0.2) * 1.4142135623730951

def modconv(self, x: Tensor, w: Tensor, weight: Tensor, bias: Tensor, aw: Tensor, ab: Tensor, pad: int, demod: bool) -> Tensor:
    s = torch.addmm(ab, w, aw.t())
    x = torch.conv2d(x * s.unsqueeze(2).unsqueeze(3), weight, None, [1, 1], [pad, pad])
    if demod:
        # Demodulation without materialising per-sample weights: sum_i s_i^2 sum_k W_oik^2.
        d = torch.rsqrt(torch.matmul(s * s, (weight * weight).sum([2, 3]).t()) + 1e-8)
        x = x * d.unsqueeze(2).unsqueeze(3)
    return x + bias.view(1, -1, 1, 1)

def up(self, x: Tensor) -> Tensor:
    return torch.upsample_bilinear2d(x, [x.size(2) * 2, x.size(3) * 2], False)
)";

class Builder {
 public:
  Builder(const std::string& name, std::uint64_t seed)
      : module_(name), gen_(at::detail::createCPUGenerator(seed)) {}

  // He-style init on a seeded generator so a fresh model is reproducible.
  void param(const std::string& name, std::vector<int64_t> shape, double stddev, double mean = 0.0) {
    auto t = torch::empty(shape).normal_(mean, stddev, gen_);
    if (stddev == 0.0) t.fill_(mean);
    module_.register_parameter(name, t.requires_grad_(true), false);
  }
  // Equalised learning rate (Karras et al. 2018): the parameter is stored as N(0, 1) and scaled
  // by its He constant in the forward pass, so Adam moves every layer at the same relative pace.
  // Returns the expression that reads the scaled weight.
  std::string equalized(const std::string& name, std::vector<int64_t> shape, double fan_in) {
    param(name, std::move(shape), 1.0);
    std::ostringstream os;
    os.precision(9);
    os << "(self." << name << " * " << 1.0 / std::sqrt(fan_in) << ")";
    return os.str();
  }
  void buffer(const std::string& name, torch::Tensor t) { module_.register_buffer(name, std::move(t)); }
  torch::jit::Module finish(const std::string& source) {
    module_.define(source);
    return module_;
  }

 private:
  torch::jit::Module module_;
  at::Generator gen_;
};

std::string str(int v) { return std::to_string(v); }

}  // namespace

torch::jit::Module make_generator(const GeneratorShape& shape, std::uint64_t seed) {
  LW_CHECK(shape.channels.size() >= 2, "generator needs at least two synthesis blocks");
  Builder b("SynthFacesGenerator", seed);
  std::ostringstream src;
  src << kHelpers;

  // Mapping network.
  src << "\ndef mapping(self, z: Tensor) -> Tensor:\n"
      << "    x = z * torch.rsqrt((z * z).mean(1, keepdim=True) + 1e-8)\n";
  for (int i = 0; i < shape.mapping_layers; ++i) {
    const int in = i == 0 ? shape.z_dim : shape.w_dim;
    const auto w = b.equalized("map" + str(i) + "_w", {shape.w_dim, in}, in);
    b.param("map" + str(i) + "_b", {shape.w_dim}, 0.0);
    src << "    x = self.act(torch.addmm(self.map" << i << "_b, x, " << w << ".t()))\n";
  }
  // W is whitened at export (standardize_w): the mapping's last step takes away the mean of
  // its raw outputs and applies Sigma^-1/2, and synthesis undoes it first, so images are
  // unchanged while a unit step along any direction of W is one standard deviation of the
  // prior's codes, as it is in Z. InterFaceGAN's alpha = +-3 then means the same in both spaces.
  // Identity while training.
  src << "    return torch.mm(x - self.w_shift, self.w_whiten.t())\n";
  b.buffer("w_avg", torch::zeros({shape.w_dim}));
  b.buffer("w_shift", torch::zeros({shape.w_dim}));
  b.buffer("w_whiten", torch::eye(shape.w_dim));
  b.buffer("w_colour", torch::eye(shape.w_dim));

  // Synthesis blocks. Block k's convolution reads style row k and its RGB output row k+1,
  // so neighbouring blocks share a row as in StyleGAN2 (num_ws = blocks + 1).
  const int blocks = static_cast<int>(shape.channels.size());
  // The 4x4 input is a learned projection of the first style row rather than StyleGAN's
  // constant: coarse layout (position, scale, pose) then comes straight from w, which a
  // generator trained for minutes on a CPU learns far sooner than through modulation alone.
  const int c0 = shape.channels[0];
  const auto input_w = b.equalized("input_weight", {c0 * 16, shape.w_dim}, shape.w_dim);
  b.param("input_bias", {c0 * 16}, 0.0);
  // Modulated convolutions: demodulation normalises the conv weight, so it needs no constant;
  // the style affine and the (not demodulated) RGB layers are equalised.
  auto conv = [&](const std::string& n, int cin, int cout, int k) {
    b.param(n + "_weight", {cout, cin, k, k}, 1.0);
    b.param(n + "_bias", {cout}, 0.0);
    b.param(n + "_ab", {cin}, 0.0, 1.0);
    return b.equalized(n + "_aw", {cin, shape.w_dim}, shape.w_dim);
  };
  auto call = [&](const std::string& n, const std::string& aw, const std::string& x, int row, int pad, bool demod,
                  int cin) {
    std::string weight = "self." + n + "_weight";
    if (!demod) weight = "(" + weight + " * " + std::to_string(1.0 / std::sqrt(cin)) + ")";
    return "self.modconv(" + x + ", ws[:, " + str(row) + "], " + weight + ", self." + n + "_bias, " + aw + ", self." +
           n + "_ab, " + str(pad) + ", " + (demod ? "True" : "False") + ")";
  };
  src << "\ndef blocks(self, ws: Tensor, stop: int) -> Tuple[Tensor, Tensor]:\n"
      << "    x = torch.addmm(self.input_bias, ws[:, 0], " << input_w << ".t()).view(-1, " << c0 << ", 4, 4)\n";
  for (int k = 0; k < blocks; ++k) {
    const int cin = k == 0 ? shape.channels[0] : shape.channels[static_cast<std::size_t>(k - 1)];
    const int c = shape.channels[static_cast<std::size_t>(k)];
    const std::string p = "b" + str(k);
    const auto aw = conv(p + "conv", cin, c, 3);
    if (k > 0) src << "    x = self.up(x)\n";
    src << "    x = self.act(" << call(p + "conv", aw, "x", k, 1, true, cin) << ")\n";
    const auto rgb_aw = conv(p + "rgb", c, 3, 1);
    const std::string rgb = call(p + "rgb", rgb_aw, "x", k + 1, 0, false, c);
    src << (k == 0 ? "    rgb = " + rgb + "\n" : "    rgb = self.up(rgb) + " + rgb + "\n")
        << "    if stop == " << k << ":\n        return x, rgb\n";
  }
  src << "    return x, rgb\n";

  const std::string nws = str(shape.num_ws());
  // Style rows in the synthesis network's own (raw, unwhitened) units, [B, num_ws, w_dim].
  src << "\ndef broadcast(self, w: Tensor) -> Tensor:\n"
      << "    if w.dim() == 2:\n        w = w.unsqueeze(1).expand(-1, " << nws << ", -1)\n"
      << "    return torch.matmul(w, self.w_colour.t()) + self.w_shift\n"
      // Trained on the linear output, as StyleGAN2; the contract's [-1, 1] is a final clamp.
      << "\ndef synthesis_raw(self, w: Tensor) -> Tensor:\n"
      << "    x, rgb = self.blocks(self.broadcast(w), " << blocks - 1 << ")\n"
      << "    return rgb\n"
      << "\ndef synthesis(self, w: Tensor) -> Tensor:\n"
      << "    return torch.clamp(self.synthesis_raw(w), -1.0, 1.0)\n"
      << "\ndef forward_raw(self, z: Tensor) -> Tensor:\n"
      << "    return self.synthesis_raw(self.mapping(z))\n"
      << "\ndef synthesis_features(self, w: Tensor, layer: int) -> Tensor:\n"
      << "    x, rgb = self.blocks(self.broadcast(w), layer)\n"
      << "    return x\n"
      << "\ndef features(self, z: Tensor, layer: int) -> Tensor:\n"
      << "    return self.synthesis_features(self.mapping(z), layer)\n"
      << "\ndef forward(self, z: Tensor) -> Tensor:\n"
      << "    return self.synthesis(self.mapping(z))\n";
  return b.finish(src.str());
}

namespace {
// A conv stack that halves the resolution down to 4x4, shared by the discriminator and the
// predictor; one line of source per convolution (each a feature layer), then the dense layer.
struct Trunk {
  std::vector<std::string> convolutions;
  std::string dense;
  std::string source() const {
    std::string s;
    for (const auto& line : convolutions) s += line;
    return s + dense;
  }
  // features(x, layer): the trunk up to convolution `layer`, its output returned.
  std::string features() const {
    std::ostringstream src;
    src << "\ndef features(self, x: Tensor, layer: int) -> Tensor:\n";
    for (std::size_t k = 0; k < convolutions.size(); ++k)
      src << convolutions[k] << "    if layer == " << k << ":\n        return x\n";
    src << "    return x\n"
        << "\ndef feature_layers(self) -> int:\n    return " << convolutions.size() << "\n";
    return src.str();
  }
};

Trunk downsampling_trunk(Builder& b, int resolution, int base_channels, bool equalized) {
  // Stride-2 3x3 convolutions halve the resolution down to 4x4 (one extra convolution at
  // 16x16), then a dense layer; cheap enough to run beside the generator on a CPU.
  Trunk trunk;
  auto weight = [&](const std::string& name, std::vector<int64_t> shape, double fan_in) {
    if (equalized) return b.equalized(name, std::move(shape), fan_in);
    b.param(name, std::move(shape), 1.0 / std::sqrt(fan_in));
    return "self." + name;
  };
  int c = 3, k = 0;
  for (int r = resolution; r > 4; r /= 2, ++k) {
    const int cout = std::min(base_channels << k, 128);
    const std::string p = "d" + str(k);
    const auto w = weight(p + "_weight", {cout, c, 3, 3}, c * 9.0);
    b.param(p + "_bias", {cout}, 0.0);
    trunk.convolutions.push_back("    x = self.act(torch.conv2d(x, " + w + ", self." + p + "_bias, [2, 2], [1, 1]))\n");
    c = cout;
    if (r == 32) {
      const auto wx = weight(p + "x_weight", {c, c, 3, 3}, c * 9.0);
      b.param(p + "x_bias", {c}, 0.0);
      trunk.convolutions.push_back("    x = self.act(torch.conv2d(x, " + wx + ", self." + p + "x_bias, [1, 1], [1, 1]))\n");
    }
  }
  const auto fc = weight("fc0_weight", {128, c * 16}, c * 16.0);
  b.param("fc0_bias", {128}, 0.0);
  trunk.dense = "    x = self.act(torch.addmm(self.fc0_bias, x.flatten(1), " + fc + ".t()))\n";
  return trunk;
}

void check_resolution(int resolution) {
  LW_CHECK(resolution >= 8 && (resolution & (resolution - 1)) == 0,
           "network resolution must be a power of two >= 8, got " << resolution);
}
}  // namespace

torch::jit::Module make_discriminator(int resolution, std::uint64_t seed) {
  check_resolution(resolution);
  Builder b("SynthFacesDiscriminator", seed);
  std::ostringstream src;
  const Trunk trunk = downsampling_trunk(b, resolution, 32, true);
  src << kHelpers << "\ndef forward(self, x: Tensor) -> Tensor:\n" << trunk.source();
  const auto out = b.equalized("out_weight", {1, 128}, 128.0);
  b.param("out_bias", {1}, 0.0);
  src << "    return torch.addmm(self.out_bias, x, " << out << ".t()).view(-1)\n";
  src << trunk.features();  // the perceptual term of inversion
  return b.finish(src.str());
}

torch::jit::Module make_predictor(int resolution, int num_outputs, std::uint64_t seed) {
  check_resolution(resolution);
  LW_CHECK(num_outputs > 0, "predictor needs at least one output");
  Builder b("SynthFacesPredictor", seed);
  std::ostringstream src;
  src << kHelpers << "\ndef forward(self, x: Tensor) -> Tensor:\n" << downsampling_trunk(b, resolution, 32, false).source();
  b.param("out_weight", {num_outputs, 128}, 1.0 / std::sqrt(128.0));
  b.param("out_bias", {num_outputs}, 0.0);
  src << "    return torch.addmm(self.out_bias, x, self.out_weight.t())\n";
  return b.finish(src.str());
}

std::vector<torch::Tensor> parameters_of(const torch::jit::Module& m) {
  std::vector<torch::Tensor> out;
  for (const auto& p : m.parameters()) out.push_back(p);
  return out;
}

}  // namespace lw::plugin
