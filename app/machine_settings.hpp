// What belongs to a machine, not to a walk: ports and devices for live control. Kept in a
// settings file of its own, never in presets (a preset moves between machines; a MIDI device name
// does not): $LATENTWALK_SETTINGS, else $XDG_CONFIG_HOME/latentwalk/settings.json, else
// ~/.config/latentwalk/settings.json. Flags given on the command line win over it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace lw::app {

struct MachineSettings {
  std::optional<std::filesystem::path> file;  // where they were read from; empty: no file
  std::optional<int> osc_port;
  std::optional<std::string> osc_bind, osc_send;
  std::optional<bool> midi, link;
  std::optional<std::string> midi_from, audio_in;
};

// The settings file's path (whether or not it exists).
std::filesystem::path machine_settings_path();
// Reads it; no file is no settings. Throws lw::Error naming the file and the field on bad input.
MachineSettings read_machine_settings();
// The same from the file's text; `path` names it in messages.
MachineSettings parse_machine_settings(const std::string& text, const std::filesystem::path& path);

}  // namespace lw::app
