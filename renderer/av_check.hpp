// FFmpeg's negative return codes as lw::Error with FFmpeg's own words (video and audio files).
#pragma once

extern "C" {
#include <libavutil/error.h>
}

#include <string>

#include "core/base/check.hpp"

namespace lw::renderer {

inline std::string av_error(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof buf);
  return buf;
}

}  // namespace lw::renderer

#define LW_AV_CHECK(expr, what)                                            \
  do {                                                                     \
    const int lw_av_rc = (expr);                                           \
    LW_EXPECT(lw_av_rc >= 0, what << ": " << ::lw::renderer::av_error(lw_av_rc)); \
  } while (false)
