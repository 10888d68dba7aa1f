// A FrameSink driven the way FrameRenderer drives it, without drawing: the slot's upload
// submitted alone (waiting for what the sink says to wait for) and, on request, tile 0 copied
// back to the host. What `latentwalk bench` times and the hand-off tests check pixels with.
#pragma once

#include <cstdint>

#include "interop/frame_sink.hpp"
#include "interop/vk_handle.hpp"
#include "interop/vk_resources.hpp"
#include "renderer/context.hpp"

namespace lw::renderer {

class HandoffProbe {
 public:
  HandoffProbe(const Context& context, interop::FrameSink& sink);

  // Submits `slot`'s upload and, when `readback`, a copy of tile 0 (RGBA8) into pixels(); waits
  // for both to finish.
  void upload(int slot, bool readback);
  const std::uint8_t* pixels() const { return static_cast<const std::uint8_t*>(readback_.mapped); }

 private:
  const Context& c_;
  interop::FrameSink& sink_;
  interop::CommandPool pool_;
  interop::Fence fence_;
  VkCommandBuffer cmd_ = VK_NULL_HANDLE;
  interop::BufferAllocation readback_;
};

}  // namespace lw::renderer
