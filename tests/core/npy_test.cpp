#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "tests/test_paths.hpp"

namespace lw {
namespace {
namespace fs = std::filesystem;

class Npy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(LW_TEST_TMP) / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  // Runs numpy through Debian's python3; returns its exit status.
  static int python(const std::string& code) {
    const std::string cmd = std::string(LW_PYTHON) + " -c \"" + code + "\"";
    return std::system(cmd.c_str());
  }
  static void write_bytes(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }
  static std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  fs::path dir_;
};

TEST_F(Npy, RoundTripsABoundaryShapedArray) {
  NpyArray a{{1, 5}, {0.5f, -1.25f, 3.f, 1e-7f, -0.f}};
  write_npy(dir_ / "b.npy", a);
  const auto back = read_npy(dir_ / "b.npy");
  EXPECT_EQ(back.shape, a.shape);
  EXPECT_EQ(back.data, a.data);
  // Header padded so the data starts on a 64-byte boundary, as numpy does.
  EXPECT_EQ((read_bytes(dir_ / "b.npy").size() - 20) % 64, 0u);
}

TEST_F(Npy, ReadsFilesWrittenByNumpyInEveryHeaderVersion) {
  const auto p = (dir_ / "v").string();
  ASSERT_EQ(python("import numpy as np; a = np.arange(12, dtype=np.float32).reshape(3, 4) / 7;"
                   "from numpy.lib import format as f;"
                   "[f.write_array(open('" + p + "%d.npy' % v, 'wb'), a, version=(v, 0)) for v in (1, 2, 3)];"
                   "np.save('" + p + "_b.npy', np.linspace(-1, 1, 512, dtype=np.float32).reshape(1, 512))"),
            0);
  for (int v = 1; v <= 3; ++v) {
    const auto a = read_npy(p + std::to_string(v) + ".npy");
    ASSERT_EQ(a.shape, (std::vector<std::int64_t>{3, 4})) << "version " << v;
    for (int i = 0; i < 12; ++i) EXPECT_FLOAT_EQ(a.data[static_cast<std::size_t>(i)], static_cast<float>(i) / 7.f);
  }
  const auto b = read_npy(p + "_b.npy");
  EXPECT_EQ(b.rows(), 1);
  EXPECT_EQ(b.cols(), 512);
  EXPECT_FLOAT_EQ(b.data.front(), -1.f);
}

TEST_F(Npy, FilesWeWriteLoadInNumpy) {
  NpyArray a{{2, 3}, {1, 2, 3, 4, 5, 6.5f}};
  write_npy(dir_ / "ours.npy", a);
  EXPECT_EQ(python("import numpy as np; a = np.load('" + (dir_ / "ours.npy").string() +
                   "'); assert a.dtype == np.float32 and a.shape == (2, 3) and a[1, 2] == 6.5 and a.flags.c_contiguous"),
            0);
}

TEST_F(Npy, RejectsOtherDtypesFortranOrderAndTruncation) {
  const auto p = (dir_ / "bad").string();
  ASSERT_EQ(python("import numpy as np; np.save('" + p + "_f8.npy', np.zeros((2, 2)));"
                   "np.save('" + p + "_i4.npy', np.zeros((2, 2), dtype=np.int32));"
                   "np.save('" + p + "_be.npy', np.zeros((2, 2), dtype='>f4'));"
                   "np.save('" + p + "_fortran.npy', np.asfortranarray(np.zeros((2, 3), dtype=np.float32)))"),
            0);
  auto expect_error = [](const std::string& file, const std::string& needle) {
    try {
      read_npy(file);
      ADD_FAILURE() << file << " loaded";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error(p + "_f8.npy", "'<f8' is not supported");
  expect_error(p + "_i4.npy", "'<i4' is not supported");
  expect_error(p + "_be.npy", "'>f4' is not supported");
  expect_error(p + "_fortran.npy", "Fortran-order");

  NpyArray a{{4, 4}, std::vector<float>(16, 1.f)};
  write_npy(dir_ / "whole.npy", a);
  const auto bytes = read_bytes(dir_ / "whole.npy");
  write_bytes(dir_ / "cut.npy", bytes.substr(0, bytes.size() - 5));
  expect_error((dir_ / "cut.npy").string(), "truncated");
  write_bytes(dir_ / "cut_header.npy", bytes.substr(0, 30));
  expect_error((dir_ / "cut_header.npy").string(), "truncated");
  write_bytes(dir_ / "text.npy", "hello, not numpy");
  expect_error((dir_ / "text.npy").string(), "not an .npy file");
  expect_error((dir_ / "missing.npy").string(), "cannot open");
}

TEST_F(Npy, AFailedWriteLeavesTheOldFile) {
  NpyArray good{{1, 2}, {1, 2}};
  write_npy(dir_ / "keep.npy", good);
  NpyArray bad{{2, 2}, {1, 2}};  // shape needs 4 values
  EXPECT_THROW(write_npy(dir_ / "keep.npy", bad), Error);
  EXPECT_EQ(read_npy(dir_ / "keep.npy").data, good.data);
  EXPECT_THROW(write_npy(dir_ / "no_such_dir" / "x.npy", good), Error);
  for (const auto& e : fs::directory_iterator(dir_)) EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos);
}

TEST_F(Npy, ACacheReadsAFileOnceUntilItChanges) {
  write_npy(dir_ / "d.npy", NpyArray{{1, 2}, {1, 2}});
  NpyCache cache;
  EXPECT_EQ(cache.read(dir_ / "d.npy").data, (std::vector<float>{1, 2}));
  EXPECT_EQ(cache.read(dir_ / "." / "d.npy").data, (std::vector<float>{1, 2}));
  EXPECT_EQ(cache.reads(), 1u) << "the same file by another spelling is not read again";
  write_npy(dir_ / "d.npy", NpyArray{{1, 3}, {4, 5, 6}});
  EXPECT_EQ(cache.read(dir_ / "d.npy").data, (std::vector<float>{4, 5, 6})) << "a changed file is read again";
  EXPECT_EQ(cache.reads(), 2u);
  EXPECT_THROW(cache.read(dir_ / "missing.npy"), Error);
  EXPECT_EQ(cache.reads(), 2u);
}

}  // namespace
}  // namespace lw
