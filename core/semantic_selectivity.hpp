// When a direction counts as semantic: one factor carries at least half its squared standardised
// change along the walk (evaluate-directions measures it; the Directions panel says it).
#pragma once

namespace lw {

inline constexpr double kSemanticSelectivity = 0.5;

}  // namespace lw
