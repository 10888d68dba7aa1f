#include "plugin/stylegan/stylegan3.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/base/check.hpp"
#include "plugin/stylegan/fully_connected.hpp"
#include "plugin/stylegan/script_builder.hpp"

namespace lw::plugin::stylegan {
namespace {

constexpr const char* kHelpers = R"(
def set_input_transform(self, m: Tensor) -> None:
    self.input_transform.copy_(m)

def fourier_input(self, w: Tensor, transform: Tensor, aw: Tensor, ab: Tensor, bandwidth: float, band_margin: float) -> Tensor:
    B = w.size(0)
    t = torch.addmm(ab.unsqueeze(0), w, aw.t())
    t = t / torch.linalg_vector_norm(t[:, :2], 2.0, [1], True)
    m_r = torch.eye(3, dtype=w.dtype, device=w.device).unsqueeze(0).repeat([B, 1, 1])
    m_r[:, 0, 0] = t[:, 0]
    m_r[:, 0, 1] = -t[:, 1]
    m_r[:, 1, 0] = t[:, 1]
    m_r[:, 1, 1] = t[:, 0]
    m_t = torch.eye(3, dtype=w.dtype, device=w.device).unsqueeze(0).repeat([B, 1, 1])
    m_t[:, 0, 2] = -t[:, 2]
    m_t[:, 1, 2] = -t[:, 3]
    transforms = m_r @ m_t @ transform.unsqueeze(0)
    freqs = self.input_freqs.unsqueeze(0)
    phases = self.input_phases.unsqueeze(0) + (freqs @ transforms[:, :2, 2:]).squeeze(2)
    freqs = freqs @ transforms[:, :2, :2]
    amplitudes = (1 - (torch.linalg_vector_norm(freqs, 2.0, [2], False) - bandwidth) / band_margin).clamp(0, 1)
    x = (self.input_grid.unsqueeze(3) @ freqs.permute(0, 2, 1).unsqueeze(1).unsqueeze(2)).squeeze(3)
    x = x + phases.unsqueeze(1).unsqueeze(2)
    x = torch.sin(x * 6.283185307179586)
    x = x * amplitudes.unsqueeze(1).unsqueeze(2)
    x = x @ self.input_weight.t()
    return x.permute(0, 3, 1, 2)

def modconv(self, x: Tensor, weight: Tensor, s: Tensor, demodulate: bool, padding: int, input_gain: float) -> Tensor:
    B = x.size(0)
    if demodulate:
        s = s * s.square().mean(1, keepdim=True).rsqrt()
    w = weight.unsqueeze(0) * s.unsqueeze(1).unsqueeze(3).unsqueeze(4)
    if demodulate:
        d = (w.square().sum([2, 3, 4]) + 1e-8).rsqrt()
        w = w * d.unsqueeze(2).unsqueeze(3).unsqueeze(4)
    w = w * input_gain
    x = x.reshape(1, -1, x.size(2), x.size(3))
    w = w.reshape(-1, weight.size(1), weight.size(2), weight.size(3))
    x = torch.conv2d(x, w.to(x.dtype), None, [1, 1], [padding, padding], [1, 1], B)
    return x.reshape(B, -1, x.size(2), x.size(3))

def zeros_between(self, x: Tensor, up: int) -> Tensor:
    B, C, H, W = x.size(0), x.size(1), x.size(2), x.size(3)
    x = x.reshape(B, C, H, 1, W, 1)
    x = torch.constant_pad_nd(x, [0, up - 1, 0, 0, 0, up - 1], 0.0)
    return x.reshape(B, C, H * up, W * up)

def pad_crop(self, x: Tensor, px0: int, px1: int, py0: int, py1: int) -> Tensor:
    x = torch.constant_pad_nd(x, [max(px0, 0), max(px1, 0), max(py0, 0), max(py1, 0)], 0.0)
    return x[:, :, max(-py0, 0):x.size(2) - max(-py1, 0), max(-px0, 0):x.size(3) - max(-px1, 0)]

def separable(self, x: Tensor, f: Tensor, step: int) -> Tensor:
    f = f.to(x.dtype)
    x = torch.conv2d(x, f.unsqueeze(2), None, [1, step], [0, 0], [1, 1], x.size(1))
    return torch.conv2d(x, f.unsqueeze(3), None, [step, 1], [0, 0], [1, 1], x.size(1))
)";

void write_input(ScriptBuilder& b, const ModuleNode& in) {
  const ModuleNode& affine = in.child("affine");
  const auto size = in.numbers("size");
  LW_EXPECT(size.size() == 2 && size[0] >= 1 && size[0] <= 16384 && size[1] >= 1 && size[1] <= 16384 &&
                size[0] == std::floor(size[0]) && size[1] == std::floor(size[1]),
            "network file: " << in.path << ".size should hold two sizes of 1..16384 pixels");
  const double rate = in.number("sampling_rate");
  const double bandwidth = in.number("bandwidth");
  at::Tensor theta = torch::eye(2, 3);
  theta[0][0] = 0.5 * size[0] / rate;
  theta[1][1] = 0.5 * size[1] / rate;
  const at::Tensor grid = at::affine_grid_generator(theta.unsqueeze(0), {1, 1, static_cast<std::int64_t>(size[1]),
                                                                          static_cast<std::int64_t>(size[0])}, false);
  b.tensor("input_grid", grid);
  b.tensor("input_transform", in.tensor("transform", {3, 3}));
  b.tensor("input_freqs", in.tensor("freqs"));
  b.tensor("input_phases", in.tensor("phases"));
  b.tensor("input_weight", in.tensor("weight") / std::sqrt(static_cast<double>(in.integer("channels"))));
  b.src() << "    x = self.fourier_input(ws[:, 0], transform, " << b.tensor("input_affine_weight", fc_weight(affine)) << ", "
          << b.tensor("input_affine_bias", fc_bias(affine)) << ", " << ScriptBuilder::real(bandwidth) << ", "
          << ScriptBuilder::real(rate / 2 - bandwidth) << ")\n";
}

// One SynthesisLayer: modulated conv, then filtered leaky ReLU (bias, upsample, lrelu, clamp,
// downsample) as NVlabs' reference implementation computes it, the discarded samples of the
// downsampling skipped by a strided convolution.
void write_layer(ScriptBuilder& b, const ModuleNode& l, int w_row) {
  auto& s = b.src();
  const bool torgb = l.flag("is_torgb");
  const int in_ch = l.integer("in_channels"), out_ch = l.integer("out_channels");
  const int kernel = l.integer("conv_kernel");
  at::Tensor weight = l.tensor("weight", {out_ch, in_ch, kernel, kernel});
  if (!torgb) weight = weight * weight.square().mean({1, 2, 3}, true).rsqrt();
  const ModuleNode& affine = l.child("affine");
  std::string styles = linear_expression(b, affine, "ws[:, " + std::to_string(w_row) + "]");
  if (torgb) styles = "(" + styles + " * " + ScriptBuilder::real(1.0 / std::sqrt(in_ch * kernel * kernel)) + ")";
  const float input_gain = l.tensor("magnitude_ema").rsqrt().item<float>();
  s << "    x = self.block_input(x, " << (l.has("use_fp16") && l.flag("use_fp16") ? "True" : "False") << ")\n";
  s << "    x = self.modconv(x, " << b.tensor(l.path + ".weight", weight) << ", " << styles << ", "
    << (torgb ? "False" : "True") << ", " << kernel - 1 << ", " << ScriptBuilder::real(input_gain) << ")\n";
  s << "    x = x + " << b.tensor(l.path + ".bias", l.tensor("bias", {out_ch})) << ".to(x.dtype).reshape(1, -1, 1, 1)\n";

  const int up = l.integer("up_factor"), down = l.integer("down_factor");
  const auto pad = l.numbers("padding");
  LW_EXPECT(pad.size() == 4 && std::all_of(pad.begin(), pad.end(), [](double p) { return std::abs(p) <= 4096 && p == std::floor(p); }),
            "network file: " << l.path << ".padding should hold four whole numbers");
  if (up > 1) s << "    x = self.zeros_between(x, " << up << ")\n";
  s << "    x = self.pad_crop(x, " << pad[0] << ", " << pad[1] << ", " << pad[2] << ", " << pad[3] << ")\n";
  if (l.has_tensor("up_filter")) {
    const at::Tensor fu = l.tensor("up_filter");
    LW_EXPECT(fu.dim() == 1, "network file: " << l.path << ".up_filter should be separable (1-D)");
    s << "    x = self.separable(x, " << b.tensor(l.path + ".fu", upfirdn_filter(fu, up * up, out_ch)) << ", 1)\n";
  }
  const double clamp = l.is_none("conv_clamp") ? -1.0 : l.number("conv_clamp");
  if (!torgb) s << "    x = torch.leaky_relu(x, 0.2) * 1.4142135623730951\n";
  if (clamp >= 0) s << "    x = x.clamp(" << ScriptBuilder::real(-clamp) << ", " << ScriptBuilder::real(clamp) << ")\n";
  if (l.has_tensor("down_filter")) {
    const at::Tensor fd = l.tensor("down_filter");
    const std::string f = b.tensor(l.path + ".fd", upfirdn_filter(fd, 1.0, out_ch));
    if (fd.dim() == 1) s << "    x = self.separable(x, " << f << ", " << down << ")\n";
    else s << "    x = torch.conv2d(x, " << f << ".to(x.dtype), None, [" << down << ", " << down << "], [0, 0], [1, 1], x.size(1))\n";
  } else if (down > 1) {
    s << "    x = x[:, :, ::" << down << ", ::" << down << "]\n";
  }
}

}  // namespace

