#include "core/model.hpp"

#include "core/base/check.hpp"

namespace lw {

at::Tensor Generator::synthesis_raw(const at::Tensor&) const {
  LW_FAIL("this generator has no synthesis_raw(w): it cannot be inverted");
}

at::Tensor Discriminator::features(const at::Tensor&, int) const {
  LW_FAIL("this discriminator has no features(image, layer)");
}

}  // namespace lw
