// One rule for output paths: a file's folder must exist; an output folder is created, but only
// its last part. And one wording for every reader of a whole text file: the file named, what it
// was meant to be, and why it was not read.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "core/base/atomic_file.hpp"
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

class FileRules : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: ctest runs the cases in parallel processes.
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(LW_TEST_TMP) / "file_rules" / test->test_suite_name() / test->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  fs::path root_;
};
using OutputPaths = FileRules;
using TextFile = FileRules;

TEST_F(OutputPaths, TheLastFolderIsCreatedAndAnExistingOneKept) {
  make_output_folder(root_ / "out");
  EXPECT_TRUE(fs::is_directory(root_ / "out"));
  std::ofstream(root_ / "out" / "kept.txt") << "x";
  make_output_folder(root_ / "out/");  // again, with a trailing slash: nothing changes
  EXPECT_TRUE(fs::exists(root_ / "out" / "kept.txt"));
}

TEST_F(OutputPaths, AMissingParentIsAnErrorAndNothingIsCreated) {
  const std::string message = error_of([&] { make_output_folder(root_ / "typo" / "out"); });
  EXPECT_EQ(message, "output folder " + (root_ / "typo").string() + " does not exist");
  EXPECT_FALSE(fs::exists(root_ / "typo"));
  EXPECT_EQ(error_of([&] { write_text_file(root_ / "typo" / "a.json", "{}"); }),
            "output folder " + (root_ / "typo").string() + " does not exist");
}

TEST_F(OutputPaths, AFileWhereTheFolderShouldBeIsAnError) {
  std::ofstream(root_ / "taken") << "x";
  EXPECT_EQ(error_of([&] { make_output_folder(root_ / "taken"); }), (root_ / "taken").string() + " is a file, not a folder");
}

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
