// SynthFaces: the procedural face dataset the default model is trained on.
// Every image is a pure function of (seed, index), and every factor that made it is known,
// so each latent-space method can be checked against ground truth with numbers.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace lw::synthfaces {

enum class FactorKind { Continuous, Binary };

struct FactorInfo {
  std::string_view name;
  FactorKind kind;
  float lo;        // range of the factor (binary: 0 and 1)
  float hi;
  bool nuisance;   // true for factors that are not semantic attributes
};

inline constexpr int kNumFactors = 12;

// Order of factor columns everywhere: predictor outputs, scores.npy, evaluate-model.
const std::array<FactorInfo, kNumFactors>& factor_table();
// Column of a factor by name, or -1.
int factor_index(std::string_view name);

struct Factors {
  float pose = 0.f;         // yaw in [-1, 1], negative turns to the viewer's left
  float smile = 0.f;        // [0, 1]
  float age = 0.f;          // [0, 1]
  bool eyeglasses = false;  // more frequent with age
  bool beard = false;       // more frequent with age
  float skin_tone = 0.f;    // [0, 1] light to dark
  float hair_colour = 0.f;  // [0, 1] black, brown, auburn, blond
  float hair_length = 0.f;  // [0, 1]
  float background = 0.f;   // [0, 1] along a palette of backdrop colours
  float face_x = 0.f;       // [-1, 1]
  float face_y = 0.f;       // [-1, 1]
  float face_scale = 0.f;   // [0, 1]

  std::array<float, kNumFactors> as_array() const;
  // The other way, each value clamped to its factor's range and binary ones true above 0.5:
  // factors as a predictor reads them, ready to render.
  static Factors from_array(const std::array<float, kNumFactors>& a);
};

// Probability that a face of this age wears eyeglasses / has a beard.
float eyeglasses_probability(float age);
float beard_probability(float age);

// How the factors are drawn. Dataset: eyeglasses and beard are more frequent with age, as in
// the world the dataset depicts (Pearson ~0.36 each). Independent: each binary factor is drawn
// with its overall frequency regardless of age; an attribute predictor learns from these, so
// that it reads a factor from that factor's own pixels and not from the factors it co-occurs
// with (trained on Dataset draws, it scores a young face's lack of eyeglasses with more
// confidence than an old face's, which ties every eyeglasses direction to age).
enum class Draw { Dataset, Independent };

// The factors of sample `index` of the dataset drawn with `seed`; independent of batching.
Factors sample_factors(std::uint64_t seed, std::uint64_t index, Draw draw = Draw::Dataset);

// Renders one anti-aliased face of size x size pixels into `chw`, planar RGB (3*size*size
// floats, channel-major), values in [0, 1].
void render(const Factors& f, int size, std::span<float> chw);

}  // namespace lw::synthfaces
