// LibTorch allocates and frees tensors of megabytes every step. glibc's defaults hand such
// blocks back to the kernel at once (mmap/munmap, heap trimming), so every step paid page faults
// again: more system than user time and 4-10x slower inference and training. Processes that run
// networks call this first to keep freed memory in the process.
#pragma once

namespace lw {

void keep_freed_memory_in_process();

}  // namespace lw
