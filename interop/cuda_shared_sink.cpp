#include "interop/cuda_shared_sink.hpp"

#include <cuda_runtime.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "core/base/check.hpp"
#include "interop/external_memory.hpp"
#include "interop/rgba8_kernel.hpp"
#include "interop/tile_images.hpp"

#define LW_CUDA_CHECK(call)                                                                   \
  do {                                                                                        \
    const cudaError_t lw_cuda_error_ = (call);                                                \
    LW_EXPECT(lw_cuda_error_ == cudaSuccess, #call " failed: " << cudaGetErrorString(lw_cuda_error_)); \
  } while (false)

namespace lw::interop {

// One configuration's memory: Vulkan's buffer and images, CUDA's import of the buffer. The
// destructor frees CUDA's half first, then the members free Vulkan's.
struct CudaSharedSink::Resources {
  explicit Resources(TileImages images) : tiles(std::move(images)) {}
  Resources(const Resources&) = delete;
  Resources& operator=(const Resources&) = delete;
  TileImages tiles;
  BufferAllocation shared;  // frames_in_flight regions of tiles.slot_bytes()
  int cuda_device = 0;
  cudaExternalMemory_t memory = nullptr;
  std::uint8_t* mapped = nullptr;  // the buffer, as CUDA sees it

  ~Resources() {
    cudaSetDevice(cuda_device);  // the deferred deleter may free these from any thread
    if (mapped) cudaFree(mapped);
    if (memory) cudaDestroyExternalMemory(memory);
  }
};

namespace {
int checked_slots(int frames_in_flight) {
  LW_CHECK(frames_in_flight >= 1, "a sink needs at least one frame slot");
  return frames_in_flight;
}
}  // namespace

CudaSharedSink::CudaSharedSink(const VulkanDevice& device, std::uint32_t queue_family, int cuda_device, int frames_in_flight)
    : device_(device), queue_family_(queue_family), cuda_device_(cuda_device), frames_in_flight_(checked_slots(frames_in_flight)),
      slot_value_(static_cast<std::size_t>(frames_in_flight_), 0), pending_(static_cast<std::size_t>(frames_in_flight_), false) {
  LW_CUDA_CHECK(cudaSetDevice(cuda_device_));
  cudaStream_t stream = nullptr;
  LW_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  stream_ = stream;
  try {
    timeline_ = create_exportable_timeline(device_.device, 0);
    cudaExternalSemaphoreHandleDesc desc{};
    desc.type = cudaExternalSemaphoreHandleTypeTimelineSemaphoreFd;
    desc.handle.fd = export_semaphore_fd(device_.device, timeline_.get());
    cudaExternalSemaphore_t semaphore = nullptr;
    const cudaError_t e = cudaImportExternalSemaphore(&semaphore, &desc);
    if (e != cudaSuccess) ::close(desc.handle.fd);  // a successful import owns the fd
    LW_EXPECT(e == cudaSuccess, "cudaImportExternalSemaphore failed: " << cudaGetErrorString(e));
    cuda_semaphore_ = semaphore;
  } catch (...) {
    cudaStreamDestroy(stream);
    throw;
  }
}

CudaSharedSink::~CudaSharedSink() {
  // CUDA's half first: its work on the memory ends, then its imports go, then Vulkan's objects.
  cudaSetDevice(cuda_device_);
  if (stream_) cudaStreamSynchronize(static_cast<cudaStream_t>(stream_));
  res_.reset();
  if (scratch_) cudaFree(scratch_);
  if (cuda_semaphore_) cudaDestroyExternalSemaphore(static_cast<cudaExternalSemaphore_t>(cuda_semaphore_));
  if (stream_) cudaStreamDestroy(static_cast<cudaStream_t>(stream_));
}

std::shared_ptr<void> CudaSharedSink::configure(int tiles, int height, int width) {
  LW_CUDA_CHECK(cudaSetDevice(cuda_device_));
  TileImages images(device_, tiles, height, width);
  const auto slot = static_cast<VkDeviceSize>(images.slot_bytes());
  auto res = std::make_shared<Resources>(std::move(images));
  res->cuda_device = cuda_device_;
  res->shared = create_exportable_buffer(device_, slot * static_cast<VkDeviceSize>(frames_in_flight_),
                                         VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT);
  cudaExternalMemoryHandleDesc desc{};
  desc.type = cudaExternalMemoryHandleTypeOpaqueFd;
  desc.handle.fd = export_memory_fd(device_.device, res->shared.memory.get());
  desc.size = res->shared.memory_size;
  desc.flags = cudaExternalMemoryDedicated;
  const cudaError_t e = cudaImportExternalMemory(&res->memory, &desc);
  if (e != cudaSuccess) ::close(desc.handle.fd);
  LW_EXPECT(e == cudaSuccess, "cudaImportExternalMemory failed: " << cudaGetErrorString(e));
  cudaExternalMemoryBufferDesc buffer{};
  buffer.offset = 0;
  buffer.size = res->shared.size;
  void* mapped = nullptr;
  LW_CUDA_CHECK(cudaExternalMemoryGetMappedBuffer(&mapped, res->memory, &buffer));
  res->mapped = static_cast<std::uint8_t*>(mapped);

  auto previous = std::exchange(res_, std::move(res));
  std::fill(slot_value_.begin(), slot_value_.end(), 0);
  std::fill(pending_.begin(), pending_.end(), false);
  return previous;
}

void CudaSharedSink::write(const ImageView& batch, int slot) {
  LW_CHECK(res_ != nullptr, "configure() the sink before writing to it");
  LW_CHECK(slot >= 0 && slot < frames_in_flight_, "frame slot " << slot << " out of range");
  const TileImages& t = res_->tiles;
  LW_CHECK(batch.batch >= t.tiles() && batch.height == t.height() && batch.width == t.width(),
           "batch [" << batch.batch << ", 3, " << batch.height << ", " << batch.width << "] does not fit the sink's "
                     << t.tiles() << " tiles of " << t.height() << "x" << t.width());
  LW_CUDA_CHECK(cudaSetDevice(cuda_device_));
  const auto stream = static_cast<cudaStream_t>(stream_);
  // A fault in an earlier write surfaces here, as an error, rather than as a frame waiting
  // forever for a value the failed stream never signals.
  const cudaError_t earlier = cudaStreamQuery(stream);
  LW_EXPECT(earlier == cudaSuccess || earlier == cudaErrorNotReady,
            "the CUDA hand-off failed on an earlier frame: " << cudaGetErrorString(earlier));
  const std::size_t floats = static_cast<std::size_t>(t.tiles()) * 3 * t.height() * t.width();
  const float* src = batch.data;
  last_host_bytes_ = 0;
  last_host_copies_ = 0;
  if (batch.ready_event) {
    // Ordered after the generator on its own stream, without the host waiting for either.
    LW_CUDA_CHECK(cudaStreamWaitEvent(stream, static_cast<cudaEvent_t>(const_cast<void*>(batch.ready_event)), 0));
  }
  if (!batch.on_device) {
    // A CPU generator's batch: the one copy through host memory on this path.
    if (scratch_floats_ < floats) {
      if (scratch_) cudaFree(scratch_);
      scratch_ = nullptr;
      LW_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&scratch_), floats * sizeof(float)));
      scratch_floats_ = floats;
    }
    LW_CUDA_CHECK(cudaMemcpyAsync(scratch_, batch.data, floats * sizeof(float), cudaMemcpyHostToDevice, stream));
    src = scratch_;
    last_host_bytes_ = floats * sizeof(float);
    last_host_copies_ = 1;
  }
  std::uint8_t* dst = res_->mapped + t.slot_bytes() * static_cast<std::size_t>(slot);
  const int launched = launch_rgba8(src, t.tiles(), t.height(), t.width(), batch.lo, batch.hi, dst, stream);
  LW_EXPECT(launched == 0, "the RGBA8 kernel failed to launch: " << cudaGetErrorString(static_cast<cudaError_t>(launched)));
  cudaExternalSemaphoreSignalParams signal{};
  signal.params.fence.value = ++value_;
  auto semaphore = static_cast<cudaExternalSemaphore_t>(cuda_semaphore_);
  LW_CUDA_CHECK(cudaSignalExternalSemaphoresAsync(&semaphore, &signal, 1, stream));
  // No synchronisation: the frame that samples this slot waits for the semaphore value above,
  // and the caller keeps the generator's batch alive until that frame's fence has signalled.
  slot_value_[static_cast<std::size_t>(slot)] = value_;
  pending_[static_cast<std::size_t>(slot)] = true;
}

