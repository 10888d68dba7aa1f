// The stage's live control: OSC messages drained once per frame on the render thread, routed
// against the registry (gui/control/osc_router), triggers turned into the stage's commands, and
// changed values sent back to the feedback target.
#include <algorithm>
#include <cmath>

#include "app/stage/stage.hpp"
#include "core/scene_parameters.hpp"
#include "gui/control/audio_input.hpp"
#include "gui/control/osc_router.hpp"
#include "gui/control/osc_sender.hpp"
#include "gui/control/osc_server.hpp"

namespace lw::stage {
namespace fs = std::filesystem;

void Stage::attach_osc(control::OscServer* server, control::OscSender* feedback) {
  osc_ = server;
  feedback_ = feedback;
  fed_back_.clear();
  status_.osc.listening = server ? server->bind_address() + ":" + std::to_string(server->port()) : "";
  status_.osc.feedback = feedback ? feedback->target() : "";
}

void Stage::attach_audio(control::AudioInput* input) {
  audio_ = input;
  status_.audio = {};
  status_.audio.source = input ? input->source() : "";
}

void Stage::drain_audio() {
  if (!audio_) return;
  AudioStatus& a = status_.audio;
  bool onset = false, beat = false, any = false;
  while (auto f = audio_->features().pop()) {
    any = true;
    onset = onset || f->onset, beat = beat || f->beat;
    a.level = f->level, a.bass = f->bass, a.mid = f->mid, a.high = f->high, a.bpm = f->bpm;
  }
  a.onsets += onset ? 1 : 0, a.beats += beat ? 1 : 0;
  a.hops = audio_->hops(), a.dropped_samples = audio_->dropped_samples();
  if (!any) return;
  bindings_.audio("level", a.level), bindings_.audio("bass", a.bass), bindings_.audio("mid", a.mid);
  bindings_.audio("high", a.high), bindings_.audio("onset", onset ? 1.0 : 0.0), bindings_.audio("beat", beat ? 1.0 : 0.0);
  if (feedback_)  // so a controller can show the input too
    for (const auto& [name, value] : {std::pair{"/audio/level", a.level}, {"/audio/bass", a.bass}, {"/audio/mid", a.mid},
                                      {"/audio/high", a.high}, {"/audio/onset", onset ? 1.0 : 0.0}, {"/audio/bpm", a.bpm}})
      feedback_->send(name, value);
}

double Stage::frame_clock_time() const {
  return options_.pacing == Pacing::Content ? options_.start_time + static_cast<double>(frame_) / options_.fps : clock_.time();
}

void Stage::drain_controls(double dt) {
  if (osc_) {
    // At most what the queue holds: a flood is drained in bounded work per frame.
    for (std::size_t n = 0; n < control::OscServer::kQueueCapacity; ++n) {
      auto message = osc_->queue().pop();
      if (!message) break;
      // A binding's source address: its value goes to the binding, which moves its target.
      if (message->numbers.size() == 1 && std::isfinite(message->numbers[0]) && !message->unsupported &&
          bindings_.osc(message->address, message->numbers[0])) {
        ++status_.osc.bound;
        continue;
      }
      const control::Routed routed = control::route_osc(*message, registry_);
      switch (routed.kind) {
        case control::Routed::Kind::Applied: ++status_.osc.applied; break;
        case control::Routed::Kind::Triggered: osc_trigger(routed); break;
        case control::Routed::Kind::EditWanted: osc_edit(routed.text, routed.value); break;
        case control::Routed::Kind::Unknown: ++status_.osc.unknown; break;
        case control::Routed::Kind::Rejected: ++status_.osc.rejected; break;
      }
    }
    status_.osc.input = osc_->counters();
  }
  drain_audio();
  for (const std::string& address : bindings_.evaluate(frame_clock_time(), registry_.value(layout_.bpm), dt, registry_))
    if (const auto trigger = control::trigger_of(address)) osc_trigger({control::Routed::Kind::Triggered, *trigger});
  send_feedback();
}

void Stage::osc_trigger(const control::Routed& routed) {
  ++status_.osc.triggers;
  using control::Trigger;
  switch (routed.trigger) {
    case Trigger::Tap: command({Command::Kind::Tap}); break;
    case Trigger::Downbeat: command({Command::Kind::Restart}); break;
    case Trigger::Play: set_playing(routed.value != 0.0); break;
    case Trigger::Screenshot: command({Command::Kind::Screenshot}); break;
    case Trigger::RecordStart: command({Command::Kind::Capture, "", 0, true}); break;
    case Trigger::RecordStop: command({Command::Kind::Capture, "", 0, false}); break;
    case Trigger::LoadPreset: {
      // A name ("dance") is a preset the session found (beside the model, in the recordings
      // folder); anything else a file.
      std::string path = routed.text;
      for (const auto& file : status_.session.preset_files)
        if (fs::path(file).stem() == routed.text) path = file;
      command({Command::Kind::LoadPreset, path});
      break;
    }
  }
}

void Stage::osc_edit(const std::string& name, double alpha) {
  for (const DirectionEntry& d : status_.session.directions) {
    if (edit_parameter_name(d.ref) != name) continue;
    Preset walks = current_preset();
    walks.edits.push_back({d.ref, static_cast<float>(std::clamp(alpha, -100.0, 100.0))});
    edit(walks);  // a new scene with the edit, built off the render thread
    ++status_.osc.edits_added;
    return;
  }
  ++status_.osc.unknown;
}

void Stage::send_feedback() {
  if (!feedback_) return;
  const auto& values = registry_.values();
  if (fed_back_.size() != values.size()) fed_back_.assign(values.size(), std::nan(""));  // a new scene: send all
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == fed_back_[i]) continue;
    feedback_->send(registry_.info(static_cast<int>(i)).path, values[i]);
    fed_back_[i] = values[i];
  }
  status_.osc.feedback_sent = feedback_->sent();
  status_.osc.feedback_dropped = feedback_->dropped();
}

}  // namespace lw::stage
