// Deferred destruction (Granite's per-frame pools): an object a frame in flight may still use
// is retired into the slot of the frame now being recorded, and destroyed only after the
// renderer has waited for that slot's fence again. Frames execute in submission order on the
// one queue, so by then every earlier frame that used it has finished too. No device-wide wait.
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

  // The slot being recorded; set right after its fence was waited for and collect(slot) ran.
  void begin_slot(int slot) { current_ = slot; }

  void retire(std::shared_ptr<void> object) {
    if (object) retired_[static_cast<std::size_t>(current_)].push_back(std::move(object));
  }
  // Takes ownership of any movable owner (a DeviceHandle, a struct of them).
  template <typename T>
  void retire_value(T&& owner) {
    retire(std::make_shared<std::decay_t<T>>(std::forward<T>(owner)));
  }

  // The slot's fence has signalled: what was retired while recording it goes now.
  void collect(int slot) { retired_[static_cast<std::size_t>(slot)].clear(); }
  // Shutdown, after the device is idle.
  void collect_all() {
    for (auto& r : retired_) r.clear();
  }
  std::size_t pending() const {
    std::size_t n = 0;
    for (const auto& r : retired_) n += r.size();
    return n;
  }

 private:
  std::vector<std::vector<std::shared_ptr<void>>> retired_;
  int current_ = 0;
};

}  // namespace lw::renderer
