#include "core/preset.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/atomic_file.hpp"
#include "core/base/text_file.hpp"
#include "core/triggers.hpp"
#include "core/json_fields.hpp"
#include "core/base/check.hpp"

namespace lw {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Fields = JsonFields;

// One of `names` (indexed like the enum `E`), or an error that lists them.
template <typename E, std::size_t N>
E parse_name(const std::string& s, const char* const (&names)[N], const std::string& where, const char* field) {
  for (std::size_t i = 0; i < N; ++i)
    if (s == names[i]) return static_cast<E>(i);
  std::string all;
  for (std::size_t i = 0; i < N; ++i) all += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + names[i];
  LW_FAIL(where << ": \"" << field << "\" must be " << all << ", got \"" << s << "\"");
}

constexpr const char* kKindNames[] = {"linear", "dp", "keyframes", "random", "noise"};
constexpr const char* kInterpolationNames[] = {"linear", "slerp", "dp"};
constexpr const char* kEasingNames[] = {"triangle", "sine", "smooth"};

DirectionRef parse_ref(Fields& f) {
  DirectionRef r;
  r.direction = f.require<std::string>("direction");
  r.row = f.get<int>("row").value_or(0);
  LW_EXPECT(r.row >= 0, f.where() << ": \"row\" must not be negative");
  return r;
}

TilePreset parse_tile(const json& j, const std::string& where) {
  Fields f(j, where);
  TilePreset t;
  t.label = f.require<std::string>("label");
  const auto walk = f.require<std::string>("walk");
  // "slerp" is how presets before keyframe interpolations named a slerp keyframe walk.
  const bool legacy_slerp = walk == "slerp";
  t.walk = legacy_slerp ? WalkKind::Keyframes : parse_name<WalkKind>(walk, kKindNames, where, "walk");
  const bool direction_walk = t.walk == WalkKind::Linear || t.walk == WalkKind::DensityPreserving;
  t.direction = direction_walk ? f.require<std::string>("direction") : f.get<std::string>("direction").value_or("");
  t.row = f.get<int>("row").value_or(0);
  LW_EXPECT(t.row >= 0, where << ": \"row\" must not be negative");
  t.stride = f.get<float>("stride").value_or(t.stride);
  t.period = f.get<float>("period").value_or(t.period);
  LW_EXPECT(t.stride >= 0.f && t.stride <= 100.f, where << ": \"stride\" must be between 0 and 100, got " << t.stride);
  LW_EXPECT(t.period > 0.f, where << ": \"period\" must be positive");
  if (const auto e = f.get<std::string>("easing")) t.easing = parse_name<Easing>(*e, kEasingNames, where, "easing");
  t.start_seed = f.get<int>("start_seed");
  t.start_code = f.get<std::vector<float>>("start_code").value_or(std::vector<float>{});
  for (const float v : t.start_code) LW_EXPECT(std::isfinite(v), where << ": \"start_code\" must hold finite numbers");
  if (const auto start = f.get<json>("start")) {
    Fields s(*start, where + ": \"start\"");
    t.start_file = s.require<std::string>("code");
    t.start_row = s.get<int>("row").value_or(0);
    s.no_others();
    LW_EXPECT(!t.start_file.empty(), where << ": \"start\" needs the code file's path");
    LW_EXPECT(t.start_row >= 0, where << ": \"start\": \"row\" must not be negative");
    LW_EXPECT(t.start_code.empty() && !t.start_seed, where << ": a tile starts from one of \"start\", \"start_code\" or \"start_seed\"");
    LW_EXPECT(direction_walk, where << ": \"start\" starts direction walks (linear, dp); a " << walk << " walk starts from seeds");
  }
  t.keyframes = t.walk == WalkKind::Keyframes ? f.require<std::vector<int>>("keyframes")
                                              : f.get<std::vector<int>>("keyframes").value_or(std::vector<int>{});
  LW_EXPECT(t.walk != WalkKind::Keyframes || t.keyframes.size() >= 2, where << ": a keyframe walk needs at least two keyframes");
  t.segment = f.get<float>("segment").value_or(t.segment);
  LW_EXPECT(t.segment > 0.f, where << ": \"segment\" must be positive");
  t.loop = f.get<bool>("loop").value_or(t.loop);
  if (const auto i = f.get<std::string>("interpolation"))
    t.interpolation = parse_name<Interpolation>(*i, kInterpolationNames, where, "interpolation");
  t.walk_seed = f.get<int>("walk_seed").value_or(t.walk_seed);
  f.no_others();
  return t;
}

constexpr const char* kAudioFeatures[] = {"level", "bass", "mid", "high", "onset", "beat"};

Binding parse_binding(const json& j, const std::string& where) {
  Fields f(j, where);
  Binding b;
  b.target = f.require<std::string>("target");
  LW_EXPECT(b.target.size() > 1 && b.target[0] == '/', where << ": \"target\" must be a parameter path or trigger address such as /tile/1/stride");
  const std::string kind = f.require<std::string>("source");
  const auto k = parse_source_kind(kind);
  LW_EXPECT(k, where << ": \"source\" must be osc, midi_cc, midi_note, audio, lfo or tempo_phase, got \"" << kind << "\"");
  b.source.kind = *k;
  const bool midi = *k == BindingSourceKind::MidiCc || *k == BindingSourceKind::MidiNote;
  if (*k == BindingSourceKind::Osc || *k == BindingSourceKind::Audio) {
    b.source.address = f.require<std::string>("address");
    LW_EXPECT(*k != BindingSourceKind::Osc || (!b.source.address.empty() && b.source.address[0] == '/'),
              where << ": an OSC source's \"address\" starts with /, got \"" << b.source.address << "\"");
    LW_EXPECT(*k != BindingSourceKind::Audio || std::find_if(std::begin(kAudioFeatures), std::end(kAudioFeatures),
                                                             [&](const char* a) { return b.source.address == a; }) != std::end(kAudioFeatures),
              where << ": an audio source's \"address\" must be level, bass, mid, high, onset or beat, got \"" << b.source.address << "\"");
  }
  if (midi) {
    b.source.channel = f.get<int>("channel").value_or(0);
    b.source.number = f.require<int>("number");
    LW_EXPECT(b.source.channel >= 0 && b.source.channel <= 16, where << ": \"channel\" must be between 0 (any) and 16, got " << b.source.channel);
    const int top = *k == BindingSourceKind::MidiCc ? 128 : 127;  // CC 128: pitch bend
    LW_EXPECT(b.source.number >= 0 && b.source.number <= top,
              where << ": \"number\" must be between 0 and " << top << ", got " << b.source.number);
    b.in_max = 127.0;
  }
  if (*k == BindingSourceKind::Lfo) {
    const std::string shape = f.get<std::string>("shape").value_or("sine");
    const auto s = parse_lfo_shape(shape);
    LW_EXPECT(s, where << ": \"shape\" must be sine, triangle, saw or square, got \"" << shape << "\"");
    b.source.shape = *s;
  }
  if (*k == BindingSourceKind::Lfo || *k == BindingSourceKind::TempoPhase) {
    b.source.period = f.get<double>("period").value_or(b.source.period);
    LW_EXPECT(b.source.period > 0.0 && b.source.period <= 3600.0, where << ": \"period\" must be above 0 and at most 3600, got " << b.source.period);
  }
  auto range = [&](const char* name, double& lo, double& hi, bool required_distinct) {
    const auto r = f.get<std::vector<double>>(name);
    if (!r) return false;
    LW_EXPECT(r->size() == 2 && std::isfinite((*r)[0]) && std::isfinite((*r)[1]) && (!required_distinct || (*r)[0] != (*r)[1]),
              where << ": \"" << name << "\" must be [low, high], two different finite numbers");
    lo = (*r)[0], hi = (*r)[1];
    return true;
  };
  range("in", b.in_min, b.in_max, true);
  double lo = 0.0, hi = 0.0;
  if (range("out", lo, hi, false)) b.out_min = lo, b.out_max = hi;
  const std::string curve = f.get<std::string>("curve").value_or("linear");
  const auto c = parse_curve(curve);
  LW_EXPECT(c, where << ": \"curve\" must be linear, exp, log or s, got \"" << curve << "\"");
  b.curve = *c;
  b.invert = f.get<bool>("invert").value_or(false);
  b.attack = f.get<double>("attack").value_or(0.0);
  b.release = f.get<double>("release").value_or(0.0);
  LW_EXPECT(b.attack >= 0.0 && b.attack <= 60.0 && b.release >= 0.0 && b.release <= 60.0,
            where << ": \"attack\" and \"release\" must be between 0 and 60 seconds");
  b.threshold = f.get<double>("threshold").value_or(b.threshold);
  b.hold = f.get<double>("hold").value_or(b.hold);
  LW_EXPECT(b.threshold >= 0.0 && b.threshold <= 1.0, where << ": \"threshold\" must be between 0 and 1, got " << b.threshold);
  LW_EXPECT(b.hold >= 0.0 && b.hold <= 60.0, where << ": \"hold\" must be between 0 and 60 seconds, got " << b.hold);
  f.no_others();
  return b;
}

json binding_json(const Binding& b) {
  json j{{"target", b.target}, {"source", source_kind_name(b.source.kind)}};
  switch (b.source.kind) {
    case BindingSourceKind::Osc:
    case BindingSourceKind::Audio: j["address"] = b.source.address; break;
    case BindingSourceKind::MidiCc:
    case BindingSourceKind::MidiNote: j["channel"] = b.source.channel, j["number"] = b.source.number; break;
    case BindingSourceKind::Lfo: j["shape"] = lfo_shape_name(b.source.shape), j["period"] = b.source.period; break;
    case BindingSourceKind::TempoPhase: j["period"] = b.source.period; break;
  }
  j["in"] = {b.in_min, b.in_max};
  if (b.out_min && b.out_max) j["out"] = {*b.out_min, *b.out_max};
  j["curve"] = curve_name(b.curve);
  if (b.invert) j["invert"] = true;
  if (b.attack > 0.0) j["attack"] = b.attack;
  if (b.release > 0.0) j["release"] = b.release;
  if (is_trigger_address(b.target)) j["threshold"] = b.threshold, j["hold"] = b.hold;
  return j;
}

// A float as the shortest decimal that reads back to it: 0.8f is written 0.8, not
// 0.800000011920929, and still reads back to exactly 0.8f.
double decimal(float f) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, f).ptr;
  return std::strtod(std::string(text, end).c_str(), nullptr);
}

