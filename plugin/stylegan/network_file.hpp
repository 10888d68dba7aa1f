// Reads a network file as data: an NVlabs pickle (with torch's legacy storages inside), a
// legacy torch.save file, or a torch.save zip archive (rosinality's checkpoints), into one
// pickle document whose storages are all loaded. Nothing in the file is executed.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/base/pickle_value.hpp"

namespace lw::plugin::stylegan {

struct NetworkFile {
  std::string format;  // "pickle", "torch.save archive", "legacy torch.save"
  pickle::Document doc;
  const pickle::Value* root = nullptr;
};

// Throws lw::Error naming the file on anything it cannot read. `progress(done, total)` is called
// while a large file is parsed.
std::unique_ptr<NetworkFile> read_network_file(const std::filesystem::path& path,
                                               const std::function<void(std::size_t, std::size_t)>& progress = {});
// The same from the file's bytes; `source` names it in messages.
std::unique_ptr<NetworkFile> read_network_bytes(const std::string& bytes, const std::string& source,
                                                const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace lw::plugin::stylegan
