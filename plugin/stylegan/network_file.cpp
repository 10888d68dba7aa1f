#include "plugin/stylegan/network_file.hpp"

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>

#include <cstring>
#include <fstream>

#include "core/base/check.hpp"
#include "core/base/pickle_reader.hpp"
#include "plugin/stylegan/zip_record_size.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define LW_LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LW_LEAK_CHECKED 1
#endif
#endif
#ifdef LW_LEAK_CHECKED
#include <sanitizer/lsan_interface.h>
#endif

namespace lw::plugin::stylegan {
namespace {

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{64} << 30;

std::string read_all(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  LW_EXPECT(!ec, path.string() << ": cannot read (" << ec.message() << ")");
  LW_EXPECT(size <= kMaxFileBytes, path.string() << ": " << size << " bytes is larger than any network file");
  std::ifstream in(path, std::ios::binary);
  LW_EXPECT(in.good(), path.string() << ": cannot open");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  LW_EXPECT(in.gcount() == static_cast<std::streamsize>(size), path.string() << ": read failed");
  return bytes;
}

// The archive's bytes, served to LibTorch's zip reader (the one torch.load uses).
class BytesAdapter final : public caffe2::serialize::ReadAdapterInterface {
 public:
  explicit BytesAdapter(const std::string& bytes) : bytes_(bytes) {}
  size_t size() const override { return bytes_.size(); }
  size_t read(uint64_t pos, void* buf, size_t n, const char*) const override {
    if (pos >= bytes_.size()) return 0;
    n = std::min<size_t>(n, bytes_.size() - pos);
    std::memcpy(buf, bytes_.data() + pos, n);
    return n;
  }

 private:
  const std::string& bytes_;
};

std::string record(caffe2::serialize::PyTorchStreamReader& zip, const std::string& name) {
  LW_EXPECT(zip.hasRecord(name), "the archive has no record '" << name << "'");
  auto [data, size] = zip.getRecord(name);
  return std::string(static_cast<const char*>(data.get()), size);
}

// LibTorch 1.13's zip reader leaks its miniz state (about 500 bytes) when its constructor throws
// on a malformed archive: it allocates before it validates, and no destructor runs. Not ours and
// harmless (import refuses the file and exits), so the leak checker is told to look away from
// what the constructor allocates, and from nothing else.
// Reproducer: fuzz/regressions/network_file/zip_refused_by_libtorch.pt
std::unique_ptr<caffe2::serialize::PyTorchStreamReader> open_archive(const std::string& bytes) {
  // The reader allocates each record's declared size, the constructor's `version` included.
  check_declared_sizes(bytes);
#ifdef LW_LEAK_CHECKED
  __lsan::ScopedDisabler not_ours;
#endif
  return std::make_unique<caffe2::serialize::PyTorchStreamReader>(std::make_shared<BytesAdapter>(bytes));
}

void read_archive(NetworkFile& file, const std::string& bytes, const pickle::ReadOptions& options) {
  file.format = "torch.save archive";
  try {
    const auto archive = open_archive(bytes);
    caffe2::serialize::PyTorchStreamReader& zip = *archive;
    const std::string data = record(zip, "data.pkl");
    std::size_t pos = 0;
    file.root = pickle::read_pickle(file.doc, data, pos, options);
    for (pickle::Storage& s : file.doc.storages()) {
      if (s.loaded) continue;
      s.bytes = record(zip, "data/" + s.key);
      const auto want = static_cast<std::size_t>(s.numel) * static_cast<std::size_t>(pickle::element_size(s.dtype));
      LW_EXPECT(s.bytes.size() >= want, "storage '" << s.key << "' holds " << s.bytes.size() << " bytes, "
                                                    << want << " were promised");
      s.bytes.resize(want);
      s.loaded = true;
    }
  } catch (const c10::Error& e) {
    LW_FAIL("not a readable torch.save archive (" << e.what_without_backtrace() << ")");
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    LW_FAIL("not a readable torch.save archive (" << e.what() << ")");
  }
}

}  // namespace

std::unique_ptr<NetworkFile> read_network_file(const std::filesystem::path& path,
                                               const std::function<void(std::size_t, std::size_t)>& progress) {
  LW_EXPECT(std::filesystem::is_regular_file(path), path.string() << ": no such file");
  return read_network_bytes(read_all(path), path.string(), progress);
}

std::unique_ptr<NetworkFile> read_network_bytes(const std::string& bytes, const std::string& source,
                                                const std::function<void(std::size_t, std::size_t)>& progress) {
  LW_EXPECT(!bytes.empty(), source << ": the file is empty");
  auto file = std::make_unique<NetworkFile>();
  pickle::ReadOptions options;
  options.progress = progress;
  try {
    if (bytes.compare(0, 4, "PK\x03\x04") == 0) {
      read_archive(*file, bytes, options);
    } else {
      LW_EXPECT(static_cast<unsigned char>(bytes[0]) == 0x80 || bytes[0] == '(' || bytes[0] == '}' || bytes[0] == ']',
                "not a pickle or a torch.save file");
      file->root = pickle::read_stream(file->doc, bytes, options);
      file->format = "pickle";
    }
  } catch (const Error& e) {
    LW_FAIL(source << ": " << e.what());
  } catch (const std::bad_alloc&) {
    LW_FAIL(source << ": too large to read into memory");
  }
  LW_EXPECT(file->root != nullptr, source << ": the pickle holds nothing");
  // Every storage a tensor names must have come with the file (from the archive, the legacy
  // stream's tail or a nested stream); one that did not is a damaged file, said here, once.
  for (const pickle::Storage& s : file->doc.storages())
    LW_EXPECT(s.loaded, source << ": storage '" << s.key << "' is named but the file holds no data for it");
  return file;
}

}  // namespace lw::plugin::stylegan
