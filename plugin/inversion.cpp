#include "plugin/inversion.hpp"

#include <torch/torch.h>

#include <iostream>

#include "core/tensor_images.hpp"
#include "core/base/check.hpp"
#include "core/density.hpp"
#include "core/image.hpp"
#include "core/learned_modules.hpp"
#include "core/model.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::plugin {

InversionSetup::InversionSetup(const Model& model, Space space, int steps) : model_(model) {
  const Generator& g = *model.generator;
  LW_EXPECT(g.w_dim() > 0, model.folder.string() << ": inversion needs a model with W (a mapping network)");
  LW_EXPECT(space != Space::WPlus || g.num_ws() > 0, model.folder.string() << ": this model has no W+ (style rows)");
  LW_EXPECT(space != Space::Z, "inversion finds codes in W or W+");
  settings.space = space;
  settings.steps = steps;
  w_ = w_statistics(g, 10000, 0);
  const auto density = density_file(shipped_dplase_folder(model.folder, Space::W));
  if (std::filesystem::exists(density)) {
    density_ = std::make_shared<DensityModel>(DensityModel::load(density, g.w_dim()));
    for (auto p : density_->parameters()) p.requires_grad_(false);  // a fixed prior: gradients go to the codes only
    settings.density = 0.01;
  }
  if (model.discriminator && model.discriminator->feature_layers() > 0) {
    settings.perceptual = 2.0;
    const int layers = model.discriminator->feature_layers();  // its second and third, or what it has
    settings.feature_layers = layers >= 3 ? std::vector<int>{1, 2} : std::vector<int>{layers - 1};
  }
  if (space == Space::WPlus) settings.row_pull = 0.01;
}

InversionSetup::~InversionSetup() = default;

std::string InversionSetup::start_name(bool use_encoder) const { return use_encoder && model_.encoder ? "encoder" : "W mean"; }

Projection InversionSetup::project(const at::Tensor& targets, bool use_encoder, const std::function<void(int, double)>& progress) const {
  at::Tensor start;
  {
    torch::NoGradGuard no_grad;
    start = use_encoder && model_.encoder ? model_.encoder->encode(targets).to(torch::kCPU)
                                          : w_.mean.unsqueeze(0).expand({targets.size(0), -1}).contiguous();
  }
  return lw::project(*model_.generator, targets, start, w_, settings, model_.discriminator.get(), density_.get(), progress);
}

PhotoTarget read_photo(const std::filesystem::path& photo, const Generator& g) {
  const ImageRGB8 image = read_png(photo);
  PhotoTarget out;
  out.target = image_tensor(image, g.height(), g.width(), &out.resized);
  out.width = image.width, out.height = image.height;
  return out;
}

at::Tensor read_target(const std::filesystem::path& photo, const Generator& g, const std::string& who) {
  PhotoTarget t = read_photo(photo, g);
  if (t.resized)
    std::cerr << who << ": " << photo.string() << " is " << t.width << "x" << t.height << ", resized to the model's "
              << g.width() << "x" << g.height() << std::endl;
  return t.target;
}

NpyArray npy_of(const at::Tensor& t) {
  const auto c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  NpyArray a;
  a.shape.assign(c.sizes().begin(), c.sizes().end());
  a.data.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  return a;
}

at::Tensor tensor_of(const NpyArray& a) {
  return torch::from_blob(const_cast<float*>(a.data.data()), a.shape, torch::kFloat).clone();
}

CodeFile read_codes(const std::filesystem::path& file, const Generator& g) {
  LW_EXPECT(g.w_dim() > 0, file.string() << ": codes in W need a model with a mapping network");
  const NpyArray c = read_npy(file);
  const bool w = c.shape.size() == 2 && c.shape[1] == g.w_dim();
  const bool wplus = g.num_ws() > 0 && c.shape.size() == 3 && c.shape[1] == g.num_ws() && c.shape[2] == g.w_dim();
  LW_EXPECT(c.shape.size() >= 1 && c.shape[0] > 0 && (w || wplus),
            file.string() << ": codes for this model are [N, " << g.w_dim() << "] (W)"
                          << (g.num_ws() > 0 ? " or [N, " + std::to_string(g.num_ws()) + ", " + std::to_string(g.w_dim()) + "] (W+)" : "")
                          << ", this file holds " << c.shape_text());
  auto codes = tensor_of(c);
  LW_EXPECT(codes.isfinite().all().item<bool>(), file.string() << ": holds NaN or infinite values");
  return {codes, w ? Space::W : Space::WPlus};
}

}  // namespace lw::plugin
