// latentwalk import: a user's StyleGAN2/StyleGAN3 network file becomes a latentwalk model folder.
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/base/check.hpp"
#include "plugin/stylegan/importer.hpp"

namespace lw::app {
namespace {

std::optional<int> optional_int(const Args& a, const std::string& name, long long lo, long long hi) {
  if (!a.given(name)) return std::nullopt;
  return static_cast<int>(a.integer_in(name, lo, hi));
}

void print_report(const plugin::stylegan::ImportReport& r, const plugin::stylegan::ImportOptions& o, bool json) {
  const auto& i = r.info;
  if (json) {
    nlohmann::json j{{"source", o.source.string()}, {"out", o.out.string()},     {"format", r.format},
                     {"architecture", i.architecture}, {"resolution", i.resolution}, {"z_dim", i.z_dim},
                     {"w_dim", i.w_dim},           {"num_ws", i.num_ws},          {"feature_layers", i.feature_layers},
                     {"discriminator", r.discriminator}, {"seconds", r.seconds}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "imported " << o.source.string() << " (" << r.format << ", " << i.architecture << ", " << i.resolution
            << "x" << i.resolution << ", z " << i.z_dim << ", w " << i.w_dim << ", " << i.num_ws << " style rows) into "
            << o.out.string() << " in " << r.seconds << " s\n"
            << "  discriminator: " << r.discriminator << "\n"
            << "  view it:  latentwalk view --model " << o.out.string() << "\n";
}

}  // namespace

int cmd_import(const std::vector<std::string>& argv) {
  Args a("import",
         "Imports a StyleGAN generator into a latentwalk model folder: SOURCE is an NVlabs pickle\n"
         "(stylegan2-ada-pytorch or stylegan3: StyleGAN2, StyleGAN3-T, StyleGAN3-R; its G_ema is drawn)\n"
         "or a rosinality/stylegan2-pytorch checkpoint (its g_ema). The file is read as data: none of\n"
         "the code a pickle carries is run. Usage: latentwalk import SOURCE --out DIR");
  a.positionals("SOURCE", "the network file: an NVlabs .pkl or a rosinality .pt")
      .flag("out", "DIR", "model folder to write (generator.pt, manifest.json)")
      .flag("name", "NAME", "model name in the manifest (default: the file's name)")
      .flag("class", "K", "conditional generators: the class to draw (0..c_dim-1), baked into the mapping")
      .flag("size", "PX", "rosinality: output size (default: read from the weights)")
      .flag("latent", "D", "rosinality: style dimension (default: read from the weights)")
      .flag("n-mlp", "N", "rosinality: mapping layers (default: read from the weights)")
      .flag("replace", "", "replace DIR when it exists")
      .flag("json", "", "print the report as JSON");
  if (!a.parse(argv)) return 0;
  const auto sources = a.positional();
  LW_EXPECT(sources.size() == 1, "import takes one SOURCE file, got " << sources.size() << " (see --help)");
  plugin::stylegan::ImportOptions o;
  o.source = sources[0];
  o.out = a.str("out");
  if (a.given("name")) o.name = a.str("name");
  o.class_index = optional_int(a, "class", 0, 1 << 20);
  o.rosinality.size = optional_int(a, "size", 4, 8192);
  o.rosinality.style_dim = optional_int(a, "latent", 1, 1 << 16);
  o.rosinality.n_mlp = optional_int(a, "n-mlp", 1, 64);
  o.replace = a.on("replace");
  const auto report = plugin::stylegan::import_network(o);
  print_report(report, o, a.on("json"));
  return 0;
}

}  // namespace lw::app
