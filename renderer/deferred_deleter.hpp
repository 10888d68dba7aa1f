// Deferred destruction (Granite's per-frame pools): an object that frames already submitted may
// still use is retired, not destroyed. Retired objects join the slot of the next frame that is
// actually submitted (commit), and go when the renderer has waited for that slot's fence again.
// Frames execute in submission order on the one queue, so by then every earlier frame that used
// them has finished too. No device-wide wait.
#pragma once

#include <memory>
#include <utility>
#include <vector>

namespace lw::renderer {

class DeferredDeleter {
 public:
  explicit DeferredDeleter(int slots) : retired_(static_cast<std::size_t>(slots)) {}
  ~DeferredDeleter() { collect_all(); }
  DeferredDeleter(const DeferredDeleter&) = delete;
  DeferredDeleter& operator=(const DeferredDeleter&) = delete;

  void retire(std::shared_ptr<void> object) {
    if (object) incoming_.push_back(std::move(object));
  }
  // Takes ownership of any movable owner (a DeviceHandle, a struct of them).
  template <typename T>
  void retire_value(T&& owner) {
    retire(std::make_shared<std::decay_t<T>>(std::forward<T>(owner)));
  }

  // A frame was submitted in `slot`: what was retired before it waits for that frame's fence.
  void commit(int slot) {
    auto& r = retired_[static_cast<std::size_t>(slot)];
    for (auto& object : incoming_) r.push_back(std::move(object));
    incoming_.clear();
  }
  // The slot's fence has signalled: what was committed with its last frame goes now.
  void collect(int slot) { retired_[static_cast<std::size_t>(slot)].clear(); }
  // Shutdown, after every frame has finished.
  void collect_all() {
    for (auto& r : retired_) r.clear();
    incoming_.clear();
  }
  std::size_t pending() const {
    std::size_t n = incoming_.size();
    for (const auto& r : retired_) n += r.size();
    return n;
  }

 private:
  std::vector<std::vector<std::shared_ptr<void>>> retired_;
  std::vector<std::shared_ptr<void>> incoming_;
};

}  // namespace lw::renderer
