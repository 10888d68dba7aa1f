#include "core/base/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <system_error>

#include "core/base/check.hpp"

namespace lw {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  const auto dir = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  LW_EXPECT(std::filesystem::is_directory(dir, ec), "output folder " << dir.string() << " does not exist");
  static std::atomic<unsigned> counter{0};
  temp_ = dir / ("." + target_.filename().string() + ".tmp" + std::to_string(::getpid()) + "_" +
                 std::to_string(counter.fetch_add(1)));
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  LW_EXPECT(!ec, "cannot move " << temp_.string() << " to " << target_.string() << ": " << ec.message());
  committed_ = true;
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  AtomicFile f(path);
  {
    std::ofstream os(f.temp_path(), std::ios::binary);
    os << text;
    LW_EXPECT(os.good(), "cannot write " << path.string());
  }
  f.commit();
}

}  // namespace lw
