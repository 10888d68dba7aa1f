// The stage's live control: OSC messages drained once per frame on the render thread, routed
// against the registry (gui/control/osc_router), triggers turned into the stage's commands, and
// changed values sent back to the feedback target.
#include <algorithm>
#include <cmath>

#include "app/stage/stage.hpp"
#include "app/stage/session.hpp"
#include "core/base/check.hpp"
#include "core/scene_parameters.hpp"
#include "core/track_performance.hpp"
#include "gui/control/audio_input.hpp"
#include "gui/control/link_session.hpp"
#include "gui/control/midi_decoder.hpp"
#include "gui/control/midi_input.hpp"
#include "gui/control/osc_router.hpp"
#include "gui/control/osc_sender.hpp"
#include "gui/control/osc_server.hpp"
#include "gui/control/track_player.hpp"

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
  audio_epoch_ = stage_seconds();
  status_.audio = {};
  status_.audio.source = input ? input->source() : "";
}

void Stage::drain_audio() {
  if (!audio_) return;
  AudioStatus& a = status_.audio;
  // Each hop's onsets and beats fire their triggers at their own time; the parameters take the
  // newest hop's level and bands, and an onset or a beat in any hop since the last frame.
  AudioFeatures frame;
  bool any = false;
  while (auto f = audio_->features().pop()) {
    any = true;
    audio_triggers(bindings_.audio_events(*f));
    const bool onset = frame.onset || f->onset, beat = frame.beat || f->beat;
    frame = *f;
    frame.onset = onset, frame.beat = beat;
  }
  a.hops = audio_->hops(), a.dropped_samples = audio_->dropped_samples(), a.dropped_features = audio_->dropped_features();
  if (any) take_audio(frame);
}

double Stage::stage_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - created_).count();
}

void Stage::audio_triggers(const std::vector<BindingEngine::AudioTrigger>& fired) {
  if (options_.replay) return;  // a replayed performance has its values already
  for (const auto& t : fired) {
    if (ignored_under_track(t.address)) continue;
    const auto trigger = control::trigger_of(t.address);
    if (trigger == control::Trigger::Tap) {
      ++status_.osc.triggers;
      Command tap{Command::Kind::Tap};
      tap.at = audio_epoch_ + t.time;  // when it sounded, not when this frame took it
      command(tap);
    } else if (trigger) {
      osc_trigger({control::Routed::Kind::Triggered, *trigger});
    }
  }
}

bool Stage::ignored_under_track(const std::string& address) {
  if (!track_) return false;
  if (std::find(status_.track.ignored.begin(), status_.track.ignored.end(), address) == status_.track.ignored.end())
    status_.track.ignored.push_back(address);
  return true;
}

void Stage::take_audio(const AudioFeatures& frame) {
  AudioStatus& a = status_.audio;
  a.level = frame.level, a.bass = frame.bass, a.mid = frame.mid, a.high = frame.high, a.bpm = frame.bpm;
  a.onsets += frame.onset ? 1 : 0, a.beats += frame.beat ? 1 : 0;
  bindings_.audio(frame);
  if (feedback_)  // so a controller can show the input too
    for (const auto& [name, value] : {std::pair{"/audio/level", a.level}, {"/audio/bass", a.bass}, {"/audio/mid", a.mid},
                                      {"/audio/high", a.high}, {"/audio/onset", frame.onset ? 1.0 : 0.0}, {"/audio/bpm", a.bpm}})
      feedback_->send(name, value);
}

void Stage::attach_midi(control::MidiQueue* midi) {
  midi_ = midi;
  midi_decoder_ = std::make_unique<control::MidiDecoder>();
  midi_clock_ = std::make_unique<control::MidiClockTempo>();
  status_.midi = {};
  status_.midi.attached = midi != nullptr;
}

void Stage::set_bindings(std::vector<Binding> bindings) {
  status_.session.applied.bindings = std::move(bindings);
  bindings_.load(status_.session.applied.bindings, registry_);
  panels_reset_ = true;  // the panels' copy of the walks takes the new bindings
}


bool Stage::learned(const BindingSource& source) {
  if (status_.learning.empty()) return false;
  Binding b;
  b.source = source;
  b.target = status_.learning;
  if (source.kind == BindingSourceKind::MidiCc || source.kind == BindingSourceKind::MidiNote) b.in_max = 127.0;
  auto bindings = status_.session.applied.bindings;
  std::erase_if(bindings, [&](const Binding& x) { return x.target == b.target; });  // one source per parameter
  bindings.push_back(b);
  set_bindings(std::move(bindings));
  status_.message = "bound " + b.target + " to " + describe_source(source);
  status_.learning.clear();
  return true;
}

