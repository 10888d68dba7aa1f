#include "core/scene.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "core/base/check.hpp"
#include "core/model.hpp"
#include "core/walk_batch.hpp"

namespace lw {
namespace fs = std::filesystem;

std::shared_ptr<LearnedModules> LearnedCache::get(const fs::path& folder, int dims) {
  if (!modules_ || folder_ != folder || dims_ != dims) {
    modules_ = std::make_shared<LearnedModules>(load_learned(folder, dims));
    folder_ = folder, dims_ = dims;
  }
  return modules_;
}

Space preset_space(const Preset& p, const Generator& g) {
  const Space s = parse_space(p.space);
  LW_EXPECT(s == Space::Z || g.w_dim() > 0, "the preset walks in " << p.space << ", but this model has no mapping network");
  LW_EXPECT(s != Space::WPlus || g.num_ws() > 0, "the preset walks in W+, but this model has no per-layer styles");
  return s;
}

namespace {

Latent row_of(const at::Tensor& t) {
  const auto c = t.to(at::kCPU).contiguous();  // a GPU generator's mapping comes back to the host
  return Eigen::Map<const Latent>(c.data_ptr<float>(), c.numel());
}

}  // namespace

Scene::Scene(const Preset& preset, const SceneModel& model, LearnedCache& learned, NpyCache* files)
    : preset_(preset), model_(model) {
  LW_CHECK(model_.generator, "a scene needs a generator");
  const Generator& g = *model_.generator;
  space_ = preset_space(preset_, g);
  dims_ = space_ == Space::Z ? g.latent_dim() : g.w_dim();
  if (space_ == Space::WPlus) {
    rows_ = g.num_ws();
    layer_begin_ = preset_.layer_begin;
    layer_end_ = preset_.layer_end < 0 ? rows_ : preset_.layer_end;
    LW_EXPECT(layer_begin_ < layer_end_ && layer_end_ <= rows_,
              "layers " << layer_begin_ << ":" << layer_end_ << " do not fit this model's " << rows_ << " style rows");
  }
  ParameterRegistry values;
  layout_ = register_scene_parameters(values, preset_);
  auto code_of = [this](int seed) {
    const Latent z = seeded_code(seed, model_.generator->latent_dim());
    return space_ == Space::Z ? z : map_z(z);
  };
  walks_ = resolve_walks(preset_, {}, dims_, code_of, g.latent_dim(), files);
  edit_directions_ = resolve_edit_directions(preset_, {}, dims_, files);
  const bool any_dp = std::any_of(walks_.begin(), walks_.end(), [](const WalkSettings& w) { return w.kind == WalkKind::DensityPreserving; });
  if (space_ != Space::Z) {
    const fs::path folder = preset_.density.empty() ? shipped_dplase_folder(model_.folder, Space::W) : fs::path(preset_.density);
    if (any_dp || fs::is_directory(folder)) learned_ = learned.get(folder, dims_);
  }
  for (std::size_t i = 0; i < walks_.size(); ++i) {
    const auto& w = walks_[i];
    labels_.push_back(preset_.tiles[i].label);
    const bool z_walked = w.kind == WalkKind::Random || w.kind == WalkKind::Noise;
    anchors_.push_back(w.kind == WalkKind::Keyframes ? w.keyframes.front()
                       : z_walked && space_ != Space::Z ? map_z(w.start)
                                                        : w.start);
  }
  row_offsets_.resize(walks_.size());
  for (std::size_t i = 0; i < walks_.size(); ++i) {
    const TilePreset& t = preset_.tiles[i];
    const bool direction_walk = t.walk == WalkKind::Linear || t.walk == WalkKind::DensityPreserving;
    if (t.start_file.empty() || !direction_walk) continue;
    const Eigen::MatrixXf rows = load_code_rows(t.start_file, t.start_row, dims_, files);
    if (rows.rows() == 1) continue;
    LW_EXPECT(space_ == Space::WPlus && rows.rows() == rows_,
              t.start_file << " holds codes of " << rows.rows() << " style rows: "
                           << (space_ == Space::WPlus ? "this model has " + std::to_string(rows_)
                                                      : std::string("start it in a W+ preset (\"space\": \"wplus\")")));
    row_offsets_[i] = rows.rowwise() - rows.colwise().mean();
  }
  tables_.resize(walks_.size());
  if (preset_.difference) {
    LW_EXPECT(walks_.size() >= 2 && walks_.size() < static_cast<std::size_t>(kMaxPresetTiles),
              "the difference tile needs two to " << kMaxPresetTiles - 1 << " walks (it is one more tile)");
    labels_.push_back("|" + labels_[0] + " - " + labels_[1] + "|");
  }
  apply(values.values());
}

at::Tensor Scene::shown_images(const at::Tensor& images, const std::vector<double>& values) const {
  if (!preset_.difference) return images;
  const double gain = values.at(static_cast<std::size_t>(layout_.difference_gain));
  // Images span [-1, 1], so |a - b| spans [0, 2]: at gain 1 the tile spans black to white.
  const auto d = ((images[0] - images[1]).abs() * gain - 1.0).clamp(-1.0, 1.0).unsqueeze(0);
  return torch::cat({images, d.to(images.dtype())}, 0);
}

void Scene::apply(const std::vector<double>& v) {
  auto at = [&](int i) { return v.at(static_cast<std::size_t>(i)); };
  // Periods and segments count beats at a tempo, as the preset reads them (preset_seconds).
  const double bpm = at(layout_.bpm);
  auto seconds = [bpm](double value) { return static_cast<float>(bpm > 0.0 ? value * 60.0 / bpm : value); };
  for (std::size_t i = 0; i < walks_.size(); ++i) {
    walks_[i].stride = static_cast<float>(at(layout_.tiles[i].stride));
    walks_[i].period = seconds(at(layout_.tiles[i].period));
    walks_[i].segment = seconds(at(layout_.tiles[i].segment));
  }
  bool alphas_moved = alphas_.size() != layout_.edit_alpha.size();
  alphas_.resize(layout_.edit_alpha.size());
  for (std::size_t i = 0; i < alphas_.size(); ++i) {
    const float a = static_cast<float>(at(layout_.edit_alpha[i]));
    alphas_moved = alphas_moved || a != alphas_[i];
    alphas_[i] = a;
  }
  if (alphas_moved || edit_.size() != dims_) edit_ = edit_offset(edit_directions_, alphas_, dims_);
}

RenderSpec Scene::spec(const std::vector<double>& v) const {
  auto at = [&](int i) { return static_cast<float>(v.at(static_cast<std::size_t>(i))); };
  return {space_, at(layout_.truncation), at(layout_.rotate), at(layout_.translate_x), at(layout_.translate_y)};
}

void Scene::reuse_paths_from(const Scene& previous) {
  // Only tables of the same space and the same C: keys compare codes of one size.
  if (previous.learned_ != learned_ || previous.dims_ != dims_ || previous.space_ == Space::Z || space_ == Space::Z) return;
  const std::size_t n = std::min(tables_.size(), previous.tables_.size());
  for (std::size_t i = 0; i < n; ++i) tables_[i] = previous.tables_[i];
}

Latent Scene::map_z(const Latent& z) const {
  torch::NoGradGuard no_grad;
  return row_of(model_.generator->mapping(torch::from_blob(const_cast<float*>(z.data()), {1, z.size()})));
}

Latent Scene::walk_code(std::size_t i, double wt) {
  const WalkSettings& w = walks_[i];
  if (w.kind == WalkKind::Random || w.kind == WalkKind::Noise)
    return space_ == Space::Z ? latent_at(w, wt) : map_z(latent_at(w, wt));
  if (space_ == Space::Z || w.kind != WalkKind::DensityPreserving) return latent_at(w, wt);
  DpTable& p = tables_[i];
  const auto n = static_cast<std::int64_t>(w.start.size());
  if (p.stride != w.stride || p.start != w.start || p.direction != w.direction) {
    torch::NoGradGuard no_grad;
    const auto start = torch::from_blob(const_cast<float*>(w.start.data()), {1, n}).expand({kPathKnots, n});
    const auto dir = torch::from_blob(const_cast<float*>(w.direction.data()), {1, n}).expand({kPathKnots, n});
    const auto eps = torch::linspace(-w.stride, w.stride, kPathKnots);
    const auto ends = learned_->correction->walk(*learned_->density, start, eps, dir).contiguous();
    p.knots = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                  ends.data_ptr<float>(), kPathKnots, n).transpose();
    p.start = w.start, p.direction = w.direction, p.stride = w.stride;
  }
  if (w.stride <= 0.f) return w.start;
  const double u = (static_cast<double>(walk_eps(w, wt)) / w.stride + 1.0) * 0.5 * (kPathKnots - 1);
  const int k = std::clamp(static_cast<int>(std::floor(u)), 0, kPathKnots - 2);
  const float f = static_cast<float>(std::clamp(u - k, 0.0, 1.0));
  return (1.f - f) * p.knots.col(k) + f * p.knots.col(k + 1);
}

