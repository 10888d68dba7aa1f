// Ableton Link: join the tempo session of the local network (Ableton Live, Bitwig, Traktor, phone
// apps), follow and set its tempo, and read its beat so that the stage's loops measured in beats
// land on the bar with everyone else's. Debian's ableton-link-dev.
#pragma once

#include <cstddef>
#include <memory>

namespace ableton {
class Link;
}

namespace lw::control {

class LinkSession {
 public:
  // Joins at once, proposing `bpm` if the session is empty; `quantum`: beats per bar.
  explicit LinkSession(double bpm = 120.0, double quantum = 4.0);
  ~LinkSession();
  LinkSession(const LinkSession&) = delete;
  LinkSession& operator=(const LinkSession&) = delete;

  std::size_t peers() const;
  double tempo() const;           // the session's, now
  void set_tempo(double bpm);     // proposed to every peer
  double beat() const;            // the session's beat now (its bars every `quantum` beats)
  double quantum() const { return quantum_; }

 private:
  std::unique_ptr<ableton::Link> link_;
  double quantum_;
};

}  // namespace lw::control
