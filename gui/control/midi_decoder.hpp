// MIDI bytes to what a binding listens for: control changes (with 14-bit pairs: CC n and n+32
// read as one fine value), notes on and off, pitch bend, and the clock (24 ticks per quarter
// note, start, stop) as a tempo source. Pure: no device, so every rule is tested directly.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace lw::control {

struct MidiEvent {
  enum class Kind { ControlChange, NoteOn, NoteOff, PitchBend, ClockTick, Start, Stop };
  Kind kind = Kind::ControlChange;
  int channel = 0;     // 1..16 (0 for the clock)
  int number = 0;      // CC or note number
  double value = 0.0;  // 0..127 (a 14-bit pair or pitch bend: fractional steps of 1/128)
};

class MidiDecoder {
 public:
  // One message (status byte first) arriving at `time` seconds; nullopt for what no binding uses
  // (sysex, aftertouch, ...).
  std::optional<MidiEvent> decode(std::span<const std::uint8_t> message, double time = 0.0);

 private:
  // The last MSB of CC 0..31 per channel and when it came: an LSB on CC n+32 within a few
  // milliseconds of it (a 14-bit controller sends the two back to back) makes one fine value;
  // later, CC n+32 is a control of its own (a button on many controllers).
  struct Msb {
    int value = -1;
    double time = 0.0;
  };
  std::array<std::array<Msb, 32>, 16> msb_{};
};

// The tempo of a MIDI clock from its ticks' times (seconds): 24 ticks per quarter note,
// averaged over the last two beats; 0 until a beat has passed.
class MidiClockTempo {
 public:
  // A gap of more than half a second between ticks (a stop, a pause) starts the count over.
  void tick(double time);
  void reset() { count_ = 0, bpm_ = 0.0; }
  double bpm() const { return bpm_; }

 private:
  static constexpr int kTicks = 48;
  std::array<double, kTicks> times_{};
  int count_ = 0;
  double bpm_ = 0.0;
};

}  // namespace lw::control
