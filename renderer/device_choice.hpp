// Which physical device to render on, as a pure function of what the devices offer, so the
// rule can be tested without a driver: a graphics queue is required (one that presents when a
// window is used); the device whose UUID equals the CUDA device's wins (the interop path needs
// both APIs on one GPU); otherwise discrete > integrated > virtual > CPU (lavapipe).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lw::renderer {

using DeviceUuid = std::array<std::uint8_t, 16>;

enum class DeviceKind { Discrete, Integrated, Virtual, Cpu, Other };

struct PhysicalDeviceInfo {
  std::string name;
  DeviceKind kind = DeviceKind::Other;
  int graphics_family = -1;       // a queue family with graphics (and present, when checked); -1: none
  bool presents = false;          // graphics_family can present to the window's surface
  DeviceUuid uuid{};
};

struct DeviceChoice {
  std::optional<std::size_t> index;  // empty: no usable device
  std::string why;                   // why this one, or why none
};

DeviceChoice choose_physical_device(const std::vector<PhysicalDeviceInfo>& devices, bool need_present,
                                    const std::optional<DeviceUuid>& preferred_uuid = std::nullopt);

}  // namespace lw::renderer
