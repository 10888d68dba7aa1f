// `latentwalk import`: reads an NVlabs StyleGAN2/StyleGAN3 pickle or a rosinality checkpoint as
// data, loads its generator (G_ema / g_ema) into latentwalk's own networks and writes a model
// folder (generator.pt, manifest.json) that load_model reads like any other. The folder appears
// whole or not at all.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "plugin/stylegan/shapes.hpp"

namespace lw::plugin::stylegan {

struct ImportOptions {
  std::filesystem::path source;
  std::filesystem::path out;
  std::string name;                // manifest name; default: the source file's stem
  std::optional<int> class_index;  // conditional generators: the class baked in
  RosinalityShape rosinality;      // size, style dim, n_mlp when the checkpoint does not say
  bool replace = false;            // replace an existing output folder
  bool progress = true;            // progress bar on stderr for large files
};

struct ImportReport {
  std::string format;     // "NVlabs pickle", "rosinality checkpoint"
  std::string discriminator;  // "imported as the realism scorer", "none in the file", "left out: why"
  GeneratorInfo info;
  double seconds = 0.0;
};

ImportReport import_network(const ImportOptions& options);

}  // namespace lw::plugin::stylegan
