#include "core/binding.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <sstream>

namespace lw {

namespace {

constexpr std::array kSourceNames{"osc", "midi_cc", "midi_note", "audio", "lfo", "tempo_phase"};
constexpr std::array kCurveNames{"linear", "exp", "log", "s"};
constexpr std::array kShapeNames{"sine", "triangle", "saw", "square"};

// How sharply the exponential and logarithmic curves bend: e^4 ~ 55, about what a fader's
// audio taper does.
constexpr double kBend = 4.0;

template <typename E, std::size_t N>
std::optional<E> parse(const std::array<const char*, N>& names, const std::string& name) {
  for (std::size_t i = 0; i < N; ++i)
    if (name == names[i]) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

double shaped_unit(const Binding& b, double raw) {
  const double span = b.in_max - b.in_min;
  double t = span != 0.0 && std::isfinite(raw) ? std::clamp((raw - b.in_min) / span, 0.0, 1.0) : 0.0;
  if (b.invert) t = 1.0 - t;
  switch (b.curve) {
    case Curve::Linear: return t;
    case Curve::Exponential: return (std::exp(kBend * t) - 1.0) / (std::exp(kBend) - 1.0);
    case Curve::Logarithmic: return std::log1p(t * (std::exp(kBend) - 1.0)) / kBend;
    case Curve::S: return t * t * (3.0 - 2.0 * t);
  }
  return t;
}

double binding_output(const Binding& b, double raw, double range_min, double range_max) {
  const double lo = b.out_min.value_or(range_min), hi = b.out_max.value_or(range_max);
  return lo + shaped_unit(b, raw) * (hi - lo);
}

double Smoother::step(double target, double dt, double attack, double release) {
  if (!started_) return reset(target), value_;
  const double tau = target > value_ ? attack : release;
  const double a = tau <= 0.0 ? 1.0 : dt <= 0.0 ? 0.0 : 1.0 - std::exp(-dt / tau);
  value_ += (target - value_) * a;
  return value_;
}

bool TriggerGate::step(double unit, double time, double threshold, double hold) {
  if (time < last_fired_) last_fired_ = -1e300, above_ = false;  // its clock started again (another audio input)
  const bool above = unit >= threshold;
  const bool fire = above && !above_ && time - last_fired_ >= hold;
  if (fire) last_fired_ = time;
  above_ = above;
  return fire;
}

double lfo_value(LfoShape shape, double phase) {
  const double p = phase - std::floor(phase);
  switch (shape) {
    case LfoShape::Sine: return 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * p);  // 0 at the start, 1 half way
    case LfoShape::Triangle: return p < 0.5 ? 2.0 * p : 2.0 - 2.0 * p;
    case LfoShape::Saw: return p;
    case LfoShape::Square: return p < 0.5 ? 1.0 : 0.0;
  }
  return 0.0;
}

const char* source_kind_name(BindingSourceKind k) { return kSourceNames[static_cast<std::size_t>(k)]; }
const char* curve_name(Curve c) { return kCurveNames[static_cast<std::size_t>(c)]; }
const char* lfo_shape_name(LfoShape s) { return kShapeNames[static_cast<std::size_t>(s)]; }
std::optional<BindingSourceKind> parse_source_kind(const std::string& n) { return parse<BindingSourceKind>(kSourceNames, n); }
std::optional<Curve> parse_curve(const std::string& n) { return parse<Curve>(kCurveNames, n); }
std::optional<LfoShape> parse_lfo_shape(const std::string& n) { return parse<LfoShape>(kShapeNames, n); }

std::string describe_source(const BindingSource& s) {
  const std::string channel = s.channel == 0 ? " any ch" : " ch " + std::to_string(s.channel);
  switch (s.kind) {
    case BindingSourceKind::MidiCc: return (s.number == 128 ? std::string("pitch bend") : "CC " + std::to_string(s.number)) + channel;
    case BindingSourceKind::MidiNote: return "note " + std::to_string(s.number) + channel;
    case BindingSourceKind::Osc: return s.address;
    case BindingSourceKind::Audio: return "audio " + s.address;
    case BindingSourceKind::Lfo: {
      std::ostringstream os;
      os << "lfo " << lfo_shape_name(s.shape) << " " << s.period;
      return os.str();
    }
    case BindingSourceKind::TempoPhase: {
      std::ostringstream os;
      os << "tempo phase " << s.period;
      return os.str();
    }
  }
  return "";
}

}  // namespace lw
