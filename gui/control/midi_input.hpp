// MIDI in: a virtual port of the ALSA sequencer ("latentwalk") that controllers and DAWs connect
// to, and optionally a connection to every input port whose name contains a given text, through
// RtMidi (Debian's librtmidi). Messages (up to three bytes: sysex is ignored, the clock kept) wait
// in a lock-free queue for the stage, stamped with their arrival time.
#pragma once

#include <array>
#include <chrono>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gui/control/spsc_queue.hpp"

namespace lw::control {

struct RawMidi {
  std::array<std::uint8_t, 3> bytes{};
  std::uint8_t size = 0;
  double time = 0.0;  // seconds since the input opened
};
using MidiQueue = SpscQueue<RawMidi, 4096>;

class MidiInput {
 public:
  // Throws lw::Error in one line when there is no ALSA sequencer (/dev/snd/seq) or `connect`
  // matches no port (naming the ports there are).
  explicit MidiInput(const std::string& connect = "");
  ~MidiInput();
  MidiInput(const MidiInput&) = delete;
  MidiInput& operator=(const MidiInput&) = delete;

  MidiQueue& queue() { return *queue_; }
  const std::vector<std::string>& connected() const { return connected_; }
  unsigned long long dropped() const { return dropped_.load(); }
  // Called by RtMidi's thread.
  void receive(double delta, const std::vector<unsigned char>& message);

 private:
  struct Ports;
  std::unique_ptr<Ports> ports_;
  std::unique_ptr<MidiQueue> queue_;
  std::vector<std::string> connected_;
  // Each port has its own RtMidi thread: the producers take turns here (MIDI's rates are low);
  // the stage's side stays lock-free.
  std::mutex producers_;
  double time_ = 0.0;
  std::chrono::steady_clock::time_point opened_ = std::chrono::steady_clock::now();
  std::atomic<unsigned long long> dropped_{0};
};

}  // namespace lw::control
