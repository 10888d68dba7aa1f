// The default model's manifest: its shape and SynthFaces' factors as the predictor's attributes.
#include "plugin/default_networks.hpp"
#include "plugin/manifest.hpp"
#include "plugin/synthfaces.hpp"

namespace lw::plugin {

Manifest synthfaces_manifest(const GeneratorShape& shape) {
  Manifest m;
  m.name = "SynthFaces";
  m.latent_dim = shape.z_dim;
  m.height = m.width = shape.resolution();
  m.w_dim = shape.w_dim;
  m.num_ws = shape.num_ws();
  m.feature_layers = static_cast<int>(shape.channels.size());
  m.predictor = "predictor.pt";
  for (const auto& f : synthfaces::factor_table())
    m.attributes.push_back({std::string(f.name), f.kind == synthfaces::FactorKind::Binary, f.lo, f.hi});
  m.discriminator = "discriminator.pt";
  return m;
}

}  // namespace lw::plugin
