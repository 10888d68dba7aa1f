// The zero-copy hand-off: one object owning both APIs' halves of the frame memory. Vulkan
// allocates a dedicated, exportable buffer (one RGBA8 region per frame slot) and a timeline
// semaphore; CUDA imports both (cudaImportExternalMemory, mapped as a pointer, and
// cudaImportExternalSemaphore). Each write converts the generator's float batch into the slot's
// region with a CUDA kernel and signals the next timeline value; the frame's submit waits for
// that value before its buffer-to-image copy, and values only grow. CUDA's half is freed before
// Vulkan's. A generator batch in device memory is read in place (no host copy); one in host
// memory (Debian's CPU LibTorch) is copied to the device once.
//
// Built only with the CUDA toolkit (LW_HAVE_CUDA). Choose it through choose_sink(), which
// checks that a CUDA device is the Vulkan device's GPU and that the device shares memory.
#pragma once

#include <memory>
#include <vector>

#include "interop/frame_sink.hpp"
#include "interop/vk_resources.hpp"

namespace lw::interop {

class CudaSharedSink final : public FrameSink {
 public:
  // `cuda_device`: the CUDA device with `device`'s UUID; the VkDevice was created with
  // VK_KHR_external_memory_fd, VK_KHR_external_semaphore_fd and timeline semaphores. Throws
  // naming the call that failed.
  // `queue_family`: the queue the uploads run on, which acquires the memory from CUDA.
  CudaSharedSink(const VulkanDevice& device, std::uint32_t queue_family, int cuda_device, int frames_in_flight);
  ~CudaSharedSink() override;
  CudaSharedSink(const CudaSharedSink&) = delete;
  CudaSharedSink& operator=(const CudaSharedSink&) = delete;

  std::string_view name() const override { return "cuda-shared"; }
  std::shared_ptr<void> configure(int tiles, int height, int width) override;
  int tiles() const override;
  int height() const override;
  int width() const override;
  void write(const ImageView& batch, int slot) override;
  void record_upload(VkCommandBuffer cmd, int slot) override;
  bool has_content() const override;
  VkImageView view(int tile) const override;
  VkImage image(int tile) const override;
  FrameWait frame_wait(int slot) const override;
  std::uint64_t host_bytes_last_write() const override { return last_host_bytes_; }
  int host_copies_last_write() const override { return last_host_copies_; }

  // The semaphore's value CUDA has signalled last (the newest write's).
  std::uint64_t last_signalled() const { return value_; }

 private:
  struct Resources;

  VulkanDevice device_;
  std::uint32_t queue_family_;
  int cuda_device_;
  int frames_in_flight_;
  std::shared_ptr<Resources> res_;
  Semaphore timeline_;
  void* cuda_semaphore_ = nullptr;  // cudaExternalSemaphore_t
  void* stream_ = nullptr;          // cudaStream_t
  float* scratch_ = nullptr;        // device copy of a host batch
  std::size_t scratch_floats_ = 0;
  std::uint64_t value_ = 0;
  std::vector<std::uint64_t> slot_value_;  // per slot: the value its last write signals (0: none); frames wait for it
  std::vector<bool> pending_;              // per slot: written, not yet uploaded
  std::uint64_t last_host_bytes_ = 0;
  int last_host_copies_ = 0;
};

}  // namespace lw::interop
