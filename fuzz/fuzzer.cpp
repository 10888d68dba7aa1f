// The libFuzzer entry of one target: built once per target with LW_FUZZ_TARGET naming it.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const lw::fuzz::InputReader read = lw::fuzz::fuzz_target(LW_FUZZ_TARGET).read;
  read(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
