#include "app/chart_image.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/image_text.hpp"
#include "core/base/check.hpp"

namespace lw::app {

namespace {

void fill(ImageRGB8& img, int x0, int y0, int x1, int y1, Rgb c) {
  for (int y = std::max(0, y0); y < std::min(img.height, y1); ++y)
    for (int x = std::max(0, x0); x < std::min(img.width, x1); ++x) std::copy(c.begin(), c.end(), img.at(x, y));
}

// A line `thickness` pixels wide, stamped along its length.
void line(ImageRGB8& img, double x0, double y0, double x1, double y1, Rgb c, int thickness) {
  const int steps = static_cast<int>(std::ceil(std::max(std::abs(x1 - x0), std::abs(y1 - y0)))) + 1;
  const int r0 = -(thickness / 2), r1 = r0 + thickness;
  for (int i = 0; i <= steps; ++i) {
    const double t = static_cast<double>(i) / steps;
    const int x = static_cast<int>(std::lround(x0 + (x1 - x0) * t)), y = static_cast<int>(std::lround(y0 + (y1 - y0) * t));
    fill(img, x + r0, y + r0, x + r1, y + r1, c);
  }
}

// About five round tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
  const double raw = (hi - lo) / 5.0;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> out;
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

void draw_panel(ImageRGB8& img, const ImageText& font, const ChartPanel& p, int ox, int w, int h) {
  const Rgb ink{40, 40, 40}, grid{225, 225, 225};
  const int left = ox + 56, right = ox + w - 14, top = 44, bottom = h - 40;
  font.draw(img, p.title, ox + (w - font.width(p.title)) / 2, 8, ink);
  font.draw(img, p.x_label, (left + right - font.width(p.x_label)) / 2, h - 18, ink);

  double xlo = 1e300, xhi = -1e300, ylo = 1e300, yhi = -1e300;
  for (const auto& s : p.series)
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      xlo = std::min(xlo, s.x[i]), xhi = std::max(xhi, s.x[i]);
      ylo = std::min(ylo, s.y[i]), yhi = std::max(yhi, s.y[i]);
    }
  if (xlo > xhi) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
  if (xhi - xlo < 1e-12) xlo -= 0.5, xhi += 0.5;
  if (yhi - ylo < 1e-12) {
    const double pad = std::max(std::abs(yhi) * 0.1, 1e-3);
    ylo -= pad, yhi += pad;
  }
  const double ypad = (yhi - ylo) * 0.06;
  ylo -= ypad, yhi += ypad;
  auto px = [&](double x) { return left + (x - xlo) / (xhi - xlo) * (right - left); };
  auto py = [&](double y) { return bottom - (y - ylo) / (yhi - ylo) * (bottom - top); };

  for (const double t : ticks(ylo, yhi)) {
    const int y = static_cast<int>(std::lround(py(t)));
    line(img, left, y, right, y, grid, 1);
    const auto label = number(t);
    font.draw(img, label, left - 6 - font.width(label), y - font.line_height() / 2, ink);
  }
  for (const double t : ticks(xlo, xhi)) {
    const int x = static_cast<int>(std::lround(px(t)));
    line(img, x, bottom, x, bottom + 4, ink, 1);
    const auto label = number(t);
    font.draw(img, label, x - font.width(label) / 2, bottom + 6, ink);
  }
  line(img, left, top, left, bottom, ink, 1);
  line(img, left, bottom, right, bottom, ink, 1);

  int legend_x = left;
  for (const auto& s : p.series) {
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      const double x = px(s.x[i]), y = py(s.y[i]);
      fill(img, static_cast<int>(x) - 3, static_cast<int>(y) - 3, static_cast<int>(x) + 4, static_cast<int>(y) + 4, s.colour);
      if (i + 1 < s.x.size() && std::isfinite(s.y[i + 1])) line(img, x, y, px(s.x[i + 1]), py(s.y[i + 1]), s.colour, 2);
    }
    // The legend: one row under the title, clear of the data.
    fill(img, legend_x, 27, legend_x + 14, 34, s.colour);
    font.draw(img, s.label, legend_x + 18, 24, ink);
    legend_x += 18 + font.width(s.label) + 16;
  }
}

}  // namespace

ImageRGB8 draw_charts(const std::vector<ChartPanel>& panels, int panel_width, int panel_height) {
  LW_CHECK(!panels.empty() && panel_width >= 120 && panel_height >= 100, "a chart needs a panel of at least 120x100");
  ImageRGB8 img(panel_width * static_cast<int>(panels.size()), panel_height, 255);
  const ImageText font(12);
  for (std::size_t i = 0; i < panels.size(); ++i)
    draw_panel(img, font, panels[i], static_cast<int>(i) * panel_width, panel_width, panel_height);
  return img;
}

}  // namespace lw::app
