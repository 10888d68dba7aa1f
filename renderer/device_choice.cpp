#include "renderer/device_choice.hpp"

namespace lw::renderer {

namespace {
int rank(DeviceKind k) {
  switch (k) {
    case DeviceKind::Discrete: return 4;
    case DeviceKind::Integrated: return 3;
    case DeviceKind::Virtual: return 2;
    case DeviceKind::Cpu: return 1;
    default: return 0;
  }
}
}  // namespace

DeviceChoice choose_physical_device(const std::vector<PhysicalDeviceInfo>& devices, bool need_present,
                                    const std::optional<DeviceUuid>& preferred_uuid) {
  DeviceChoice choice;
  if (devices.empty()) {
    choice.why = "no Vulkan device found (install mesa-vulkan-drivers for the lavapipe CPU device, or a GPU driver)";
    return choice;
  }
  int best_rank = -1;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const auto& d = devices[i];
    if (d.graphics_family < 0) continue;
    if (need_present && !d.presents) continue;
    if (preferred_uuid && d.uuid == *preferred_uuid) {
      choice.index = i;
      choice.why = d.name + ": same UUID as the CUDA device";
      return choice;
    }
    if (rank(d.kind) > best_rank) {
      best_rank = rank(d.kind);
      choice.index = i;
    }
  }
  if (!choice.index) {
    choice.why = need_present ? "no Vulkan device has a graphics queue that can present to the window"
                              : "no Vulkan device has a graphics queue";
    return choice;
  }
  static const char* kinds[] = {"other", "CPU", "virtual", "integrated", "discrete"};
  choice.why = devices[*choice.index].name + ": the best " + kinds[best_rank] + " device with a graphics queue";
  return choice;
}

}  // namespace lw::renderer
