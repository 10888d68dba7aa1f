// The size a torch.save archive's record declares, read before LibTorch's zip reader allocates
// it: archives LibTorch writes give their records' true sizes; a declaration the archive cannot
// back (a stored record larger than the file, a zip64 size with no zip64 field: what the
// fuzzer's 4 GB allocation came from) is refused by name, and so is the file it came in.
#include <caffe2/serialize/inline_container.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/base/check.hpp"
#include "plugin/stylegan/network_file.hpp"
#include "plugin/stylegan/zip_record_size.hpp"
#include "tests/test_paths.hpp"

namespace fs = std::filesystem;
using namespace lw::plugin::stylegan;

namespace {

// An archive as torch.save writes one: records under one top folder, stored, 64-byte aligned.
std::string archive_of(const std::vector<std::pair<std::string, std::string>>& records) {
  std::string bytes;
  caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, size_t n) {
    bytes.append(static_cast<const char*>(data), n);
    return n;
  });
  for (const auto& [name, content] : records) writer.writeRecord(name, content.data(), content.size());
  writer.writeEndOfFile();
  return bytes;
}

std::string error_of(const std::string& archive, const std::string& name) {
  try {
    declared_record_size(archive, name);
  } catch (const lw::Error& e) {
    return e.what();
  }
  return "";
}

// The central-directory entry of `name` (its header's offset).
std::size_t central_entry(const std::string& archive, const std::string& name) {
  const std::size_t at = archive.rfind(std::string("PK\x01\x02", 4), archive.rfind("/" + name));
  EXPECT_NE(at, std::string::npos);
  return at;
}

void put32(std::string& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

const std::string kPickle(300, 'p'), kStorage(4096, 's');

TEST(ZipRecordSize, ArchivesLibTorchWritesDeclareTheirRecordsSizes) {
  const std::string archive = archive_of({{"data.pkl", kPickle}, {"data/0", kStorage}});
  EXPECT_EQ(declared_record_size(archive, "data.pkl"), kPickle.size());
  EXPECT_EQ(declared_record_size(archive, "data/0"), kStorage.size());
  EXPECT_EQ(declared_record_size(archive, "DATA.PKL"), kPickle.size()) << "looked up as the zip reader does: ignoring case";
  EXPECT_EQ(error_of(archive, "data/1"), "the archive's directory has no entry for 'data/1'");
}

TEST(ZipRecordSize, AStoredRecordLargerThanTheArchiveIsRefused) {
  std::string archive = archive_of({{"data.pkl", kPickle}, {"data/0", kStorage}});
  const std::size_t entry = central_entry(archive, "data/0");
  put32(archive, entry + 20, 0x7FFFFFF0u);  // compressed
  put32(archive, entry + 24, 0x7FFFFFF0u);  // uncompressed
  EXPECT_NE(error_of(archive, "data/0").find("'archive/data/0' declares 2147483632 bytes from 2147483632 in a file of"),
            std::string::npos)
      << error_of(archive, "data/0");
  // One impossible entry refuses the archive, whichever record is asked for, before it opens.
  EXPECT_NE(error_of(archive, "data.pkl").find("'archive/data/0' declares"), std::string::npos);
  EXPECT_THROW(check_declared_sizes(archive), lw::Error);
  EXPECT_NO_THROW(check_declared_sizes(archive_of({{"data.pkl", kPickle}, {"data/0", kStorage}})));
}

TEST(ZipRecordSize, AZip64SizeWithoutItsFieldIsRefused) {
  std::string archive = archive_of({{"data.pkl", kPickle}});
  const std::size_t entry = central_entry(archive, "data.pkl");
  put32(archive, entry + 20, 0xFFFFFFFFu);
  put32(archive, entry + 24, 0xFFFFFFFFu);
  EXPECT_EQ(error_of(archive, "data.pkl"), "the archive's record 'archive/data.pkl' declares a zip64 size without its zip64 field");
}

// The inputs fuzz_network_file found: 1.5 KB declaring a 4 GB data.pkl, and a 4 GB `version`
// (read by the zip reader's constructor), which LibTorch allocated.
TEST(ZipRecordSize, TheFuzzersFourGigabyteRecordsAreClearErrors) {
  for (const char* name : {"record_declaring_4_gb.pt", "version_declaring_4_gb.pt"}) {
    SCOPED_TRACE(name);
    std::ifstream in(fs::path(LW_SOURCE_DIR) / "fuzz" / "regressions" / "network_file" / name, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_LT(bytes.size(), 4096u);
    try {
      read_network_bytes(bytes, name, {});
      FAIL() << "read";
    } catch (const lw::Error& e) {
      EXPECT_NE(std::string(e.what()).find("declares a zip64 size without its zip64 field"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
