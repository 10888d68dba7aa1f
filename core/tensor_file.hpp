// A list of tensors in one file: how the learned DP-LaSE modules (density, correction) store
// their weights. Written atomically; reading names the file and what it should have held.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

namespace lw {

void save_tensors(const std::filesystem::path& path, const std::vector<at::Tensor>& tensors);
// `kind` names the content for errors: "no <kind> file X", "X is not a <kind> file".
std::vector<at::Tensor> load_tensors(const std::filesystem::path& path, const std::string& kind);

}  // namespace lw
