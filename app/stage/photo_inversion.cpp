#include "app/stage/photo_inversion.hpp"

#include <torch/torch.h>

#include <sstream>

#include "core/base/check.hpp"
#include "core/base/npy.hpp"
#include "core/model.hpp"
#include "plugin/inversion.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::stage {
namespace {
// Thrown from the projector's progress callback to end a run the viewer no longer wants.
struct Stopped {};
}  // namespace

PhotoInversion::PhotoInversion(std::shared_ptr<const plugin::Model> model, std::filesystem::path photo, Space space,
                               std::filesystem::path code_file, int steps)
    : photo_(std::move(photo)), code_file_(std::move(code_file)), model_(model.get()), space_(space) {
  steps_ = steps;
  thread_ = std::thread([this, model = std::move(model), steps] { run(model, steps); });
}

PhotoInversion::~PhotoInversion() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void PhotoInversion::run(std::shared_ptr<const plugin::Model> model, int steps) {
  std::string outcome;
  try {
    const Generator& g = *model->generator;
    const plugin::PhotoTarget photo = plugin::read_photo(photo_, g);
    if (photo.resized) {
      std::lock_guard lock(mutex_);
      note_ = " (" + std::to_string(photo.width) + "x" + std::to_string(photo.height) + ", resized to " +
              std::to_string(g.width()) + "x" + std::to_string(g.height()) + ")";
    }
    if (stop_) throw Stopped{};
    plugin::InversionSetup setup(*model, space_, steps);
    const Projection p = setup.project(photo.target, true, [this](int step, double) {
      if (stop_) throw Stopped{};
      step_ = step;
    });
    if (stop_) throw Stopped{};  // asked to stop after the last step: nothing is written
    write_npy(code_file_, plugin::npy_of(p.codes));
    std::ostringstream s;
    s.precision(3);
    s << "photo inverted in " << space_name(space_) << ": PSNR " << p.psnr.front() << " dB, " << p.seconds << " s; code "
      << code_file_.filename().string();
    outcome = s.str();
    succeeded_ = true;
  } catch (const Stopped&) {
    outcome = "photo inversion stopped";
  } catch (const std::exception& e) {
    outcome = std::string("photo inversion failed: ") + e.what();
  }
  {
    std::lock_guard lock(mutex_);
    outcome_ = outcome;
  }
  finished_ = true;
}

std::string PhotoInversion::status() const {
  std::lock_guard lock(mutex_);
  if (finished_) return outcome_;
  return "inverting " + photo_.filename().string() + note_ + ": step " + std::to_string(step_.load()) + " of " +
         std::to_string(steps_.load());
}

}  // namespace lw::stage
