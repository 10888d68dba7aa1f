#include "app/sample_files.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/check.hpp"

namespace lw::app {
namespace fs = std::filesystem;

void expect_same_samples(const fs::path& latents, std::int64_t latent_rows, const fs::path& scores,
                         std::int64_t score_rows) {
  LW_EXPECT(latent_rows == score_rows, latents.string() << " has " << latent_rows << " samples but " << scores.string()
                                                        << " has " << score_rows);
}

std::vector<std::string> score_names(const fs::path& scores, std::int64_t columns) {
  const fs::path names = scores.parent_path() / "attributes.json";
  LW_EXPECT(fs::exists(names), names.string() << " is missing: it names the columns of " << scores.string()
                                              << " (generate writes both)");
  nlohmann::json j;
  try {
    std::ifstream(names) >> j;
  } catch (const std::exception&) {
    LW_FAIL(names.string() << " is not valid JSON");
  }
  LW_EXPECT(j.contains("attributes") && j["attributes"].is_array(), names.string() << " has no \"attributes\" list");
  auto list = j["attributes"].get<std::vector<std::string>>();
  LW_EXPECT(static_cast<std::int64_t>(list.size()) == columns,
            names.string() << " names " << list.size() << " attributes but " << scores.string() << " has " << columns << " columns");
  return list;
}

}  // namespace lw::app