void Scene::tile_code(std::size_t i, double wt, float* out) {
  const Latent moving = walk_code(i, wt) + edit_;
  const Eigen::MatrixXf& offsets = row_offsets_[i];
  for (int r = 0; r < rows_; ++r) {
    const bool moves = rows_ == 1 || (r >= layer_begin_ && r < layer_end_);
    Eigen::Map<Latent> row(out + static_cast<std::size_t>(r) * dims_, dims_);
    row = moves ? moving : anchors_[i];
    if (offsets.size() > 0) row += offsets.row(r).transpose();
  }
}

void Scene::codes(double walk_t, const std::vector<double>& values, std::vector<float>& out) {
  apply(values);
  const std::size_t per = static_cast<std::size_t>(rows_) * dims_;
  out.resize(walks_.size() * per);
  for (std::size_t i = 0; i < walks_.size(); ++i) tile_code(i, walk_t, out.data() + i * per);
}

float Scene::eps(double walk_t, const std::vector<double>& values) {
  apply(values);
  for (const auto& w : walks_)
    if (w.kind == WalkKind::Linear || w.kind == WalkKind::DensityPreserving) return walk_eps(w, walk_t);
  return 0.f;
}

double Scene::plot_span(const std::vector<double>& values) {
  apply(values);
  double span = 0.0;
  for (const auto& w : walks_) span = std::max(span, w.kind == WalkKind::Random ? 8.0 * w.segment : walk_period(w));
  return span > 0.0 ? span : 1.0;
}

