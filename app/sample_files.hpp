// The files `generate` writes, as the later InterFaceGAN steps read them: latent codes and
// scores must describe the same samples, and attributes.json beside the scores names their
// columns.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lw::app {

// Throws unless both files hold the same number of samples.
void expect_same_samples(const std::filesystem::path& latents, std::int64_t latent_rows,
                         const std::filesystem::path& scores, std::int64_t score_rows);
// The names of the `columns` score columns, from attributes.json beside `scores`.
std::vector<std::string> score_names(const std::filesystem::path& scores, std::int64_t columns);

}  // namespace lw::app
