#include "gui/control/portaudio.hpp"

#include <portaudio.h>

#include "core/base/check.hpp"
#include "gui/control/quiet_stderr.hpp"

namespace lw::control {

void start_portaudio() {
  static const PaError started = [] {
    QuietStderr quiet;
    return Pa_Initialize();
  }();
  LW_EXPECT(started == paNoError, "audio: PortAudio did not start (" << Pa_GetErrorText(started) << ")");
}

}  // namespace lw::control
