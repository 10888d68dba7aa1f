// Walk presets: the JSON file the viewer saves and plays and `record` renders frame by frame, so
// a video is exactly the walk a performer built. A preset names the model, the space, a seed for
// start codes, a duration and frame rate, and the tiles, each a walk:
//
//   {"version": 1, "model": "../models/synthfaces", "space": "w", "seed": 0,
//    "duration": 8, "fps": 30,
//    "tiles": [{"label": "linear", "walk": "linear", "direction": "age.npy", "stride": 3, "period": 4},
//              {"label": "density-preserving", "walk": "dp", "direction": "age.npy", "stride": 3, "period": 4},
//              {"label": "keyframes", "walk": "slerp", "keyframes": [1, 2, 3], "segment": 2, "loop": true}]}
//
// In W, starts and keyframes are the mapping of seeded codes and a dp walk is z0 + eps gamma + C
// with the learned modules in "density". Relative paths resolve against the preset file's folder. Reading is strict: an unknown field,
// a wrong type or an out-of-range value is an error that names the file and the field.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/walk.hpp"

namespace lw {

struct TilePreset {
  std::string label;
  WalkKind walk = WalkKind::Linear;
  // Direction walks (linear, dp): a [1, d] .npy, ping-pong -stride..stride once per period.
  std::string direction;
  float stride = 3.f, period = 4.f;
  std::optional<int> start_seed;  // default: the preset's seed
  // Keyframe walks (slerp): keyframe codes by seed, one every `segment` seconds.
  std::vector<int> keyframes;
  float segment = 2.f;
  bool loop = true;

  bool operator==(const TilePreset&) const = default;
};

struct Preset {
  int version = 1;
  std::string model;
  std::string space = "z";  // "z", or "w": codes are mapping(z) and dp walks use learned F and C
  std::string density;      // W: the folder of the learned F and C (default: MODEL/dplase/w)
  int seed = 0;
  double duration = 8.0, fps = 30.0;
  std::vector<TilePreset> tiles;

  bool operator==(const Preset&) const = default;
};

inline constexpr int kMaxPresetTiles = 4;

// Parses preset JSON text; `source` names it in errors. Throws lw::Error.
Preset parse_preset(const std::string& text, const std::string& source);
std::string preset_json(const Preset& p);  // pretty-printed, every field written
Preset read_preset(const std::filesystem::path& path);
void write_preset(const std::filesystem::path& path, const Preset& p);  // atomic

std::string walk_kind_name(WalkKind k);  // "linear", "dp", "slerp"

// A preset path as written, resolved against the folder of the preset file.
std::filesystem::path resolve_preset_path(const std::filesystem::path& preset_file, const std::string& path);

// The code a seed stands for: N(0, I) from that seed, the same on every machine.
Latent seeded_code(int seed, int dim);

// The tiles' walks with directions loaded and codes made, ready for latent_at(). `code` makes
// the code of a seed in the preset's space (Z: seeded_code; W: its mapping); `dims` is that
// space's size. Throws naming a missing or mismatched direction file.
std::vector<WalkSettings> resolve_walks(const Preset& p, const std::filesystem::path& preset_file, int dims,
                                        const std::function<Latent(int)>& code = {});

}  // namespace lw
