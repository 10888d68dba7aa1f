// Grids that explain themselves: a title line, a label above each column (ε, α) and one left of
// each row (the walk kind, the sample), around make_grid's images. Demo strips, edit strips,
// contact sheets and sample grids use it.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/image.hpp"

namespace lw::app {

struct GridLabels {
  std::string title;                 // one line above the grid; empty: none
  std::vector<std::string> columns;  // one per column, or empty
  std::vector<std::string> rows;     // one per row, or empty
};

// `images` in rows of `columns`, on white, with `labels` in dark text sized to the images
// (about a fifth of an image's height, 11 to 22 pixels). Without the label font, the plain grid
// and one warning on stderr.
ImageRGB8 make_labelled_grid(std::span<const ImageRGB8> images, int columns, const GridLabels& labels);

// The title of a grid of samples: "synthfaces (64×64), seed 0" (`source` "seed 0" or a file).
std::string samples_title(const std::string& model, int width, int height, const std::string& source);

}  // namespace lw::app
