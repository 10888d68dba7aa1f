#include "plugin/synthfaces.hpp"

#include <algorithm>
#include <cmath>

#include "core/base/check.hpp"

namespace lw::synthfaces {
namespace {

struct Rgb {
  float r, g, b;
};
Rgb operator*(Rgb c, float k) { return {c.r * k, c.g * k, c.b * k}; }
Rgb mix(Rgb a, Rgb b, float t) { return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t}; }

float clamp01(float x) { return std::clamp(x, 0.f, 1.f); }
float smoothstep(float e0, float e1, float x) {
  const float t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3.f - 2.f * t);
}

// Piecewise-linear palette lookup, t in [0, 1].
template <std::size_t N>
Rgb palette(const std::array<Rgb, N>& stops, float t) {
  const float x = clamp01(t) * static_cast<float>(N - 1);
  const auto i = std::min(static_cast<std::size_t>(x), N - 2);
  return mix(stops[i], stops[i + 1], x - static_cast<float>(i));
}

// Signed distances in normalised image units (the image spans [0, 1] on both axes).
float sd_circle(float x, float y, float cx, float cy, float r) { return std::hypot(x - cx, y - cy) - r; }
// Cheap ellipse distance (exact on the axes, good near the boundary), enough for coverage.
float sd_ellipse(float x, float y, float cx, float cy, float a, float b) {
  const float px = (x - cx) / a, py = (y - cy) / b;
  const float k0 = std::sqrt(px * px + py * py);
  const float k1 = std::sqrt(px * px / (a * a) + py * py / (b * b));
  return k1 > 0.f ? k0 * (k0 - 1.f) / k1 : -std::min(a, b);
}
float sd_segment(float x, float y, float ax, float ay, float bx, float by, float r) {
  const float px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const float h = std::clamp((px * dx + py * dy) / (dx * dx + dy * dy), 0.f, 1.f);
  return std::hypot(px - dx * h, py - dy * h) - r;
}
// A band of half-thickness t around the parabola y = y0 + c * (1 - (x'/w)^2), |x'| <= w.
float sd_arc(float x, float y, float cx, float y0, float w, float c, float t) {
  const float xr = (x - cx) / w;
  const float fy = y0 + c * (1.f - xr * xr);
  const float slope = -2.f * c * xr / w;
  const float dv = std::abs(y - fy) / std::sqrt(1.f + slope * slope) - t;
  const float dh = std::abs(x - cx) - w;
  return std::max(dv, dh);
}

class Canvas {
 public:
  Canvas(int size, std::span<float> chw) : n_(size), px_(1.f / static_cast<float>(size)), chw_(chw) {}

  void fill(Rgb c) {
    const auto plane = static_cast<std::size_t>(n_) * static_cast<std::size_t>(n_);
    std::fill_n(chw_.begin(), plane, c.r);
    std::fill_n(chw_.begin() + static_cast<std::ptrdiff_t>(plane), plane, c.g);
    std::fill_n(chw_.begin() + static_cast<std::ptrdiff_t>(2 * plane), plane, c.b);
  }

  // Blends a shape given by its signed distance over the bounding box [x0,x1]x[y0,y1].
  // Coverage is the analytic one-pixel ramp of the distance: anti-aliased with one sample.
  template <class Sdf, class Colour>
  void draw(float x0, float y0, float x1, float y1, float alpha, Sdf&& sdf, Colour&& colour) {
    if (alpha <= 0.f) return;
    const int i0 = std::max(0, static_cast<int>(std::floor(x0 * n_)) - 1);
    const int i1 = std::min(n_ - 1, static_cast<int>(std::ceil(x1 * n_)) + 1);
    const int j0 = std::max(0, static_cast<int>(std::floor(y0 * n_)) - 1);
    const int j1 = std::min(n_ - 1, static_cast<int>(std::ceil(y1 * n_)) + 1);
    const auto plane = static_cast<std::size_t>(n_) * static_cast<std::size_t>(n_);
    for (int j = j0; j <= j1; ++j) {
      const float y = (static_cast<float>(j) + 0.5f) * px_;
      for (int i = i0; i <= i1; ++i) {
        const float x = (static_cast<float>(i) + 0.5f) * px_;
        const float cov = clamp01(0.5f - sdf(x, y) / px_) * alpha;
        if (cov <= 0.f) continue;
        const Rgb c = colour(x, y);
        const std::size_t k = static_cast<std::size_t>(j) * static_cast<std::size_t>(n_) + static_cast<std::size_t>(i);
        chw_[k] += (c.r - chw_[k]) * cov;
        chw_[k + plane] += (c.g - chw_[k + plane]) * cov;
        chw_[k + 2 * plane] += (c.b - chw_[k + 2 * plane]) * cov;
      }
    }
  }
  template <class Sdf>
  void draw(float x0, float y0, float x1, float y1, float alpha, Sdf&& sdf, Rgb c) {
    draw(x0, y0, x1, y1, alpha, std::forward<Sdf>(sdf), [c](float, float) { return c; });
  }