torch::jit::Module build_stylegan3(const ModuleNode& G, std::optional<int> class_index, GeneratorInfo& info) {
  const ModuleNode& synthesis = G.child("synthesis");
  info = generator_sizes(G);
  LW_EXPECT(G.integer("img_channels") == 3, "the generator draws " << G.integer("img_channels") << " channels; 3 are supported");

  ScriptBuilder b("StyleGAN3Generator");
  b.src() << kFullyConnectedSource << kHelpers;
  b.low_precision_switch();
  write_mapping(b, G.child("mapping"), class_embedding(G, class_index));

  const auto& names = synthesis.strings("layer_names");
  LW_EXPECT(static_cast<int>(names.size()) + 1 == info.num_ws, "network file: " << names.size() << " layers for "
                                                                               << info.num_ws << " style rows");
  b.src() << "\ndef layers(self, ws: Tensor, stop: int, transform: Tensor) -> Tensor:\n";
  write_input(b, synthesis.child("input"));
  for (std::size_t i = 0; i < names.size(); ++i) {
    write_layer(b, synthesis.child(names[i]), static_cast<int>(i) + 1);
    if (i + 1 < names.size()) b.src() << "    if stop == " << i << ":\n        return x\n";
  }
  const double scale = synthesis.number("output_scale");
  b.src() << "    return x.float()" << (scale != 1.0 ? " * " + ScriptBuilder::real(scale) : "") << "\n";
  const int last = static_cast<int>(names.size()) - 1;
  b.src() << "\ndef broadcast(self, w: Tensor) -> Tensor:\n"
          << "    if w.dim() == 2:\n        return w.unsqueeze(1).repeat([1, " << info.num_ws << ", 1])\n"
          << "    return w\n"
          << "\ndef synthesis_raw(self, w: Tensor) -> Tensor:\n"
          << "    return self.layers(self.broadcast(w), " << last << ", self.input_transform)\n"
          << "\ndef synthesis_transformed(self, w: Tensor, transform: Tensor) -> Tensor:\n"
          << "    return torch.clamp(self.layers(self.broadcast(w), " << last << ", transform), -1.0, 1.0)\n"
          << "\ndef synthesis(self, w: Tensor) -> Tensor:\n"
          << "    return torch.clamp(self.synthesis_raw(w), -1.0, 1.0)\n"
          << "\ndef synthesis_features(self, w: Tensor, layer: int) -> Tensor:\n"
          << "    return self.layers(self.broadcast(w), layer, self.input_transform)\n"
          << "\ndef features(self, z: Tensor, layer: int) -> Tensor:\n"
          << "    return self.synthesis_features(self.mapping(z), layer)\n"
          << "\ndef forward(self, z: Tensor) -> Tensor:\n"
          << "    return self.synthesis(self.mapping(z))\n";
  info.feature_layers = last;
  info.architecture = synthesis.child(names[0]).integer("conv_kernel") == 1 ? "StyleGAN3-R" : "StyleGAN3-T";
  return b.finish();
}

}  // namespace lw::plugin::stylegan
