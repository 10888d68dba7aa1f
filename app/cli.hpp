// The subcommands' command lines: declared flags only, parsed by CLI11 (Debian's libcli11-dev),
// with typed, range-checked values read in one form, --help generated from the declarations and
// wrapped to 80 columns, and a one-line error with a suggestion for anything else.
#pragma once

#include "core/space.hpp"
#include "interop/sink_choice.hpp"

#include <nlohmann/json_fwd.hpp>

#include <charconv>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace lw::app {

// "A<sep>B" where A and B are each wholly a number of type T ("1280x720", "0/4", "-3:3"); empty
// when the text is anything else. The flags that take such pairs say what they expect.
template <typename T>
std::optional<std::pair<T, T>> parse_pair(std::string_view text, char sep) {
  const auto at = text.find(sep, 1);  // from 1: a leading '-' is a sign, never the separator
  if (at == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view part, T& out) {
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && end == part.data() + part.size() && !part.empty();
  };
  std::pair<T, T> out;
  if (!number(text.substr(0, at), out.first) || !number(text.substr(at + 1), out.second)) return std::nullopt;
  return out;
}

// "A,B,C" where each item is wholly a number of type T ("0,0.5,1"); empty text is an empty
// list; empty when any item is anything else. Callers check the values' range.
template <typename T>
std::optional<std::vector<T>> parse_list(std::string_view text) {
  std::vector<T> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    T v{};
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) return std::nullopt;
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return std::nullopt;  // a trailing comma
  }
  return out;
}

// A number as a user types it: 0.05, not 0.050000; 1e-05 for small ones.
std::string number_text(double value);
// "1 frame", "2 frames".
std::string count_text(long long n, const std::string& singular, const std::string& plural);

// A --size value, "WIDTHxHEIGHT", each side 64..8192 pixels. Throws lw::Error otherwise.
void parse_size(const std::string& text, int& width, int& height);
// "a:b": the W+ style rows a to b-1 (--layers).
LayerRange parse_layers(const std::string& text);
// "auto", "host" or "cuda" (--sink).
interop::SinkPreference parse_sink_preference(const std::string& text);

class Args {
 public:
  Args(std::string command, std::string summary);

  // Declares a flag. `value_name` empty: a switch without a value.
  Args& flag(const std::string& name, const std::string& value_name, const std::string& help,
             std::optional<std::string> default_value = std::nullopt);
  // Lets the flag declared last be given more than once (all() reads every value); any other
  // flag given twice is an error.
  Args& repeatable();
  // Words that are not flags or their values, for commands that take some (import's SOURCE);
  // without this, a stray word is an error.
  Args& positionals(const std::string& name, const std::string& help);
  // Parses argv after the subcommand. Returns false when --help was printed. A single-dash
  // word, an unknown flag or (unless positionals() was called) a stray word is an error that
  // suggests the flag meant.
  bool parse(const std::vector<std::string>& argv);

  bool has(const std::string& name) const;    // given, or declared with a default
  bool given(const std::string& name) const;  // given on the command line
  std::string str(const std::string& name) const;         // throws when missing and no default
  long long integer(const std::string& name) const;
  double real(const std::string& name) const;
  // integer()/real() that must lie in [lo, hi]: "--n must be between 1 and 64, got 100".
  long long integer_in(const std::string& name, long long lo, long long hi) const;
  double real_in(const std::string& name, double lo, double hi) const;
  // str() that must be one of `choices`: "--space must be auto, z or w, got \"x\"".
  std::string choice(const std::string& name, std::initializer_list<const char*> choices) const;
  bool on(const std::string& name) const { return has(name); }
  // Every value a repeatable flag was given, in order (--set A=1 --set B=2).
  std::vector<std::string> all(const std::string& name) const;
  std::vector<std::string> positional() const { return positional_; }
  std::string help() const;

 private:
  struct Flag {
    std::string value_name, help;
    std::optional<std::string> default_value;
    bool repeatable = false;
  };
  std::string command_, summary_;
  std::vector<std::string> order_;
  std::map<std::string, Flag> flags_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> all_;
  std::string positional_name_, positional_help_;
  std::string suggestion(const std::string& name) const;
  void reject_extra(const std::string& word) const;
  std::vector<std::string> positional_;
};

// What a command did, on stdout: `json` on one line when --json was given, else `text` as is.
// Every command that prints a result declares --json and prints through this.
void print_outcome(const Args& a, const nlohmann::json& json, const std::string& text);

}  // namespace lw::app
