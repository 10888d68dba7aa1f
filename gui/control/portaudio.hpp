// PortAudio, started once per process and kept (its host APIs do not like being restarted), with
// the probing noise of ALSA and JACK kept off stderr. Throws lw::Error when it does not start.
#pragma once

namespace lw::control {

void start_portaudio();

}  // namespace lw::control