 private:
  int n_;
  float px_;
  std::span<float> chw_;
};

// splitmix64: decorrelates (seed, index, stream) into independent uniform draws.
std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Draws {
 public:
  Draws(std::uint64_t seed, std::uint64_t index) : state_(splitmix(splitmix(seed) ^ (index * 0xD1B54A32D192ED03ull))) {}
  float uniform() {
    state_ = splitmix(state_);
    return static_cast<float>(state_ >> 40) * (1.f / 16777216.f);
  }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

 private:
  std::uint64_t state_;
};

constexpr std::array<Rgb, 2> kSkin{{{0.96f, 0.80f, 0.69f}, {0.36f, 0.22f, 0.15f}}};
constexpr std::array<Rgb, 4> kHair{{{0.08f, 0.06f, 0.05f}, {0.38f, 0.23f, 0.11f}, {0.62f, 0.25f, 0.10f}, {0.90f, 0.76f, 0.45f}}};
constexpr std::array<Rgb, 5> kBackdrop{{{0.30f, 0.40f, 0.62f}, {0.35f, 0.62f, 0.45f}, {0.86f, 0.80f, 0.62f}, {0.85f, 0.55f, 0.62f}, {0.50f, 0.38f, 0.62f}}};
constexpr Rgb kGrey{0.78f, 0.78f, 0.80f};

}  // namespace

const std::array<FactorInfo, kNumFactors>& factor_table() {
  static const std::array<FactorInfo, kNumFactors> table{{
      {"pose", FactorKind::Continuous, -1.f, 1.f, false},
      {"smile", FactorKind::Continuous, 0.f, 1.f, false},
      {"age", FactorKind::Continuous, 0.f, 1.f, false},
      {"eyeglasses", FactorKind::Binary, 0.f, 1.f, false},
      {"beard", FactorKind::Binary, 0.f, 1.f, false},
      {"skin_tone", FactorKind::Continuous, 0.f, 1.f, true},
      {"hair_colour", FactorKind::Continuous, 0.f, 1.f, true},
      {"hair_length", FactorKind::Continuous, 0.f, 1.f, true},
      {"background", FactorKind::Continuous, 0.f, 1.f, true},
      {"face_x", FactorKind::Continuous, -1.f, 1.f, true},
      {"face_y", FactorKind::Continuous, -1.f, 1.f, true},
      {"face_scale", FactorKind::Continuous, 0.f, 1.f, true},
  }};
  return table;
}

int factor_index(std::string_view name) {
  const auto& t = factor_table();
  for (int i = 0; i < kNumFactors; ++i)
    if (t[static_cast<std::size_t>(i)].name == name) return i;
  return -1;
}

std::array<float, kNumFactors> Factors::as_array() const {
  return {pose, smile, age, eyeglasses ? 1.f : 0.f, beard ? 1.f : 0.f, skin_tone, hair_colour,
          hair_length, background, face_x, face_y, face_scale};
}

Factors Factors::from_array(const std::array<float, kNumFactors>& a) {
  std::array<float, kNumFactors> v{};
  for (int i = 0; i < kNumFactors; ++i) {
    const auto& info = factor_table()[static_cast<std::size_t>(i)];
    v[static_cast<std::size_t>(i)] = std::clamp(a[static_cast<std::size_t>(i)], info.lo, info.hi);
  }
  Factors f;
  f.pose = v[0], f.smile = v[1], f.age = v[2], f.eyeglasses = v[3] > 0.5f, f.beard = v[4] > 0.5f;
  f.skin_tone = v[5], f.hair_colour = v[6], f.hair_length = v[7], f.background = v[8];
  f.face_x = v[9], f.face_y = v[10], f.face_scale = v[11];
  return f;
}

// Linear in age: with age uniform on [0, 1] the Pearson correlation of each binary factor with
// age is about 0.36 (0.6 / 12 over the product of the standard deviations).
float eyeglasses_probability(float age) { return 0.05f + 0.60f * age; }
float beard_probability(float age) { return 0.05f + 0.55f * age; }