float Scene::plot_phase(double walk_t, const std::vector<double>& values) {
  const double span = plot_span(values), wt = std::fmod(walk_t, span);
  return static_cast<float>((wt < 0 ? wt + span : wt) / span);
}

std::vector<PathMetrics> Scene::path_metrics(int samples, const std::vector<double>& values) {
  torch::NoGradGuard no_grad;
  const double span = plot_span(values);
  const int moved_row = rows_ == 1 ? 0 : layer_begin_;  // W+: the plots follow a row that moves
  std::vector<PathMetrics> out;
  for (std::size_t i = 0; i < walks_.size(); ++i) {
    PathMetrics plot;
    plot.label = labels_[i];
    auto batch = rows_ == 1 ? torch::empty({samples, dims_}) : torch::empty({samples, rows_, dims_});
    for (int k = 0; k < samples; ++k) tile_code(i, span * k / (samples - 1), batch[k].data_ptr<float>());
    const auto moved = rows_ == 1 ? batch : batch.select(1, moved_row).contiguous();
    const auto norms = moved.norm(2, 1).contiguous();
    plot.norm.assign(norms.data_ptr<float>(), norms.data_ptr<float>() + samples);
    at::Tensor logp;
    if (space_ == Space::Z && model_.gaussian_prior) logp = gaussian_log_density(moved);
    else if (space_ != Space::Z && learned_) logp = learned_->density->log_density(moved).contiguous();
    if (logp.defined()) plot.log_density.assign(logp.data_ptr<float>(), logp.data_ptr<float>() + samples);
    if (model_.discriminator) {
      const auto r = model_.discriminator->realism(render_codes(*model_.generator, batch, spec(values), model_.w_avg))
                         .to(at::kCPU)
                         .contiguous();
      plot.realism.assign(r.data_ptr<float>(), r.data_ptr<float>() + samples);
    }
    out.push_back(std::move(plot));
  }
  return out;
}

}  // namespace lw
