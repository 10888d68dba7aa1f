#include "core/memory_tuning.hpp"

#include <malloc.h>

namespace lw {

void keep_freed_memory_in_process() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace lw
