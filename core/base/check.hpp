// Throwing check macros: library code reports broken preconditions as lw::Error naming the
// failed expression and file:line, and bad input as lw::Error with a message for the user;
// never exit() or abort().
#pragma once

#include <exception>
#include <sstream>
#include <stdexcept>
#include <string>

namespace lw {

// Every error latentwalk raises on bad input or a broken contract.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The first line of an exception's text that says something: LibTorch's messages can start with
// a newline and carry multi-line backtraces; errors are reported on one line.
inline std::string first_line(const std::exception& e) {
  std::string what = e.what();
  const auto start = what.find_first_not_of(" \n");
  if (start == std::string::npos) return "no message";
  what.erase(0, start);
  if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
  return what;
}

namespace detail {
[[noreturn]] inline void fail(const char* expr, const char* file, int line, const std::string& msg) {
  std::ostringstream os;
  os << msg;
  if (expr != nullptr) os << " [check `" << expr << "` failed at " << file << ":" << line << "]";
  throw Error(os.str());
}
}  // namespace detail

}  // namespace lw

// LW_CHECK(cond, streamable message...): throws lw::Error when cond is false.
#define LW_CHECK(cond, ...)                                               \
  do {                                                                    \
    if (!(cond)) {                                                        \
      std::ostringstream lw_check_os_;                                    \
      lw_check_os_ << __VA_ARGS__;                                        \
      ::lw::detail::fail(#cond, __FILE__, __LINE__, lw_check_os_.str());  \
    }                                                                     \
  } while (false)

// LW_EXPECT(cond, streamable message...): for bad input (files, flags, settings) the message
// names the problem for the user; the expression and source location would only be noise.
#define LW_EXPECT(cond, ...)                                              \
  do {                                                                    \
    if (!(cond)) {                                                        \
      std::ostringstream lw_check_os_;                                    \
      lw_check_os_ << __VA_ARGS__;                                        \
      throw ::lw::Error(lw_check_os_.str());                              \
    }                                                                     \
  } while (false)

// LW_FAIL(streamable message...): throws lw::Error unconditionally (bad input, no expression).
#define LW_FAIL(...)                                                      \
  do {                                                                    \
    std::ostringstream lw_check_os_;                                      \
    lw_check_os_ << __VA_ARGS__;                                          \
    throw ::lw::Error(lw_check_os_.str());                                \
  } while (false)