FrameWait CudaSharedSink::frame_wait(int slot) const {
  const std::uint64_t v = slot_value_[static_cast<std::size_t>(slot)];
  return v == 0 ? FrameWait{} : FrameWait{timeline_.get(), v};
}

void CudaSharedSink::record_upload(VkCommandBuffer cmd, int slot) {
  if (!res_ || !pending_[static_cast<std::size_t>(slot)]) return;
  const std::size_t slot_bytes = res_->tiles.slot_bytes();
  // The slot's memory passes from CUDA (the external queue family) to this queue for the copy,
  // and back after it.
  auto ownership = [&](std::uint32_t from, std::uint32_t to, VkAccessFlags src, VkAccessFlags dst,
                       VkPipelineStageFlags src_stage, VkPipelineStageFlags dst_stage) {
    VkBufferMemoryBarrier b{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
    b.srcAccessMask = src;
    b.dstAccessMask = dst;
    b.srcQueueFamilyIndex = from;
    b.dstQueueFamilyIndex = to;
    b.buffer = res_->shared.buffer.get();
    b.offset = slot_bytes * static_cast<std::size_t>(slot);
    b.size = slot_bytes;
    vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, nullptr, 1, &b, 0, nullptr);
  };
  ownership(VK_QUEUE_FAMILY_EXTERNAL, queue_family_, 0, VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
            VK_PIPELINE_STAGE_TRANSFER_BIT);
  res_->tiles.record_upload(cmd, res_->shared.buffer.get(), slot_bytes * static_cast<std::size_t>(slot));
  ownership(queue_family_, VK_QUEUE_FAMILY_EXTERNAL, VK_ACCESS_TRANSFER_READ_BIT, 0, VK_PIPELINE_STAGE_TRANSFER_BIT,
            VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT);
  pending_[static_cast<std::size_t>(slot)] = false;
}

int CudaSharedSink::tiles() const { return res_ ? res_->tiles.tiles() : 0; }
int CudaSharedSink::height() const { return res_ ? res_->tiles.height() : 0; }
int CudaSharedSink::width() const { return res_ ? res_->tiles.width() : 0; }
bool CudaSharedSink::has_content() const { return res_ && res_->tiles.has_content(); }

VkImage CudaSharedSink::image(int tile) const {
  LW_CHECK(res_ != nullptr, "no tile " << tile);
  return res_->tiles.image(tile);
}

VkImageView CudaSharedSink::view(int tile) const {
  LW_CHECK(res_ != nullptr, "no tile " << tile);
  return res_->tiles.view(tile);
}

}  // namespace lw::interop
