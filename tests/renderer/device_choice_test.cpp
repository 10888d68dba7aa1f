#include <gtest/gtest.h>

#include "renderer/device_choice.hpp"

namespace lw::renderer {
namespace {

PhysicalDeviceInfo device(std::string name, DeviceKind kind, int family = 0, bool presents = true, std::uint8_t id = 0) {
  PhysicalDeviceInfo d;
  d.name = std::move(name);
  d.kind = kind;
  d.graphics_family = family;
  d.presents = presents;
  d.uuid.fill(id);
  return d;
}

TEST(DeviceChoice, NoDevicesSaysWhatToInstall) {
  const auto c = choose_physical_device({}, false);
  EXPECT_FALSE(c.index.has_value());
  EXPECT_NE(c.why.find("mesa-vulkan-drivers"), std::string::npos) << c.why;
}

TEST(DeviceChoice, PrefersADiscreteGpuOverLavapipe) {
  const auto c = choose_physical_device({device("llvmpipe", DeviceKind::Cpu), device("gpu", DeviceKind::Discrete)}, false);
  ASSERT_TRUE(c.index.has_value());
  EXPECT_EQ(*c.index, 1u);
}

TEST(DeviceChoice, SkipsDevicesWithoutGraphicsOrPresent) {
  const std::vector<PhysicalDeviceInfo> devices{device("compute only", DeviceKind::Discrete, -1),
                                                device("headless gpu", DeviceKind::Discrete, 0, false),
                                                device("llvmpipe", DeviceKind::Cpu, 0, true)};
  EXPECT_EQ(*choose_physical_device(devices, true).index, 2u);   // a window needs present
  EXPECT_EQ(*choose_physical_device(devices, false).index, 1u);  // headless does not
  const auto none = choose_physical_device({device("compute only", DeviceKind::Discrete, -1)}, false);
  EXPECT_FALSE(none.index.has_value());
  EXPECT_NE(none.why.find("graphics queue"), std::string::npos);
}

TEST(DeviceChoice, TheCudaDevicesUuidWinsOverRank) {
  const std::vector<PhysicalDeviceInfo> devices{device("gpu a", DeviceKind::Discrete, 0, true, 1),
                                                device("gpu b", DeviceKind::Integrated, 0, true, 2)};
  DeviceUuid b;
  b.fill(2);
  const auto c = choose_physical_device(devices, false, b);
  EXPECT_EQ(*c.index, 1u);
  EXPECT_NE(c.why.find("CUDA"), std::string::npos);
}

}  // namespace
}  // namespace lw::renderer
