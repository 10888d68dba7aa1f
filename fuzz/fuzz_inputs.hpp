// One reader per parser that strangers' bytes reach, shared by the libFuzzer targets (fuzzer.cpp)
// and the default suite's replay of the corpus and of every input a fuzzer ever crashed on
// (tests/fuzz/replay_test.cpp). A reader parses the bytes and checks what must hold for anything
// accepted (a round trip, values in range); it returns whether the input was accepted. Refusal is
// an lw::Error, caught inside; anything else (another exception, a failed property, which
// aborts) escapes, and the fuzzer reports it with the input, like a crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lw::fuzz {

using InputReader = bool (*)(const std::string& bytes);

struct FuzzTarget {
  const char* name;   // "npy": fuzz/corpus/npy, build-fuzz/fuzz_npy
  const char* reads;  // what, in words
  InputReader read;
};

const std::vector<FuzzTarget>& fuzz_targets();
// The target named `name`; throws lw::Error listing the names for another.
const FuzzTarget& fuzz_target(std::string_view name);

}  // namespace lw::fuzz