json tile_json(const TilePreset& t) {
  json j{{"label", t.label},       {"walk", walk_kind_name(t.walk)},
         {"direction", t.direction}, {"row", t.row},
         {"stride", decimal(t.stride)}, {"period", decimal(t.period)},
         {"easing", easing_name(t.easing)}, {"keyframes", t.keyframes},
         {"segment", decimal(t.segment)}, {"loop", t.loop},
         {"interpolation", interpolation_name(t.interpolation)}, {"walk_seed", t.walk_seed}};
  if (t.start_seed) j["start_seed"] = *t.start_seed;
  if (!t.start_code.empty()) j["start_code"] = t.start_code;
  // Only direction walks start from a code (a keyframe walk keeps one the panel left behind unsaid).
  const bool direction_walk = t.walk == WalkKind::Linear || t.walk == WalkKind::DensityPreserving;
  if (!t.start_file.empty() && direction_walk) j["start"] = {{"code", t.start_file}, {"row", t.start_row}};
  return j;
}

}  // namespace

std::string walk_kind_name(WalkKind k) { return kKindNames[static_cast<int>(k)]; }
std::string interpolation_name(Interpolation i) { return kInterpolationNames[static_cast<int>(i)]; }
std::string easing_name(Easing e) { return kEasingNames[static_cast<int>(e)]; }

