#include "plugin/checkpoint.hpp"

namespace lw::plugin {

void Checkpoint::add(const std::filesystem::path& path, const std::function<void(const std::filesystem::path&)>& write) {
  files_.push_back(std::make_unique<AtomicFile>(path));
  write(files_.back()->temp_path());
}

void Checkpoint::commit() {
  for (auto& f : files_) f->commit();
  files_.clear();
}

}  // namespace lw::plugin
