// Writes that never leave a damaged file: data goes to a temporary file beside the target and
// is renamed over it only on commit(); an AtomicFile destroyed without commit() removes it.
#pragma once

#include <filesystem>
#include <string>

namespace lw {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& target() const { return target_; }
  // Renames the temporary file over the target. Throws lw::Error on failure.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
};

// Output paths, one rule for every command: a file's folder must exist, and an output folder
// is created, but only its last part: a missing parent is an error ("output folder P does not
// exist"), so a mistyped path fails before any work instead of growing a tree somewhere.
// Throws lw::Error when the parent is missing or `folder` exists as a file.
void make_output_folder(const std::filesystem::path& folder);
// The same rule for an output file: its folder must exist ("output folder P does not exist").
void check_output_file(const std::filesystem::path& file);

// Writes `text` to `path` through an AtomicFile. Throws lw::Error when it cannot be written.
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace lw
