#include "plugin/torchscript_model.hpp"

#include <torch/script.h>

#include <sstream>

#include "core/base/check.hpp"

namespace lw::plugin {
namespace fs = std::filesystem;

namespace {

std::string shape_of(const at::Tensor& t) {
  std::ostringstream os;
  os << t.sizes();
  return os.str();
}

torch::jit::Module load_module(const fs::path& file, c10::Device device = c10::kCPU) {
  LW_EXPECT(fs::is_regular_file(file), file.string() << ": model file does not exist");
  try {
    // Loaded onto the device, so constants in the graph land there too (Module::to moves only
    // parameters and buffers).
    auto m = torch::jit::load(file.string(), device);
    m.eval();
    // The networks are fixed here: gradients, where a method allows them, flow only to its inputs.
    for (auto p : m.parameters()) p.requires_grad_(false);
    return m;
  } catch (const std::exception& e) {
    LW_FAIL(file.string() << ": not a TorchScript model (" << first_line(e) << ")");
  }
}

// Calls a method, turning LibTorch failures into an error naming the file and the rule.
// Inference runs without gradients unless the method is `differentiable` (features, which
// direction discovery differentiates with respect to the codes).
// Tensor arguments go to `device`, the module's: a module on the GPU takes codes made on the
// host, and one on the host takes images a GPU module made.
enum class Grad { Off, AsCaller };
at::Tensor call(const torch::jit::Module& m, const fs::path& file, const char* method, std::vector<c10::IValue> args,
                const std::string& rule, Grad grad = Grad::Off, c10::Device device = c10::kCPU) {
  const bool keep = grad == Grad::AsCaller && torch::GradMode::is_enabled();
  torch::AutoGradMode mode(keep);
  for (auto& a : args)
    if (a.isTensor() && a.toTensor().device() != device) a = a.toTensor().to(device);
  c10::IValue out;
  try {
    out = const_cast<torch::jit::Module&>(m).get_method(method)(std::move(args));
  } catch (const std::exception& e) {
    LW_FAIL(file.string() << ": " << rule << " (" << method << " failed: " << first_line(e) << ")");
  }
  LW_EXPECT(out.isTensor(), file.string() << ": " << rule << " (" << method << " must return a Tensor)");
  return out.toTensor();
}

void require_method(const torch::jit::Module& m, const fs::path& file, const char* method, const std::string& why) {
  LW_EXPECT(m.find_method(method).has_value(), file.string() << ": has no method `" << method << "`, required " << why);
}

void check_image(const at::Tensor& img, const fs::path& file, const char* method, std::int64_t batch, int h, int w) {
  LW_EXPECT(img.dim() == 4 && img.size(0) == batch && img.size(1) == 3 && img.size(2) == h && img.size(3) == w,
           file.string() << ": output shape rule broken: " << method << " returned " << shape_of(img) << ", expected ["
                         << batch << ", 3, " << h << ", " << w << "]");
  LW_EXPECT(img.scalar_type() == at::kFloat,
           file.string() << ": output dtype rule broken: " << method << " returned " << img.scalar_type() << ", expected float32");
  LW_EXPECT(img.isfinite().all().item<bool>(), file.string() << ": value range rule broken: " << method << " returned NaN or Inf");
  const float lo = img.min().item<float>(), hi = img.max().item<float>();
  LW_EXPECT(lo >= -1.001f && hi <= 1.001f, file.string() << ": value range rule broken: " << method << " returned values in ["
                                                        << lo << ", " << hi << "], expected [-1, 1]");
}

class TorchScriptGenerator final : public Generator {
 public:
  TorchScriptGenerator(const fs::path& file, const Manifest& m) : file_(file), m_(m), module_(load_module(file)) {
    require_method(module_, file_, "forward", "by the generator contract: forward(z) -> image");
    if (m_.has_w()) {
      require_method(module_, file_, "mapping", "because the manifest declares w_dim");
      require_method(module_, file_, "synthesis", "because the manifest declares w_dim");
    }
    if (m_.feature_layers > 0) require_method(module_, file_, "features", "because the manifest declares feature_layers");
    probe();
  }

  int latent_dim() const override { return m_.latent_dim; }
  int height() const override { return m_.height; }
  int width() const override { return m_.width; }
  int w_dim() const override { return m_.w_dim; }
  int num_ws() const override { return m_.num_ws; }
  int feature_layers() const override { return m_.feature_layers; }

