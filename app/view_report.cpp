#include "app/view_report.hpp"

#include <sstream>

#include "app/stage/stage.hpp"

namespace lw::app {

namespace {
nlohmann::json percentiles(const stage::FrameTimeHistory& h, stage::Timing t) {
  return {{"p50", h.percentile(t, 0.5f)}, {"p99", h.percentile(t, 0.99f)}};
}
}  // namespace

ViewResult view_report(stage::Stage& stage, const ViewOptions& o, const RunFigures& f) {
  using stage::Timing;
  const auto c = stage.counters();
  const auto& status = stage.status();
  const auto& h = stage.history();
  // The same frames through the generator alone, with the same threads: what the pipeline's
  // throughput is measured against (a figure, not a test: it depends on what else runs).
  const double generator_only_fps = stage.generator_only_fps();
  ViewResult result;
  auto& j = result.report;
  j["frames"] = c.frames;
  j["sink"] = std::string(stage.sink().name());
  j["sink_reason"] = status.sink_reason;
  j["device"] = stage.context().device_info().name;
  j["ms"] = {{"generate", percentiles(h, Timing::Generate)},
             {"handoff", percentiles(h, Timing::Handoff)},
             {"draw", percentiles(h, Timing::Draw)},
             {"ui", percentiles(h, Timing::Ui)},
             {"frame", percentiles(h, Timing::Frame)}};
  j["generator_only_fps"] = generator_only_fps;
  j["pipeline_fps"] = c.pipeline_fps;
  j["throughput_ratio"] = generator_only_fps > 0 ? c.pipeline_fps / generator_only_fps : 0.0;
  j["batches"] = c.batches;
  j["scene_rebuilds"] = c.scene_rebuilds;
  j["render_thread_torch_calls"] = c.render_thread_torch_calls;
  j["stale_batches"] = c.stale_batches;
  j["host_copies_per_frame"] = stage.sink().host_copies_last_write();
  j["generator_device"] = stage.gpu_generator() ? "cuda" : "cpu";
  j["tiles"] = status.session.labels;
  j["plotted_paths"] = status.paths.size();  // compare plots on the last frame
  j["space"] = status.session.applied.space;
  nlohmann::json parameters = nlohmann::json::object();
  for (int i = 0; i < stage.parameters().size(); ++i) parameters[stage.parameters().info(i).path] = stage.parameters().value(i);
  j["parameters"] = parameters;
  if (!status.osc.listening.empty() || !status.osc.feedback.empty()) {
    const auto& osc = status.osc;
    j["osc"] = {{"listening", osc.listening}, {"feedback", osc.feedback},
                {"packets", osc.input.packets}, {"messages", osc.input.messages},
                {"malformed", osc.input.malformed}, {"queue_full", osc.input.queue_full},
                {"applied", osc.applied}, {"bound", osc.bound}, {"triggers", osc.triggers}, {"edits_added", osc.edits_added},
                {"unknown", osc.unknown}, {"rejected", osc.rejected},
                {"feedback_sent", osc.feedback_sent}, {"feedback_dropped", osc.feedback_dropped}};
  }
  if (status.link.joined) j["link"] = {{"peers", status.link.peers}, {"tempo", status.link.tempo}, {"beat", status.link.beat}};
  if (status.midi.attached)
    j["midi"] = {{"messages", status.midi.messages}, {"bound", status.midi.bound}, {"clock_bpm", status.midi.clock_bpm}};
  if (const auto& a = status.audio; !a.source.empty())
    j["audio"] = {{"source", a.source}, {"hops", a.hops}, {"dropped_samples", a.dropped_samples}, {"dropped_features", a.dropped_features},
                  {"onsets", a.onsets}, {"beats", a.beats}, {"bpm", a.bpm}, {"level", a.level}};
  if (stage.context().validation_enabled())
    j["validation"] = {{"errors", stage.context().validation_errors()}, {"warnings", stage.context().validation_warnings()}};
  std::ostringstream summary;
  summary << "latentwalk view: " << (c.frames == 1 ? "1 frame" : std::to_string(c.frames) + " frames") << " on " << stage.context().device_info().name << " ("
          << stage.sink().name() << "), walking along " << status.session.described << "\n"
          << "  pipeline " << c.pipeline_fps << " batches/s, generator alone " << generator_only_fps << " batches/s\n";
  if (o.out) summary << "  " << f.pngs_written << " frames written to " << o.out->string() << "\n";
  if (o.screenshot) summary << "  screenshot: " << o.screenshot->string() << "\n";
  if (o.save_preset) summary << "  preset: " << o.save_preset->string() << "\n";
  if (!status.capture_status.empty()) summary << "  " << status.capture_status << "\n";
  result.summary = summary.str();
  result.frames = c.frames;
  result.render_seconds = f.loop_seconds - f.encoder_wait_seconds;
  result.wall_seconds = f.wall_seconds;
  return result;
}

}  // namespace lw::app
