// MIDI bytes to events: control changes with 14-bit pairs, notes (velocity 0 is off), pitch
// bend, the clock's tempo; and the ALSA sequencer port where this machine has one.
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "core/base/check.hpp"
#include "gui/control/midi_decoder.hpp"
#include "gui/control/midi_input.hpp"

namespace lw::control {
namespace {

std::optional<MidiEvent> decode(MidiDecoder& d, std::vector<std::uint8_t> bytes) { return d.decode(bytes, 0.0); }

TEST(MidiDecoder, ControlChangesNotesAndPitchBend) {
  MidiDecoder d;
  const auto cc = decode(d, {0xB1, 21, 64});
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->kind, MidiEvent::Kind::ControlChange);
  EXPECT_EQ(cc->channel, 2);
  EXPECT_EQ(cc->number, 21);
  EXPECT_EQ(cc->value, 64.0);
  const auto on = decode(d, {0x90, 60, 100}), off = decode(d, {0x90, 60, 0}), off2 = decode(d, {0x80, 60, 30});
  EXPECT_EQ(on->kind, MidiEvent::Kind::NoteOn);
  EXPECT_EQ(on->value, 100.0);
  EXPECT_EQ(off->kind, MidiEvent::Kind::NoteOff);  // velocity 0: off, as every keyboard sends it
  EXPECT_EQ(off2->kind, MidiEvent::Kind::NoteOff);
  const auto bend = decode(d, {0xE0, 0x00, 0x40});  // the centre: 8192
  EXPECT_EQ(bend->kind, MidiEvent::Kind::PitchBend);
  EXPECT_DOUBLE_EQ(bend->value, 64.0);
  EXPECT_FALSE(decode(d, {0xF0, 1, 2}));  // sysex: nothing a binding uses
  EXPECT_FALSE(decode(d, {0xB0, 200, 1}));  // data bytes above 127: not MIDI
  EXPECT_FALSE(decode(d, {0xB0, 7}));       // cut short
}

TEST(MidiDecoder, FourteenBitPairsReadAsOneFineValue) {
  MidiDecoder d;
  EXPECT_EQ(decode(d, {0xB0, 7, 100})->value, 100.0);  // coarse: CC 7
  const auto fine = decode(d, {0xB0, 39, 64});          // fine: CC 39 = 7 + 32
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->number, 7);
  EXPECT_DOUBLE_EQ(fine->value, 100.5);
  const auto plain = decode(d, {0xB1, 39, 64});  // another channel had no coarse half: CC 39 itself
  EXPECT_EQ(plain->number, 39);
  const std::vector<std::uint8_t> coarse{0xB0, 0, 10}, button{0xB0, 32, 127};
  d.decode(coarse, 1.0);
  const auto later = d.decode(button, 2.0);  // a second later: a button on CC 32, not fader 0's fine half
  EXPECT_EQ(later->number, 32);
  EXPECT_EQ(later->value, 127.0);
}

TEST(MidiDecoder, TheClockGivesTheTempo) {
  MidiDecoder d;
  EXPECT_EQ(decode(d, {0xF8})->kind, MidiEvent::Kind::ClockTick);
  EXPECT_EQ(decode(d, {0xFA})->kind, MidiEvent::Kind::Start);
  MidiClockTempo tempo;
  const double tick = 60.0 / 126.0 / 24.0;  // 126 bpm
  for (int i = 0; i < 24; ++i) tempo.tick(i * tick);
  EXPECT_EQ(tempo.bpm(), 0.0) << "not a whole beat yet";
  for (int i = 24; i < 200; ++i) tempo.tick(i * tick + (i % 2 ? 0.0005 : -0.0005));  // 0.5 ms of jitter
  EXPECT_NEAR(tempo.bpm(), 126.0, 0.5);
  for (int i = 0; i < 30; ++i) tempo.tick(100.0 + i * 60.0 / 90.0 / 24.0);  // stopped, then 90 bpm after a pause
  EXPECT_NEAR(tempo.bpm(), 90.0, 0.5) << "the pause is not a beat";
}

TEST(MidiInput, TheSequencerPortOpensWhereThereIsOne) {
  if (!std::filesystem::exists("/dev/snd/seq")) GTEST_SKIP() << "no ALSA sequencer on this machine (/dev/snd/seq)";
  MidiInput input;
  EXPECT_TRUE(input.connected().empty());
  EXPECT_THROW(MidiInput("no such controller 1234"), Error);
}

TEST(MidiInput, NoSequencerIsOneClearLine) {
  if (std::filesystem::exists("/dev/snd/seq")) GTEST_SKIP() << "this machine has an ALSA sequencer";
  try {
    MidiInput input;
    FAIL() << "opened MIDI without a sequencer";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("MIDI: no ALSA sequencer here"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lw::control
