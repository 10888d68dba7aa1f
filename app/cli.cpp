#include "app/cli.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <sstream>
#include <tuple>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

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

// A word CLI11 left over: a single-dash form, an unknown flag or a stray word; each gets its
// own message with the flag most likely meant.
void Args::reject_extra(const std::string& word) const {
  if (word.size() > 1 && word[0] == '-' && word[1] != '-') {
    // A single dash is no flag here: "-n 4" would otherwise be two stray words.
    const std::string name = word.substr(1, word.find('=') == std::string::npos ? std::string::npos : word.find('=') - 1);
    LW_EXPECT(!flags_.count(name), word << " is not a flag: flags take two dashes (--" << name << ")");
    LW_FAIL(word << " is not a flag: flags take two dashes" << suggestion(name));
  }
  if (word.rfind("--", 0) == 0 && word.size() > 2) {
    const std::string name = word.substr(2, word.find('=') == std::string::npos ? std::string::npos : word.find('=') - 2);
    LW_EXPECT(!flags_.count(name), "--" << name << " takes no value");
    LW_FAIL("unknown flag --" << name << suggestion(name));
  }
  LW_FAIL("unexpected argument \"" << word << "\": every value follows its flag (see --help)");
}

bool Args::parse(const std::vector<std::string>& argv) {
  CLI::App app;
  app.set_help_flag("-h,--help");
  app.allow_extras();  // left-over words are reported by reject_extra, with a suggestion
  std::map<std::string, CLI::Option*> options;
  for (const auto& name : order_) {
    const Flag& f = flags_.at(name);
    CLI::Option* o = f.value_name.empty() ? app.add_flag("--" + name)->disable_flag_override()
                                          : app.add_option("--" + name)->type_name(f.value_name);
    options[name] = o->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
  if (!positional_name_.empty()) app.add_option("positional", positional_);
  // What CLI11 would take without a word: "--json=1" as an override of the switch, "--out=" or
  // "--out --json" as an empty value or the next flag as the file name.
  for (std::size_t i = 0; i < argv.size() && argv[i] != "--"; ++i) {
    const std::string& word = argv[i];
    if (word.rfind("--", 0) != 0) continue;
    const auto eq = word.find('=');
    const auto it = flags_.find(word.substr(2, eq == std::string::npos ? std::string::npos : eq - 2));
    if (it == flags_.end()) continue;
    const Flag& f = it->second;
    LW_EXPECT(f.value_name.empty() || eq == std::string::npos || eq + 1 < word.size(),
              "--" << it->first << " needs a value (" << f.value_name << ")");
    LW_EXPECT(!f.value_name.empty() || eq == std::string::npos, "--" << it->first << " takes no value");
    if (f.value_name.empty() || eq != std::string::npos || i + 1 >= argv.size()) continue;
    const std::string& next = argv[i + 1];
    if (next.rfind("--", 0) != 0) continue;
    const auto next_eq = next.find('=');
    LW_EXPECT(!flags_.count(next.substr(2, next_eq == std::string::npos ? std::string::npos : next_eq - 2)),
              "--" << it->first << " needs a value (" << f.value_name << "), not the flag " << next);
  }
  // CLI11 takes the word after a flag as its value whatever it is (so "--alpha -3" works);
  // only a value flag last of all has none.
  if (!argv.empty() && argv.back().rfind("--", 0) == 0) {
    const auto last = flags_.find(argv.back().substr(2));
    LW_EXPECT(last == flags_.end() || last->second.value_name.empty(),
              argv.back() << " needs a value (" << last->second.value_name << ")");
  }
  std::vector<std::string> reversed(argv.rbegin(), argv.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    std::cout << help();
    return false;
  } catch (const CLI::ParseError& e) {
    LW_FAIL(e.what() << " (see --help)");
  }
  for (const auto& word : app.remaining())
    if (word != "--") reject_extra(word);  // "--" ends the flags: what follows is positional
  for (const auto& [name, option] : options) {
    if (option->count() == 0) continue;
    const Flag& f = flags_.at(name);
    if (f.value_name.empty()) {
      values_[name] = "1";
      continue;
    }
    const std::vector<std::string> given = option->results();
    LW_EXPECT(given.size() == 1 || f.repeatable, "--" << name << " is given " << given.size() << " times; it takes one value");
    values_[name] = given.back();
    all_[name] = given;
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

Args& Args::repeatable() {
  flags_.at(order_.back()).repeatable = true;
  return *this;
}

long long Args::integer_in(const std::string& name, long long lo, long long hi) const {
  const long long v = integer(name);
  LW_EXPECT(v >= lo && v <= hi, "--" << name << " must be between " << lo << " and " << hi << ", got " << v);
  return v;
}

double Args::real_in(const std::string& name, double lo, double hi) const {
  const double v = real(name);
  LW_EXPECT(v >= lo && v <= hi, "--" << name << " must be between " << number_text(lo) << " and " << number_text(hi)
                                      << ", got " << number_text(v));
  return v;
}

std::string Args::choice(const std::string& name, std::initializer_list<const char*> choices) const {
  const std::string v = str(name);
  std::string listed;
  std::size_t i = 0;
  for (const char* c : choices) {
    if (v == c) return v;
    listed += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + std::string(c);
    ++i;
  }
  LW_FAIL("--" << name << " must be " << listed << ", got \"" << v << "\"");
}

Args& Args::positionals(const std::string& name, const std::string& help) {
  positional_name_ = name;
  positional_help_ = help;
  return *this;
}

namespace {

constexpr std::size_t kHelpWidth = 80, kHelpIndent = 28;

// `text` broken at spaces into lines of at most kHelpWidth columns, each after the first
// indented to the description column; explicit newlines in `text` are kept.
std::string wrapped(const std::string& text, std::size_t first_column) {
  const std::string indent = "\n" + std::string(kHelpIndent, ' ');
  std::string out;
  std::size_t column = first_column;
  bool line_start = true;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!out.empty() || column > first_column) out += indent, column = kHelpIndent, line_start = true;
    std::istringstream words(line);
    for (std::string word; words >> word;) {
      if (!line_start && column + 1 + word.size() > kHelpWidth) out += indent, column = kHelpIndent, line_start = true;
      if (!line_start) out += ' ', ++column;
      out += word;
      column += word.size();
      line_start = false;
    }
  }
  return out;
}

// The command's summary as one paragraph wrapped to kHelpWidth columns (its source's own line
// breaks are only where the text was typed).
std::string summary_paragraph(const std::string& text) {
  std::string out, line;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > kHelpWidth) out += line + "\n", line.clear();
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

}  // namespace

std::string Args::help() const {
  std::ostringstream os;
  os << "usage: latentwalk " << command_ << (positional_name_.empty() ? "" : " " + positional_name_) << " [flags]\n\n"
     << summary_paragraph(summary_) << "\n\n";
  if (!positional_name_.empty()) os << "  " << positional_name_ << ": " << positional_help_ << "\n\n";
  os << "flags:\n";
  for (const auto& n : order_) {
    const auto& f = flags_.at(n);
    std::string left = "  --" + n + (f.value_name.empty() ? "" : " " + f.value_name);
    if (left.size() < kHelpIndent) left.resize(kHelpIndent, ' ');
    else left += "\n" + std::string(kHelpIndent, ' ');
    std::string text = f.help;
    if (f.default_value && !f.value_name.empty()) text += " (default: " + *f.default_value + ")";
    if (f.repeatable) text += " (repeatable)";
    os << left << wrapped(text, kHelpIndent) << "\n";
  }
  os << std::string("  --help").append(kHelpIndent - 8, ' ') << "show this help\n";
  return os.str();
}

void print_outcome(const Args& a, const nlohmann::json& json, const std::string& text) {
  if (a.on("json"))
    std::cout << json.dump() << "\n";
  else
    std::cout << text;
}

void parse_size(const std::string& text, int& w, int& h) {
  const auto size = parse_pair<int>(text, 'x');
  LW_EXPECT(size, "--size expects WIDTHxHEIGHT, for example 1280x720, got \"" << text << "\"");
  std::tie(w, h) = *size;
  LW_EXPECT(w >= 64 && h >= 64 && w <= 8192 && h <= 8192, "--size must be between 64 and 8192 pixels on each side, got " << text);
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
