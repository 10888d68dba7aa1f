// The model interfaces that latent-space methods call. Back ends live in plugin/; the default
// model and users' TorchScript exports implement the same interfaces.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace lw {

class Generator {
 public:
  virtual ~Generator() = default;
  virtual int latent_dim() const = 0;
  virtual int height() const = 0;
  virtual int width() const = 0;
  virtual int w_dim() const = 0;           // 0: no mapping network
  virtual int num_ws() const = 0;          // 0: no W+
  virtual int feature_layers() const = 0;  // 0: no features()

  // z [B, latent_dim] -> image [B, 3, H, W], float32 in [-1, 1].
  virtual at::Tensor generate(const at::Tensor& z) const = 0;
  // z [B, latent_dim] -> w [B, w_dim]. Throws when the model has no mapping network.
  virtual at::Tensor mapping(const at::Tensor& z) const = 0;
  // w [B, w_dim] or [B, num_ws, w_dim] -> image.
  virtual at::Tensor synthesis(const at::Tensor& w) const = 0;
  // The same image before the final clamp to [-1, 1] (`synthesis_raw` in the contract), keeping
  // the caller's autograd mode: what inversion differentiates with respect to w (a clamp has no
  // gradient where it clips). Throws when the model has none.
  virtual at::Tensor synthesis_raw(const at::Tensor& w) const;
  // Intermediate output G1(z) of synthesis block `layer`. Unlike the other methods, the two
  // feature methods keep the caller's autograd mode: they are differentiable in their codes.
  virtual at::Tensor features(const at::Tensor& z, int layer) const = 0;
  // The same output from w [B, w_dim]: what direction discovery in W differentiates. Optional
  // in the contract (`synthesis_features(w, layer)`); throws when the model has none.
  virtual bool has_synthesis_features() const = 0;
  virtual at::Tensor synthesis_features(const at::Tensor& w, int layer) const = 0;
  // Runs the network on `device` from now on (the viewer's GPU generator): inputs are moved to
  // it, outputs stay there. Call before any other thread uses the generator.
  virtual void to_device(const c10::Device& device) = 0;
  // The mean of W the model carries (`w_avg`, what truncation pulls toward: NVlabs' running mean
  // for an imported StyleGAN), or an undefined tensor when it carries none.
  virtual at::Tensor w_avg() const { return {}; }
  // StyleGAN3's input transform: whether the model takes one, and synthesis with a given
  // inverse transform of the image ([3, 3], NVlabs' synthesis.input.transform) instead of the
  // model's own. Stateless, so any thread that may call synthesis may call it.
  virtual bool has_input_transform() const { return false; }
  // NVlabs runs a StyleGAN's highest-resolution layers in half precision on a GPU; a model that
  // can do the same switches to it here (`dtype`: c10::ScalarType, Half on a GPU). Returns false
  // when the model has no such layers. Call before any other thread uses the generator.
  virtual bool set_low_precision(bool on, c10::ScalarType dtype) {
    (void)on, (void)dtype;
    return false;
  }
  virtual at::Tensor synthesis_transformed(const at::Tensor& w, const at::Tensor& transform) const {
    (void)transform;
    return synthesis(w);
  }
  virtual c10::Device device() const = 0;
};

class AttributePredictor {
 public:
  virtual ~AttributePredictor() = default;
  virtual const std::vector<std::string>& attribute_names() const = 0;
  // image [B, 3, H, W] -> scores [B, m]; binary attributes score as logits.
  virtual at::Tensor predict(const at::Tensor& images) const = 0;
};

// A first guess at the code of an image: what inversion starts from.
class Encoder {
 public:
  virtual ~Encoder() = default;
  // image [B, 3, H, W] in [-1, 1] -> w [B, w_dim].
  virtual at::Tensor encode(const at::Tensor& images) const = 0;
};

class Discriminator {
 public:
  virtual ~Discriminator() = default;
  // image [B, 3, H, W] -> realism [B], higher is more realistic.
  virtual at::Tensor realism(const at::Tensor& images) const = 0;
  // The output of the trunk's layer `layer` (0: the first), [B, C, h, w], keeping the caller's
  // autograd mode: the perceptual term of inversion. Optional in the contract
  // (`features(image, layer)` with `feature_layers()`); 0 layers: none, and features throws.
  virtual int feature_layers() const { return 0; }
  virtual at::Tensor features(const at::Tensor& images, int layer) const;
};

}  // namespace lw
