// How many bytes LibTorch's zip reader would allocate for a record of a torch.save archive,
// checked before it does. Its getRecord() allocates the size the archive's central directory
// declares, whatever the archive holds: a 4 KB file declaring a 4 GB record (found by
// fuzz_network_file) allocated 4 GB, and its constructor does the same with the archive's
// `version` record. Read from the archive's bytes, conservatively: every central-directory
// signature in the file counts, wherever it lies.
#pragma once

#include <cstdint>
#include <string>

namespace lw::plugin::stylegan {

// The largest uncompressed size any central-directory entry named `name` (after the archive's
// top folder; compared as the zip reader does, ignoring case) declares, zip64 extra fields read.
// Throws lw::Error when a declaration is impossible for the archive: a stored record larger than
// the archive, a compressed one larger than deflate can expand (1,032 to 1), a zip64 size with no
// zip64 field, or no entry of that name.
std::uint64_t declared_record_size(const std::string& archive, const std::string& name);

// Checks every entry's declaration as above, before the zip reader opens the archive. Throws
// lw::Error naming the first impossible one.
void check_declared_sizes(const std::string& archive);

}  // namespace lw::plugin::stylegan
