// Walk presets: the JSON file the viewer saves and plays and `record` renders frame by frame, so
// a video is exactly the walk a performer built. A preset names the model, the space, a seed for
// start codes, a duration and frame rate, the clock's speed and BPM, edits and the attributes
// they hold fixed, and the tiles, each a walk:
//
//   {"version": 1, "model": "../models/synthfaces", "space": "w", "seed": 0,
//    "duration": 8, "fps": 30, "speed": 1, "bpm": 0, "truncation": 1,
//    "edits": [{"direction": "smile.npy", "row": 0, "alpha": 1.5}],
//    "hold": [{"direction": "eyeglasses.npy", "row": 0}],
//    "tiles": [{"label": "linear", "walk": "linear", "direction": "age.npy", "stride": 3, "period": 4},
//              {"label": "density-preserving", "walk": "dp", "direction": "age.npy", "stride": 3, "period": 4},
//              {"label": "keyframes", "walk": "keyframes", "keyframes": [1, 2, 3], "segment": 2,
//               "interpolation": "slerp"},
//              {"label": "noise", "walk": "noise", "period": 8},
//              {"label": "photo", "walk": "linear", "direction": "age.npy", "start": {"code": "me.npy", "row": 0}}]}
//
// Spaces: "z"; "w", where starts and keyframes are the mapping of seeded codes and a dp walk is
// z0 + eps gamma + C with the learned modules in "density"; "wplus", W with walks and edits on the
// style rows `layers` [begin, end) only. Random walks and noise loops are walked in Z (their
// codes are N(0, I) by construction) and mapped in W. With "bpm" above 0, periods and segments
// count beats. "truncation" pulls W codes toward the mean before synthesis. Relative paths resolve
// against the preset file's folder. Reading is strict: an unknown field, a wrong type or an
// out-of-range value is an error that names the file and the field. Writing writes every field,
// so a preset read back is identical to the one written.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <array>
#include <string>
#include <vector>

#include "core/base/npy.hpp"
#include "core/binding.hpp"
#include "core/walk.hpp"

namespace lw {

struct TilePreset {
  std::string label;
  WalkKind walk = WalkKind::Linear;
  // Direction walks (linear, dp): row `row` of a [k, d] .npy, ping-pong -stride..stride once per
  // period, shaped by `easing`. Random walks: `stride` per knot. Noise loops: `period`.
  std::string direction;
  int row = 0;
  float stride = 3.f, period = 4.f;
  Easing easing = Easing::Triangle;
  std::optional<int> start_seed;  // default: the preset's seed
  // Direction walks: this start code (in the preset's space) instead of the seed's, e.g. sent as
  // /tile/N/code over OSC. Empty: the seed's.
  std::vector<float> start_code;
  // Direction walks: the code in row `start_row` of a code file (`invert` writes them) as the
  // start, written {"start": {"code": "me.npy", "row": 0}}. [N, d] in the preset's space; in W+
  // also [N, num_ws, w_dim], every style row its own. Empty: the seed's.
  std::string start_file;
  int start_row = 0;
  // Keyframe walks: keyframe codes by seed, one every `segment` seconds. Random walks: seconds
  // per knot.
  std::vector<int> keyframes;
  float segment = 2.f;
  bool loop = true;
  Interpolation interpolation = Interpolation::Slerp;
  int walk_seed = 1;  // random walks and noise loops

  bool operator==(const TilePreset&) const = default;
};

// A direction by file and row, as edits and holds name them.
struct DirectionRef {
  std::string direction;
  int row = 0;
  bool operator==(const DirectionRef&) const = default;
};

struct EditPreset {
  DirectionRef ref;
  float alpha = 0.f;  // every tile's code moves by alpha along the (conditioned) direction
  bool operator==(const EditPreset&) const = default;
};

struct Preset {
  int version = 1;
  std::string model;
  std::string space = "z";  // "z", "w" or "wplus"
  std::string density;      // W: the folder of the learned F and C (default: MODEL/dplase/w)
  int layer_begin = 0, layer_end = -1;  // W+: the style rows walks and edits move; -1: the last
  float truncation = 1.f;   // psi: w_avg + psi (w - w_avg) before synthesis; 1: none
  float rotate = 0.f;       // StyleGAN3: the image rotated, degrees (its input transform)
  std::array<float, 2> translate{0.f, 0.f};  // StyleGAN3: the image moved (NVlabs' units)
  double speed = 1.0;       // walk seconds per clock second
  double bpm = 0.0;         // above 0: periods and segments count beats at this tempo
  int seed = 0;
  double duration = 8.0, fps = 30.0;
  std::vector<EditPreset> edits;
  std::vector<DirectionRef> hold;  // attributes every direction is conditioned to leave alone
  std::vector<TilePreset> tiles;
  // One more tile after the walks: |tile 1 - tile 2| per pixel, times `difference_gain` (black:
  // the two walks draw the same pixel). Needs two walks, and at most three.
  bool difference = false;
  float difference_gain = 4.f;
  // Sources that move parameters or fire triggers live (OSC, MIDI, audio, LFOs, the tempo):
  // saved with the walks, so they survive loading the preset. Not structure: no new scene.
  std::vector<Binding> bindings;

