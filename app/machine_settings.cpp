#include "app/machine_settings.hpp"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/check.hpp"

namespace lw::app {
namespace fs = std::filesystem;

fs::path machine_settings_path() {
  if (const char* explicit_path = std::getenv("LATENTWALK_SETTINGS"); explicit_path && *explicit_path) return explicit_path;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return fs::path(xdg) / "latentwalk" / "settings.json";
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : ".") / ".config" / "latentwalk" / "settings.json";
}

MachineSettings read_machine_settings() {
  MachineSettings s;
  const fs::path path = machine_settings_path();
  if (!fs::exists(path)) return s;
  std::ifstream in(path);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  const std::string where = path.string();
  LW_EXPECT(!j.is_discarded() && j.is_object(), where << ": not a JSON object (machine settings)");
  static const std::set<std::string> known{"osc_port", "osc_bind", "osc_send", "midi", "midi_from", "audio_in", "link"};
  for (const auto& [key, value] : j.items())
    LW_EXPECT(known.count(key), where << ": unknown field \"" << key << "\" (it takes osc_port, osc_bind, osc_send, midi, midi_from, audio_in, link)");
  auto get = [&](const char* name, auto& out, auto check) {
    if (!j.contains(name)) return;
    const auto& v = j[name];
    LW_EXPECT(check(v), where << ": \"" << name << "\" has the wrong type (" << v.type_name() << ")");
    out = v.template get<typename std::remove_reference_t<decltype(out)>::value_type>();
  };
  get("osc_port", s.osc_port, [](const nlohmann::json& v) { return v.is_number_integer(); });
  get("osc_bind", s.osc_bind, [](const nlohmann::json& v) { return v.is_string(); });
  get("osc_send", s.osc_send, [](const nlohmann::json& v) { return v.is_string(); });
  get("midi", s.midi, [](const nlohmann::json& v) { return v.is_boolean(); });
  get("link", s.link, [](const nlohmann::json& v) { return v.is_boolean(); });
  get("midi_from", s.midi_from, [](const nlohmann::json& v) { return v.is_string(); });
  get("audio_in", s.audio_in, [](const nlohmann::json& v) { return v.is_string(); });
  LW_EXPECT(!s.osc_port || (*s.osc_port >= 0 && *s.osc_port <= 65535), where << ": \"osc_port\" must be between 0 and 65535, got " << *s.osc_port);
  s.file = path;
  return s;
}

}  // namespace lw::app
