// .npy files: float32, little-endian, C order; header versions 1.0, 2.0 and 3.0.
// This is the layout InterFaceGAN reads and writes (boundaries are [1, d] float32), and the one
// numpy's np.save writes for a float32 array.
#pragma once

#include <fstream>
#include <istream>

#include "core/base/atomic_file.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace lw {

struct NpyArray {
  std::vector<std::int64_t> shape;
  std::vector<float> data;  // C order

  std::int64_t size() const;
  // Rows and columns of a 1-D ([n] is one row) or 2-D array; throws for other ranks.
  std::int64_t rows() const;
  std::int64_t cols() const;
  std::string shape_text() const;  // "[2, 18, 512]", for messages
};

// Throws lw::Error naming the file and the problem: not an .npy file, an unsupported version,
// a dtype other than float32, Fortran order, a malformed header, a truncated or oversized body.
NpyArray read_npy(const std::filesystem::path& path);
// The same from a stream; `source` names it in messages.
NpyArray read_npy(std::istream& in, const std::string& source);
// Writes version 1.0 atomically (temporary file, then rename).
void write_npy(const std::filesystem::path& path, const NpyArray& array);

// The same file written a part at a time, for arrays larger than memory should hold: values
// are appended in C order, and the file appears at `path` on commit(), whole; destroyed
// without commit() it leaves nothing.
class NpyWriter {
 public:
  NpyWriter(const std::filesystem::path& path, std::vector<std::int64_t> shape);
  void append(const float* values, std::int64_t count);
  void commit();

 private:
  AtomicFile out_;
  std::ofstream file_;
  std::int64_t remaining_ = 0;
};

// .npy files read once: a path read again returns the array already read, unless the file
// changed on disk since (another modification time or size). For files a session reads over
// and over (direction files, each time a scene is built). Not thread-safe.
class NpyCache {
 public:
  const NpyArray& read(const std::filesystem::path& path);
  std::size_t reads() const { return reads_; }  // files actually read from disk

 private:
  struct Entry {
    std::filesystem::file_time_type time;
    std::uintmax_t size = 0;
    NpyArray array;
  };
  std::map<std::string, Entry> entries_;
  std::size_t reads_ = 0;
};

}  // namespace lw