  at::Tensor generate(const at::Tensor& z) const override {
    check_latent(z, "generate");
    return call(module_, file_, "forward", {z}, "forward(z) must map [B, latent_dim] to [B, 3, H, W]", Grad::Off, device_);
  }
  at::Tensor mapping(const at::Tensor& z) const override {
    LW_EXPECT(m_.has_w(), file_.string() << ": this model has no mapping network (no W space)");
    check_latent(z, "mapping");
    return call(module_, file_, "mapping", {z}, "mapping(z) must map [B, latent_dim] to [B, w_dim]", Grad::Off, device_);
  }
  at::Tensor synthesis(const at::Tensor& w) const override {
    LW_EXPECT(m_.has_w(), file_.string() << ": this model has no synthesis network (no W space)");
    LW_EXPECT((w.dim() == 2 && w.size(1) == m_.w_dim) ||
                 (w.dim() == 3 && m_.has_wplus() && w.size(1) == m_.num_ws && w.size(2) == m_.w_dim),
             "synthesis input must be [B, " << m_.w_dim << "]" << (m_.has_wplus() ? " or [B, " + std::to_string(m_.num_ws) + ", " + std::to_string(m_.w_dim) + "]" : "")
                                            << ", got " << shape_of(w));
    return call(module_, file_, "synthesis", {w}, "synthesis(w) must map w to [B, 3, H, W]", Grad::Off, device_);
  }
  at::Tensor synthesis_raw(const at::Tensor& w) const override {
    LW_EXPECT(m_.has_w() && module_.find_method("synthesis_raw").has_value(),
              file_.string() << ": this model has no method `synthesis_raw(w)`, which inversion differentiates");
    LW_EXPECT((w.dim() == 2 && w.size(1) == m_.w_dim) ||
                  (w.dim() == 3 && m_.has_wplus() && w.size(1) == m_.num_ws && w.size(2) == m_.w_dim),
              "synthesis_raw: w must be [B, " << m_.w_dim << "] or W+, got " << shape_of(w));
    return call(module_, file_, "synthesis_raw", {w}, "synthesis_raw(w) must map w to [B, 3, H, W]", Grad::AsCaller, device_);
  }
  at::Tensor features(const at::Tensor& z, int layer) const override {
    LW_EXPECT(layer >= 0 && layer < m_.feature_layers,
             "feature layer " << layer << " out of range: this model has layers 0.." << m_.feature_layers - 1);
    check_latent(z, "features");
    return call(module_, file_, "features", {z, layer}, "features(z, layer) must return a Tensor", Grad::AsCaller, device_);
  }
  void to_device(const c10::Device& device) override {
    module_ = load_module(file_, device);
    device_ = device;
    if (low_precision_.first) set_low_precision(true, low_precision_.second);
  }
  c10::Device device() const override { return device_; }
  bool set_low_precision(bool on, c10::ScalarType dtype) override {
    if (!module_.find_method("set_low_precision")) return false;
    module_.run_method("set_low_precision", on, static_cast<std::int64_t>(dtype));
    low_precision_ = {on, dtype};
    return true;
  }
  bool has_input_transform() const override {
    return m_.has_w() && module_.find_method("synthesis_transformed").has_value();
  }
  at::Tensor synthesis_transformed(const at::Tensor& w, const at::Tensor& transform) const override {
    if (!has_input_transform()) return synthesis(w);
    LW_EXPECT(transform.dim() == 2 && transform.size(0) == 3 && transform.size(1) == 3,
              "an input transform must be [3, 3], got " << shape_of(transform));
    return call(module_, file_, "synthesis_transformed", {w, transform.to(at::kFloat)},
                "synthesis_transformed(w, m) must map w to [B, 3, H, W]", Grad::Off, device_);
  }
  at::Tensor w_avg() const override {
    if (!m_.has_w() || !module_.hasattr("w_avg")) return {};
    const auto v = module_.attr("w_avg");
    if (!v.isTensor() || v.toTensor().dim() != 1 || v.toTensor().size(0) != m_.w_dim) return {};
    return v.toTensor().detach().to(c10::kCPU).clone();
  }

