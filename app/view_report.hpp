// What `view --json` prints and `view` says at the end: the stage's timings and counters, the
// hand-off path and the files written. Built from the stage after the run, never in the loop.
#pragma once

#include "app/view_run.hpp"

namespace lw::stage {
class Stage;
}

namespace lw::app {

struct RunFigures {
  double loop_seconds = 0.0, encoder_wait_seconds = 0.0, wall_seconds = 0.0;
  std::size_t pngs_written = 0;
};

ViewResult view_report(stage::Stage& stage, const ViewOptions& options, const RunFigures& figures);

}  // namespace lw::app
