// The addresses that are not parameters but ask the stage to act (/clock/tap, /screenshot ...):
// one table for the OSC router, the bindings whose threshold fires them, presets and `osc-map`.
#pragma once

#include <optional>
#include <string_view>

namespace lw {

enum class Trigger { Tap, Downbeat, Play, LoadPreset, RecordStart, RecordStop, Screenshot };

struct TriggerAddress {
  const char* address;
  Trigger trigger;
  const char* arguments;  // as `osc-map` shows them; "" takes none
  const char* help;
};

inline constexpr TriggerAddress kTriggerAddresses[] = {
    {"/clock/tap", Trigger::Tap, "", "tap tempo: taps set /clock/bpm"},
    {"/clock/downbeat", Trigger::Downbeat, "", "the clock back to 0: the loops start together"},
    {"/clock/play", Trigger::Play, "1|0", "play (1) or pause (0)"},
    {"/preset/load", Trigger::LoadPreset, "s", "load a preset by name (one beside the model or in the recordings folder; never a path)"},
    {"/record/start", Trigger::RecordStart, "", "start capturing the frames as presented to a video"},
    {"/record/stop", Trigger::RecordStop, "", "stop the capture and finish the file"},
    {"/screenshot", Trigger::Screenshot, "", "save the next frame as presented"},
};

// The entry of an address, if it is a trigger.
const TriggerAddress* trigger_address(std::string_view address);
// The trigger an address names, if any.
std::optional<Trigger> trigger_of(std::string_view address);
// Whether a binding may target the address: a trigger that takes no argument, fired when the
// binding's source crosses its threshold.
bool is_trigger_address(std::string_view address);

}  // namespace lw
