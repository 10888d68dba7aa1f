// One rule for output paths: a file's folder must exist; an output folder is created, but only
// its last part.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
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

class OutputPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: ctest runs the cases in parallel processes.
    root_ = fs::path(LW_TEST_TMP) / "output_paths" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  fs::path root_;
};

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

}  // namespace
}  // namespace lw