double preset_seconds(const Preset& p, double value) { return p.bpm > 0.0 ? value * 60.0 / p.bpm : value; }

Preset parse_preset(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    LW_FAIL(source << " is not valid JSON (byte " << e.byte << ")");
  } catch (const json::exception& e) {  // a number too large for any type, ...
    LW_FAIL(source << " is not valid JSON (" << e.what() << ")");
  }
  Fields f(j, source);
  Preset p;
  p.version = f.require<int>("version");
  LW_EXPECT(p.version == 1, source << ": preset version " << p.version << " is not supported (this latentwalk reads 1)");
  p.model = f.require<std::string>("model");
  p.space = f.get<std::string>("space").value_or(p.space);
  LW_EXPECT(p.space == "z" || p.space == "w" || p.space == "wplus",
            source << ": \"space\" must be \"z\", \"w\" or \"wplus\", got \"" << p.space << "\"");
  p.density = f.get<std::string>("density").value_or("");
  if (const auto layers = f.get<std::vector<int>>("layers")) {
    LW_EXPECT(layers->size() == 2 && (*layers)[0] >= 0 && ((*layers)[1] == -1 || (*layers)[1] > (*layers)[0]),
              source << ": \"layers\" must be [begin, end] with 0 <= begin < end, or end -1 for the last");
    p.layer_begin = (*layers)[0], p.layer_end = (*layers)[1];
  }
  p.truncation = f.get<float>("truncation").value_or(p.truncation);
  LW_EXPECT(p.truncation >= 0.f && p.truncation <= 2.f, source << ": \"truncation\" must be between 0 and 2, got " << p.truncation);
  p.rotate = f.get<float>("rotate").value_or(p.rotate);
  LW_EXPECT(p.rotate >= -360.f && p.rotate <= 360.f, source << ": \"rotate\" must be between -360 and 360 degrees, got " << p.rotate);
  if (const auto t = f.get<std::vector<float>>("translate")) {
    LW_EXPECT(t->size() == 2 && std::abs((*t)[0]) <= 4.f && std::abs((*t)[1]) <= 4.f,
              source << ": \"translate\" must be [x, y], each between -4 and 4");
    p.translate = {(*t)[0], (*t)[1]};
  }
  p.speed = f.get<double>("speed").value_or(p.speed);
  LW_EXPECT(p.speed > 0.0 && p.speed <= 16.0, source << ": \"speed\" must be above 0 and at most 16, got " << p.speed);
  p.bpm = f.get<double>("bpm").value_or(p.bpm);
  LW_EXPECT(p.bpm == 0.0 || (p.bpm >= 20.0 && p.bpm <= 400.0), source << ": \"bpm\" must be 0 (off) or between 20 and 400, got " << p.bpm);
  p.seed = f.get<int>("seed").value_or(p.seed);
  p.duration = f.get<double>("duration").value_or(p.duration);
  p.fps = f.get<double>("fps").value_or(p.fps);
  LW_EXPECT(p.duration > 0.0 && p.duration <= 24 * 3600, source << ": \"duration\" must be above 0 and at most 86400 seconds, got " << p.duration);
  LW_EXPECT(p.fps > 0.0 && p.fps <= 240.0, source << ": \"fps\" must be above 0 and at most 240, got " << p.fps);
  auto list = [&](const char* name) -> const json& {
    static const json empty = json::array();
    const auto it = j.find(name);
    if (it == j.end()) return empty;
    LW_EXPECT(it->is_array(), source << ": \"" << name << "\" must be an array");
    return f.raw(name);
  };
  const auto& edits = list("edits");
  for (std::size_t i = 0; i < edits.size(); ++i) {
    Fields e(edits[i], source + ": edits[" + std::to_string(i) + "]");
    EditPreset edit;
    edit.ref = parse_ref(e);
    edit.alpha = e.require<float>("alpha");
    LW_EXPECT(std::abs(edit.alpha) <= 100.f, e.where() << ": \"alpha\" must be between -100 and 100, got " << edit.alpha);
    e.no_others();
    p.edits.push_back(edit);
  }
  const auto& hold = list("hold");
  for (std::size_t i = 0; i < hold.size(); ++i) {
    Fields h(hold[i], source + ": hold[" + std::to_string(i) + "]");
    p.hold.push_back(parse_ref(h));
    h.no_others();
  }
  p.difference = f.get<bool>("difference").value_or(p.difference);
  p.difference_gain = f.get<float>("difference_gain").value_or(p.difference_gain);
  LW_EXPECT(p.difference_gain >= 1.f && p.difference_gain <= 32.f, source << ": \"difference_gain\" must be between 1 and 32, got " << p.difference_gain);
  const auto& bindings = list("bindings");
  for (std::size_t i = 0; i < bindings.size(); ++i)
    p.bindings.push_back(parse_binding(bindings[i], source + ": bindings[" + std::to_string(i) + "]"));
  const auto& tiles = f.raw("tiles");
  LW_EXPECT(tiles.is_array() && !tiles.empty() && tiles.size() <= static_cast<std::size_t>(kMaxPresetTiles),
            source << ": \"tiles\" must be an array of between 1 and " << kMaxPresetTiles << " tiles");
  for (std::size_t i = 0; i < tiles.size(); ++i)
    p.tiles.push_back(parse_tile(tiles[i], source + ": tiles[" + std::to_string(i) + "]"));
  LW_EXPECT(!p.difference || (p.tiles.size() >= 2 && p.tiles.size() < static_cast<std::size_t>(kMaxPresetTiles)),
            source << ": \"difference\" needs two to " << kMaxPresetTiles - 1 << " tiles (it is one more)");
  f.no_others();
  return p;
}

