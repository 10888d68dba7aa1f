// Every input the fuzzers were seeded with (fuzz/corpus) and every input a fuzzer ever crashed
// on (fuzz/regressions), replayed through the same readers: each is read or refused with an
// lw::Error, nothing else escapes. Under scripts/check.sh asan the sanitizers watch the replay.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/check.hpp"
#include "fuzz/fuzz_inputs.hpp"
#include "tests/test_paths.hpp"

namespace lw::fuzz {
// Test names and messages show the target's name.
void PrintTo(const FuzzTarget& target, std::ostream* os) { *os << target.name; }
}  // namespace lw::fuzz

namespace {
namespace fs = std::filesystem;
using lw::fuzz::FuzzTarget;

std::string bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> inputs_under(const fs::path& folder) {
  std::vector<fs::path> files;
  if (fs::is_directory(folder))
    for (const auto& e : fs::directory_iterator(folder))
      if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Replays a folder; returns how many of its inputs were accepted.
int replay(const FuzzTarget& target, const fs::path& folder) {
  int accepted = 0;
  for (const auto& file : inputs_under(folder)) {
    SCOPED_TRACE(file.string());
    EXPECT_NO_THROW(accepted += target.read(bytes_of(file)) ? 1 : 0);
  }
  return accepted;
}

class Replay : public testing::TestWithParam<FuzzTarget> {};

TEST_P(Replay, EverySeedIsReadOrRefusedAndTheRealFilesAreRead) {
  const fs::path seeds = fs::path(LW_SOURCE_DIR) / "fuzz" / "corpus" / GetParam().name;
  ASSERT_FALSE(inputs_under(seeds).empty()) << "no seeds in " << seeds;
  // The seeds are mostly real files (shipped presets, the model's manifest, torch's own
  // files): most of them must be accepted, or the reader refuses what the product writes.
  const int accepted = replay(GetParam(), seeds);
  EXPECT_GE(accepted * 2, static_cast<int>(inputs_under(seeds).size())) << GetParam().name;
}

TEST_P(Replay, EveryInputAFuzzerCrashedOnIsReadOrRefused) {
  replay(GetParam(), fs::path(LW_SOURCE_DIR) / "fuzz" / "regressions" / GetParam().name);
}

INSTANTIATE_TEST_SUITE_P(Fuzz, Replay, testing::ValuesIn(lw::fuzz::fuzz_targets()),
                         [](const testing::TestParamInfo<FuzzTarget>& info) { return std::string(info.param.name); });

TEST(FuzzTargets, AnUnknownNameListsTheTargets) {
  try {
    lw::fuzz::fuzz_target("jpeg");
    FAIL() << "expected an error";
  } catch (const lw::Error& e) {
    EXPECT_NE(std::string(e.what()).find("npy, pickle"), std::string::npos) << e.what();
  }
}

}  // namespace
