#include "app/model_location.hpp"

#include <cstdlib>
#include <system_error>

namespace lw::app {
namespace fs = std::filesystem;

fs::path default_model_folder() {
  if (const char* env = std::getenv("LATENTWALK_MODEL"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path bin = exe.parent_path();
    for (const fs::path& candidate : {bin.parent_path() / "share" / "latentwalk" / "models" / "synthfaces",
                                      bin.parent_path() / "assets" / "models" / "synthfaces"})
      if (fs::is_regular_file(candidate / "manifest.json", ec)) return candidate;
  }
  return "assets/models/synthfaces";
}

std::filesystem::path model_folder_of(const std::filesystem::path& model) {
  return std::filesystem::is_directory(model) ? model : model.parent_path();
}

}  // namespace lw::app
