#include "plugin/stylegan/discriminator.hpp"

#include <torch/torch.h>

#include <cmath>

#include "core/base/check.hpp"
#include "plugin/stylegan/fully_connected.hpp"
#include "plugin/stylegan/script_builder.hpp"

namespace lw::plugin::stylegan {
namespace {

constexpr const char* kHelpers = R"(
def act(self, x: Tensor, b: Tensor, lrelu: bool, gain: float, clamp: float) -> Tensor:
    x = x + b.reshape(1, -1, 1, 1)
    if lrelu:
        x = torch.leaky_relu(x, 0.2)
    if gain != 1.0:
        x = x * gain
    if clamp >= 0.0:
        x = x.clamp(-clamp, clamp)
    return x

def down(self, x: Tensor, f: Tensor, pad: int, stride: int) -> Tensor:
    x = torch.constant_pad_nd(x, [pad, pad, pad, pad], 0.0)
    return torch.conv2d(x, f, None, [stride, stride], [0, 0], [1, 1], x.size(1))
)";

struct Writer {
  ScriptBuilder& b;

  std::string filter(const at::Tensor& f, int channels) {
    LW_EXPECT(f.dim() == 2, "network file: a discriminator resample filter should be 2-D");
    return b.shared("fir_" + std::to_string(channels), upfirdn_filter(f, 1.0, channels));
  }

  // A Conv2dLayer: weight scaled by its gain, optional [1,3,3,1] downsampling, bias and activation.
  void conv(const ModuleNode& l, const std::string& in, const std::string& out, double gain) {
    const at::Tensor w = l.tensor("weight") * l.number("weight_gain");
    const int k = static_cast<int>(w.size(2));
    const int down = l.has("down") ? l.integer("down") : 1;
    const std::string wn = b.tensor(l.path + ".weight", w);
    std::string x = in;
    auto& s = b.src();
    if (down == 2 && k == 1) {
      x = "self.down(" + in + ", " + filter(l.tensor("resample_filter"), static_cast<int>(w.size(1))) + ", 1, 2)";
      s << "    " << out << " = torch.conv2d(" << x << ", " << wn << ")\n";
    } else if (down == 2) {
      x = "self.down(" + in + ", " + filter(l.tensor("resample_filter"), static_cast<int>(w.size(1))) + ", 2, 1)";
      s << "    " << out << " = torch.conv2d(" << x << ", " << wn << ", None, [2, 2])\n";
    } else {
      s << "    " << out << " = torch.conv2d(" << x << ", " << wn << ", None, [1, 1], [" << k / 2 << ", " << k / 2 << "])\n";
    }
    const bool lrelu = l.string("activation") == "lrelu";
    LW_EXPECT(lrelu || l.string("activation") == "linear", "network file: " << l.path << " uses activation '"
                                                                             << l.string("activation") << "'");
    const double act_gain = l.number("act_gain") * gain;
    const double clamp = l.is_none("conv_clamp") ? -1.0 : l.number("conv_clamp") * gain;
    const std::string bias = l.has_tensor("bias") ? b.tensor(l.path + ".bias", l.tensor("bias"))
                                                  : b.tensor(l.path + ".no_bias", torch::zeros({w.size(0)}));
    s << "    " << out << " = self.act(" << out << ", " << bias << ", " << (lrelu ? "True" : "False") << ", "
      << ScriptBuilder::real(act_gain) << ", " << ScriptBuilder::real(clamp) << ")\n";
  }

  void block(const ModuleNode& blk) {
    auto& s = b.src();
    const std::string arch = blk.string("architecture");
    const bool first = blk.integer("in_channels") == 0;
    if (first || arch == "skip") {
      conv(blk.child("fromrgb"), "img", "y", 1.0);
      s << (first ? "    x = y\n" : "    x = x + y\n");
      if (arch == "skip")
        s << "    img = self.down(img, " << filter(blk.tensor("resample_filter"), static_cast<int>(blk.integer("img_channels")))
          << ", 1, 2)\n";
    }
    if (arch == "resnet") {
      conv(blk.child("skip"), "x", "y", std::sqrt(0.5));
      conv(blk.child("conv0"), "x", "x", 1.0);
      conv(blk.child("conv1"), "x", "x", std::sqrt(0.5));
      s << "    x = y + x\n";
    } else {
      conv(blk.child("conv0"), "x", "x", 1.0);
      conv(blk.child("conv1"), "x", "x", 1.0);
    }
  }

  void epilogue(const ModuleNode& e) {
    auto& s = b.src();
    if (e.string("architecture") == "skip") {
      conv(e.child("fromrgb"), "img", "y", 1.0);
      s << "    x = x + y\n";
    }
    if (e.has_child("mbstd")) {
      const int F = e.child("mbstd").integer("num_channels");
      s << "    y = x.reshape(1, x.size(0), " << F << ", x.size(1) // " << F << ", x.size(2), x.size(3))\n"
        << "    y = y - y.mean(0)\n"
        << "    y = (y.square().mean(0) + 1e-8).sqrt()\n"
        << "    y = y.mean([2, 3, 4]).reshape(-1, " << F << ", 1, 1).repeat([1, 1, x.size(2), x.size(3)])\n"
        << "    x = torch.cat([x, y], 1)\n";
    }
    conv(e.child("conv"), "x", "x", 1.0);
    const ModuleNode& fc = e.child("fc");
    const ModuleNode& out = e.child("out");
    auto weight = [&](const ModuleNode& l) { return b.tensor(l.path + ".weight", fc_weight(l)); };
    auto bias = [&](const ModuleNode& l) { return b.tensor(l.path + ".bias", fc_bias(l)); };
    s << "    h = self.fc_lrelu(x.flatten(1), " << weight(fc) << ", " << bias(fc) << ")\n"
      << "    return torch.addmm(" << bias(out) << ".unsqueeze(0), h, " << weight(out) << ".t()).view(-1)\n";
  }
};

}  // namespace

torch::jit::Module build_discriminator(const ModuleNode& D) {
  LW_EXPECT(D.integer("c_dim") == 0, "the discriminator is conditional (c_dim " << D.integer("c_dim") << ")");
  const auto& resolutions = D.numbers("block_resolutions");
  ScriptBuilder b("StyleGAN2Discriminator");
  b.src() << kFullyConnectedSource << kHelpers << "\ndef forward(self, img: Tensor) -> Tensor:\n";
  Writer w{b};
  for (double r : resolutions) {
    LW_EXPECT(r >= 8 && r <= 8192 && r == std::floor(r), "network file: a discriminator block resolution of " << r);
    w.block(D.child("b" + std::to_string(static_cast<int>(r))));
  }
  w.epilogue(D.child("b4"));
  return b.finish();
}

}  // namespace lw::plugin::stylegan
