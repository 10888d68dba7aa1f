#include "plugin/stylegan/importer.hpp"

#include <torch/torch.h>

#include <unistd.h>

#include <atomic>
#include <chrono>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/base/pickle_value.hpp"
#include "core/base/progress.hpp"
#include "plugin/manifest.hpp"
#include "plugin/stylegan/discriminator.hpp"
#include "plugin/stylegan/network_file.hpp"
#include "plugin/stylegan/rosinality.hpp"
#include "plugin/stylegan/stylegan2.hpp"
#include "plugin/stylegan/stylegan3.hpp"

namespace lw::plugin::stylegan {
namespace {

namespace fs = std::filesystem;
using pickle::Kind;
using pickle::Value;

struct Found {
  std::string format;
  std::unique_ptr<ModuleNode> tree;
  const Value* discriminator = nullptr;  // NVlabs' D, when the file has one
};

// The generator a file holds: NVlabs' G_ema (or a bare generator), or rosinality's g_ema.
Found find_generator(const NetworkFile& file, const ImportOptions& options) {
  const Value* root = file.root;
  if (root->is(Kind::Dict)) {
    if (const Value* g = root->get("G_ema")) {
      LW_EXPECT(is_module(*g), "'G_ema' is " << pickle::describe(g) << ", not a generator module");
      const Value* d = root->get("D");
      return {"NVlabs pickle", module_tree(*g, ""), d != nullptr && is_module(*d) ? d : nullptr};
    }
    if (const Value* g = root->get("g_ema"))
      return {"rosinality checkpoint", rosinality_tree(*g, root->get("args"), options.rosinality)};
  }
  if (is_module(*root) && root->text.ends_with("Generator"))
    return {"NVlabs pickle", module_tree(*root, "")};
  LW_FAIL("holds " << pickle::describe(root) << ", with no generator: expected 'G_ema' (an NVlabs pickle) or "
                   << "'g_ema' (a rosinality checkpoint)");
}

// NVlabs records bare class names (both generations' are "Generator"): StyleGAN3 is the one
// whose synthesis starts from Fourier features.
bool is_stylegan3(const ModuleNode& G) { return G.has_child("synthesis") && G.child("synthesis").has_child("input"); }

// rosinality keeps no running mean of W; truncation needs one: the mean of 10,000 mapped codes.
void estimate_w_avg(torch::jit::Module& g, int z_dim) {
  torch::NoGradGuard no_grad;
  at::Generator gen = at::detail::createCPUGenerator(0);
  const at::Tensor z = at::normal(0.0, 1.0, {10000, z_dim}, gen);
  const at::Tensor w = g.run_method("mapping", z).toTensor();
  g.attr("w_avg").toTensor().copy_(w.mean(0));
}

// The network draws finite images of the promised shape for a probe batch, in W and W+.
void probe(torch::jit::Module& g, const GeneratorInfo& info) {
  torch::NoGradGuard no_grad;
  at::Generator gen = at::detail::createCPUGenerator(1);
  // Two images where they are cheap (a network that mixes a batch's samples shows), one above
  // 128 px, where each costs seconds on a CPU.
  const std::int64_t batch = info.resolution <= 128 ? 2 : 1;
  const at::Tensor z = at::normal(0.0, 1.0, {batch, info.z_dim}, gen);
  const at::Tensor img = g.forward({z}).toTensor();
  LW_EXPECT(img.sizes() == at::IntArrayRef({batch, 3, info.resolution, info.resolution}),
            "the imported generator draws images of shape " << img.sizes() << ", expected [" << batch << ", 3, "
                                                             << info.resolution << ", " << info.resolution << "]");
  LW_EXPECT(torch::isfinite(img).all().item<bool>(), "the imported generator draws non-finite pixels");
}

Manifest manifest_for(const ImportOptions& options, const Found& found, const GeneratorInfo& info) {
  Manifest m;
  m.name = options.name.empty() ? options.source.stem().string() : options.name;
  m.latent_dim = info.z_dim;
  m.height = m.width = info.resolution;
  m.w_dim = info.w_dim;
  m.num_ws = info.num_ws;
  m.feature_layers = info.feature_layers;
  m.source = found.format + ": " + options.source.filename().string();
  m.architecture = info.architecture;
  return m;
}

// The file's discriminator as the model's realism scorer, checked on a probe batch at the
// generator's resolution. One that cannot be read is left out with the reason, not a failed
// import: the generator is what the user came for.
std::optional<torch::jit::Module> import_discriminator(const Found& found, const GeneratorInfo& info,
                                                       std::string& note) {
  if (found.discriminator == nullptr) {
    note = "none in the file";
    return std::nullopt;
  }
  try {
    torch::jit::Module d = build_discriminator(*module_tree(*found.discriminator, "D"));
    torch::NoGradGuard no_grad;
    at::Generator gen = at::detail::createCPUGenerator(2);
    const at::Tensor img = torch::rand({2, 3, info.resolution, info.resolution}, gen) * 2 - 1;
    const at::Tensor logits = d.forward({img}).toTensor();
    LW_EXPECT(logits.sizes() == at::IntArrayRef({2}) && torch::isfinite(logits).all().item<bool>(),
              "it scores a batch of 2 as " << logits.sizes());
    note = "imported as the realism scorer";
    return d;
  } catch (const std::exception& e) {
    note = "left out: " + first_line(e);
    return std::nullopt;
  }
}

// The output folder as given, without a trailing separator; "." and ".." are refused (the
// folder is replaced whole).
fs::path output_folder(const ImportOptions& options) {
  fs::path out = options.out.lexically_normal();
  if (!out.has_filename()) out = out.parent_path();
  LW_EXPECT(!out.empty() && out.filename() != "." && out.filename() != "..",
            "--out must name a folder to create, not '" << options.out.string() << "'");
  out = fs::absolute(out);
  LW_EXPECT(fs::is_directory(out.parent_path()), "output folder " << out.parent_path().string() << " does not exist");
  LW_EXPECT(!fs::exists(out) || options.replace, out.string() << " exists; choose another --out, or --replace to overwrite it");
  return out;
}

// A name beside `out` that no other import is using.
fs::path sibling(const fs::path& out, const char* what) {
  static std::atomic<unsigned> counter{0};
  return out.parent_path() / ("." + out.filename().string() + "." + what + "-" + std::to_string(::getpid()) + "-" +
                              std::to_string(counter++));
}

// Writes into a temporary folder beside the target and renames it into place at the end, so a
// failure leaves nothing behind. An existing folder is replaced only by a complete one: it is
// moved aside first and restored if the new one cannot take its place.
void write_folder(const fs::path& out, torch::jit::Module& g, std::optional<torch::jit::Module>& d, const Manifest& m) {
  const fs::path temp = sibling(out, "importing");
  std::error_code ec;
  make_output_folder(temp);  // out's parent must exist, as for every command's output folder
  try {
    g.save((temp / "generator.pt").string());
    if (d) d->save((temp / "discriminator.pt").string());
    write_manifest(temp / "manifest.json", m);
  } catch (const std::exception& e) {
    fs::remove_all(temp, ec);
    LW_FAIL("cannot write the model folder (" << first_line(e) << ")");
  }
  const fs::path old = sibling(out, "replaced");
  const bool replacing = fs::exists(out);
  if (replacing) fs::rename(out, old, ec);
  if (!ec) fs::rename(temp, out, ec);
  if (ec) {
    std::error_code ignored;
    if (replacing && !fs::exists(out)) fs::rename(old, out, ignored);
    fs::remove_all(temp, ignored);
    LW_FAIL("cannot put the model folder at " << out.string() << " (" << ec.message() << ")");
  }
  if (replacing) fs::remove_all(old, ec);
}

}  // namespace

ImportReport import_network(const ImportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  LW_EXPECT(!options.out.empty(), "import needs --out DIR");
  const fs::path out = output_folder(options);  // refused before the slow part, not after
  std::unique_ptr<NetworkFile> file;
  {
    std::unique_ptr<ProgressBar> bar;
    auto progress = [&](std::size_t done, std::size_t total) {
      if (!options.progress || total < (std::size_t{64} << 20)) return;
      if (!bar) bar = std::make_unique<ProgressBar>("reading " + options.source.filename().string(), static_cast<std::int64_t>(total >> 20), "MB");
      bar->update(static_cast<std::int64_t>(done >> 20));
    };
    file = read_network_file(options.source, progress);
  }
  ImportReport report;
  Found found;
  torch::jit::Module g("empty");
  try {
    found = find_generator(*file, options);
    g = is_stylegan3(*found.tree) ? build_stylegan3(*found.tree, options.class_index, report.info)
                                  : build_stylegan2(*found.tree, options.class_index, report.info);
    if (found.format == "rosinality checkpoint") estimate_w_avg(g, report.info.z_dim);
    probe(g, report.info);
  } catch (const Error& e) {
    LW_FAIL(options.source.string() << ": " << e.what());
  } catch (const std::exception& e) {
    // LibTorch reports through its own exceptions; their first line names the problem.
    LW_FAIL(options.source.string() << ": the network could not be built (" << first_line(e) << ")");
  }
  report.format = found.format;
  auto d = import_discriminator(found, report.info, report.discriminator);
  Manifest manifest = manifest_for(options, found, report.info);
  if (d) manifest.discriminator = "discriminator.pt";
  write_folder(out, g, d, manifest);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace lw::plugin::stylegan
