#include "core/base/npy.hpp"

#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"

namespace lw {

static_assert(std::endian::native == std::endian::little, "latentwalk's .npy I/O assumes a little-endian host");

std::int64_t NpyArray::size() const {
  std::int64_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}
std::string NpyArray::shape_text() const {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::int64_t NpyArray::rows() const {
  LW_EXPECT(shape.size() == 1 || shape.size() == 2, "expected a 1-D or 2-D array, got " << shape.size() << "-D");
  return shape.size() == 1 ? 1 : shape[0];
}
std::int64_t NpyArray::cols() const {
  LW_EXPECT(shape.size() == 1 || shape.size() == 2, "expected a 1-D or 2-D array, got " << shape.size() << "-D");
  return shape.back();
}

namespace {
constexpr char kMagic[] = "\x93NUMPY";

// Value of `key` in the header dict, e.g. 'descr': '<f4' -> "'<f4'": a tuple, a quoted string,
// True or False. A scan, not a regular expression: the header is a small Python dict literal.
std::string dict_value(const std::string& header, const std::string& key, const std::string& source) {
  for (const char quote : {'\'', '"'}) {
    const std::string quoted = quote + key + quote;
    for (auto at = header.find(quoted); at != std::string::npos; at = header.find(quoted, at + 1)) {
      auto v = header.find_first_not_of(" \t", at + quoted.size());
      if (v == std::string::npos || header[v] != ':') continue;
      v = header.find_first_not_of(" \t", v + 1);
      if (v == std::string::npos) break;
      const char open = header[v];
      const char close = open == '(' ? ')' : open == '\'' || open == '"' ? open : '\0';
      if (close != '\0') {
        const auto end = header.find(close, v + 1);
        if (end != std::string::npos) return header.substr(v, end - v + 1);
      } else {
        for (const char* word : {"True", "False"})
          if (header.compare(v, std::strlen(word), word) == 0) return word;
      }
    }
  }
  LW_FAIL(source << ": .npy header has no '" << key << "' entry");
}

// The dimensions in a header's "(2, 18, 512)"; the element count is checked as it grows, so a
// hostile shape cannot overflow it.
std::vector<std::int64_t> shape_of(const std::string& shape_text, const std::string& source) {
  constexpr std::int64_t kMaxElements = std::int64_t{1} << 34;
  std::vector<std::int64_t> shape;
  std::stringstream items(shape_text.substr(1, shape_text.size() - 2));
  std::string item;
  std::int64_t elements = 1;
  while (std::getline(items, item, ',')) {
    const auto b = item.find_first_not_of(" \t\nL");
    if (b == std::string::npos) continue;
    std::int64_t v = -1;
    try {
      v = std::stoll(item.substr(b));
    } catch (const std::exception&) {
      LW_FAIL(source << ": malformed shape " << shape_text << " in .npy header");
    }
    LW_EXPECT(v >= 0, source << ": negative dimension in shape " << shape_text);
    LW_EXPECT(shape.size() < 32, source << ": shape " << shape_text << " has more than 32 dimensions");
    LW_EXPECT(v == 0 || elements <= kMaxElements / v,
              source << ": array of shape " << shape_text << " is too large (at most 2^34 elements)");
    elements *= v;
    shape.push_back(v);
  }
  return shape;
}
}  // namespace

NpyArray read_npy(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  LW_EXPECT(in.good(), "cannot open " << path.string());
  return read_npy(in, path.string());
}

NpyArray read_npy(std::istream& in, const std::string& source) {
  char magic[6] = {};
  in.read(magic, 6);
  LW_EXPECT(in.gcount() == 6 && std::memcmp(magic, kMagic, 6) == 0, source << " is not an .npy file (bad magic)");
  unsigned char ver[2] = {};
  in.read(reinterpret_cast<char*>(ver), 2);
  LW_EXPECT(in.gcount() == 2, source << ": truncated .npy header");
  std::uint32_t header_len = 0;
  if (ver[0] == 1) {
    unsigned char b[2] = {};
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = static_cast<std::uint32_t>(b[0] | (b[1] << 8));
  } else if (ver[0] == 2 || ver[0] == 3) {
    unsigned char b[4] = {};
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = static_cast<std::uint32_t>(b[0] | (b[1] << 8) | (b[2] << 16)) | (static_cast<std::uint32_t>(b[3]) << 24);
  } else {
    LW_FAIL(source << ": unsupported .npy version " << int(ver[0]) << "." << int(ver[1]) << " (supported: 1.0-3.0)");
  }
  LW_EXPECT(in.good() && header_len < (1u << 24), source << ": truncated or malformed .npy header");
  std::string header(header_len, '\0');
  in.read(header.data(), header_len);
  LW_EXPECT(static_cast<std::uint32_t>(in.gcount()) == header_len, source << ": truncated .npy header");

  const std::string descr = dict_value(header, "descr", source);
  LW_EXPECT(descr == "'<f4'" || descr == "\"<f4\"",
           source << ": dtype " << descr << " is not supported (latentwalk reads float32 little-endian, '<f4')");
  LW_EXPECT(dict_value(header, "fortran_order", source) == "False",
           source << ": Fortran-order arrays are not supported (save with C order)");
  const std::string shape_text = dict_value(header, "shape", source);
  NpyArray a;
  a.shape = shape_of(shape_text, source);
  const auto n = a.size();
  // The body's length is known before anything is allocated: a hostile header cannot make a
  // small file ask for gigabytes.
  const auto body_start = in.tellg();
  if (body_start >= 0 && in.seekg(0, std::ios::end)) {
    const std::int64_t body = in.tellg() - body_start;
    in.seekg(body_start);
    LW_EXPECT(body >= n * 4, source << ": truncated .npy file: shape " << shape_text << " needs " << n * 4
                                    << " data bytes, found " << body);
  }
  in.clear();
  a.data.resize(static_cast<std::size_t>(n));
  in.read(reinterpret_cast<char*>(a.data.data()), static_cast<std::streamsize>(n * 4));
  LW_EXPECT(in.gcount() == n * 4, source << ": truncated .npy file: shape " << shape_text << " needs " << n * 4
                                          << " data bytes, found " << in.gcount());
  in.peek();
  LW_EXPECT(in.eof(), source << ": .npy file has bytes after the data of shape " << shape_text);
  return a;
}

namespace {
std::string npy_header(const std::vector<std::int64_t>& shape) {
  std::ostringstream dict;
  dict << "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) dict << shape[i] << (shape.size() == 1 || i + 1 < shape.size() ? ", " : "");
  dict << "), }";
  std::string header = dict.str();
  // Pad with spaces so that magic + version + length + header + '\n' is a multiple of 64.
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  LW_EXPECT(header.size() < 65536, "shape too long for a version 1.0 .npy header");
  return header;
}
}  // namespace

NpyWriter::NpyWriter(const std::filesystem::path& path, std::vector<std::int64_t> shape)
    : out_(path), file_(out_.temp_path(), std::ios::binary) {
  remaining_ = 1;
  for (auto d : shape) remaining_ *= d;
  LW_EXPECT(file_.good(), "cannot open " << out_.temp_path().string() << " for writing");
  const std::string header = npy_header(shape);
  file_.write(kMagic, 6);
  const char ver[2] = {1, 0};
  file_.write(ver, 2);
  const auto len = static_cast<std::uint16_t>(header.size());
  const char lb[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  file_.write(lb, 2);
  file_.write(header.data(), static_cast<std::streamsize>(header.size()));
}

void NpyWriter::append(const float* values, std::int64_t count) {
  LW_CHECK(count >= 0 && count <= remaining_, "appending " << count << " values where " << remaining_ << " remain");
  file_.write(reinterpret_cast<const char*>(values), static_cast<std::streamsize>(count * 4));
  remaining_ -= count;
}

void NpyWriter::commit() {
  LW_CHECK(remaining_ == 0, remaining_ << " values of the array were never written");
  file_.flush();
  LW_EXPECT(file_.good(), "cannot write " << out_.temp_path().string() << " (disk full?)");
  file_.close();
  out_.commit();
}

void write_npy(const std::filesystem::path& path, const NpyArray& a) {
  LW_EXPECT(a.size() == static_cast<std::int64_t>(a.data.size()),
           "array data holds " << a.data.size() << " values but its shape needs " << a.size());
  NpyWriter out(path, a.shape);
  out.append(a.data.data(), a.size());
  out.commit();
}

const NpyArray& NpyCache::read(const std::filesystem::path& path) {
  std::error_code ec;
  const auto time = std::filesystem::last_write_time(path, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path, ec);
  const std::string key = std::filesystem::absolute(path).lexically_normal().string();
  const auto it = entries_.find(key);
  if (!ec && it != entries_.end() && it->second.time == time && it->second.size == size) return it->second.array;
  NpyArray array = read_npy(path);  // throws naming the file, the cache unchanged
  ++reads_;
  Entry& e = entries_[key];
  e.time = time;
  e.size = size;
  e.array = std::move(array);
  return e.array;
}

}  // namespace lw
