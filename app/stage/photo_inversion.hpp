// The viewer's photo: a picture inverted into the loaded model's W or W+ on its own thread (the
// frames keep coming), its code written to a file the preset can name, and its progress read
// each frame for the status line. Tiles then start from that code ({"start": {"code": ...}}).
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/space.hpp"

namespace lw::plugin {
struct Model;
}

namespace lw::stage {

class PhotoInversion {
 public:
  // Starts at once: reads `photo` (resized to the model's size when it is not, which the status
  // says), inverts it in `space` (W or W+) from the model's encoder guess over `steps` steps and
  // writes the code to `code_file` ([1, w_dim] or [1, num_ws, w_dim]).
  PhotoInversion(std::shared_ptr<const plugin::Model> model, std::filesystem::path photo, Space space,
                 std::filesystem::path code_file, int steps = 300);
  ~PhotoInversion();  // stops an inversion still running; it writes nothing
  PhotoInversion(const PhotoInversion&) = delete;
  PhotoInversion& operator=(const PhotoInversion&) = delete;

  bool running() const { return !finished_.load(); }
  const plugin::Model* model() const { return model_; }  // the model it inverts into
  bool succeeded() const { return finished_.load() && succeeded_.load(); }
  const std::filesystem::path& code_file() const { return code_file_; }
  Space space() const { return space_; }
  std::string status() const;  // progress, the result's PSNR, or why it failed

 private:
  void run(std::shared_ptr<const plugin::Model> model, int steps);

  std::filesystem::path photo_, code_file_;
  const plugin::Model* model_ = nullptr;
  Space space_;
  std::atomic<bool> stop_{false}, finished_{false}, succeeded_{false};
  std::atomic<int> step_{0}, steps_{0};
  mutable std::mutex mutex_;
  std::string note_;     // what reading the photo said (a resize)
  std::string outcome_;  // when finished
  std::thread thread_;
};

}  // namespace lw::stage
