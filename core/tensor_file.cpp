#include "core/tensor_file.hpp"

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"

namespace lw {

void save_tensors(const std::filesystem::path& path, const std::vector<at::Tensor>& tensors) {
  AtomicFile f(path);
  std::vector<at::Tensor> detached;
  for (const auto& t : tensors) detached.push_back(t.detach());
  torch::save(detached, f.temp_path().string());
  f.commit();
}

std::vector<at::Tensor> load_tensors(const std::filesystem::path& path, const std::string& kind) {
  LW_EXPECT(std::filesystem::exists(path), "no " << kind << " file " << path.string());
  std::vector<at::Tensor> t;
  try {
    torch::load(t, path.string());
  } catch (const std::exception&) {
    LW_FAIL(path.string() << " is not a " << kind << " file");
  }
  return t;
}

}  // namespace lw