void Stage::drain_midi() {
  if (!midi_) return;
  MidiStatus& m = status_.midi;
  using Kind = control::MidiEvent::Kind;
  while (auto raw = midi_->pop()) {
    ++m.messages;
    const auto e = midi_decoder_->decode({raw->bytes.data(), raw->size}, raw->time);
    if (!e) {
      ++m.ignored;
      continue;
    }
    const bool note = e->kind == Kind::NoteOn || e->kind == Kind::NoteOff;
    if (e->kind == Kind::ControlChange || e->kind == Kind::PitchBend || note) {
      const int number = e->kind == Kind::PitchBend ? 128 : e->number;  // pitch bend binds as CC 128
      const BindingSource source{note ? BindingSourceKind::MidiNote : BindingSourceKind::MidiCc, "", e->channel, number};
      m.last = describe_source(source) + " = " + std::to_string(static_cast<int>(e->value));
      if (e->kind != Kind::NoteOff && learned(source)) continue;
      const bool taken = note ? bindings_.midi_note(e->channel, number, e->value) : bindings_.midi_cc(e->channel, number, e->value);
      m.bound += taken ? 1 : 0;
      continue;
    }
    switch (e->kind) {
      case Kind::ClockTick:
        midi_clock_->tick(raw->time);
        m.clock_bpm = midi_clock_->bpm();
        if (m.clock_bpm >= 20.0 && m.clock_bpm <= 400.0) registry_.set(layout_.bpm, std::round(m.clock_bpm * 10.0) / 10.0);
        break;
      case Kind::Start:
        midi_clock_->reset();
        command({Command::Kind::Restart});
        set_playing(true);
        break;
      case Kind::Stop:
        midi_clock_->reset();
        set_playing(false);
        break;
      default: break;
    }
  }
}

void Stage::attach_link(control::LinkSession* link) {
  link_ = link;
  link_bpm_ = 0.0;
  status_.link = {};
  status_.link.joined = link != nullptr;
}

void Stage::follow_link() {
  if (!link_) return;
  LinkStatus& l = status_.link;
  l.peers = link_->peers();
  const double here = registry_.value(layout_.bpm);
  if (link_bpm_ > 0.0 && here >= 20.0 && std::abs(here - link_bpm_) > 1e-3) {
    link_->set_tempo(here);  // moved here (panel, OSC, MIDI, a tap): everyone follows
  } else if (const double session = link_->tempo(); std::abs(session - here) > 1e-3) {
    registry_.set(layout_.bpm, session);
  }
  link_bpm_ = registry_.value(layout_.bpm);
  l.tempo = link_bpm_;
  l.beat = link_->beat();
  // A window's clock follows the session's beats: time = beats at this tempo.
  if (options_.pacing == Pacing::Display && status_.playing && l.tempo > 0.0) clock_.set(l.beat * 60.0 / l.tempo);
}

void Stage::attach_track(std::shared_ptr<const TrackAnalysis> track, const std::string& name, control::Playback* playback) {
  track_ = std::move(track);
  playback_ = playback;
  track_position_ = -1.0;
  track_started_ = false;
  status_.track = {};
  if (!track_) return;
  TrackStatus& t = status_.track;
  t.source = name, t.seconds = track_->seconds, t.bpm = track_->grid.bpm, t.onsets = track_->onsets.size();
  if (options_.pacing == Pacing::Display) {
    LW_EXPECT(playback_ != nullptr, "a window follows a track as it plays: give its playback");
    t.audible = playback_->audible();
    status_.audio = {};
    status_.audio.source = "the track " + name;  // its features show in the audio meters as it plays
    playback_->pause(true);  // until the first frame
  }
  follow_track_with_scene();
}

void Stage::follow_track_with_scene() {
  if (options_.pacing == Pacing::Display) {
    track_grid_ = track_clock_grid(*track_, registry_, layout_);
    return;
  }
  // Every frame's values ahead, replayed as a recorded performance is: the generator works
  // ahead and the frames are the track's, however fast they are drawn. A new scene mid-run is
  // performed again from the start, so its frames are those a render of it would have.
  LW_EXPECT(options_.frames > 0, "a track drives a content-paced stage over a known number of frames");
  TrackPerformance performance = perform_track(current_preset(), registry_, layout_, *track_,
                                               {options_.start_time, options_.fps, options_.frames});
  options_.replay = std::make_shared<const Automation>(std::move(performance.timeline));
  status_.track.ignored = std::move(performance.ignored);
}

void Stage::set_playing(bool playing) {
  status_.playing = playing;
  if (playback_ && track_started_) playback_->pause(!playing);
}

void Stage::follow_track() {
  if (!track_ || !playback_) return;
  if (!track_started_) {
    playback_->pause(!status_.playing);
    track_started_ = true;
  }
  const double position = playback_->position();
  // Looped back to the start: the walk starts again too (its time does not run backwards).
  const bool looped = track_position_ >= 0.0 && position < track_position_;
  if (looped) clock_.restart();
  // The audio heard since the last frame: none when the playback has not moved (a pause, or a
  // frame quicker than the device's clock), one frame's worth at the start and after a loop.
  const double span = track_position_ < 0.0 || looped ? 1.0 / options_.fps : position - track_position_;
  const AudioFeatures heard = track_->frame(position, span);
  audio_triggers(bindings_.audio_events(heard));
  take_audio(heard);
  track_position_ = position;
  status_.track.position = position;
  clock_.set(track_grid_.clock_at(position));
}

