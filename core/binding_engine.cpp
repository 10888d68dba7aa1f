#include "core/binding_engine.hpp"

#include <cmath>
#include <utility>

#include "core/triggers.hpp"

namespace lw {

void BindingEngine::load(const std::vector<Binding>& bindings, const ParameterRegistry& registry) {
  std::vector<State> states(bindings.size());
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    // Kept (the same source and target, its shaping maybe edited): its value and smoothing go on.
    for (std::size_t k = 0; k < bindings_.size(); ++k)
      if (bindings_[k].source == bindings[i].source && bindings_[k].target == bindings[i].target) states[i] = states_[k];
    const auto index = registry.find(bindings[i].target);
    states[i].parameter = index ? *index : -1;
  }
  bindings_ = bindings;
  states_ = std::move(states);
  meters_.assign(bindings_.size(), {});
}

bool BindingEngine::set_source(const auto& matches, double value) {
  bool taken = false;
  for (std::size_t i = 0; i < bindings_.size(); ++i) {
    if (!matches(bindings_[i].source)) continue;
    states_[i].value = value;
    states_[i].live = true;
    taken = true;
  }
  return taken;
}

bool BindingEngine::osc(std::string_view address, double value) {
  return set_source([&](const BindingSource& s) { return s.kind == BindingSourceKind::Osc && s.address == address; }, value);
}

bool BindingEngine::listens_to_osc(std::string_view address) const {
  for (const auto& b : bindings_)
    if (b.source.kind == BindingSourceKind::Osc && b.source.address == address) return true;
  return false;
}

bool BindingEngine::midi_cc(int channel, int number, double value) {
  return set_source([&](const BindingSource& s) {
    return s.kind == BindingSourceKind::MidiCc && s.number == number && (s.channel == 0 || s.channel == channel);
  }, value);
}

bool BindingEngine::midi_note(int channel, int number, double velocity) {
  return set_source([&](const BindingSource& s) {
    return s.kind == BindingSourceKind::MidiNote && s.number == number && (s.channel == 0 || s.channel == channel);
  }, velocity);
}

bool BindingEngine::audio(std::string_view feature, double value) {
  return set_source([&](const BindingSource& s) { return s.kind == BindingSourceKind::Audio && s.address == feature; }, value);
}

void BindingEngine::audio(const AudioFeatures& f) {
  audio("level", f.level), audio("bass", f.bass), audio("mid", f.mid), audio("high", f.high);
  audio("onset", f.onset ? 1.0 : 0.0), audio("beat", f.beat ? 1.0 : 0.0);
}

std::vector<BindingEngine::AudioTrigger> BindingEngine::audio_events(const AudioFeatures& hop) {
  audio(hop);
  std::vector<AudioTrigger> fired;
  for (std::size_t i = 0; i < bindings_.size(); ++i) {
    const Binding& b = bindings_[i];
    State& s = states_[i];
    if (b.source.kind != BindingSourceKind::Audio || s.parameter >= 0 || !s.live || !is_trigger_address(b.target)) continue;
    if (!s.gate.step(shaped_unit(b, s.value), hop.time, b.threshold, b.hold)) continue;
    s.fired_by_audio = true;
    const double at = b.source.address == "onset" ? hop.onset_time : b.source.address == "beat" ? hop.beat_time : hop.time;
    fired.push_back({b.target, at});
  }
  return fired;
}

std::vector<std::string> BindingEngine::evaluate(double time, double bpm, double dt, ParameterRegistry& registry) {
  std::vector<std::string> fired;
  const double beats = bpm > 0.0 ? time * bpm / 60.0 : 0.0;
  elapsed_ += std::max(dt, 0.0);  // triggers hold on this: it never goes back (a downbeat, a pause)
  for (std::size_t i = 0; i < bindings_.size(); ++i) {
    const Binding& b = bindings_[i];
    State& s = states_[i];
    Meter& m = meters_[i];
    if (b.source.kind == BindingSourceKind::Lfo) {
      const double cycles = b.source.period > 0.0 ? (bpm > 0.0 ? beats : time) / b.source.period : 0.0;
      s.value = lfo_value(b.source.shape, cycles), s.live = true;
    } else if (b.source.kind == BindingSourceKind::TempoPhase) {
      const double cycles = bpm > 0.0 && b.source.period > 0.0 ? beats / b.source.period : 0.0;
      s.value = cycles - std::floor(cycles), s.live = true;
    }
    m.live = s.live;
    m.input = s.value;
    m.resolved = s.parameter >= 0 || is_trigger_address(b.target);
    if (!s.live || !m.resolved) continue;
    if (s.parameter < 0 && b.source.kind == BindingSourceKind::Audio) {  // fired by audio_events()
      m.output = std::exchange(s.fired_by_audio, false) ? 1.0 : 0.0;
      continue;
    }
    if (s.parameter < 0) {  // a trigger
      const bool fire = s.gate.step(shaped_unit(b, s.value), elapsed_, b.threshold, b.hold);
      if (fire) fired.push_back(b.target);
      m.output = fire ? 1.0 : 0.0;
      continue;
    }
    const ParamInfo& info = registry.info(s.parameter);
    const double target = binding_output(b, s.value, info.min, info.max);
    m.output = s.smoother.step(target, dt, b.attack, b.release);
    registry.set(s.parameter, m.output);
    m.output = registry.value(s.parameter);  // as clamped and rounded
  }
  return fired;
}

}  // namespace lw
