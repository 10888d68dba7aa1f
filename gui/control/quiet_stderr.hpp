// ALSA, JACK and RtMidi print pages of probing noise on stderr when a machine has no sound card,
// no JACK server or no MIDI sequencer; the user gets one line from us instead. Held only while
// a device library starts or opens something.
#pragma once

#include <fcntl.h>
#include <unistd.h>

namespace lw::control {

class QuietStderr {
 public:
  QuietStderr() : saved_(::dup(2)) {
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) ::dup2(null, 2), ::close(null);
  }
  ~QuietStderr() {
    if (saved_ >= 0) ::dup2(saved_, 2), ::close(saved_);
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_;
};

}  // namespace lw::control
