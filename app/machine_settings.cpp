#include "app/machine_settings.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/check.hpp"
#include "core/base/text_file.hpp"
#include "core/json_fields.hpp"

namespace lw::app {
namespace fs = std::filesystem;

fs::path machine_settings_path() {
  if (const char* explicit_path = std::getenv("LATENTWALK_SETTINGS"); explicit_path && *explicit_path) return explicit_path;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return fs::path(xdg) / "latentwalk" / "settings.json";
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : ".") / ".config" / "latentwalk" / "settings.json";
}

MachineSettings read_machine_settings() {
  const fs::path path = machine_settings_path();
  if (!fs::exists(path)) return {};
  return parse_machine_settings(read_text_file(path, "machine settings file"), path);
}

MachineSettings parse_machine_settings(const std::string& text, const fs::path& path) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  const std::string where = path.string();
  LW_EXPECT(!j.is_discarded() && j.is_object(), where << ": not a JSON object (machine settings)");
  static const std::set<std::string> known{"osc_port", "osc_bind", "osc_send", "midi", "midi_from", "audio_in", "link"};
  for (const auto& [key, value] : j.items())
    LW_EXPECT(known.count(key), where << ": unknown field \"" << key << "\" (it takes osc_port, osc_bind, osc_send, midi, midi_from, audio_in, link)");
  JsonFields f(j, where);
  MachineSettings s;
  s.osc_port = f.get<int>("osc_port");
  s.osc_bind = f.get<std::string>("osc_bind");
  s.osc_send = f.get<std::string>("osc_send");
  s.midi = f.get<bool>("midi");
  s.link = f.get<bool>("link");
  s.midi_from = f.get<std::string>("midi_from");
  s.audio_in = f.get<std::string>("audio_in");
  LW_EXPECT(!s.osc_port || (*s.osc_port >= 0 && *s.osc_port <= 65535), where << ": \"osc_port\" must be between 0 and 65535, got " << *s.osc_port);
  s.file = path;
  return s;
}

}  // namespace lw::app
