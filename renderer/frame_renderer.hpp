// The frame code every target shares: frames in flight (a command pool, buffer, fence and
// acquire semaphore per slot; a render-finished semaphore and framebuffer per target image),
// the sink's upload, the tile pass, an overlay recorded into the same render pass (the UI),
// optional readback of the finished image, present, and target recreation with deferred
// destruction instead of device-wide waits.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "interop/frame_sink.hpp"
#include "interop/vk_handle.hpp"
#include "interop/vk_resources.hpp"
#include "renderer/context.hpp"
#include "renderer/deferred_deleter.hpp"
#include "renderer/render_target.hpp"
#include "renderer/tile_layout.hpp"
#include "renderer/tile_pass.hpp"

namespace lw::renderer {

// A finished frame: 4 bytes per pixel, rows top first, tightly packed; RGBA, or BGRA when
// `bgr`. A view into the readback buffer, valid during the handler call only.
struct ReadbackImage {
  std::uint32_t width = 0, height = 0;
  const std::uint8_t* pixels = nullptr;
  bool bgr = false;
};

struct FrameContent {
  std::span<const Rect> tiles;                     // where sink tile i goes, pixels
  std::function<void(VkCommandBuffer)> overlay;    // recorded in the pass after the tiles
  bool readback = false;                           // copy the finished image out (screenshots, headless frames)
};

class FrameRenderer {
 public:
  FrameRenderer(const Context& context, RenderTarget& target, interop::FrameSink& sink, int frames_in_flight = 2);
  ~FrameRenderer();
  FrameRenderer(const FrameRenderer&) = delete;
  FrameRenderer& operator=(const FrameRenderer&) = delete;

  VkRenderPass render_pass() const { return render_pass_.get(); }
  int frames_in_flight() const { return static_cast<int>(slots_.size()); }
  VkExtent2D extent() const { return target_.extent(); }
  const RenderTarget& target() const { return target_; }

  // Remakes the sink's images for `tiles` images of height x width; the old ones are retired.
  void configure_sink(int tiles, int height, int width);

  // Starts a frame: waits for the last frame of this slot, frees what it retired, delivers its
  // readback, and acquires a target image. False: no image this time (the window is minimised
  // or its swapchain was remade); skip the frame.
  bool begin_frame();
  // The slot of the frame begun: the sink writes its batch there.
  int slot() const { return current_; }
  // Records and submits the frame begun, then presents it.
  void end_frame(const FrameContent& content);

  // Receives each read-back frame once its GPU work has finished.
  void on_readback(std::function<void(std::uint64_t frame, const ReadbackImage&)> handler) { on_readback_ = std::move(handler); }
  // Waits for every frame in flight and delivers outstanding readbacks: the end of a run.
  void finish();
  std::uint64_t frames_submitted() const { return frames_submitted_; }
  DeferredDeleter& deleter() { return deleter_; }

 private:
  struct Slot {
    interop::CommandPool pool;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    interop::Fence fence;
    interop::Semaphore acquired;
    interop::BufferAllocation readback;
    bool readback_pending = false;
    std::uint64_t frame_number = 0;
    VkExtent2D readback_extent{};
  };
  struct PerImage {
    std::vector<interop::Framebuffer> framebuffers;
    std::vector<interop::Semaphore> rendered;
  };
  void build_per_image();
  void wait_slot(Slot& s);
  void deliver_readback(Slot& s);

  const Context& context_;
  RenderTarget& target_;
  interop::FrameSink& sink_;
  interop::RenderPass render_pass_;
  std::unique_ptr<TilePass> tile_pass_;
  std::vector<Slot> slots_;
  std::shared_ptr<PerImage> per_image_;
  DeferredDeleter deleter_;
  int current_ = 0;
  bool in_frame_ = false;
  AcquiredImage image_{};
  std::uint64_t frames_submitted_ = 0;
  std::function<void(std::uint64_t, const ReadbackImage&)> on_readback_;
};

}  // namespace lw::renderer