Factors sample_factors(std::uint64_t seed, std::uint64_t index, Draw draw) {
  Draws d(seed, index);
  Factors f;
  f.pose = d.uniform(-1.f, 1.f);
  f.smile = d.uniform();
  f.age = d.uniform();
  // The probabilities are linear in age, so their overall frequencies are their values at the
  // mean age, 0.5.
  const float binary_age = draw == Draw::Dataset ? f.age : 0.5f;
  f.eyeglasses = d.uniform() < eyeglasses_probability(binary_age);
  f.beard = d.uniform() < beard_probability(binary_age);
  f.skin_tone = d.uniform();
  f.hair_colour = d.uniform();
  f.hair_length = d.uniform();
  f.background = d.uniform();
  f.face_x = d.uniform(-1.f, 1.f);
  f.face_y = d.uniform(-1.f, 1.f);
  f.face_scale = d.uniform();
  return f;
}

void render(const Factors& f, int size, std::span<float> chw) {
  LW_CHECK(size >= 8, "SynthFaces image size must be at least 8 pixels, got " << size);
  LW_CHECK(chw.size() == 3u * static_cast<std::size_t>(size) * static_cast<std::size_t>(size),
           "SynthFaces output buffer holds " << chw.size() << " floats, expected 3*" << size << "*" << size);
  Canvas cv(size, chw);

  // Geometry: face centre, half-width a, half-height b; yaw shifts the features sideways.
  const float s = 0.78f + 0.26f * f.face_scale;
  const float cx = 0.5f + 0.07f * f.face_x, cy = 0.53f + 0.05f * f.face_y;
  const float a = 0.21f * s, b = 0.27f * s;
  const float yaw = f.pose;
  const float dx = 0.32f * a * yaw;
  const float line = 0.012f * s;

  const float grey = 0.85f * smoothstep(0.3f, 1.f, f.age);
  const Rgb skin = palette(kSkin, f.skin_tone) * (1.f - 0.06f * f.age);
  const Rgb hair = mix(palette(kHair, f.hair_colour), kGrey, grey);
  const Rgb dark{0.07f, 0.06f, 0.06f};

  // Backdrop with a soft vertical light falloff.
  const Rgb bg = palette(kBackdrop, f.background);
  cv.fill(bg);
  cv.draw(0.f, 0.f, 1.f, 1.f, 0.35f, [](float, float) { return -1.f; },
          [&](float, float y) { return bg * (1.15f - 0.35f * y); });

  // Long hair behind the head: its lower edge follows hair_length.
  const float hair_bottom = cy + b * (-0.2f + 1.45f * f.hair_length);
  const float hx = cx + 0.05f * a * yaw;
  cv.draw(hx - 1.25f * a, cy - 1.1f * b, hx + 1.25f * a, hair_bottom + 0.1f, 1.f,
          [&](float x, float y) {
            // A box below the crown, rounded on top by the head's outline.
            const float box = std::max(std::abs(x - hx) - 1.12f * a, y - hair_bottom);
            const float crown = cy - 0.1f * b;
            return y < crown ? std::max(box, sd_ellipse(x, y, hx, crown, 1.12f * a, 0.95f * b)) : box;
          }, hair * 0.85f);

  // Neck and shoulders.
  cv.draw(cx - 0.5f * a, cy + 0.5f * b, cx + 0.5f * a, 1.f, 1.f,
          [&](float x, float y) { return std::max(std::abs(x - cx) - 0.42f * a, cy + 0.55f * b - y); }, skin * 0.82f);
  cv.draw(cx - 2.5f * a, cy + 1.25f * b, cx + 2.5f * a, 1.f, 1.f,
          [&](float x, float y) { return sd_ellipse(x, y, cx, cy + 1.75f * b, 1.9f * a, 0.55f * b); },
          mix(bg, dark, 0.6f));

  // Ears: the one the face turns away from shows more.
  for (int side = -1; side <= 1; side += 2) {
    const float vis = std::clamp(1.f - 0.9f * yaw * static_cast<float>(side), 0.1f, 1.9f);
    const float ex = cx + static_cast<float>(side) * (0.96f * a - 0.1f * a * (vis - 1.f)) + 0.1f * dx;
    const float ew = 0.13f * a * vis, eh = 0.2f * b;
    cv.draw(ex - ew, cy - eh, ex + ew, cy + eh, 1.f,
            [&](float x, float y) { return sd_ellipse(x, y, ex, cy - 0.02f * b, ew, eh); }, skin * 0.9f);
  }

  // Face, shaded away from the light on the side it turns from.
  const float fcx = cx + 0.12f * dx, fa = a * (1.f - 0.06f * std::abs(yaw));
  cv.draw(fcx - fa, cy - b, fcx + fa, cy + b, 1.f,
          [&](float x, float y) { return sd_ellipse(x, y, fcx, cy, fa, b); },
          [&](float x, float y) {
            const float shade = 1.f - 0.12f * ((x - fcx) / fa) * (yaw < 0.f ? -1.f : 1.f) * std::abs(yaw) -
                                0.08f * ((y - cy) / b);
            return skin * shade;
          });

  // Age: forehead lines, nasolabial folds and eye bags fade in.
  const float wrinkle = 0.9f * smoothstep(0.35f, 0.95f, f.age);
  for (int k = 0; k < 3; ++k) {
    const float wy = cy - 0.52f * b + static_cast<float>(k) * 0.075f * b;
    cv.draw(fcx + dx - 0.5f * a, wy - 0.03f, fcx + dx + 0.5f * a, wy + 0.03f, wrinkle,
            [&](float x, float y) { return sd_arc(x, y, fcx + dx, wy, 0.42f * a, -0.03f * b, 0.45f * line); },
            skin * 0.62f);
  }
  for (int side = -1; side <= 1; side += 2) {
    const float sx = static_cast<float>(side);
    cv.draw(cx - a, cy, cx + a, cy + 0.7f * b, wrinkle,
            [&](float x, float y) {
              return sd_segment(x, y, cx + 1.2f * dx + sx * 0.2f * a, cy + 0.2f * b, cx + 1.1f * dx + sx * 0.42f * a,
                                cy + 0.55f * b, 0.45f * line);
            },
            skin * 0.66f);
  }

  // Beard over the lower face, with a moustache.
  if (f.beard) {
    cv.draw(fcx - fa, cy, fcx + fa, cy + 1.05f * b, 0.95f,
            [&](float x, float y) {
              return std::max(sd_ellipse(x, y, fcx, cy + 0.02f * b, fa * 1.01f, b * 1.04f), cy + 0.22f * b - y);
            },
            hair * 0.9f);
    cv.draw(cx - a, cy + 0.3f * b, cx + a, cy + 0.5f * b, 0.95f,
            [&](float x, float y) { return sd_arc(x, y, cx + 1.1f * dx, cy + 0.42f * b, 0.36f * a, -0.05f * b, 2.2f * line); },
            hair * 0.8f);
  }

  // Hair on top of the head.
  cv.draw(cx - 1.2f * a, cy - 1.3f * b, cx + 1.2f * a, cy, 1.f,
          [&](float x, float y) {
            return std::max(sd_ellipse(x, y, fcx - 0.2f * dx, cy - 0.12f * b, 1.08f * a, 1.04f * b),
                            y - (cy - 0.6f * b + 0.08f * b * std::cos(9.f * (x - cx) / a)));
          },
          hair);

  // Eyebrows.
  for (int side = -1; side <= 1; side += 2) {
    const float ex = cx + dx + static_cast<float>(side) * 0.4f * a * (1.f - 0.15f * static_cast<float>(side) * yaw);
    const float ey = cy - 0.3f * b - 0.03f * b * f.smile;
    cv.draw(ex - 0.2f * a, ey - 0.05f, ex + 0.2f * a, ey + 0.05f, 1.f,
            [&](float x, float y) { return sd_arc(x, y, ex, ey, 0.17f * a, -0.03f * b, 1.3f * line); },
            mix(hair, dark, 0.4f));
  }

  // Eyes squint as the smile grows; the iris follows the yaw.
  for (int side = -1; side <= 1; side += 2) {
    const float sd = static_cast<float>(side);
    const float ex = cx + dx + sd * 0.4f * a * (1.f - 0.15f * sd * yaw);
    const float ey = cy - 0.13f * b;
    const float ew = 0.14f * a * (1.f - 0.25f * std::max(0.f, sd * yaw)), eh = 0.075f * b * (1.f - 0.4f * f.smile);
    cv.draw(ex - ew, ey - eh, ex + ew, ey + eh, 1.f,
            [&](float x, float y) { return sd_ellipse(x, y, ex, ey, ew, eh); }, Rgb{0.95f, 0.95f, 0.93f});
    const float ix = ex + 0.35f * ew * yaw, ir = 0.055f * a;
    cv.draw(ix - ir, ey - ir, ix + ir, ey + ir, 1.f,
            [&](float x, float y) { return std::max(sd_circle(x, y, ix, ey, ir), sd_ellipse(x, y, ex, ey, ew, eh)); },
            Rgb{0.18f, 0.14f, 0.1f});
    // Eye bags with age.
    cv.draw(ex - ew, ey, ex + ew, ey + 3.f * eh, wrinkle,
            [&](float x, float y) { return sd_arc(x, y, ex, ey + 1.6f * eh + 0.01f, 0.8f * ew, 0.03f * b, 0.4f * line); },
            skin * 0.65f);
  }

  // Nose.
  const float nx = cx + 1.35f * dx, ny = cy + 0.12f * b;
  cv.draw(nx - 0.12f * a, ny - 0.2f * b, nx + 0.12f * a, ny + 0.2f * b, 1.f,
          [&](float x, float y) { return sd_ellipse(x, y, nx, ny, 0.085f * a, 0.16f * b); }, skin * 0.86f);
  cv.draw(nx - 0.12f * a, ny, nx + 0.12f * a, ny + 0.2f * b, 1.f,
          [&](float x, float y) { return sd_ellipse(x, y, nx + 0.02f * a * yaw, ny + 0.12f * b, 0.07f * a, 0.035f * b); },
          skin * 0.55f);

  // Cheeks flush with the smile.
  for (int side = -1; side <= 1; side += 2) {
    const float kx = cx + dx + static_cast<float>(side) * 0.5f * a, ky = cy + 0.22f * b;
    cv.draw(kx - 0.2f * a, ky - 0.2f * a, kx + 0.2f * a, ky + 0.2f * a, 0.3f * f.smile,
            [&](float x, float y) { return sd_circle(x, y, kx, ky, 0.16f * a); }, Rgb{0.9f, 0.45f, 0.45f});
  }

  // Mouth: a flat line at smile 0, a wide open curve with teeth at smile 1.
  const float mx = cx + 1.15f * dx, my = cy + 0.5f * b;
  const float mw = 0.3f * a * (1.f + 0.45f * f.smile) * (1.f - 0.15f * std::abs(yaw));
  const float curve = (f.smile - 0.12f) * 0.14f * b;
  const float open = line * (1.f + 3.5f * f.smile * f.smile);
  cv.draw(mx - mw, my - 0.2f * b, mx + mw, my + 0.25f * b, 1.f,
          [&](float x, float y) { return sd_arc(x, y, mx, my, mw, curve, open); }, Rgb{0.55f, 0.15f, 0.15f});
  cv.draw(mx - mw, my - 0.2f * b, mx + mw, my + 0.25f * b, smoothstep(0.45f, 0.9f, f.smile),
          [&](float x, float y) { return sd_arc(x, y, mx, my - 0.3f * open, 0.8f * mw, 0.9f * curve, 0.4f * open); },
          Rgb{0.96f, 0.95f, 0.9f});

  // Eyeglasses: two rims, a bridge and the temples.
  if (f.eyeglasses) {
    const Rgb frame{0.1f, 0.09f, 0.1f};
    for (int side = -1; side <= 1; side += 2) {
      const float sd = static_cast<float>(side);
      const float ex = cx + dx + sd * 0.4f * a * (1.f - 0.15f * sd * yaw), ey = cy - 0.12f * b;
      const float r = 0.23f * a;
      cv.draw(ex - r - line, ey - r - line, ex + r + line, ey + r + line, 0.18f,
              [&](float x, float y) { return sd_circle(x, y, ex, ey, r); }, Rgb{0.7f, 0.85f, 0.95f});
      cv.draw(ex - r - line, ey - r - line, ex + r + line, ey + r + line, 1.f,
              [&](float x, float y) { return std::abs(sd_circle(x, y, ex, ey, r)) - 0.9f * line; }, frame);
      const float tx = cx + sd * 0.97f * a + 0.1f * dx;
      cv.draw(std::min(ex, tx) - line, ey - 0.05f, std::max(ex, tx) + line, ey + 0.05f, 1.f,
              [&](float x, float y) { return sd_segment(x, y, ex + sd * r, ey, tx, ey - 0.02f * b, 0.7f * line); }, frame);
    }
    const float bx = cx + dx;
    cv.draw(bx - 0.25f * a, cy - 0.25f * b, bx + 0.25f * a, cy, 1.f,
            [&](float x, float y) {
              return sd_arc(x, y, bx, cy - 0.16f * b, 0.4f * a * 0.45f, -0.03f * b, 0.7f * line);
            },
            frame);
  }
}

}  // namespace lw::synthfaces
