#include "plugin/stylegan/rosinality.hpp"

#include <torch/torch.h>

#include <cmath>

#include "core/base/check.hpp"
#include "core/base/pickle_value.hpp"

namespace lw::plugin::stylegan {
namespace {

using Tensors = std::map<std::string, at::Tensor>;

Attribute number(double v) { return Attribute{Attribute::Type::Number, v, {}, {}, {}}; }
Attribute text(const std::string& v) { return Attribute{Attribute::Type::String, 0.0, v, {}, {}}; }

ModuleNode& add_child(ModuleNode& parent, const std::string& name, const std::string& kind) {
  auto node = std::make_unique<ModuleNode>();
  node->path = parent.path.empty() ? name : parent.path + "." + name;
  node->class_name = "rosinality." + kind;
  parent.children.emplace_back(name, std::move(node));
  return *parent.children.back().second;
}

const at::Tensor& get(const Tensors& t, const std::string& name) {
  auto it = t.find(name);
  LW_EXPECT(it != t.end(), "rosinality checkpoint: g_ema has no '" << name << "'");
  return it->second;
}

void affine(ModuleNode& layer, const Tensors& t, const std::string& prefix, int style_dim) {
  ModuleNode& a = add_child(layer, "affine", "EqualLinear");
  a.tensors["weight"] = get(t, prefix + ".modulation.weight");
  a.tensors["bias"] = get(t, prefix + ".modulation.bias");
  a.attributes["weight_gain"] = number(1.0 / std::sqrt(static_cast<double>(style_dim)));
  a.attributes["bias_gain"] = number(1.0);
  a.attributes["activation"] = text("linear");
}

at::Tensor resample_filter() {
  const at::Tensor k = torch::tensor({1.f, 3.f, 3.f, 1.f});
  const at::Tensor f = torch::outer(k, k);
  return f / f.sum();
}

// A StyledConv: modulated conv (its 1/sqrt(fan_in) folded into the weight; demodulation makes
// the scale immaterial but keeps its rounding), constant noise, fused bias + leaky ReLU.
void styled_conv(ModuleNode& block, const std::string& name, const Tensors& t, const std::string& prefix, int noise,
                 bool up, int style_dim) {
  ModuleNode& l = add_child(block, name, "StyledConv");
  const at::Tensor w = get(t, prefix + ".conv.weight");
  LW_EXPECT(w.dim() == 5 && w.size(0) == 1, "rosinality checkpoint: " << prefix << ".conv.weight has shape " << w.sizes());
  l.tensors["weight"] = w[0] / std::sqrt(static_cast<double>(w.size(2) * w.size(3) * w.size(4)));
  l.tensors["bias"] = get(t, prefix + ".activate.bias");
  const at::Tensor n = get(t, "noises.noise_" + std::to_string(noise));
  l.tensors["noise_const"] = n.reshape({n.size(-2), n.size(-1)});
  l.tensors["noise_strength"] = get(t, prefix + ".noise.weight").reshape({});
  l.tensors["resample_filter"] = resample_filter();
  l.attributes["up"] = number(up ? 2 : 1);
  l.attributes["use_noise"] = number(1);
  l.attributes["activation"] = text("lrelu");
  l.attributes["act_gain"] = number(std::sqrt(2.0));
  l.attributes["conv_clamp"] = Attribute{};
  affine(l, t, prefix + ".conv", style_dim);
}

void to_rgb(ModuleNode& block, const Tensors& t, const std::string& prefix, int style_dim) {
  ModuleNode& l = add_child(block, "torgb", "ToRGB");
  const at::Tensor w = get(t, prefix + ".conv.weight");
  LW_EXPECT(w.dim() == 5 && w.size(0) == 1, "rosinality checkpoint: " << prefix << ".conv.weight has shape " << w.sizes());
  l.tensors["weight"] = w[0];
  l.tensors["bias"] = get(t, prefix + ".bias").reshape({-1});
  l.attributes["weight_gain"] = number(1.0 / std::sqrt(static_cast<double>(w.size(2))));
  l.attributes["conv_clamp"] = Attribute{};
  affine(l, t, prefix + ".conv", style_dim);
}

Tensors tensors_of(const pickle::Value& state) {
  const pickle::Value& d = pickle::as_dict(&state, "rosinality checkpoint: g_ema");
  Tensors out;
  for (const auto& [k, v] : d.entries) {
    const std::string& name = pickle::as_string(k, "rosinality checkpoint: a g_ema key");
    out[name] = to_tensor(*v, "g_ema." + name);
  }
  return out;
}

int count_prefixed(const Tensors& t, const std::string& prefix, const std::string& suffix) {
  int n = 0;
  while (n < 64 && t.count(prefix + std::to_string(n + (prefix == "style." ? 1 : 0)) + suffix)) ++n;
  return n;
}

void check_arg(const pickle::Value* args, const char* name, int value) {
  if (args == nullptr || args->state == nullptr) return;
  const pickle::Value* v = args->state->get(name);
  if (v == nullptr || !v->is(pickle::Kind::Int)) return;
  LW_EXPECT(v->integer == value, "rosinality checkpoint: its args say " << name << " " << v->integer
                                                                       << ", its weights say " << value);
}

void mapping(ModuleNode& G, const Tensors& t, int n_mlp, int style_dim, double lr_mlp) {
  ModuleNode& m = add_child(G, "mapping", "Mapping");
  m.attributes["num_layers"] = number(n_mlp);
  m.tensors["w_avg"] = torch::zeros({style_dim});
  for (int i = 0; i < n_mlp; ++i) {
    ModuleNode& fc = add_child(m, "fc" + std::to_string(i), "EqualLinear");
    fc.tensors["weight"] = get(t, "style." + std::to_string(i + 1) + ".weight");
    fc.tensors["bias"] = get(t, "style." + std::to_string(i + 1) + ".bias");
    fc.attributes["weight_gain"] = number(lr_mlp / std::sqrt(static_cast<double>(fc.tensors["weight"].size(1))));
    fc.attributes["bias_gain"] = number(lr_mlp);
    fc.attributes["activation"] = text("lrelu");
  }
}

}  // namespace

std::unique_ptr<ModuleNode> rosinality_tree(const pickle::Value& state, const pickle::Value* args, RosinalityShape shape) {
  const Tensors t = tensors_of(state);
  // Sizes come from the weights; the flags (and the checkpoint's args) are checked against them.
  const int n_mlp = count_prefixed(t, "style.", ".weight");
  LW_EXPECT(n_mlp > 0, "rosinality checkpoint: g_ema has no mapping layers (style.1.weight)");
  const int style_dim = static_cast<int>(get(t, "style.1.weight").size(0));
  const int rgbs = count_prefixed(t, "to_rgbs.", ".bias");
  LW_EXPECT(rgbs <= 11, "rosinality checkpoint: " << rgbs + 1 << " RGB outputs is more than 8192 px");
  const int size = 4 << rgbs;
  auto check_flag = [](const std::optional<int>& flag, const char* name, int value) {
    LW_EXPECT(!flag || *flag == value, "rosinality checkpoint: --" << name << " " << *flag << ", but its weights say " << value);
  };
  check_flag(shape.size, "size", size);
  check_flag(shape.style_dim, "latent", style_dim);
  check_flag(shape.n_mlp, "n-mlp", n_mlp);
  check_arg(args, "size", size);
  check_arg(args, "latent", style_dim);
  check_arg(args, "n_mlp", n_mlp);

  auto G = std::make_unique<ModuleNode>();
  G->class_name = "rosinality.Generator";
  G->attributes["z_dim"] = number(style_dim);
  G->attributes["w_dim"] = number(style_dim);
  G->attributes["c_dim"] = number(0);
  G->attributes["img_resolution"] = number(size);
  G->attributes["img_channels"] = number(3);
  mapping(*G, t, n_mlp, style_dim, shape.lr_mlp);

  ModuleNode& syn = add_child(*G, "synthesis", "Synthesis");
  syn.attributes["num_ws"] = number(2 * rgbs + 2);
  Attribute res{Attribute::Type::Numbers, 0.0, {}, {}, {}};
  for (int i = 0; i <= rgbs; ++i) res.numbers.push_back(4 << i);
  syn.attributes["block_resolutions"] = res;
  for (int i = 0; i <= rgbs; ++i) {
    ModuleNode& blk = add_child(syn, "b" + std::to_string(4 << i), "Block");
    blk.attributes["architecture"] = text("skip");
    blk.tensors["resample_filter"] = resample_filter();
    if (i == 0) {
      const at::Tensor c = get(t, "input.input");
      blk.tensors["const"] = c[0];
      blk.attributes["in_channels"] = number(0);
      styled_conv(blk, "conv1", t, "conv1", 0, false, style_dim);
      to_rgb(blk, t, "to_rgb1", style_dim);
      continue;
    }
    const std::string c0 = "convs." + std::to_string(2 * i - 2), c1 = "convs." + std::to_string(2 * i - 1);
    blk.attributes["in_channels"] = number(static_cast<double>(get(t, c0 + ".conv.weight").size(2)));
    styled_conv(blk, "conv0", t, c0, 2 * i - 1, true, style_dim);
    styled_conv(blk, "conv1", t, c1, 2 * i, false, style_dim);
    to_rgb(blk, t, "to_rgbs." + std::to_string(i - 1), style_dim);
  }
  return G;
}

}  // namespace lw::plugin::stylegan
