// latentwalk synth-beat: a beat made from nothing (core/synth_beat.hpp) written as WAV or FLAC,
// so audio bindings and music videos can be tried and tested without downloading a track.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/synth_beat.hpp"
#include "renderer/audio_decoder.hpp"
#include "renderer/audio_writer.hpp"

namespace lw::app {

int cmd_synth_beat(const std::vector<std::string>& argv) {
  Args a("synth-beat",
         "Writes a synthesised beat: a kick on every beat, a hi-hat on every off-beat and a soft chord "
         "changing every bar, in stereo. Its tempo and every hit's time are known, which makes it the "
         "track to try a preset's audio bindings on (record --audio, view --audio) and what the tests "
         "render. Deterministic: the same flags write the same samples.");
  a.flag("out", "FILE", "the file to write: .wav (16-bit PCM), .flac, .mp3, .ogg or .m4a")
      .flag("bpm", "B", "tempo in beats per minute", "120")
      .flag("seconds", "S", "length", "16")
      .flag("rate", "HZ", "sample rate", "44100")
      .flag("channels", "N", "1 (mono) or 2 (stereo)", "2")
      .flag("first-beat", "S", "seconds of silence before the first kick", "0.5")
      .flag("json", "", "print the file, tempo and the hits' times as JSON");
  if (!a.parse(argv)) return 0;
  LW_EXPECT(a.has("out"), "--out is required");
  SynthBeatSettings s;
  s.bpm = a.real_in("bpm", 20, 400);
  s.seconds = a.real_in("seconds", 1, 600);
  s.sample_rate = static_cast<int>(a.integer_in("rate", 8000, 192000));
  s.channels = static_cast<int>(a.integer_in("channels", 1, 2));
  s.first_beat = a.real_in("first-beat", 0, s.seconds - 0.1);
  const std::filesystem::path out = a.str("out");
  check_output_file(out);
  SynthBeat beat = synth_beat(s);
  renderer::AudioTrack track;
  track.sample_rate = s.sample_rate;
  track.channels = s.channels;
  track.samples = std::move(beat.samples);
  renderer::write_audio_file(out, track);
  const nlohmann::json json{{"file", out.string()}, {"bpm", s.bpm}, {"seconds", s.seconds}, {"sample_rate", s.sample_rate},
                 {"channels", s.channels}, {"kicks", beat.kicks}, {"hats", beat.hats}};
  print_outcome(a, json,
                "latentwalk synth-beat: " + out.string() + ", " + std::to_string(beat.kicks.size()) + " beats at " +
                    number_text(s.bpm) + " bpm\n");
  return 0;
}

}  // namespace lw::app
