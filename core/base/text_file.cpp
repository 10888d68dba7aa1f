#include "core/base/text_file.hpp"

#include <fstream>
#include <sstream>

#include "core/base/check.hpp"

namespace lw {

std::string read_text_file(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  LW_EXPECT(std::filesystem::exists(path, ec), path.string() << ": no such " << what);
  LW_EXPECT(!std::filesystem::is_directory(path, ec), path.string() << ": cannot read the " << what << " (a folder)");
  std::ifstream in(path, std::ios::binary);
  LW_EXPECT(in.good(), path.string() << ": cannot read the " << what);
  std::ostringstream text;
  text << in.rdbuf();
  LW_EXPECT(!in.bad(), path.string() << ": cannot read the " << what);
  return text.str();
}

}  // namespace lw
