#include "core/preset.hpp"

#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/boundary.hpp"
#include "core/check.hpp"

namespace lw {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Reads fields of one JSON object, refusing any it does not know.
class Fields {
 public:
  Fields(const json& j, std::string where) : j_(j), where_(std::move(where)) {
    LW_EXPECT(j.is_object(), where_ << " must be a JSON object");
  }

  template <typename T>
  std::optional<T> get(const std::string& name) {
    known_.insert(name);
    const auto it = j_.find(name);
    if (it == j_.end()) return std::nullopt;
    try {
      return it->get<T>();
    } catch (const json::exception&) {
      LW_FAIL(where_ << ": field \"" << name << "\" has the wrong type (" << it->type_name() << ")");
    }
  }
  template <typename T>
  T require(const std::string& name) {
    auto v = get<T>(name);
    LW_EXPECT(v.has_value(), where_ << ": field \"" << name << "\" is missing");
    return *v;
  }
  const json& raw(const std::string& name) {
    known_.insert(name);
    const auto it = j_.find(name);
    LW_EXPECT(it != j_.end(), where_ << ": field \"" << name << "\" is missing");
    return *it;
  }
  // Call after reading: any field not asked for is an error (a typo must not be ignored).
  void no_others() const {
    for (const auto& [key, value] : j_.items())
      LW_EXPECT(known_.count(key), where_ << ": unknown field \"" << key << "\"");
  }
  const std::string& where() const { return where_; }

 private:
  const json& j_;
  std::string where_;
  std::set<std::string> known_;
};

WalkKind parse_kind(const std::string& s, const std::string& where) {
  if (s == "linear") return WalkKind::Linear;
  if (s == "dp") return WalkKind::DensityPreserving;
  if (s == "slerp") return WalkKind::Slerp;
  LW_FAIL(where << ": \"walk\" must be linear, dp or slerp, got \"" << s << "\"");
}

TilePreset parse_tile(const json& j, const std::string& where) {
  Fields f(j, where);
  TilePreset t;
  t.label = f.require<std::string>("label");
  t.walk = parse_kind(f.require<std::string>("walk"), where);
  if (t.walk == WalkKind::Slerp) {
    t.keyframes = f.require<std::vector<int>>("keyframes");
    LW_EXPECT(t.keyframes.size() >= 2, where << ": a slerp walk needs at least two keyframes");
    t.segment = f.get<float>("segment").value_or(t.segment);
    LW_EXPECT(t.segment > 0.f, where << ": \"segment\" must be positive");
    t.loop = f.get<bool>("loop").value_or(t.loop);
  } else {
    t.direction = f.require<std::string>("direction");
    t.stride = f.get<float>("stride").value_or(t.stride);
    t.period = f.get<float>("period").value_or(t.period);
    LW_EXPECT(t.stride >= 0.f && t.stride <= 100.f, where << ": \"stride\" must be 0..100");
    LW_EXPECT(t.period > 0.f, where << ": \"period\" must be positive");
    t.start_seed = f.get<int>("start_seed");
  }
  f.no_others();
  return t;
}

json tile_json(const TilePreset& t) {
  json j{{"label", t.label}, {"walk", walk_kind_name(t.walk)}};
  if (t.walk == WalkKind::Slerp) {
    j["keyframes"] = t.keyframes;
    j["segment"] = t.segment;
    j["loop"] = t.loop;
  } else {
    j["direction"] = t.direction;
    j["stride"] = t.stride;
    j["period"] = t.period;
    if (t.start_seed) j["start_seed"] = *t.start_seed;
  }
  return j;
}

}  // namespace

std::string walk_kind_name(WalkKind k) {
  switch (k) {
    case WalkKind::Linear: return "linear";
    case WalkKind::DensityPreserving: return "dp";
    case WalkKind::Slerp: return "slerp";
  }
  return "?";
}

