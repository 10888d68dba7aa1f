// The latentwalk subcommands; each parses its own flags and returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "app/cli.hpp"

namespace lw::app {

int cmd_train_demo(const std::vector<std::string>& argv);
int cmd_sample(const std::vector<std::string>& argv);
int cmd_evaluate_model(const std::vector<std::string>& argv);
int cmd_demo(const std::vector<std::string>& argv);
int cmd_generate(const std::vector<std::string>& argv);
int cmd_boundary(const std::vector<std::string>& argv);
int cmd_edit(const std::vector<std::string>& argv);
int cmd_analyze(const std::vector<std::string>& argv);
int cmd_evaluate_edits(const std::vector<std::string>& argv);
int cmd_discover(const std::vector<std::string>& argv);
int cmd_evaluate_directions(const std::vector<std::string>& argv);
int cmd_compare_walks(const std::vector<std::string>& argv);
int cmd_bench(const std::vector<std::string>& argv);
int cmd_import(const std::vector<std::string>& argv);
int cmd_osc_map(const std::vector<std::string>& argv);
int cmd_invert(const std::vector<std::string>& argv);
int cmd_evaluate_inversion(const std::vector<std::string>& argv);
int cmd_evaluate_quality(const std::vector<std::string>& argv);
int cmd_train_encoder(const std::vector<std::string>& argv);
// LibTorch's intra-op threads: all cores (Debian's LibTorch would otherwise use one).
void use_all_cores_for_torch();
int cmd_view(const std::vector<std::string>& argv);
#ifdef LW_HAVE_VIDEO
int cmd_record(const std::vector<std::string>& argv);
int cmd_synth_beat(const std::vector<std::string>& argv);
#endif

}  // namespace lw::app
