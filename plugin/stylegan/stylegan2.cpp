#include "plugin/stylegan/stylegan2.hpp"

#include <torch/torch.h>

#include <cmath>

#include "core/base/check.hpp"
#include "plugin/stylegan/fully_connected.hpp"
#include "plugin/stylegan/script_builder.hpp"

namespace lw::plugin::stylegan {
namespace {

// TorchScript helpers shared by every StyleGAN2 generator. Modulated convolutions run as NVlabs'
// unfused form (scale the input by the styles, one convolution with the file's weights, scale
// the output by the demodulation coefficients), which batches tiles into one convolution and
// needs no per-sample weights. The upsampling convolution (NVlabs: a stride-2 transposed
// convolution, then the [1,3,3,1] filter) runs as its four output phases in one ordinary
// convolution (`phases`: the 3x3 kernel's taps sorted by phase at import, 2x2 each) and a pixel
// shuffle: the same products without the zeros, and through the fast convolution path. `fir`
// is upfirdn2d without resampling (pad, then a depthwise convolution with a filter prepared
// at import: flipped, scaled by its gain, one copy per channel); `zeros_between` upsamples.
constexpr const char* kHelpers = R"(
def zeros_between(self, x: Tensor) -> Tensor:
    B, C, H, W = x.size(0), x.size(1), x.size(2), x.size(3)
    x = x.reshape(B, C, H, 1, W, 1)
    x = torch.constant_pad_nd(x, [0, 1, 0, 0, 0, 1], 0.0)
    return x.reshape(B, C, H * 2, W * 2)

def fir(self, x: Tensor, f: Tensor, p0: int, p1: int) -> Tensor:
    x = torch.constant_pad_nd(x, [p0, p1, p0, p1], 0.0)
    return torch.conv2d(x, f.to(x.dtype), None, [1, 1], [0, 0], [1, 1], x.size(1))

def demodulation(self, styles: Tensor, w2: Tensor) -> Tensor:
    return torch.rsqrt(torch.matmul(styles.square(), w2.t()) + 1e-8)

def prenormalised(self, weight: Tensor, w2: Tensor, styles: Tensor, fan_in: int, groups: int) -> Tuple[Tensor, Tensor, Tensor]:
    # NVlabs' guard against fp16 overflow: each output's largest weight becomes 1/sqrt(fan-in),
    # the largest style 1; demodulation makes both scales immaterial.
    a = (1.0 / float(fan_in) ** 0.5) / weight.abs().reshape(weight.size(0) // groups, -1).amax(1)
    weight = weight * a.repeat_interleave(groups).reshape(-1, 1, 1, 1)
    return weight, w2 * (a * a).unsqueeze(1), styles / styles.abs().amax(1, keepdim=True)

def modconv(self, x: Tensor, weight: Tensor, w2: Tensor, styles: Tensor, demodulate: bool, padding: int) -> Tensor:
    if demodulate and x.dtype != 6:
        weight, w2, styles = self.prenormalised(weight, w2, styles, weight.size(1) * weight.size(2) * weight.size(3), 1)
    x = torch.conv2d(x * styles.to(x.dtype).unsqueeze(2).unsqueeze(3), weight.to(x.dtype), None, [1, 1], [padding, padding])
    if demodulate:
        x = x * self.demodulation(styles, w2).to(x.dtype).unsqueeze(2).unsqueeze(3)
    return x

def modconv_up(self, x: Tensor, phases: Tensor, w2: Tensor, styles: Tensor, f1: Tensor) -> Tensor:
    if x.dtype != 6:
        phases, w2, styles = self.prenormalised(phases, w2, styles, phases.size(1) * 9, 4)
    x = torch.conv2d(x * styles.to(x.dtype).unsqueeze(2).unsqueeze(3), phases.to(x.dtype), None, [1, 1], [1, 1])
    x = x * self.demodulation(styles, w2).repeat_interleave(4, 1).to(x.dtype).unsqueeze(2).unsqueeze(3)
    x = torch.pixel_shuffle(x, 2)
    n = x.size(2) - 2
    C = x.size(1)
    f1 = f1.to(x.dtype)
    x = torch.conv2d(x, f1.unsqueeze(2), None, [1, 1], [0, 1], [1, 1], C)[:, :, :, :n]
    return torch.conv2d(x, f1.unsqueeze(3), None, [1, 1], [1, 0], [1, 1], C)[:, :, :n, :]

def bias_lrelu(self, x: Tensor, b: Tensor, gain: float, clamp: float) -> Tensor:
    x = torch.leaky_relu(x + b.to(x.dtype).reshape(1, -1, 1, 1), 0.2) * gain
    if clamp >= 0.0:
        x = x.clamp(-clamp, clamp)
    return x

def bias_linear(self, x: Tensor, b: Tensor, clamp: float) -> Tensor:
    x = x + b.to(x.dtype).reshape(1, -1, 1, 1)
    if clamp >= 0.0:
        x = x.clamp(-clamp, clamp)
    return x
)";

// The [1,3,3,1] filter of an upsampling by 2 (gain 4), one per channel.
std::string fir_filter(ScriptBuilder& b, const at::Tensor& f, int channels) {
  LW_EXPECT(f.dim() == 2, "network file: a StyleGAN2 resample filter should be 2-D, not of shape " << f.sizes());
  return b.shared("fir_" + std::to_string(channels), upfirdn_filter(f, 4.0, channels));
}

// A stride-2 transposed 3x3 convolution (NVlabs' weight w[O, I, ky, kx], taken unflipped) as
// the kernels of its four output phases for one ordinary 2x2 convolution over the input padded
// by one: output row 2m reads input rows m-1, m with taps ky = 2, 0; row 2m+1 reads row m with
// ky = 1 (and nothing from m-1); the same for columns. Phase (py, px) of output channel o is
// channel 4o + 2py + px, the order pixel_shuffle interleaves.
at::Tensor phase_kernels(const at::Tensor& w) {
  const std::int64_t O = w.size(0), I = w.size(1);
  at::Tensor k = torch::zeros({O, 4, I, 2, 2});
  const int tap[2][2] = {{2, 0}, {-1, 1}};  // [phase][window position] -> kernel index, -1: none
  for (int py = 0; py < 2; ++py)
    for (int px = 0; px < 2; ++px)
      for (int ty = 0; ty < 2; ++ty)
        for (int tx = 0; tx < 2; ++tx) {
          const int ky = tap[py][ty], kx = tap[px][tx];
          if (ky >= 0 && kx >= 0) k.select(1, py * 2 + px).select(2, ty).select(2, tx).copy_(w.select(2, ky).select(2, kx));
        }
  return k.reshape({O * 4, I, 2, 2}).contiguous();
}

double clamp_of(const ModuleNode& layer, double gain) {
  return layer.is_none("conv_clamp") ? -1.0 : layer.number("conv_clamp") * gain;
}

struct Synthesis {
  ScriptBuilder& b;
  int w_index = 0;

