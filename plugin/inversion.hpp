// Inversion as the commands use it (invert, evaluate-inversion, edit --image): the projector's
// settings for W or W+, the start (the model's encoder, or W's mean), and the model's own
// discriminator features and learned density of W where it ships them; photos read as targets.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/base/npy.hpp"
#include "core/projector.hpp"

namespace lw {
class DensityModel;
class Generator;
}  // namespace lw
namespace lw::plugin {

struct Model;

class InversionSetup {
 public:
  // Throws when the model has no W, or no style rows for W+.
  InversionSetup(const Model& model, Space space, int steps);
  ~InversionSetup();
  ProjectorSettings settings;
  // `targets` [B, 3, H, W] in [-1, 1]; from the encoder's guess when `use_encoder` and the model
  // has one, else from W's mean.
  Projection project(const at::Tensor& targets, bool use_encoder, const std::function<void(int, double)>& progress = {}) const;
  std::string start_name(bool use_encoder) const;  // "encoder" or "W mean"

 private:
  const Model& model_;
  WStatistics w_;
  std::shared_ptr<DensityModel> density_;
};

// A PNG as a target of `g`'s size, [1, 3, H, W] in [-1, 1], resized when it is not (the photo's
// own size kept, to say so). Throws naming the file when it does not read.
struct PhotoTarget {
  at::Tensor target;
  int width = 0, height = 0;  // the photo's
  bool resized = false;
};
PhotoTarget read_photo(const std::filesystem::path& photo, const Generator& g);
// The same, the note on stderr as `who`.
at::Tensor read_target(const std::filesystem::path& photo, const Generator& g, const std::string& who);
// A float tensor as an .npy array and back, the shape kept.
NpyArray npy_of(const at::Tensor& t);
at::Tensor tensor_of(const NpyArray& a);

// Codes from a file invert (or generate) wrote, their space told by their shape: [N, w_dim] W,
// [N, num_ws, w_dim] W+. Throws naming the file and the shapes this model takes.
struct CodeFile {
  at::Tensor codes;
  Space space = Space::W;
};
CodeFile read_codes(const std::filesystem::path& file, const Generator& g);

}  // namespace lw::plugin
