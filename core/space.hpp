// The names of a model's latent spaces, without LibTorch: Z (the prior), W (the mapping network's
// output) and W+ (one W code per synthesis layer; walks and edits move the rows of a LayerRange).
#pragma once

#include <string>

namespace lw {

enum class Space { Z, W, WPlus };

Space parse_space(const std::string& text);  // "z", "w" or "wplus"
std::string space_name(Space s);   // "z", "w", "wplus": as flags and presets write it
std::string space_label(Space s);  // "Z", "W", "W+": as the papers and the messages write it

struct LayerRange {
  int begin = 0, end = -1;  // [begin, end); end -1: through the last layer
};

}  // namespace lw
