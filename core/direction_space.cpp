#include "core/direction_space.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"

namespace lw {
namespace fs = std::filesystem;

namespace {

fs::path sidecar_of(const fs::path& npy) { return fs::path(npy).replace_extension(".json"); }

}  // namespace

std::optional<Space> recorded_space(const fs::path& npy) {
  const fs::path sidecar = sidecar_of(npy);
  if (fs::is_regular_file(sidecar)) {
    std::ifstream in(sidecar);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    LW_EXPECT(!j.is_discarded() && j.is_object(), sidecar.string() << ": not a JSON object (the boundary's sidecar)");
    if (j.contains("space")) {
      LW_EXPECT(j["space"].is_string(), sidecar.string() << ": \"space\" must be \"z\", \"w\" or \"wplus\"");
      const std::string space = j["space"].get<std::string>();
      LW_EXPECT(space == "z" || space == "w" || space == "wplus",
                sidecar.string() << ": \"space\" must be \"z\", \"w\" or \"wplus\", got \"" << space << "\"");
      return parse_space(space);
    }
  }
  const fs::path folder = fs::absolute(npy).lexically_normal().parent_path();
  const std::string kind = folder.parent_path().filename().string();  // a model's: boundaries/w, dplase/z
  if (kind != "boundaries" && kind != "dplase") return std::nullopt;
  if (folder.filename() == "z") return Space::Z;
  if (folder.filename() == "w") return Space::W;
  return std::nullopt;
}

Space auto_space(const fs::path& npy, bool w_available) {
  if (const auto recorded = recorded_space(npy)) return *recorded == Space::Z ? Space::Z : Space::W;
  return w_available ? Space::W : Space::Z;
}

void write_direction_sidecar(const fs::path& npy, Space space, const nlohmann::json& about) {
  nlohmann::json j = about.is_object() ? about : nlohmann::json::object();
  j["space"] = space_name(space);
  write_text_file(sidecar_of(npy), j.dump(2) + "\n");
}

void check_direction_space(const fs::path& npy, Space used) {
  const auto recorded = recorded_space(npy);
  if (!recorded) return;
  const Space wanted = used == Space::WPlus ? Space::W : used;  // W+ edits with W's directions
  const Space have = *recorded == Space::WPlus ? Space::W : *recorded;
  if (have == wanted) return;
  const bool by_sidecar = fs::is_regular_file(sidecar_of(npy));
  LW_FAIL(npy.string() << " is a direction of " << space_label(have) << " ("
                       << (by_sidecar ? "its sidecar " + sidecar_of(npy).filename().string() : "its folder")
                       << "), but it is used in " << space_label(used) << ": use it in " << space_label(have) << " (--space "
                       << space_name(have) << "), or a direction of " << space_label(wanted));
}

}  // namespace lw
