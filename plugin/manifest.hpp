// The JSON manifest beside a model's TorchScript files: what the model is and which optional
// parts it has. One load path serves the default model and users' exports.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lw::plugin {

struct AttributeInfo {
  std::string name;
  bool binary = false;        // scores are logits (> 0 means present)
  float lo = 0.f, hi = 1.f;   // range of a continuous attribute
};

struct Manifest {
  std::string name;
  std::string generator = "generator.pt";
  int latent_dim = 0;
  std::string prior = "gaussian";   // "gaussian" is the only prior with a closed-form density
  int height = 0, width = 0;
  int w_dim = 0;                    // 0 when the model has no mapping network
  int num_ws = 0;                   // style rows for W+ (0: W+ not available)
  int feature_layers = 0;           // valid `layer` arguments of features(): 0..feature_layers-1
  std::optional<std::string> predictor;
  std::vector<AttributeInfo> attributes;
  std::optional<std::string> discriminator;
  // An image -> w encoder (forward(image [B, 3, H, W]) -> w [B, w_dim]): where inversion starts.
  std::optional<std::string> encoder;
  std::string source;        // where an imported model came from ("NVlabs pickle: net.pkl")
  std::string architecture;  // "StyleGAN2 (skip)", "StyleGAN3-T", ...

  bool has_w() const { return w_dim > 0; }
  bool has_wplus() const { return num_ws > 0; }
  // Index of an attribute by name, or -1.
  int attribute_index(const std::string& name) const;
};

// Reads and validates a manifest; every problem names the file and the field.
Manifest read_manifest(const std::filesystem::path& path);
// The same from the file's text; `path` names it in messages and gives the default name.
Manifest parse_manifest(const std::string& text, const std::filesystem::path& path);
void write_manifest(const std::filesystem::path& path, const Manifest& m);

struct GeneratorShape;
// The manifest of the default model trained by train-demo.
Manifest synthfaces_manifest(const GeneratorShape& shape);

// Dataset seeds held out from training, used by evaluate-model.
inline constexpr unsigned long long kEvaluationDataSeed = 424242;

}  // namespace lw::plugin
