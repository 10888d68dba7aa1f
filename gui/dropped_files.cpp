#include "gui/dropped_files.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace lw::gui {

std::optional<Command> command_for_dropped(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string text = file.string();
  if (ext == ".png") return Command{Command::Kind::OpenPhoto, text};
  if (ext == ".json") return Command{Command::Kind::LoadPreset, text};
  if (ext == ".npy") return Command{Command::Kind::OpenDirection, text};
  std::error_code ec;
  // A StyleGAN pickle is imported first (latentwalk import): the viewer opens latentwalk models.
  if (ext == ".pt" || std::filesystem::is_directory(file, ec)) return Command{Command::Kind::OpenModel, text};
  return std::nullopt;
}

}  // namespace lw::gui
