#include "app/factor_scores.hpp"

#include <torch/torch.h>

#include "core/base/check.hpp"
#include "plugin/synthfaces.hpp"
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

at::Tensor truth_as_predicted(const plugin::Model& model, const at::Tensor& truth, const std::string& who) {
  std::vector<at::Tensor> columns;
  for (const auto& attr : model.manifest.attributes) {
    const int column = synthfaces::factor_index(attr.name);
    LW_EXPECT(column >= 0, "the predictor's attribute \"" << attr.name << "\" is no SynthFaces factor: " << who
                                                         << " measures SynthFaces models");
    columns.push_back(truth.select(1, column));
  }
  return torch::stack(columns, 1);
}

}  // namespace lw::app
