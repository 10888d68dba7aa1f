#include "app/cli.hpp"

#include <algorithm>
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

namespace {

// Edits (insert, delete, replace) from a to b: how far a mistyped flag is from a declared one.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string Args::suggestion(const std::string& name) const {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& flag : order_) {
    const std::size_t d = edit_distance(name, flag);
    if (d < best_distance || (flag.rfind(name, 0) == 0 && !name.empty() && best.empty())) best = flag, best_distance = d;
  }
  return best.empty() ? " (see --help)" : "; did you mean --" + best + "?";
}

bool Args::parse(const std::vector<std::string>& argv) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << help();
      return false;
    }
    if (a.size() > 1 && a[0] == '-' && a[1] != '-') {
      // A single dash is no flag here: "-n 4" would otherwise be two stray words.
      const std::string name = a.substr(1, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 1);
      LW_EXPECT(!flags_.count(name), a << " is not a flag: flags take two dashes (--" << name << ")");
      LW_FAIL(a << " is not a flag: flags take two dashes" << suggestion(name));
    }
    if (a.rfind("--", 0) != 0) {
      LW_EXPECT(!positional_name_.empty(), "unexpected argument \"" << a << "\": every value follows its flag (see --help)");
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
    LW_EXPECT(it != flags_.end(), "unknown flag --" << name << suggestion(name));
    if (it->second.value_name.empty()) {
      LW_EXPECT(!inline_value, "--" << name << " takes no value");
      values_[name] = "1";
      continue;
    }
    if (!inline_value) {
      LW_EXPECT(i + 1 < argv.size(), "--" << name << " needs a value ("
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
  LW_EXPECT(it->second.default_value.has_value(), "--" << name << " is required");
  return *it->second.default_value;
}

long long Args::integer(const std::string& name) const {
  const std::string s = str(name);
  long long v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  LW_EXPECT(ec == std::errc() && p == s.data() + s.size(),
           "--" << name << " expects an integer, got \"" << s << "\"");
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
  LW_FAIL("--" << name << " expects a number, got \"" << s << "\"");
}

Args& Args::positionals(const std::string& name, const std::string& help) {
  positional_name_ = name;
  positional_help_ = help;
  return *this;
}

std::string Args::help() const {
  std::ostringstream os;
  os << "usage: latentwalk " << command_ << (positional_name_.empty() ? "" : " " + positional_name_) << " [flags]\n\n"
     << summary_ << "\n\n";
  if (!positional_name_.empty()) os << "  " << positional_name_ << ": " << positional_help_ << "\n\n";
  os << "flags:\n";
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

std::string number_text(double value) {
  std::ostringstream os;
  os << value;  // the shortest of %g at six digits: what a user would type
  return os.str();
}

std::string count_text(long long n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
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
