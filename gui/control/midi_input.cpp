#include "gui/control/midi_input.hpp"

#include <rtmidi/RtMidi.h>

#include <sstream>

#include "core/base/check.hpp"
#include "gui/control/quiet_stderr.hpp"

namespace lw::control {

struct MidiInput::Ports {
  std::vector<std::unique_ptr<RtMidiIn>> inputs;  // the virtual port first, then each connection
};

namespace {

void on_message(double delta, std::vector<unsigned char>* message, void* user) {
  if (message) static_cast<MidiInput*>(user)->receive(delta, *message);
}

void on_error(RtMidiError::Type, const std::string&, void*) {}  // reported by our own checks instead

std::unique_ptr<RtMidiIn> open_input(MidiInput* owner) {
  QuietStderr quiet;
  auto in = std::make_unique<RtMidiIn>(RtMidi::LINUX_ALSA, "latentwalk");
  in->setErrorCallback(on_error, nullptr);
  in->ignoreTypes(true, false, true);  // sysex and active sensing off, the clock on
  in->setCallback(on_message, owner);
  return in;
}

}  // namespace

MidiInput::MidiInput(const std::string& connect) : ports_(std::make_unique<Ports>()), queue_(std::make_unique<MidiQueue>()) {
  try {
    auto virtual_port = open_input(this);
    {
      QuietStderr quiet;
      virtual_port->openVirtualPort("latentwalk");
    }
    if (!connect.empty()) {
      std::ostringstream listed;
      for (unsigned i = 0; i < virtual_port->getPortCount(); ++i) {
        const std::string name = virtual_port->getPortName(i);
        listed << (i ? ", " : "") << "\"" << name << "\"";
        if (name.find(connect) == std::string::npos || name.find("latentwalk") != std::string::npos) continue;
        auto in = open_input(this);
        in->openPort(i, "latentwalk from " + name);
        connected_.push_back(name);
        ports_->inputs.push_back(std::move(in));
      }
      LW_EXPECT(!connected_.empty(), "MIDI: no input port matches \"" << connect << "\"; there are " << listed.str());
    }
    ports_->inputs.insert(ports_->inputs.begin(), std::move(virtual_port));
  } catch (const RtMidiError& e) {
    LW_FAIL("MIDI: no ALSA sequencer here (/dev/snd/seq; the snd-seq module): " << e.getMessage());
  }
}

// The ports (and their RtMidi threads, which call receive()) go before the queue and the lock.
MidiInput::~MidiInput() { ports_.reset(); }

void MidiInput::receive(double, const std::vector<unsigned char>& message) {
  const std::lock_guard lock(producers_);
  // One clock for every port (RtMidi's deltas count per port).
  time_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - opened_).count();
  if (message.empty() || message.size() > 3) return;  // what no binding uses
  RawMidi raw;
  raw.size = static_cast<std::uint8_t>(message.size());
  for (std::size_t i = 0; i < message.size(); ++i) raw.bytes[i] = message[i];
  raw.time = time_;
  if (!queue_->push(std::move(raw))) dropped_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace lw::control
