// A small command-line parser for the subcommands: declared flags only, typed values,
// --help generated from the declarations, and a one-line error for anything else.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lw::app {

class Args {
 public:
  Args(std::string command, std::string summary);

  // Declares a flag. `value_name` empty: a switch without a value.
  Args& flag(const std::string& name, const std::string& value_name, const std::string& help,
             std::optional<std::string> default_value = std::nullopt);
  // Parses argv after the subcommand. Returns false when --help was printed.
  bool parse(const std::vector<std::string>& argv);

  bool has(const std::string& name) const;
  std::string str(const std::string& name) const;         // throws when missing and no default
  long long integer(const std::string& name) const;
  double real(const std::string& name) const;
  bool on(const std::string& name) const { return has(name); }
  std::vector<std::string> positional() const { return positional_; }
  std::string help() const;

 private:
  struct Flag {
    std::string value_name, help;
    std::optional<std::string> default_value;
  };
  std::string command_, summary_;
  std::vector<std::string> order_;
  std::map<std::string, Flag> flags_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace lw::app
