#include "gui/control/link_session.hpp"

#include <ableton/Link.hpp>

namespace lw::control {

LinkSession::LinkSession(double bpm, double quantum) : link_(std::make_unique<ableton::Link>(bpm)), quantum_(quantum) {
  link_->enable(true);
}

LinkSession::~LinkSession() { link_->enable(false); }

std::size_t LinkSession::peers() const { return link_->numPeers(); }

double LinkSession::tempo() const { return link_->captureAppSessionState().tempo(); }

void LinkSession::set_tempo(double bpm) {
  auto state = link_->captureAppSessionState();
  state.setTempo(bpm, link_->clock().micros());
  link_->commitAppSessionState(state);
}

double LinkSession::beat() const {
  return link_->captureAppSessionState().beatAtTime(link_->clock().micros(), quantum_);
}

}  // namespace lw::control