  bool operator==(const Preset&) const = default;
};

inline constexpr int kMaxPresetTiles = 4;

// Parses preset JSON text; `source` names it in errors. Throws lw::Error.
Preset parse_preset(const std::string& text, const std::string& source);
std::string preset_json(const Preset& p);  // pretty-printed, every field written
Preset read_preset(const std::filesystem::path& path);
void write_preset(const std::filesystem::path& path, const Preset& p);  // atomic

// Every path of the preset (model, density, directions of tiles, edits and holds) made absolute
// and normal against `preset_file`'s folder, or relative to it: the viewer holds a preset with
// absolute paths and saves it relative (when both lie under one top-level folder), so the file
// still works when its folder moves along with what it names. read_preset_resolved(f) after write_preset_relative(f, p) equals p.
Preset absolute_paths(Preset p, const std::filesystem::path& preset_file);
Preset relative_paths(Preset p, const std::filesystem::path& preset_file);
Preset read_preset_resolved(const std::filesystem::path& path);
void write_preset_relative(const std::filesystem::path& path, const Preset& p);

std::string walk_kind_name(WalkKind k);           // "linear", "dp", "keyframes", "random", "noise"
std::string interpolation_name(Interpolation i);  // "linear", "slerp", "dp"
std::string easing_name(Easing e);                // "triangle", "sine", "smooth"

// Seconds of a period or segment as the preset counts it (beats when bpm > 0).
double preset_seconds(const Preset& p, double value);

// A preset path as written, resolved against the folder of the preset file.
std::filesystem::path resolve_preset_path(const std::filesystem::path& preset_file, const std::string& path);

// The code a seed stands for: N(0, I) from that seed, the same on every machine.
Latent seeded_code(int seed, int dim);

// Row `row` of a code file as [k, dims]: k = 1 for [N, dims], k = the file's second size for
// [N, k, dims] (W+). Throws naming the file when it is missing, has no such row, another
// dimension, or holds NaN.
Eigen::MatrixXf load_code_rows(const std::filesystem::path& file, int row, int dims, NpyCache* files = nullptr);

// Row `row` of a [k, d] direction file, unit length; throws naming the file when it is missing,
// has no such row, another dimension than `dims`, or is zero.
// With `files`, each file is read once (NpyCache).
Latent load_direction(const std::filesystem::path& file, int row, int dims, NpyCache* files = nullptr);

// The tiles' walks with directions loaded (and conditioned on the preset's holds) and codes
// made, ready for latent_at(). `code` makes the code of a seed in the preset's space (Z:
// seeded_code; W: its mapping); `dims` is that space's size; random walks and noise loops start
// from seeded_code(seed, z_dims) (0: dims). Throws naming a missing or mismatched direction file.
std::vector<WalkSettings> resolve_walks(const Preset& p, const std::filesystem::path& preset_file, int dims,
                                        const std::function<Latent(int)>& code = {}, int z_dims = 0,
                                        NpyCache* files = nullptr);

// Each edit's direction, conditioned on the preset's holds, in order.
std::vector<Latent> resolve_edit_directions(const Preset& p, const std::filesystem::path& preset_file, int dims,
                                            NpyCache* files = nullptr);
// The sum of alphas[i] * directions[i] (zero alphas skipped): added to every code.
Latent edit_offset(const std::vector<Latent>& directions, const std::vector<float>& alphas, int dims);
// The same for the preset's own alphas.
Latent resolve_edit_offset(const Preset& p, const std::filesystem::path& preset_file, int dims);

}  // namespace lw
