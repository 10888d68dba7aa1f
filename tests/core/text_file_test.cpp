// One wording for every reader of a whole text file: the file named, what it was meant to be,
// and why it was not read.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "core/base/check.hpp"
#include "core/base/text_file.hpp"
#include "tests/test_paths.hpp"

namespace lw {
namespace {
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

class TextFile : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(LW_TEST_TMP) / "text_file" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  fs::path root_;
};

TEST_F(TextFile, TheWholeFileComesBackByteForByte) {
  const std::string text = "{\n  \"a\": 1\n}\r\n\xc3\xa9 and a NUL: " + std::string(1, '\0') + " end";
  std::ofstream(root_ / "p.json", std::ios::binary) << text;
  EXPECT_EQ(read_text_file(root_ / "p.json", "preset file"), text);
}

TEST_F(TextFile, AnEmptyFileIsEmptyText) {
  std::ofstream(root_ / "empty.json");
  EXPECT_EQ(read_text_file(root_ / "empty.json", "preset file"), "");
}

TEST_F(TextFile, AMissingFileIsNamedWithWhatItWasMeantToBe) {
  EXPECT_EQ(error_of([&] { read_text_file(root_ / "nowhere.json", "model manifest"); }),
            (root_ / "nowhere.json").string() + ": no such model manifest");
}

TEST_F(TextFile, AFolderIsRefusedAsAFolder) {
  fs::create_directories(root_ / "dir.json");
  EXPECT_EQ(error_of([&] { read_text_file(root_ / "dir.json", "preset file"); }),
            (root_ / "dir.json").string() + ": cannot read the preset file (a folder)");
}

}  // namespace
}  // namespace lw
