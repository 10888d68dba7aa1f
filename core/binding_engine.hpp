// The preset's bindings at work: each source's latest value in, parameters out, once per frame,
// smoothed by the time that passed; trigger bindings fire their addresses. The stage runs it
// live; a recording driven by a track runs the same engine frame by frame.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/audio_features.hpp"
#include "core/binding.hpp"
#include "core/parameters.hpp"

namespace lw {

class BindingEngine {
 public:
  // What each binding did on the last evaluate() (the Controls panel's meters).
  struct Meter {
    bool live = false;      // its source has given a value (LFOs and the tempo always have)
    double input = 0.0;     // the source's value
    double output = 0.0;    // the parameter's value it set, or 0/1 for a trigger
    bool resolved = false;  // its target is a parameter of this scene or a trigger
  };

  // Takes the preset's bindings and finds their targets in `registry`; a binding whose target is
  // not there (an edit not made yet) waits, unresolved, and is found again on the next load.
  // Bindings kept from the last load (same source and target) keep their source values and
  // smoothing, whatever else was edited.
  void load(const std::vector<Binding>& bindings, const ParameterRegistry& registry);
  const std::vector<Binding>& bindings() const { return bindings_; }

  // Source values. True when some binding listens (the value is then taken, not routed on).
  bool osc(std::string_view address, double value);
  bool midi_cc(int channel, int number, double value);
  bool midi_note(int channel, int number, double velocity);  // 0: note off
  bool audio(std::string_view feature, double value);
  // One frame's audio: level, bass, mid, high, and onset and beat as 1 when the frame had one
  // (what parameter bindings take at the next evaluate()).
  void audio(const AudioFeatures& frame);
  // A trigger an audio event fired, and when the event sounded: seconds into the audio.
  struct AudioTrigger {
    std::string address;
    double time = 0.0;
  };
  // One hop of analysed audio (live: every hop, in order; a track: each frame's window): sets the
  // audio sources as audio() does, and steps the trigger bindings on audio at the audio's own
  // time, so each onset fires once, with the time it sounded, however many hops a slow frame
  // gathers (stepped once per frame, two onsets in one frame were one, and a tap was timed by the
  // frame). evaluate() leaves these bindings to this.
  std::vector<AudioTrigger> audio_events(const AudioFeatures& hop);
  bool listens_to_osc(std::string_view address) const;

  // Evaluates every binding at clock `time` seconds (`bpm` > 0: beats for LFO periods and the
  // tempo's phase), `dt` seconds after the last evaluation; sets the parameters and returns the
  // trigger addresses that fired.
  std::vector<std::string> evaluate(double time, double bpm, double dt, ParameterRegistry& registry);
  const std::vector<Meter>& meters() const { return meters_; }

 private:
  struct State {
    double value = 0.0;
    bool live = false;
    Smoother smoother;
    TriggerGate gate;
    int parameter = -1;
    bool fired_by_audio = false;  // since the last evaluate(): its meter shows it
  };
  bool set_source(const auto& matches, double value);

  std::vector<Binding> bindings_;
  std::vector<State> states_;
  double elapsed_ = 0.0;  // the sum of every evaluate()'s dt
  std::vector<Meter> meters_;
};

}  // namespace lw
