#include "app/factor_scores.hpp"

#include <torch/torch.h>

#include "core/base/check.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {

at::Tensor factor_values(const plugin::Model& model, const at::Tensor& scores) {
  auto out = scores.clone();
  const auto& attrs = model.manifest.attributes;
  for (std::size_t c = 0; c < attrs.size() && static_cast<std::int64_t>(c) < out.size(1); ++c)
    if (attrs[c].binary) out.select(1, static_cast<std::int64_t>(c)).sigmoid_();
  return out;
}

at::Tensor predict_factors(const plugin::Model& model, const at::Tensor& images) {
  LW_EXPECT(model.predictor != nullptr, "the model has no attribute predictor (manifest \"predictor\")");
  return factor_values(model, model.predictor->predict(images));
}

}  // namespace lw::app
