// Loads a model folder (manifest.json + TorchScript files) or a single .pt with its manifest,
// checks every network against the contract on a probe batch, and serves the core interfaces.
#pragma once

#include <filesystem>
#include <memory>

#include "core/model.hpp"
#include "plugin/manifest.hpp"

namespace lw::plugin {

struct Model {
  std::filesystem::path folder;
  Manifest manifest;
  std::unique_ptr<Generator> generator;
  std::unique_ptr<AttributePredictor> predictor;    // null when the manifest names none
  std::unique_ptr<Discriminator> discriminator;     // null when the manifest names none
  std::unique_ptr<Encoder> encoder;                 // null when the manifest names none
};

// `path` is a folder holding manifest.json, or a .pt file with `<stem>.json` or manifest.json
// beside it. Throws lw::Error naming the file and the broken rule.
Model load_model(const std::filesystem::path& path);

}  // namespace lw::plugin
