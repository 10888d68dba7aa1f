// Reading a whole text file (a preset, a manifest, settings) with one error wording for every
// reader: the parsers take the text, so a missing or unreadable file is refused here, by name.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace lw {

// The whole of `path`. `what` names the file for the user ("preset file", "model manifest").
// Throws lw::Error "P: no such <what>" when it does not exist, "P: cannot read the <what>" when
// it cannot be opened or read (a folder, no permission).
std::string read_text_file(const std::filesystem::path& path, std::string_view what);

}  // namespace lw
