#include "fuzz/fuzz_inputs.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/machine_settings.hpp"
#include "core/automation.hpp"
#include "core/base/check.hpp"
#include "core/base/npy.hpp"
#include "core/base/pickle_reader.hpp"
#include "core/parameters.hpp"
#include "core/preset.hpp"
#include "core/scene_parameters.hpp"
#include "gui/control/osc_router.hpp"
#include "gui/control/osc_server.hpp"
#include "plugin/manifest.hpp"
#include "plugin/stylegan/network_file.hpp"

namespace lw::fuzz {
namespace {

// A property of an accepted input that does not hold: abort, so the fuzzer keeps the input.
void require(bool holds) {
  if (!holds) std::abort();
}

template <typename F>
bool accepted(F&& parse) {
  try {
    parse();
    return true;
  } catch (const lw::Error&) {
    return false;
  }
}

bool read_npy_input(const std::string& bytes) {
  return accepted([&] {
    std::istringstream in(bytes);
    const NpyArray a = read_npy(in, "fuzz.npy");
    require(static_cast<std::int64_t>(a.data.size()) == a.size());
  });
}

bool read_pickle_input(const std::string& bytes) {
  return accepted([&] {
    pickle::Document doc;
    const pickle::Value* root = pickle::read_stream(doc, bytes, {});
    if (root != nullptr) (void)pickle::describe(root);
  });
}

// As import reads a file: an NVlabs pickle (with torch's legacy storages inside), a legacy
// torch.save stream or a torch.save zip archive (rosinality), every storage loaded.
bool read_network_input(const std::string& bytes) {
  return accepted([&] {
    const auto file = plugin::stylegan::read_network_bytes(bytes, "fuzz.pkl");
    require(file->root != nullptr);
    (void)pickle::describe(file->root);
    for (const pickle::Storage& s : file->doc.storages()) require(s.loaded);
  });
}

bool read_preset_input(const std::string& bytes) {
  return accepted([&] {
    const std::string written = preset_json(parse_preset(bytes, "fuzz.json"));
    require(preset_json(parse_preset(written, "round trip")) == written);
  });
}

bool read_automation_input(const std::string& bytes) {
  return accepted([&] {
    const std::string written = automation_json(parse_automation(bytes, "fuzz.json"));
    require(automation_json(parse_automation(written, "round trip")) == written);
  });
}

bool read_manifest_input(const std::string& bytes) {
  return accepted([&] {
    const auto m = plugin::parse_manifest(bytes, "model/manifest.json");
    require(m.latent_dim > 0 && m.height > 0 && m.width > 0);
  });
}

bool read_settings_input(const std::string& bytes) {
  return accepted([&] {
    const auto s = app::parse_machine_settings(bytes, "settings.json");
    require(!s.osc_port || (*s.osc_port >= 0 && *s.osc_port <= 65535));
  });
}

// The parameters of the shipped comparison preset, as the stage registers them.
ParameterRegistry& stage_parameters() {
  static ParameterRegistry* registry = [] {
    auto* r = new ParameterRegistry;
    register_scene_parameters(*r, read_preset(LW_FUZZ_PRESET));
    return r;
  }();
  return *registry;
}

// A datagram as the OSC server receives it, each message routed to the stage's parameters:
// nothing a packet says may leave a parameter outside its range or not finite.
bool read_osc_input(const std::string& bytes) {
  ParameterRegistry& registry = stage_parameters();
  std::size_t messages = 0;
  const auto malformed = control::decode_osc_datagram(bytes.data(), bytes.size(), [&](control::OscMessage&& message) {
    ++messages;
    (void)control::route_osc(message, registry);
  });
  for (int i = 0; i < registry.size(); ++i) {
    const double v = registry.value(i);
    require(std::isfinite(v) && v >= registry.info(i).min && v <= registry.info(i).max);
  }
  return malformed == 0 && messages > 0;
}

}  // namespace

const std::vector<FuzzTarget>& fuzz_targets() {
  static const std::vector<FuzzTarget> targets{
      {"npy", ".npy arrays", read_npy_input},
      {"pickle", "pickles and legacy torch.save streams (the opcode machine)", read_pickle_input},
      {"network_file", "network files as import reads them (NVlabs pickle, torch.save zip)", read_network_input},
      {"preset", "presets (walks, edits, tiles, bindings), with a round trip", read_preset_input},
      {"automation", "automation files, with a round trip", read_automation_input},
      {"manifest", "model manifests", read_manifest_input},
      {"osc", "OSC datagrams routed to the stage's parameters", read_osc_input},
      {"settings", "the machine settings file", read_settings_input},
  };
  return targets;
}

const FuzzTarget& fuzz_target(std::string_view name) {
  std::string names;
  for (const auto& t : fuzz_targets()) {
    if (name == t.name) return t;
    names += std::string(names.empty() ? "" : ", ") + t.name;
  }
  LW_FAIL("no fuzz target \"" << name << "\" (there are: " << names << ")");
}

}  // namespace lw::fuzz
