#include "core/triggers.hpp"

namespace lw {

const TriggerAddress* trigger_address(std::string_view address) {
  for (const auto& t : kTriggerAddresses)
    if (address == t.address) return &t;
  return nullptr;
}

std::optional<Trigger> trigger_of(std::string_view address) {
  if (const auto* t = trigger_address(address)) return t->trigger;
  return std::nullopt;
}

bool is_trigger_address(std::string_view address) {
  const auto* t = trigger_address(address);
  return t && *t->arguments == '\0';
}

}  // namespace lw
