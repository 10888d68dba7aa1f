// latentwalk osc-map: the OSC address space of the viewer's stage, for a controller's layout.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "app/stage/direction_library.hpp"
#include "app/stage/session.hpp"
#include "core/base/npy.hpp"
#include "core/preset.hpp"
#include "core/scene_parameters.hpp"
#include "gui/control/osc_router.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::app {
namespace fs = std::filesystem;

int cmd_osc_map(const std::vector<std::string>& argv) {
  Args a("osc-map",
         "Lists every OSC address the viewer answers (view --osc-port PORT): each live parameter with\n"
         "its type and range, its /norm form taking 0..1 across that range, an edit for every direction\n"
         "of the model's space (added on first use), and the triggers. For the viewer's default walks,\n"
         "or a preset's.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("preset", "P.json", "the walks of this preset instead (its model too)")
      .flag("json", "", "print the list as JSON");
  if (!a.parse(argv)) return 0;
  std::optional<Preset> preset;
  if (a.given("preset")) preset = read_preset_resolved(a.str("preset"));
  const auto model = plugin::load_model(preset ? fs::path(preset->model) : fs::path(a.str("model")));
  if (!preset) {
    fs::path computed;
    stage::SessionOptions options;
    options.model = model.folder;
    preset = stage::default_walks(model, options, computed);
    if (!computed.empty()) fs::remove(computed);
  }
  ParameterRegistry registry;
  register_scene_parameters(registry, *preset);
  NpyCache files;
  std::vector<std::string> edits;
  for (const auto& d : stage::DirectionLibrary().entries(model, parse_space(preset->space), files))
    edits.push_back(edit_parameter_name(d.ref));
  const auto space = control::osc_address_space(registry, edits);
  nlohmann::json j = nlohmann::json::array();
  std::ostringstream text;
  for (const auto& addr : space) {
    j.push_back({{"address", addr.address}, {"arguments", addr.arguments}, {"help", addr.help}});
    std::string left = addr.address + " " + addr.arguments;
    if (left.size() < 44) left.resize(44, ' ');
    text << left << " " << addr.help << "\n";
  }
  print_outcome(a, {{"model", model.manifest.name}, {"addresses", j}}, text.str());
  return 0;
}

}  // namespace lw::app