  std::string row(int i) { return "ws[:, " + std::to_string(i) + "]"; }

  std::string styles(const ModuleNode& layer, int w_row, double scale = 1.0) {
    const std::string s = linear_expression(b, layer.child("affine"), row(w_row));
    return scale == 1.0 ? s : "(" + s + " * " + ScriptBuilder::real(scale) + ")";
  }

  // One SynthesisLayer: modulated conv (upsampling when up = 2), constant noise, bias, lrelu.
  void layer(const ModuleNode& l, int w_row, double gain) {
    const at::Tensor& w = l.tensor("weight");
    const int k = static_cast<int>(w.size(2));
    const std::string w2 = b.tensor(l.path + ".w2", w.square().sum({2, 3}));
    auto& s = b.src();
    if (l.integer("up") == 2) {
      LW_EXPECT(k == 3, "network file: " << l.path << " has a " << k << "x" << k << " upsampling kernel; 3x3 is supported");
      s << "    x = self.modconv_up(x, " << b.tensor(l.path + ".phases", phase_kernels(w)) << ", " << w2 << ", "
        << styles(l, w_row) << ", " << separable_filter(l.tensor("resample_filter"), static_cast<int>(w.size(0))) << ")\n";
    } else {
      s << "    x = self.modconv(x, " << b.tensor(l.path + ".weight", w) << ", " << w2 << ", " << styles(l, w_row)
        << ", True, " << k / 2 << ")\n";
    }
    if (l.has("use_noise") ? l.flag("use_noise") : l.has_tensor("noise_const")) {
      // noise_mode 'const': the stored noise times its strength, computed once here.
      s << "    x = x + " << b.tensor(l.path + ".noise", l.tensor("noise_const") * l.tensor("noise_strength")) << ".to(x.dtype)\n";
    }
    LW_EXPECT(l.string("activation") == "lrelu", "network file: " << l.path << " uses activation '"
                                                                  << l.string("activation") << "'; lrelu is supported");
    const double act_gain = l.number("act_gain") * gain;
    s << "    x = self.bias_lrelu(x, " << b.tensor(l.path + ".bias", l.tensor("bias")) << ", "
      << ScriptBuilder::real(act_gain) << ", " << ScriptBuilder::real(clamp_of(l, gain)) << ")\n";
  }

