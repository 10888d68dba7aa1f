#include "gui/control/midi_decoder.hpp"

namespace lw::control {

constexpr double kPairSeconds = 0.005;

std::optional<MidiEvent> MidiDecoder::decode(std::span<const std::uint8_t> m, double time) {
  if (m.empty()) return std::nullopt;
  const std::uint8_t status = m[0];
  switch (status) {
    case 0xF8: return MidiEvent{MidiEvent::Kind::ClockTick};
    case 0xFA: return MidiEvent{MidiEvent::Kind::Start};
    case 0xFC: return MidiEvent{MidiEvent::Kind::Stop};
    default: break;
  }
  if (status < 0x80 || status >= 0xF0 || m.size() < 3 || m[1] > 127 || m[2] > 127) return std::nullopt;
  const int channel = (status & 0x0F) + 1, a = m[1], b = m[2];
  switch (status & 0xF0) {
    case 0x90:
      if (b > 0) return MidiEvent{MidiEvent::Kind::NoteOn, channel, a, static_cast<double>(b)};
      [[fallthrough]];  // note on at velocity 0 is a note off
    case 0x80: return MidiEvent{MidiEvent::Kind::NoteOff, channel, a, 0.0};
    case 0xB0: {
      auto& msb = msb_[static_cast<std::size_t>(channel - 1)];
      if (a < 32) {
        msb[static_cast<std::size_t>(a)] = {b, time};
        return MidiEvent{MidiEvent::Kind::ControlChange, channel, a, static_cast<double>(b)};
      }
      if (a < 64) {
        Msb& coarse = msb[static_cast<std::size_t>(a - 32)];
        if (coarse.value >= 0 && time - coarse.time <= kPairSeconds) {
          // The fine half of a 14-bit pair: the coarse CC's value with 1/128 steps.
          const int value = coarse.value;
          coarse.value = -1;
          return MidiEvent{MidiEvent::Kind::ControlChange, channel, a - 32, value + b / 128.0};
        }
      }
      return MidiEvent{MidiEvent::Kind::ControlChange, channel, a, static_cast<double>(b)};
    }
    case 0xE0: return MidiEvent{MidiEvent::Kind::PitchBend, channel, 0, ((b << 7) | a) / 128.0};
    default: return std::nullopt;
  }
}

void MidiClockTempo::tick(double time) {
  if (count_ > 0 && time - times_[static_cast<std::size_t>((count_ - 1) % kTicks)] > 0.5) count_ = 0;
  times_[static_cast<std::size_t>(count_ % kTicks)] = time;
  ++count_;
  if (count_ < 25) return;  // a whole beat: 24 intervals
  const int span = std::min(count_ - 1, kTicks - 1);
  const double first = times_[static_cast<std::size_t>((count_ - 1 - span) % kTicks)];
  const double seconds = time - first;
  if (seconds > 0.0) bpm_ = 60.0 * span / 24.0 / seconds;
}

}  // namespace lw::control
