#include "app/labelled_grid.hpp"

#include <algorithm>
#include <iostream>
#include <mutex>
#include <optional>

#include "app/image_text.hpp"
#include "core/base/check.hpp"

namespace lw::app {

namespace {

constexpr int kGap = 2, kPad = 4;
constexpr Rgb kInk{20, 20, 20};

}  // namespace

ImageRGB8 make_labelled_grid(std::span<const ImageRGB8> images, int columns, const GridLabels& labels) {
  LW_CHECK(!images.empty() && columns > 0, "a labelled grid needs images and columns");
  const int rows = (static_cast<int>(images.size()) + columns - 1) / columns;
  LW_CHECK(labels.columns.empty() || static_cast<int>(labels.columns.size()) == columns, "one label per column");
  LW_CHECK(labels.rows.empty() || static_cast<int>(labels.rows.size()) == rows, "one label per row");
  const int tile_w = images[0].width, tile_h = images[0].height;
  std::optional<ImageText> loaded;
  try {
    loaded.emplace(std::clamp(tile_h / 5, 11, 22));
  } catch (const Error& e) {
    // The images are what was asked for: written unlabelled rather than lost after the work.
    static std::once_flag warned;
    std::call_once(warned, [&] { std::cerr << "latentwalk: images left unlabelled: " << e.what() << "\n"; });
    return make_grid(images, columns, kGap, 255);
  }
  const ImageText& text = *loaded;
  const int line = text.line_height();

  int row_label_w = 0;
  for (const auto& r : labels.rows) row_label_w = std::max(row_label_w, text.width(r));
  const int left = labels.rows.empty() ? 0 : row_label_w + 2 * kPad;
  const int title_h = labels.title.empty() ? 0 : line + kPad;
  const int header_h = labels.columns.empty() ? 0 : line + kPad;
  const int top = title_h + header_h;

  const ImageRGB8 grid = make_grid(images, columns, kGap, 255);
  const int title_w = labels.title.empty() ? 0 : text.width(labels.title) + 2 * kPad;
  ImageRGB8 out(std::max(left + grid.width, title_w), top + grid.height, 255);
  out.blit(grid, left, top);
  if (!labels.title.empty()) text.draw(out, labels.title, kPad, kPad / 2, kInk);
  for (int c = 0; c < static_cast<int>(labels.columns.size()); ++c) {
    const auto& label = labels.columns[static_cast<std::size_t>(c)];
    const int centre = left + kGap + c * (tile_w + kGap) + tile_w / 2;
    text.draw(out, label, centre - text.width(label) / 2, title_h + kPad / 2, kInk);
  }
  for (int r = 0; r < static_cast<int>(labels.rows.size()); ++r) {
    const auto& label = labels.rows[static_cast<std::size_t>(r)];
    const int middle = top + kGap + r * (tile_h + kGap) + tile_h / 2;
    text.draw(out, label, left - kPad - text.width(label), middle - line / 2, kInk);
  }
  return out;
}

std::string samples_title(const std::string& model, int width, int height, const std::string& source) {
  return model + " (" + std::to_string(width) + "×" + std::to_string(height) + "), " + source;
}

}  // namespace lw::app
