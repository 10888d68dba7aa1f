// video_probe VIDEO [--compare PNG]: prints what a player sees in VIDEO as JSON (codec, pixel
// format, size, frame rate, decoded frame count) and, with --compare, the PSNR of its first
// frame against an RGB PNG of the same size; an audio stream's codec, rate, channels and length.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/image.hpp"
#include "video_probe.hpp"

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--compare")) {
    std::cerr << "usage: video_probe VIDEO [--compare PNG]\n";
    return 2;
  }
  try {
    const auto p = lw::test::probe_video(argv[1]);
    nlohmann::json j{{"codec", p.codec}, {"pixel_format", p.pixel_format}, {"container", p.container}, {"width", p.width},
                     {"height", p.height}, {"fps", p.fps}, {"frames", p.frames}};
    if (!p.audio_codec.empty())
      j["audio"] = {{"codec", p.audio_codec}, {"sample_rate", p.sample_rate}, {"channels", p.channels},
                    {"decoded_seconds", p.audio_decoded_seconds}, {"stream_seconds", p.audio_stream_seconds}};
    if (argc == 4) {
      const auto png = lw::read_png(argv[3]);
      j["psnr_first_frame"] = lw::test::psnr(p.first_frame, png.pixels);
    }
    std::cout << j.dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "video_probe: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
