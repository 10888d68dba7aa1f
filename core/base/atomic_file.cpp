#include "core/base/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <system_error>

#include "core/base/check.hpp"

namespace lw {

namespace {

// The folder a path lies in ("." for a bare name); throws when it does not exist.
std::filesystem::path existing_parent(const std::filesystem::path& path) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  LW_EXPECT(std::filesystem::is_directory(dir, ec), "output folder " << dir.string() << " does not exist");
  return dir;
}

}  // namespace

void make_output_folder(const std::filesystem::path& folder) {
  const auto path = folder.lexically_normal();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return;
  LW_EXPECT(!std::filesystem::exists(path, ec), path.string() << " is a file, not a folder");
  existing_parent(path.has_filename() ? path : path.parent_path());
  LW_EXPECT(std::filesystem::create_directory(path, ec) || std::filesystem::is_directory(path),
            "cannot create the folder " << path.string() << ": " << ec.message());
}

void check_output_file(const std::filesystem::path& file) { existing_parent(file.lexically_normal()); }

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  const auto dir = existing_parent(target_);
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
