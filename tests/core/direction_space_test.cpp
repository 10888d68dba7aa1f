// Which space a direction file belongs to: its sidecar first, then its folder, else nothing said.
#include "core/direction_space.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/check.hpp"
#include "tests/test_paths.hpp"

namespace lw {
namespace {
namespace fs = std::filesystem;

class DirectionSpace : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: ctest runs the cases in parallel processes.
    dir_ = fs::path(LW_TEST_TMP) / "direction_space" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "boundaries" / "w");
  }
  fs::path dir_;
};

std::string error_of(const fs::path& npy, Space used) {
  try {
    check_direction_space(npy, used);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_F(DirectionSpace, SidecarWinsOverFolderAndBareFilesSayNothing) {
  EXPECT_EQ(recorded_space(dir_ / "bare.npy"), std::nullopt);  // InterFaceGAN's own: loads as it is
  fs::create_directories(dir_ / "mine" / "w");
  EXPECT_EQ(recorded_space(dir_ / "mine" / "w" / "age.npy"), std::nullopt) << "only a model's boundaries/ and dplase/ folders say";
  EXPECT_EQ(auto_space(dir_ / "bare.npy", true), Space::W);
  EXPECT_EQ(auto_space(dir_ / "bare.npy", false), Space::Z);
  EXPECT_EQ(recorded_space(dir_ / "boundaries" / "w" / "age.npy"), Space::W);
  write_direction_sidecar(dir_ / "boundaries" / "w" / "smile.npy", Space::Z, {{"attribute", "smile"}});
  EXPECT_EQ(recorded_space(dir_ / "boundaries" / "w" / "smile.npy"), Space::Z);
  std::ifstream in(dir_ / "boundaries" / "w" / "smile.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["space"], "z");
  EXPECT_EQ(j["attribute"], "smile");
}

TEST_F(DirectionSpace, AnotherSpaceIsAnErrorNamingBoth) {
  EXPECT_EQ(error_of(dir_ / "bare.npy", Space::Z), "");
  EXPECT_EQ(error_of(dir_ / "boundaries" / "w" / "age.npy", Space::W), "");
  EXPECT_EQ(error_of(dir_ / "boundaries" / "w" / "age.npy", Space::WPlus), "");  // W+ edits with W's directions
  EXPECT_NE(error_of(dir_ / "boundaries" / "w" / "age.npy", Space::Z).find("is a direction of W (its folder), but it is used in Z: use it in W (--space w)"),
            std::string::npos);
  write_direction_sidecar(dir_ / "age.npy", Space::Z, {});
  EXPECT_NE(error_of(dir_ / "age.npy", Space::W).find("is a direction of Z (its sidecar age.json)"), std::string::npos);
}

TEST_F(DirectionSpace, CorruptSidecarIsAClearError) {
  std::ofstream(dir_ / "bad.json") << "{\"space\": \"q\"}";
  EXPECT_THROW(recorded_space(dir_ / "bad.npy"), Error);
  std::ofstream(dir_ / "junk.json") << "not json";
  try {
    recorded_space(dir_ / "junk.npy");
    FAIL() << "a corrupt sidecar was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.json: not a JSON object"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lw