std::string preset_json(const Preset& p) {
  json tiles = json::array();
  for (const auto& t : p.tiles) tiles.push_back(tile_json(t));
  json edits = json::array(), hold = json::array();
  for (const auto& e : p.edits) edits.push_back({{"direction", e.ref.direction}, {"row", e.ref.row}, {"alpha", decimal(e.alpha)}});
  for (const auto& h : p.hold) hold.push_back({{"direction", h.direction}, {"row", h.row}});
  json j{{"version", p.version},   {"model", p.model},       {"space", p.space},
         {"layers", {p.layer_begin, p.layer_end}}, {"truncation", decimal(p.truncation)},
         {"speed", p.speed},       {"bpm", p.bpm},           {"seed", p.seed},
         {"duration", p.duration}, {"fps", p.fps},           {"edits", edits},
         {"hold", hold},           {"tiles", tiles}};
  if (!p.density.empty()) j["density"] = p.density;
  if (!p.bindings.empty()) {
    json bindings = json::array();
    for (const auto& b : p.bindings) bindings.push_back(binding_json(b));
    j["bindings"] = bindings;
  }
  if (p.rotate != 0.f) j["rotate"] = decimal(p.rotate);
  if (p.difference) j["difference"] = true, j["difference_gain"] = decimal(p.difference_gain);
  if (p.translate != std::array<float, 2>{0.f, 0.f}) j["translate"] = {decimal(p.translate[0]), decimal(p.translate[1])};
  return j.dump(2) + "\n";
}