  std::string torgb(const ModuleNode& t, int w_row) {
    const std::string weight = b.tensor(t.path + ".weight", t.tensor("weight"));
    return "self.bias_linear(self.modconv(x, " + weight + ", " + weight + ", " + styles(t, w_row, t.number("weight_gain")) +
           ", False, 0), " + b.tensor(t.path + ".bias", t.tensor("bias")) + ", " +
           ScriptBuilder::real(clamp_of(t, 1.0)) + ").float()";
  }

  // The [1,3,3,1] filter of an upsampling layer as two 1-D passes (its 2-D form is their outer
  // product), scaled by the gain of 2 each, [C, 1, 4].
  std::string separable_filter(const at::Tensor& f2d, int channels) {
    LW_EXPECT(f2d.dim() == 2 && f2d.size(0) == 4 && f2d.size(1) == 4,
              "network file: a StyleGAN2 resample filter should be 4x4, not " << f2d.sizes());
    const at::Tensor f1 = f2d.sum(1) / f2d.sum(1).sum();
    LW_EXPECT(torch::allclose(torch::outer(f1, f1), f2d, 1e-6, 1e-7), "network file: the resample filter is not separable");
    return b.shared("fir1_" + std::to_string(channels), upfirdn_filter(f1, 4.0, channels));
  }

  // The resnet architecture's 1x1 upsampling skip connection, scaled by sqrt(1/2).
  void skip(const ModuleNode& sk) {
    const at::Tensor w = sk.tensor("weight") * sk.number("weight_gain");
    const std::string f = fir_filter(b, sk.tensor("resample_filter"), static_cast<int>(w.size(0)));
    b.src() << "    y = self.fir(self.zeros_between(torch.conv2d(x, " << b.tensor(sk.path + ".weight", w) << ".to(x.dtype))), " << f
            << ", 2, 1) * " << ScriptBuilder::real(sk.number("act_gain") * std::sqrt(0.5)) << "\n";
  }

