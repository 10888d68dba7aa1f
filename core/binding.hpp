// Bindings: a source's value (an OSC address, a MIDI control, an audio feature, an LFO, the tempo's
// phase) moves one parameter, through an input range, a curve, an output range and one-pole
// attack/release smoothing; a trigger address (/clock/tap ...) fires when the shaped value
// crosses a threshold, then holds. Pure functions of values and time, the same live and offline
// (a track rendered to video goes through exactly these), saved with the preset.
#pragma once

#include <optional>
#include <string>

namespace lw {

enum class BindingSourceKind { Osc, MidiCc, MidiNote, Audio, Lfo, TempoPhase };
enum class Curve { Linear, Exponential, Logarithmic, S };
enum class LfoShape { Sine, Triangle, Saw, Square };

struct BindingSource {
  BindingSourceKind kind = BindingSourceKind::Osc;
  std::string address;  // Osc: the address listened to ("/fader/1"); Audio: level, bass, mid, high, onset
  int channel = 0;      // MIDI: 1..16, 0 any
  int number = 0;       // MIDI: the CC (0..127) or note number
  LfoShape shape = LfoShape::Sine;
  double period = 4.0;  // Lfo: seconds (beats with a bpm) per cycle; TempoPhase: beats per cycle
  bool operator==(const BindingSource&) const = default;
};

struct Binding {
  BindingSource source;
  std::string target;             // a parameter path or a trigger address
  double in_min = 0.0, in_max = 1.0;  // the source's range (MIDI: 0..127 by default)
  std::optional<double> out_min, out_max;  // default: the parameter's range
  Curve curve = Curve::Linear;
  bool invert = false;
  double attack = 0.0, release = 0.0;  // seconds for the value to go 63% of the way up, down
  double threshold = 0.5, hold = 0.1;  // triggers: fire rising through threshold (shaped 0..1), then wait hold s
  bool operator==(const Binding&) const = default;
};

// The source value in [in_min, in_max] as 0..1 (clamped), inverted if asked, through the curve.
double shaped_unit(const Binding& b, double raw);
// shaped_unit across [out_min, out_max] (`range_min`, `range_max`: the parameter's, the default).
double binding_output(const Binding& b, double raw, double range_min, double range_max);

// One-pole smoothing, frame-rate independent: after `dt` seconds the value has gone
// 1 - exp(-dt / tau) of the way to its target, tau being attack rising and release falling
// (0: at once). The same motion at 30 and at 240 frames per second.
class Smoother {
 public:
  double step(double target, double dt, double attack, double release);
  void reset(double value) { value_ = value, started_ = true; }
  double value() const { return value_; }

 private:
  double value_ = 0.0;
  bool started_ = false;
};

// A trigger from a continuous value: fires when `unit` rises through `threshold`, then not again
// until `hold` seconds have passed and the value has fallen below it.
class TriggerGate {
 public:
  bool step(double unit, double time, double threshold, double hold);

 private:
  bool above_ = false;
  double last_fired_ = -1e300;
};

// An LFO's value in 0..1 at `phase` cycles (any real: the fractional part counts).
double lfo_value(LfoShape shape, double phase);

// Names as presets write them: "osc", "midi_cc", ...; "linear", "exp", "log", "s"; "sine", ...
const char* source_kind_name(BindingSourceKind k);
const char* curve_name(Curve c);
const char* lfo_shape_name(LfoShape s);
std::optional<BindingSourceKind> parse_source_kind(const std::string& name);
std::optional<Curve> parse_curve(const std::string& name);
std::optional<LfoShape> parse_lfo_shape(const std::string& name);
// "CC 21 ch 1", "note 60 ch 10", "pitch bend ch 1", "/fader/1", "audio bass", "lfo sine 8":
// what the panels show a binding's source as.
std::string describe_source(const BindingSource& s);

}  // namespace lw
