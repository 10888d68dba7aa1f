#include <gtest/gtest.h>

#include <filesystem>

#include "gui/dropped_files.hpp"

namespace lw::gui {
namespace {

Command::Kind kind_of(const std::filesystem::path& file) {
  const auto c = command_for_dropped(file);
  EXPECT_TRUE(c.has_value()) << file;
  return c ? c->kind : Command::Kind::Restart;
}

TEST(DroppedFiles, EachKindOfFileAsksForItsCommandWithItsPath) {
  EXPECT_EQ(kind_of("/photos/me.png"), Command::Kind::OpenPhoto);
  EXPECT_EQ(kind_of("/photos/ME.PNG"), Command::Kind::OpenPhoto) << "extensions in any case";
  EXPECT_EQ(kind_of("/sets/opening.json"), Command::Kind::LoadPreset);
  EXPECT_EQ(kind_of("/dirs/mine.npy"), Command::Kind::OpenDirection);
  EXPECT_EQ(kind_of("/models/face.pt"), Command::Kind::OpenModel);
  EXPECT_EQ(kind_of(std::filesystem::temp_directory_path()), Command::Kind::OpenModel) << "a folder is a model";
  EXPECT_EQ(command_for_dropped("/photos/me.png")->text, "/photos/me.png");
}

TEST(DroppedFiles, OtherFilesAskForNothing) {
  EXPECT_FALSE(command_for_dropped("/notes/todo.txt").has_value());
  EXPECT_FALSE(command_for_dropped("/photos/me.jpg").has_value()) << "photos are read as PNG only";
  EXPECT_FALSE(command_for_dropped("/models/ffhq.pkl").has_value()) << "a pickle is imported first";
  EXPECT_FALSE(command_for_dropped("/no/such/folder").has_value());
}

}  // namespace
}  // namespace lw::gui
