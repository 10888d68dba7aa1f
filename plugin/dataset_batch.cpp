#include "plugin/dataset_batch.hpp"

#include <ATen/Parallel.h>

#include "plugin/synthfaces.hpp"

namespace lw::plugin {

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
      const std::span<float> out(img + static_cast<std::size_t>(i) * plane, plane);
      synthfaces::render(f, resolution, out);
      for (auto& v : out) v = v * 2.f - 1.f;
      const auto a = f.as_array();
      std::copy(a.begin(), a.end(), fac + i * m);
    }
  });
  return {images, factors};
}

}  // namespace lw::plugin
