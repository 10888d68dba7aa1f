// Training checkpoints written as one: every file first to a temporary beside it, then all
// renamed into place in the order added (the run's state last), so a run killed while saving
// leaves each file whole, old or new, and never a torn weights file to resume from.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "core/base/atomic_file.hpp"

namespace lw::plugin {

class Checkpoint {
 public:
  // `write(temporary)` writes the file's contents to the path it is given.
  void add(const std::filesystem::path& path, const std::function<void(const std::filesystem::path&)>& write);
  // Renames every file into place; throws lw::Error when one cannot be.
  void commit();

 private:
  std::vector<std::unique_ptr<AtomicFile>> files_;
};

}  // namespace lw::plugin
