#include "plugin/stylegan/zip_record_size.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "core/base/check.hpp"

namespace lw::plugin::stylegan {
namespace {

// Central-directory file header (APPNOTE 4.3.12): fixed part and the offsets read here.
constexpr std::string_view kCentralSignature{"PK\x01\x02", 4};
constexpr std::size_t kCentralFixed = 46, kMethodAt = 10, kCompressedAt = 20, kUncompressedAt = 24,
                      kNameLengthAt = 28, kExtraLengthAt = 30;
constexpr std::uint32_t kZip64Marker = 0xFFFFFFFFu;
constexpr std::uint16_t kZip64ExtraTag = 0x0001;
constexpr std::uint16_t kStored = 0, kDeflated = 8;
constexpr std::uint64_t kDeflateMaxRatio = 1032;  // deflate's largest expansion

std::uint64_t little_endian(const std::string& b, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return v;
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The zip reader looks records up as "<top folder>/<name>".
bool names_record(std::string_view entry, std::string_view name) {
  const auto slash = entry.find('/');
  return slash != std::string_view::npos && same_ignoring_case(entry.substr(slash + 1), name);
}

// A 32-bit size, or the zip64 extra field's 64-bit one where the 32 bits say "see zip64". The
// zip64 field lists only the sizes that overflowed, uncompressed first (APPNOTE 4.5.3).
std::optional<std::uint64_t> zip64_size(const std::string& b, std::size_t extra, std::size_t extra_end, int index) {
  while (extra + 4 <= extra_end) {
    const auto tag = little_endian(b, extra, 2), length = little_endian(b, extra + 2, 2);
    if (extra + 4 + length > extra_end) break;
    if (tag == kZip64ExtraTag && 8u * static_cast<std::size_t>(index + 1) <= length)
      return little_endian(b, extra + 4 + 8 * static_cast<std::size_t>(index), 8);
    extra += 4 + length;
  }
  return std::nullopt;
}

struct Declared {
  std::uint64_t method, compressed, uncompressed;
};

Declared declared(const std::string& b, std::size_t at, const std::string& name) {
  const std::size_t extra = at + kCentralFixed + little_endian(b, at + kNameLengthAt, 2);
  const std::size_t extra_end = std::min(b.size(), extra + little_endian(b, at + kExtraLengthAt, 2));
  Declared d{little_endian(b, at + kMethodAt, 2), little_endian(b, at + kCompressedAt, 4),
             little_endian(b, at + kUncompressedAt, 4)};
  int index = 0;
  for (std::uint64_t* size : {&d.uncompressed, &d.compressed}) {
    if (*size != kZip64Marker) continue;
    const auto wide = extra <= extra_end ? zip64_size(b, extra, extra_end, index++) : std::nullopt;
    LW_EXPECT(wide, "the archive's record '" << name << "' declares a zip64 size without its zip64 field");
    *size = *wide;
  }
  return d;
}

// Calls f(name, declared) for every central-directory entry, refusing impossible declarations.
template <typename F>
void for_each_entry(const std::string& b, F&& f) {
  for (std::size_t at = b.find(kCentralSignature); at != std::string::npos; at = b.find(kCentralSignature, at + 1)) {
    if (at + kCentralFixed > b.size()) break;
    const std::size_t name_length = little_endian(b, at + kNameLengthAt, 2);
    if (at + kCentralFixed + name_length > b.size()) continue;
    const std::string name = b.substr(at + kCentralFixed, name_length);
    const Declared d = declared(b, at, name);
    const std::uint64_t archive = b.size();
    const bool possible = d.compressed <= archive &&
                          (d.method == kStored     ? d.uncompressed <= d.compressed
                           : d.method == kDeflated ? d.uncompressed <= kDeflateMaxRatio * d.compressed + 1024
                                                   : d.uncompressed <= archive);
    LW_EXPECT(possible, "the archive's record '" << name << "' declares " << d.uncompressed << " bytes from "
                                                 << d.compressed << " in a file of " << archive);
    f(std::string_view(name), d);
  }
}

}  // namespace

std::uint64_t declared_record_size(const std::string& b, const std::string& name) {
  std::optional<std::uint64_t> largest;
  for_each_entry(b, [&](std::string_view entry, const Declared& d) {
    if (names_record(entry, name)) largest = std::max(largest.value_or(0), d.uncompressed);
  });
  LW_EXPECT(largest, "the archive's directory has no entry for '" << name << "'");
  return *largest;
}

void check_declared_sizes(const std::string& b) {
  for_each_entry(b, [](std::string_view, const Declared&) {});
}

}  // namespace lw::plugin::stylegan
