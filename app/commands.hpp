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
#ifdef LW_HAVE_WINDOW
int cmd_view(const std::vector<std::string>& argv);
#endif

}  // namespace lw::app
