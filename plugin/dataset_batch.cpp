#include "plugin/dataset_batch.hpp"

#include <ATen/Parallel.h>

#include "core/base/check.hpp"
#include "plugin/synthfaces.hpp"

namespace lw::plugin {

namespace {
// Renders face i into its plane of `images`, in [-1, 1].
void render_into(const synthfaces::Factors& f, int resolution, float* plane) {
  const auto size = static_cast<std::size_t>(3 * resolution * resolution);
  const std::span<float> out(plane, size);
  synthfaces::render(f, resolution, out);
  for (auto& v : out) v = v * 2.f - 1.f;
}
}  // namespace

DatasetBatch render_batch(std::uint64_t seed, std::uint64_t first, int count, int resolution,
                          synthfaces::Draw draw) {
  const int m = synthfaces::kNumFactors;
  auto images = torch::empty({count, 3, resolution, resolution});
  auto factors = torch::empty({count, m});
  const auto plane = static_cast<std::size_t>(3 * resolution * resolution);
  float* img = images.data_ptr<float>();
  float* fac = factors.data_ptr<float>();
  at::parallel_for(0, count, 16, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto f = synthfaces::sample_factors(seed, first + static_cast<std::uint64_t>(i), draw);
      render_into(f, resolution, img + static_cast<std::size_t>(i) * plane);
      const auto a = f.as_array();
      std::copy(a.begin(), a.end(), fac + i * m);
    }
  });
  return {images, factors};
}

torch::Tensor render_factors(const torch::Tensor& factors, int resolution) {
  const int m = synthfaces::kNumFactors;
  const auto f = factors.detach().to(torch::kCPU, torch::kFloat).contiguous();
  LW_CHECK(f.dim() == 2 && f.size(1) == m, "render_factors takes [B, " << m << "] factors");
  const std::int64_t count = f.size(0);
  auto images = torch::empty({count, 3, resolution, resolution});
  const auto plane = static_cast<std::size_t>(3 * resolution * resolution);
  at::parallel_for(0, count, 16, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      std::array<float, synthfaces::kNumFactors> a{};
      std::copy_n(f.data_ptr<float>() + i * m, m, a.begin());
      render_into(synthfaces::Factors::from_array(a), resolution, images.data_ptr<float>() + static_cast<std::size_t>(i) * plane);
    }
  });
  return images;
}

}  // namespace lw::plugin