Preset read_preset(const fs::path& path) {
  return parse_preset(read_text_file(path, "preset file"), path.string());
}

void write_preset(const fs::path& path, const Preset& p) { write_text_file(path, preset_json(p)); }

namespace {

// Calls f on every path the preset names.
template <typename F>
Preset map_paths(Preset p, F&& f) {
  auto apply = [&](std::string& s) {
    if (!s.empty()) s = f(fs::path(s)).string();
  };
  apply(p.model);
  apply(p.density);
  for (auto& t : p.tiles) apply(t.direction), apply(t.start_file);
  for (auto& e : p.edits) apply(e.ref.direction);
  for (auto& h : p.hold) apply(h.direction);
  return p;
}

fs::path folder_of(const fs::path& preset_file) { return fs::absolute(preset_file).parent_path().lexically_normal(); }

}  // namespace

Preset absolute_paths(Preset p, const fs::path& preset_file) {
  const fs::path base = folder_of(preset_file);
  return map_paths(std::move(p), [&](const fs::path& x) { return (x.is_absolute() ? x : base / x).lexically_normal(); });
}

Preset relative_paths(Preset p, const fs::path& preset_file) {
  const fs::path base = folder_of(preset_file);
  return map_paths(std::move(p), [&](const fs::path& x) {
    if (!x.is_absolute()) return x;
    // Relative only beneath a shared top-level folder: /work/a from /tmp/b stays absolute, as
    // the two would not move together.
    const fs::path n = x.lexically_normal();
    const auto first = [](const fs::path& q) { return std::next(q.begin()) == q.end() ? fs::path() : *std::next(q.begin()); };
    if (first(n) != first(base)) return n;
    const fs::path r = n.lexically_relative(base);
    return r.empty() ? n : r;
  });
}

Preset read_preset_resolved(const fs::path& path) { return absolute_paths(read_preset(path), path); }

void write_preset_relative(const fs::path& path, const Preset& p) { write_preset(path, relative_paths(p, path)); }

}  // namespace lw