  bool has_synthesis_features() const override {
    return m_.has_w() && m_.feature_layers > 0 && module_.find_method("synthesis_features").has_value();
  }
  at::Tensor synthesis_features(const at::Tensor& w, int layer) const override {
    LW_EXPECT(has_synthesis_features(), file_.string() << ": this model has no method `synthesis_features(w, layer)`, "
                                                          "which direction discovery in W needs");
    LW_EXPECT(layer >= 0 && layer < m_.feature_layers,
             "feature layer " << layer << " out of range: this model has layers 0.." << m_.feature_layers - 1);
    LW_EXPECT(w.dim() == 2 && w.size(1) == m_.w_dim, "synthesis_features: w must be [B, " << m_.w_dim << "], got " << shape_of(w));
    return call(module_, file_, "synthesis_features", {w, layer}, "synthesis_features(w, layer) must return a Tensor",
                Grad::AsCaller, device_);
  }

 private:
  void check_latent(const at::Tensor& z, const char* what) const {
    LW_EXPECT(z.dim() == 2 && z.size(1) == m_.latent_dim,
             what << ": latent codes must be [B, " << m_.latent_dim << "], got " << shape_of(z));
  }

  // The contract, checked once on a fixed probe batch so a broken export fails at load time.
  void probe() const {
    // Two images catch a network that mixes the samples of a batch; above 128x128 one image keeps
    // loading a large model to about a second (each probe image is a full generator pass).
    const std::int64_t kProbe = static_cast<std::int64_t>(m_.height) * m_.width <= 128 * 128 ? 2 : 1;
    const auto z = torch::randn({kProbe, m_.latent_dim}, at::detail::createCPUGenerator(12345));
    const auto img = call(module_, file_, "forward", {z},
                          "latent size rule broken: forward(z) with z of shape [" + std::to_string(kProbe) + ", " + std::to_string(m_.latent_dim) +
                              "] (manifest latent_dim) must work");
    check_image(img, file_, "forward", kProbe, m_.height, m_.width);
    if (m_.has_w()) {
      const auto w = call(module_, file_, "mapping", {z}, "mapping(z) must accept [B, latent_dim]");
      LW_EXPECT(w.dim() == 2 && w.size(0) == kProbe && w.size(1) == m_.w_dim,
               file_.string() << ": w size rule broken: mapping returned " << shape_of(w) << ", expected [" << kProbe << ", "
                              << m_.w_dim << "]");
      check_image(call(module_, file_, "synthesis", {w}, "synthesis(w) must accept [B, w_dim]"), file_, "synthesis", kProbe,
                  m_.height, m_.width);
      if (m_.has_wplus()) {
        const auto wp = w.unsqueeze(1).expand({kProbe, m_.num_ws, m_.w_dim}).contiguous();
        check_image(call(module_, file_, "synthesis", {wp}, "synthesis(w) must accept W+ [B, num_ws, w_dim]"), file_,
                    "synthesis", kProbe, m_.height, m_.width);
      }
    }
    // The first and the last declared layer: every layer between runs the same blocks, and a
    // full sweep costs a large model seconds of loading.
    std::vector<int> layers;
    if (m_.feature_layers > 0) layers.push_back(0);
    if (m_.feature_layers > 1) layers.push_back(m_.feature_layers - 1);
    for (int l : layers) {
      const auto f = call(module_, file_, "features", {z, l}, "features(z, layer) must work for every declared layer");
      LW_EXPECT(f.dim() >= 2 && f.size(0) == kProbe,
               file_.string() << ": features(z, " << l << ") returned " << shape_of(f) << ", expected batch-first");
    }
  }

  fs::path file_;
  Manifest m_;
  torch::jit::Module module_;
  std::pair<bool, c10::ScalarType> low_precision_{false, c10::ScalarType::Half};
  c10::Device device_ = c10::kCPU;
};

class TorchScriptPredictor final : public AttributePredictor {
 public:
  TorchScriptPredictor(const fs::path& file, const Manifest& m) : file_(file), module_(load_module(file)) {
    for (const auto& a : m.attributes) names_.push_back(a.name);
    const auto probe = torch::zeros({2, 3, m.height, m.width});
    const auto s = predict(probe);
    LW_EXPECT(s.dim() == 2 && s.size(0) == 2 && s.size(1) == static_cast<std::int64_t>(names_.size()),
             file_.string() << ": score shape rule broken: forward(image) returned " << shape_of(s) << ", expected [2, "
                            << names_.size() << "] (one column per manifest attribute)");
  }
  const std::vector<std::string>& attribute_names() const override { return names_; }
  at::Tensor predict(const at::Tensor& images) const override {
    return call(module_, file_, "forward", {images}, "forward(image) must map [B, 3, H, W] to scores [B, m]");
  }