void Stage::start_automation() {
  automation_ = std::make_unique<AutomationRecorder>(current_preset());
  automation_start_ = std::chrono::steady_clock::now();
}

std::optional<Automation> Stage::stop_automation() {
  if (!automation_) return std::nullopt;
  Automation timeline = automation_->timeline();
  automation_.reset();
  return timeline;
}

double Stage::frame_clock_time() const {
  return options_.pacing == Pacing::Content ? options_.start_time + static_cast<double>(frame_) / options_.fps : clock_.time();
}

void Stage::drain_controls(double dt) {
  if (osc_) {
    // Requests that build a scene (a preset load, an edit added, a start code) are kept, the
    // newest of each, and made once after the queue is drained: a flood of them is one build.
    std::optional<control::Routed> load, code, edit;
    // At most what the queue holds: a flood is drained in bounded work per frame.
    for (std::size_t n = 0; n < control::OscServer::kQueueCapacity; ++n) {
      auto message = osc_->queue().pop();
      if (!message) break;
      // Learning: an address the stage does not answer becomes the parameter's source.
      if (!status_.learning.empty() && message->numbers.size() == 1 && !registry_.find(message->address) &&
          !control::trigger_of(message->address) && message->address.rfind("/norm/", 0) != 0 &&
          message->address.rfind("/edit/", 0) != 0 && learned({BindingSourceKind::Osc, message->address}))
        continue;
      // A binding's source address: its value goes to the binding, which moves its target.
      if (message->numbers.size() == 1 && std::isfinite(message->numbers[0]) && !message->unsupported &&
          bindings_.osc(message->address, message->numbers[0])) {
        ++status_.osc.bound;
        continue;
      }
      const control::Routed routed = control::route_osc(*message, registry_);
      switch (routed.kind) {
        case control::Routed::Kind::Applied: ++status_.osc.applied; break;
        case control::Routed::Kind::Triggered:
          if (routed.trigger == control::Trigger::LoadPreset)
            load = routed, ++status_.osc.triggers;
          else
            osc_trigger(routed);
          break;
        case control::Routed::Kind::EditWanted: edit = routed; break;
        case control::Routed::Kind::CodeWanted:
          if (code_fits(routed.tile, routed.code.size()))
            code = routed;
          else
            ++status_.osc.rejected;  // no such tile, a code of another size, or a walk with no start code
          break;
        case control::Routed::Kind::Unknown: ++status_.osc.unknown; break;
        case control::Routed::Kind::Rejected: ++status_.osc.rejected; break;
      }
    }
    status_.osc.input = osc_->counters();
    if (load) {
      osc_trigger(*load);
      --status_.osc.triggers;  // counted when it came
    } else {
      if (edit) osc_edit(edit->text, edit->value);
      if (code) osc_code(code->tile, code->code);
    }
  }
  drain_audio();
  drain_midi();
  follow_link();
  follow_track();
  // A replayed performance has its values already: its bindings moved them when it was live.
  if (!options_.replay)
    for (const std::string& address : bindings_.evaluate(frame_clock_time(), registry_.value(layout_.bpm), dt, registry_)) {
      // Under a track the clock is the track's, and a render carries out no trigger: live does
      // as the recording does.
      if (ignored_under_track(address)) continue;
      if (const auto trigger = control::trigger_of(address)) osc_trigger({control::Routed::Kind::Triggered, *trigger});
    }
  status_.binding_meters = bindings_.meters();
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
      // Only a preset the session found (beside the model, in the recordings folder), by name:
      // a packet from the network never names a file.
      if (const auto file = preset_named(status_.session.preset_files, routed.text)) {
        command({Command::Kind::LoadPreset, *file});
      } else {
        ++status_.osc.rejected;
        status_.message = "OSC /preset/load \"" + routed.text + "\": no preset of that name in the presets folders";
      }
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

bool Stage::code_fits(int tile, std::size_t numbers) const {
  const auto& s = status_.session;
  const int dims = s.applied.space == "z" ? s.latent_dim : s.w_dim;
  const auto index = static_cast<std::size_t>(tile - 1);
  if (index >= s.applied.tiles.size() || static_cast<int>(numbers) != dims) return false;
  const WalkKind kind = s.applied.tiles[index].walk;
  return kind == WalkKind::Linear || kind == WalkKind::DensityPreserving;
}

void Stage::osc_code(int tile, const std::vector<double>& code) {
  Preset walks = current_preset();
  TilePreset& t = walks.tiles[static_cast<std::size_t>(tile - 1)];
  t.start_code.assign(code.begin(), code.end());
  t.start_file.clear();  // one start: the code sent
  edit(walks);  // a new scene from this start, built off the render thread
  ++status_.osc.applied;
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
