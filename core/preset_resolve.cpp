// Resolving a preset against the files it names: start codes, directions, held attributes
// and edits as latent vectors of the model's space (parsing and writing are in preset.cpp, which
// needs no LibTorch).
#include <torch/torch.h>

#include "core/base/check.hpp"
#include "core/boundary.hpp"
#include "core/direction_space.hpp"
#include "core/preset.hpp"

namespace lw {
namespace fs = std::filesystem;

fs::path resolve_preset_path(const fs::path& preset_file, const std::string& path) {
  const fs::path p(path);
  return p.is_absolute() ? p : preset_file.parent_path() / p;
}

Latent seeded_code(int seed, int dim) {
  const auto z = torch::randn({dim}, at::detail::createCPUGenerator(static_cast<std::uint64_t>(seed)));
  return Eigen::Map<const Latent>(z.data_ptr<float>(), dim);
}

Eigen::MatrixXf load_code_rows(const fs::path& file, int row, int dims, NpyCache* files) {
  NpyArray read;
  const NpyArray& a = files ? files->read(file) : (read = read_npy(file));
  const bool flat = a.shape.size() == 2 && a.shape[1] == dims;
  const bool rowed = a.shape.size() == 3 && a.shape[1] >= 1 && a.shape[2] == dims;
  LW_EXPECT(flat || rowed, file.string() << ": start codes of this space are [N, " << dims << "] (or [N, rows, " << dims
                                         << "] in W+), this file holds " << a.shape_text());
  LW_EXPECT(row >= 0 && row < a.shape[0], file.string() << " has " << a.shape[0] << " code(s); there is no row " << row);
  const std::int64_t k = flat ? 1 : a.shape[1];
  const float* first = a.data.data() + static_cast<std::size_t>(row * k * dims);
  // C order on disk: [k, dims] row-major, each style row a row here.
  Eigen::MatrixXf m = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(first, k, dims);
  LW_EXPECT(m.allFinite(), file.string() << " row " << row << " holds NaN or infinite values");
  return m;
}

Latent load_direction(const fs::path& file, int row, int dims, NpyCache* files) {
  NpyArray read;
  const NpyArray& a = files ? files->read(file) : (read = read_npy(file));
  LW_EXPECT(a.shape.size() == 2 || a.shape.size() == 1,
            file.string() << " must hold directions as [k, d] or [d], not " << a.shape.size() << " dimensions");
  const std::int64_t rows = a.shape.size() == 2 ? a.shape[0] : 1, d = a.shape.back();
  LW_EXPECT(row >= 0 && row < rows, file.string() << " has " << rows << " direction(s); there is no row " << row);
  LW_EXPECT(d == dims, file.string() << " has dimension " << d << ", but the space has " << dims);
  const Latent v = Eigen::Map<const Latent>(a.data.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(d), d);
  LW_EXPECT(v.allFinite() && v.norm() > 0.f, file.string() << " row " << row << " is zero or not finite");
  return v.normalized();
}

namespace {

// A direction of the preset, refused when its file says it belongs to another space than the
// preset's (a Z and a W of one size would take each other's).
Latent load_preset_direction(const Preset& p, const fs::path& preset_file, const DirectionRef& ref, int dims,
                             NpyCache* files) {
  const fs::path file = resolve_preset_path(preset_file, ref.direction);
  check_direction_space(file, parse_space(p.space));
  return load_direction(file, ref.row, dims, files);
}

// The preset's held directions, loaded once per resolve.
std::vector<Latent> held_directions(const Preset& p, const fs::path& preset_file, int dims, NpyCache* files) {
  std::vector<Latent> held;
  for (const auto& h : p.hold) held.push_back(load_preset_direction(p, preset_file, h, dims, files));
  return held;
}

// The preset's direction `ref`, conditioned on every held direction but itself.
Latent conditioned(const Preset& p, const fs::path& preset_file, const DirectionRef& ref, int dims,
                   const std::vector<Latent>& held, NpyCache* files) {
  const Latent d = load_preset_direction(p, preset_file, ref, dims, files);
  std::vector<Eigen::VectorXf> others;
  for (const auto& c : held)
    if (std::abs(c.dot(d)) < 1.f - 1e-5f) others.push_back(c);  // holding itself fixed would leave nothing
  return others.empty() ? d : Latent(condition_boundary(d, others));
}

}  // namespace

std::vector<WalkSettings> resolve_walks(const Preset& p, const fs::path& preset_file, int dims,
                                        const std::function<Latent(int)>& code_of, int z_dims, NpyCache* files) {
  const auto code = code_of ? code_of : [dims](int seed) { return seeded_code(seed, dims); };
  if (z_dims <= 0) z_dims = dims;
  const auto held = held_directions(p, preset_file, dims, files);
  std::vector<WalkSettings> out;
  for (const auto& t : p.tiles) {
    WalkSettings w;
    w.kind = t.walk;
    w.stride = t.stride;
    w.period = static_cast<float>(preset_seconds(p, t.period));
    w.segment = static_cast<float>(preset_seconds(p, t.segment));
    w.easing = t.easing;
    w.loop = t.loop;
    w.interpolation = t.interpolation;
    w.walk_seed = static_cast<std::uint64_t>(static_cast<std::uint32_t>(t.walk_seed));
    const int seed = t.start_seed.value_or(p.seed);
    switch (t.walk) {
      case WalkKind::Keyframes:
        for (const int s : t.keyframes) w.keyframes.push_back(code(s));
        break;
      case WalkKind::Random:
      case WalkKind::Noise:
        w.start = seeded_code(seed, z_dims);
        w.knots = new_knot_cache();
        break;
      case WalkKind::Linear:
      case WalkKind::DensityPreserving:
        w.direction = conditioned(p, preset_file, {t.direction, t.row}, dims, held, files);
        LW_EXPECT(t.start_code.empty() || static_cast<int>(t.start_code.size()) == dims,
                  "a tile's start code has " << t.start_code.size() << " numbers, but the space has " << dims);
        if (!t.start_file.empty())
          w.start = load_code_rows(resolve_preset_path(preset_file, t.start_file), t.start_row, dims, files).colwise().mean().transpose();
        else
          w.start = t.start_code.empty() ? code(seed) : Latent(Eigen::Map<const Latent>(t.start_code.data(), dims));
        break;
    }
    out.push_back(std::move(w));
  }
  return out;
}

std::vector<Latent> resolve_edit_directions(const Preset& p, const fs::path& preset_file, int dims, NpyCache* files) {
  const auto held = held_directions(p, preset_file, dims, files);
  std::vector<Latent> out;
  for (const auto& e : p.edits) out.push_back(conditioned(p, preset_file, e.ref, dims, held, files));
  return out;
}

Latent edit_offset(const std::vector<Latent>& directions, const std::vector<float>& alphas, int dims) {
  Latent offset = Latent::Zero(dims);
  for (std::size_t i = 0; i < directions.size() && i < alphas.size(); ++i)
    if (alphas[i] != 0.f) offset += alphas[i] * directions[i];
  return offset;
}

Latent resolve_edit_offset(const Preset& p, const fs::path& preset_file, int dims) {
  std::vector<float> alphas;
  for (const auto& e : p.edits) alphas.push_back(e.alpha);
  return edit_offset(resolve_edit_directions(p, preset_file, dims), alphas, dims);
}

}  // namespace lw