 private:
  fs::path file_;
  torch::jit::Module module_;
  std::vector<std::string> names_;
};

class TorchScriptDiscriminator final : public Discriminator {
 public:
  TorchScriptDiscriminator(const fs::path& file, const Manifest& m) : file_(file), module_(load_module(file)) {
    const auto probe = torch::zeros({2, 3, m.height, m.width});
    const auto r = realism(probe);
    LW_EXPECT(r.dim() == 1 && r.size(0) == 2,
             file_.string() << ": realism shape rule broken: forward(image) returned a tensor that is not [B] or [B, 1]");
    if (module_.find_method("features") && module_.find_method("feature_layers")) {
      const auto n = const_cast<torch::jit::Module&>(module_).run_method("feature_layers");
      LW_EXPECT(n.isInt() && n.toInt() > 0 && n.toInt() < 64, file_.string() << ": feature_layers() must return a count of layers");
      layers_ = static_cast<int>(n.toInt());
      for (int l : {0, layers_ - 1}) {
        const auto f = features(probe, l);
        LW_EXPECT(f.dim() == 4 && f.size(0) == 2, file_.string() << ": features(image, " << l << ") returned " << shape_of(f)
                                                                 << ", expected [B, C, h, w]");
      }
    }
  }
  int feature_layers() const override { return layers_; }
  at::Tensor features(const at::Tensor& images, int layer) const override {
    LW_EXPECT(layer >= 0 && layer < layers_, file_.string() << ": no discriminator feature layer " << layer << " (it has "
                                                            << layers_ << ")");
    return call(module_, file_, "features", {images, layer}, "features(image, layer) must return [B, C, h, w]", Grad::AsCaller);
  }
  at::Tensor realism(const at::Tensor& images) const override {
    auto r = call(module_, file_, "forward", {images}, "forward(image) must map [B, 3, H, W] to realism [B]");
    if (r.dim() == 2 && r.size(1) == 1) r = r.squeeze(1);
    return r;
  }

 private:
  fs::path file_;
  torch::jit::Module module_;
  int layers_ = 0;
};

class TorchScriptEncoder final : public Encoder {
 public:
  TorchScriptEncoder(const fs::path& file, const Manifest& m) : file_(file), module_(load_module(file)) {
    const auto w = encode(torch::zeros({2, 3, m.height, m.width}));
    LW_EXPECT(w.dim() == 2 && w.size(0) == 2 && w.size(1) == m.w_dim,
              file_.string() << ": encoder shape rule broken: forward(image) returned " << shape_of(w) << ", expected [2, "
                             << m.w_dim << "]");
  }
  at::Tensor encode(const at::Tensor& images) const override {
    return call(module_, file_, "forward", {images}, "forward(image) must map [B, 3, H, W] to w [B, w_dim]");
  }

 private:
  fs::path file_;
  torch::jit::Module module_;
};

}  // namespace

Model load_model(const fs::path& path) {
  Model model;
  fs::path manifest_path;
  fs::path generator_file;
  if (fs::is_directory(path)) {
    model.folder = path;
    manifest_path = path / "manifest.json";
    LW_EXPECT(fs::exists(manifest_path), path.string() << ": no manifest.json in this model folder");
  } else {
    LW_EXPECT(fs::exists(path), path.string() << ": no such model file or folder");
    model.folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    manifest_path = fs::path(path).replace_extension(".json");
    if (!fs::exists(manifest_path)) manifest_path = model.folder / "manifest.json";
    LW_EXPECT(fs::exists(manifest_path), path.string() << ": no manifest beside it (looked for "
                                                      << fs::path(path).replace_extension(".json").string() << " and "
                                                      << (model.folder / "manifest.json").string() << ")");
    generator_file = path;
  }
  model.manifest = read_manifest(manifest_path);
  if (generator_file.empty()) generator_file = model.folder / model.manifest.generator;
  model.generator = std::make_unique<TorchScriptGenerator>(generator_file, model.manifest);
  if (model.manifest.predictor)
    model.predictor = std::make_unique<TorchScriptPredictor>(model.folder / *model.manifest.predictor, model.manifest);
  if (model.manifest.discriminator)
    model.discriminator =
        std::make_unique<TorchScriptDiscriminator>(model.folder / *model.manifest.discriminator, model.manifest);
  if (model.manifest.encoder) {
    LW_EXPECT(model.manifest.has_w(), manifest_path.string() << ": an encoder needs a model with W (w_dim)");
    model.encoder = std::make_unique<TorchScriptEncoder>(model.folder / *model.manifest.encoder, model.manifest);
  }
  return model;
}

}  // namespace lw::plugin