Preset parse_preset(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    LW_FAIL(source << " is not valid JSON (byte " << e.byte << ")");
  }
  Fields f(j, source);
  Preset p;
  p.version = f.require<int>("version");
  LW_EXPECT(p.version == 1, source << ": preset version " << p.version << " is not supported (this latentwalk reads 1)");
  p.model = f.require<std::string>("model");
  p.space = f.get<std::string>("space").value_or(p.space);
  LW_EXPECT(p.space == "z" || p.space == "w", source << ": \"space\" must be \"z\" or \"w\", got \"" << p.space << "\"");
  p.density = f.get<std::string>("density").value_or("");
  p.seed = f.get<int>("seed").value_or(p.seed);
  p.duration = f.get<double>("duration").value_or(p.duration);
  p.fps = f.get<double>("fps").value_or(p.fps);
  LW_EXPECT(p.duration > 0.0 && p.duration <= 24 * 3600, source << ": \"duration\" must be 0..86400 seconds");
  LW_EXPECT(p.fps > 0.0 && p.fps <= 240.0, source << ": \"fps\" must be 0..240");
  const auto& tiles = f.raw("tiles");
  LW_EXPECT(tiles.is_array() && !tiles.empty() && tiles.size() <= static_cast<std::size_t>(kMaxPresetTiles),
            source << ": \"tiles\" must be an array of 1.." << kMaxPresetTiles << " tiles");
  for (std::size_t i = 0; i < tiles.size(); ++i)
    p.tiles.push_back(parse_tile(tiles[i], source + ": tiles[" + std::to_string(i) + "]"));
  f.no_others();
  return p;
}

std::string preset_json(const Preset& p) {
  json tiles = json::array();
  for (const auto& t : p.tiles) tiles.push_back(tile_json(t));
  json j{{"version", p.version}, {"model", p.model},       {"space", p.space}, {"seed", p.seed},
         {"duration", p.duration}, {"fps", p.fps}, {"tiles", tiles}};
  if (!p.density.empty()) j["density"] = p.density;
  return j.dump(2) + "\n";
}

Preset read_preset(const fs::path& path) {
  std::ifstream is(path, std::ios::binary);
  LW_EXPECT(is.good(), "no preset file " << path.string());
  std::stringstream text;
  text << is.rdbuf();
  return parse_preset(text.str(), path.string());
}

void write_preset(const fs::path& path, const Preset& p) { write_text_file(path, preset_json(p)); }

fs::path resolve_preset_path(const fs::path& preset_file, const std::string& path) {
  const fs::path p(path);
  return p.is_absolute() ? p : preset_file.parent_path() / p;
}

Latent seeded_code(int seed, int dim) {
  const auto z = torch::randn({dim}, at::detail::createCPUGenerator(static_cast<std::uint64_t>(seed)));
  return Eigen::Map<const Latent>(z.data_ptr<float>(), dim);
}

std::vector<WalkSettings> resolve_walks(const Preset& p, const fs::path& preset_file, int latent_dim,
                                        const std::function<Latent(int)>& code_of) {
  const auto code = code_of ? code_of : [latent_dim](int seed) { return seeded_code(seed, latent_dim); };
  std::vector<WalkSettings> out;
  for (const auto& t : p.tiles) {
    WalkSettings w;
    w.kind = t.walk;
    if (t.walk == WalkKind::Slerp) {
      for (const int s : t.keyframes) w.keyframes.push_back(code(s));
      w.segment = t.segment;
      w.loop = t.loop;
    } else {
      const auto file = resolve_preset_path(preset_file, t.direction);
      auto d = read_boundary(file);
      LW_EXPECT(d.size() == latent_dim, file.string() << " has dimension " << d.size() << ", but the model's "
                                                      << p.space << " has " << latent_dim);
      LW_EXPECT(d.norm() > 0.f, file.string() << " is a zero direction");
      w.direction = d.normalized();
      w.start = code(t.start_seed.value_or(p.seed));
      w.stride = t.stride;
      w.period = t.period;
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace lw
