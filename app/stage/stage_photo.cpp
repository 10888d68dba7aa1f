// A photo as the walks' start: inverted on its own thread (PhotoInversion) while the frames keep
// coming, then every direction walk (linear, dp) starts from its code, in the space it was
// inverted in.
#include <filesystem>

#include "app/stage/photo_inversion.hpp"
#include "app/stage/stage.hpp"
#include "core/base/check.hpp"
#include "plugin/torchscript_model.hpp"

namespace lw::stage {
namespace fs = std::filesystem;

namespace {
bool direction_walk(const TilePreset& t) { return t.walk == WalkKind::Linear || t.walk == WalkKind::DensityPreserving; }
}  // namespace

void Stage::open_photo(const fs::path& photo, int steps) {
  const auto& s = status_.session;
  const Preset& walks = s.applied;
  auto refuse = [&](const std::string& why) { status_.photo_status = photo.filename().string() + ": " + why; };
  if (!model_ || s.w_dim <= 0) return refuse("inversion needs a model with W (a mapping network)");
  if (!fs::is_regular_file(photo)) return refuse("no such file");
  if (std::none_of(walks.tiles.begin(), walks.tiles.end(), direction_walk))
    return refuse("no linear or density-preserving tile to start from it");
  // The scene's space; from Z, W+ where the model has style rows (each row its own: the closest).
  const Space space = walks.space == "w" ? Space::W : s.num_ws > 0 ? Space::WPlus : Space::W;
  // Absolute, as every path the stage puts in a preset (a save writes it relative to the preset),
  // and never an existing file's name: a preset may name that one.
  const std::string stem = photo.stem().string() + "-" + space_name(space) + "-" + recording_timestamp();
  fs::path code = fs::absolute(options_.recordings / (stem + ".npy")).lexically_normal();
  for (int k = 2; fs::exists(code); ++k) code.replace_filename(stem + "-" + std::to_string(k) + ".npy");
  photo_.reset();  // one photo at a time: the newest asked for
  photo_ = std::make_unique<PhotoInversion>(model_, photo, space, code, steps);
  status_.photo_status = photo_->status();
  status_.inverting = true;
}

void Stage::update_photo() {
  if (!photo_) return;
  // running() first: a status read after it is at least as new, so a finished inversion never
  // leaves its last progress line on the panel (the flake check caught "step 30 of 30" there).
  const bool running = photo_->running();
  status_.photo_status = photo_->status();
  status_.inverting = running;
  if (running) return;
  if (photo_->model() != model_.get()) {  // another model opened meanwhile: the code means nothing there
    status_.photo_status = "photo inversion discarded: another model was opened meanwhile";
    photo_.reset();
    return;
  }
  // A build in flight (or queued) would be overtaken by walks made from the preset before it:
  // the photo's start waits for it and is then made from what it built.
  if (!session_tasks_.empty() || queued_edit_) return;
  if (photo_->succeeded()) {
    Preset walks = current_preset();
    walks.space = space_name(photo_->space());  // the session moves the directions when the space changes
    for (TilePreset& t : walks.tiles) {
      if (!direction_walk(t)) continue;
      t.start_file = photo_->code_file().string(), t.start_row = 0;
      t.start_code.clear(), t.start_seed.reset();
    }
    edit(walks);  // built on the worker while the last scene plays
  }
  photo_.reset();
}

}  // namespace lw::stage