  void block(const ModuleNode& blk, int index, int channels_out) {
    auto& s = b.src();
    const bool first = blk.integer("in_channels") == 0;
    const std::string arch = blk.string("architecture");
    const int w0 = w_index;
    // NVlabs runs its highest-resolution blocks (use_fp16) in half precision on a GPU; here
    // when set_low_precision(True, dtype) asks for it.
    const std::string low = blk.has("use_fp16") && blk.flag("use_fp16") ? "True" : "False";
    if (first) {
      s << "    x = " << b.tensor(blk.path + ".const", blk.tensor("const")) << ".unsqueeze(0).repeat([ws.size(0), 1, 1, 1])\n"
        << "    x = self.block_input(x, " << low << ")\n";
      layer(blk.child("conv1"), w0, 1.0);
    } else {
      s << "    x = self.block_input(x, " << low << ")\n";
      if (arch == "resnet") skip(blk.child("skip"));
      layer(blk.child("conv0"), w0, 1.0);
      layer(blk.child("conv1"), w0 + 1, arch == "resnet" ? std::sqrt(0.5) : 1.0);
      if (arch == "resnet") s << "    x = y + x\n";
    }
    const int num_conv = first ? 1 : 2;
    if (blk.has_child("torgb")) {
      const std::string y = torgb(blk.child("torgb"), w0 + num_conv);
      if (first || arch != "skip") {
        s << "    img = " << y << "\n";
      } else {
        const std::string f = fir_filter(b, blk.tensor("resample_filter"), channels_out);
        s << "    img = self.fir(self.zeros_between(img), " << f << ", 2, 1) + " << y << "\n";
      }
    }
    w_index += num_conv;
    s << "    if stop == " << index << ":\n        return x, img\n";
  }
};

std::vector<std::string> block_names(const ModuleNode& synthesis) {
  std::vector<std::string> names;
  if (synthesis.has("block_resolutions")) {
    for (double r : synthesis.numbers("block_resolutions")) {
      LW_EXPECT(r >= 4 && r <= 8192 && r == std::floor(r), "network file: a block resolution of " << r);
      names.push_back("b" + std::to_string(static_cast<int>(r)));
    }
  } else {
    for (const auto& [n, c] : synthesis.children) names.push_back(n);
  }
  LW_EXPECT(!names.empty(), "network file: the synthesis network has no blocks");
  return names;
}

void write_contract_methods(ScriptBuilder& b, int num_ws, int last_block, int img_channels) {
  const std::string rgb = img_channels == 1 ? "img.repeat([1, 3, 1, 1])" : "img";
  b.src() << "\ndef broadcast(self, w: Tensor) -> Tensor:\n"
          << "    if w.dim() == 2:\n        return w.unsqueeze(1).repeat([1, " << num_ws << ", 1])\n"
          << "    return w\n"
          << "\ndef synthesis_raw(self, w: Tensor) -> Tensor:\n"
          << "    x, img = self.blocks(self.broadcast(w), " << last_block << ")\n"
          << "    return " << rgb << "\n"
          << "\ndef synthesis(self, w: Tensor) -> Tensor:\n"
          << "    return torch.clamp(self.synthesis_raw(w), -1.0, 1.0)\n"
          << "\ndef synthesis_features(self, w: Tensor, layer: int) -> Tensor:\n"
          << "    x, img = self.blocks(self.broadcast(w), layer)\n"
          << "    return x\n"
          << "\ndef features(self, z: Tensor, layer: int) -> Tensor:\n"
          << "    return self.synthesis_features(self.mapping(z), layer)\n"
          << "\ndef forward(self, z: Tensor) -> Tensor:\n"
          << "    return self.synthesis(self.mapping(z))\n";
}

}  // namespace

std::optional<at::Tensor> class_embedding(const ModuleNode& G, std::optional<int> class_index) {
  const int c_dim = G.has("c_dim") ? G.integer("c_dim") : 0;
  if (c_dim == 0) {
    LW_EXPECT(!class_index.has_value(), "--class was given, but this generator is not conditional (c_dim 0)");
    return std::nullopt;
  }
  LW_EXPECT(class_index.has_value(), "this generator is conditional on " << c_dim
                                         << " classes: choose one with --class K (0.." << c_dim - 1 << ")");
  LW_EXPECT(*class_index >= 0 && *class_index < c_dim, "--class must be between 0 and " << c_dim - 1 << ", got " << *class_index);
  const ModuleNode& embed = G.child("mapping").child("embed");
  const at::Tensor c = torch::zeros({1, c_dim});
  c[0][*class_index] = 1.0;
  at::Tensor y = torch::addmm(fc_bias(embed).unsqueeze(0), c, fc_weight(embed).t());
  y = y * (y.square().mean(1, true) + 1e-8).rsqrt();
  return y[0];
}

void write_mapping(ScriptBuilder& b, const ModuleNode& mapping, const std::optional<at::Tensor>& embedding) {
  auto& s = b.src();
  s << "\ndef mapping(self, z: Tensor) -> Tensor:\n"
    << "    x = z * (z.square().mean(1, keepdim=True) + 1e-8).rsqrt()\n";
  if (embedding)
    s << "    x = torch.cat([x, " << b.tensor("mapping.class_embedding", *embedding)
      << ".unsqueeze(0).repeat([x.size(0), 1])], 1)\n";
  const int layers = mapping.integer("num_layers");
  for (int i = 0; i < layers; ++i) {
    const ModuleNode& fc = mapping.child("fc" + std::to_string(i));
    LW_EXPECT(fc.string("activation") == "lrelu", "network file: " << fc.path << " uses activation '"
                                                                    << fc.string("activation") << "'; lrelu is supported");
    s << "    x = self.fc_lrelu(x, " << b.tensor(fc.path + ".weight", fc_weight(fc)) << ", "
      << b.tensor(fc.path + ".bias", fc_bias(fc)) << ")\n";
  }
  s << "    return x\n";
  b.tensor("w_avg", mapping.tensor("w_avg"));
}

GeneratorInfo generator_sizes(const ModuleNode& G) {
  GeneratorInfo info;
  info.z_dim = G.integer("z_dim");
  info.w_dim = G.integer("w_dim");
  info.resolution = G.integer("img_resolution");
  info.num_ws = G.child("synthesis").integer("num_ws");
  return info;
}

torch::jit::Module build_stylegan2(const ModuleNode& G, std::optional<int> class_index, GeneratorInfo& info) {
  const ModuleNode& synthesis = G.child("synthesis");
  info = generator_sizes(G);
  const int img_channels = G.integer("img_channels");
  LW_EXPECT(img_channels == 3 || img_channels == 1, "the generator draws " << img_channels << " channels; 1 or 3 are supported");
  LW_EXPECT(info.z_dim > 0, "the generator has no latent input (z_dim 0)");

  ScriptBuilder b("StyleGAN2Generator");
  b.src() << kFullyConnectedSource << kHelpers;
  write_mapping(b, G.child("mapping"), class_embedding(G, class_index));

  const auto names = block_names(synthesis);
  // orig and resnet draw RGB in the last block only; before it `img` holds a placeholder that
  // only the feature methods (which ignore it) return.
  b.src() << "\ndef blocks(self, ws: Tensor, stop: int) -> Tuple[Tensor, Tensor]:\n    img = ws\n";
  Synthesis syn{b, 0};
  for (std::size_t i = 0; i < names.size(); ++i) {
    const ModuleNode& blk = synthesis.child(names[i]);
    syn.block(blk, static_cast<int>(i), img_channels);
  }
  b.src() << "    return x, img\n";
  LW_EXPECT(syn.w_index + 1 == info.num_ws, "network file: the blocks use " << syn.w_index + 1 << " style rows, num_ws is "
                                                                            << info.num_ws);
  write_contract_methods(b, info.num_ws, static_cast<int>(names.size()) - 1, img_channels);
  b.low_precision_switch();
  info.feature_layers = static_cast<int>(names.size());
  info.architecture = "StyleGAN2 (" + synthesis.child(names.back()).string("architecture") + ")";
  return b.finish();
}

}  // namespace lw::plugin::stylegan
