#include "app/cli.hpp"

#include <charconv>
#include <iostream>
#include <sstream>
#include <tuple>

#include "core/base/check.hpp"

namespace lw::app {

Args::Args(std::string command, std::string summary) : command_(std::move(command)), summary_(std::move(summary)) {}

Args& Args::flag(const std::string& name, const std::string& value_name, const std::string& help,
                 std::optional<std::string> default_value) {
  order_.push_back(name);
  flags_[name] = {value_name, help, std::move(default_value)};
  return *this;
}

bool Args::parse(const std::vector<std::string>& argv) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << help();
      return false;
    }
    if (a.rfind("--", 0) != 0) {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const auto it = flags_.find(name);
    LW_EXPECT(it != flags_.end(), "latentwalk " << command_ << ": unknown flag --" << name << " (see --help)");
    if (it->second.value_name.empty()) {
      LW_EXPECT(!inline_value, "latentwalk " << command_ << ": --" << name << " takes no value");
      values_[name] = "1";
      continue;
    }
    if (!inline_value) {
      LW_EXPECT(i + 1 < argv.size(), "latentwalk " << command_ << ": --" << name << " needs a value ("
                                                   << it->second.value_name << ")");
      value = argv[++i];
    }
    values_[name] = value;
    all_[name].push_back(value);
  }
  return true;
}

std::vector<std::string> Args::all(const std::string& name) const {
  const auto it = all_.find(name);
  return it == all_.end() ? std::vector<std::string>{} : it->second;
}

bool Args::given(const std::string& name) const { return values_.count(name) > 0; }

bool Args::has(const std::string& name) const {
  if (values_.count(name)) return true;
  const auto it = flags_.find(name);
  return it != flags_.end() && it->second.default_value.has_value();
}

std::string Args::str(const std::string& name) const {
  if (const auto v = values_.find(name); v != values_.end()) return v->second;
  const auto it = flags_.find(name);
  LW_CHECK(it != flags_.end(), "internal: undeclared flag --" << name);
  LW_EXPECT(it->second.default_value.has_value(), "latentwalk " << command_ << ": --" << name << " is required");
  return *it->second.default_value;
}

long long Args::integer(const std::string& name) const {
  const std::string s = str(name);
  long long v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  LW_EXPECT(ec == std::errc() && p == s.data() + s.size(),
           "latentwalk " << command_ << ": --" << name << " expects an integer, got \"" << s << "\"");
  return v;
}

double Args::real(const std::string& name) const {
  const std::string s = str(name);
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  LW_FAIL("latentwalk " << command_ << ": --" << name << " expects a number, got \"" << s << "\"");
}

std::string Args::help() const {
  std::ostringstream os;
  os << "usage: latentwalk " << command_ << " [flags]\n\n" << summary_ << "\n\nflags:\n";
  for (const auto& n : order_) {
    const auto& f = flags_.at(n);
    std::string left = "  --" + n + (f.value_name.empty() ? "" : " " + f.value_name);
    if (left.size() < 28) left.resize(28, ' ');
    else left += "\n" + std::string(28, ' ');
    os << left << f.help;
    if (f.default_value && !f.value_name.empty()) os << " (default: " << *f.default_value << ")";
    os << "\n";
  }
  os << "  --help                    show this help\n";
  return os.str();
}

void parse_size(const std::string& text, int& w, int& h) {
  const auto size = parse_pair<int>(text, 'x');
  LW_EXPECT(size, "--size expects WIDTHxHEIGHT, for example 1280x720, got \"" << text << "\"");
  std::tie(w, h) = *size;
  LW_EXPECT(w >= 64 && h >= 64 && w <= 8192 && h <= 8192, "--size must be 64..8192 pixels on each side");
}

LayerRange parse_layers(const std::string& text) {
  const auto pair = parse_pair<int>(text, ':');
  LW_EXPECT(pair, "--layers expects a:b (layers a to b-1), got \"" << text << "\"");
  LayerRange r;
  std::tie(r.begin, r.end) = *pair;
  LW_EXPECT(r.begin >= 0 && r.end > r.begin, "--layers a:b needs 0 <= a < b, got \"" << text << "\"");
  return r;
}

interop::SinkPreference parse_sink_preference(const std::string& text) {
  if (text == "auto") return interop::SinkPreference::Auto;
  if (text == "host") return interop::SinkPreference::Host;
  if (text == "cuda") return interop::SinkPreference::Cuda;
  LW_FAIL("--sink must be auto, host or cuda, not \"" << text << "\"");
}

}  // namespace lw::app
