// The subcommands' command line: what is accepted, what is an error and what that error says.
#include "app/cli.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/base/check.hpp"

namespace lw::app {
namespace {

Args sample_args() {
  Args a("sample", "Draws samples.");
  a.flag("n", "N", "how many images", "64")
      .flag("alpha", "A", "edit strength", "0.05")
      .flag("out", "PNG", "the grid to write")
      .flag("json", "", "print JSON")
      .flag("set", "PATH=VALUE", "set a parameter")
      .repeatable();
  return a;
}

// The message of the error parsing `argv` throws; empty when it parses.
std::string parse_error(const std::vector<std::string>& argv) {
  Args a = sample_args();
  try {
    a.parse(argv);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Cli, ReadsValuesSwitchesAndDefaults) {
  Args a = sample_args();
  ASSERT_TRUE(a.parse({"--n", "4", "--alpha=-3", "--json", "--out", "x.png"}));
  EXPECT_EQ(a.integer("n"), 4);
  EXPECT_DOUBLE_EQ(a.real("alpha"), -3.0);  // a negative value is a value, not a flag
  EXPECT_TRUE(a.on("json"));
  EXPECT_EQ(a.str("out"), "x.png");
  Args b = sample_args();
  ASSERT_TRUE(b.parse({"--alpha", "-0.5"}));
  EXPECT_DOUBLE_EQ(b.real("alpha"), -0.5);
  EXPECT_EQ(b.integer("n"), 64);
  EXPECT_FALSE(b.given("n"));
  EXPECT_FALSE(b.on("json"));
}

TEST(Cli, RepeatableFlagKeepsEveryValueInOrder) {
  Args a = sample_args();
  ASSERT_TRUE(a.parse({"--set", "/a=1", "--set", "/b=2"}));
  EXPECT_EQ(a.all("set"), (std::vector<std::string>{"/a=1", "/b=2"}));
}

TEST(Cli, WhatIsNotDeclaredIsAnErrorNamingIt) {
  EXPECT_EQ(parse_error({"-n", "4", "--out", "x.png"}), "-n is not a flag: flags take two dashes (--n)");
  EXPECT_EQ(parse_error({"--nn", "4"}), "unknown flag --nn; did you mean --n?");
  EXPECT_EQ(parse_error({"--colour", "red"}), "unknown flag --colour (see --help)");
  EXPECT_EQ(parse_error({"--out", "x.png", "stray"}), "unexpected argument \"stray\": every value follows its flag (see --help)");
  EXPECT_EQ(parse_error({"--n", "4", "--n", "5"}), "--n is given 2 times; it takes one value");
  EXPECT_EQ(parse_error({"--json=1"}), "--json takes no value");
  EXPECT_EQ(parse_error({"--out"}), "--out needs a value (PNG)");
  EXPECT_EQ(parse_error({"--out="}), "--out needs a value (PNG)");
  EXPECT_EQ(parse_error({"--out", "--json"}), "--out needs a value (PNG), not the flag --json");
  EXPECT_EQ(parse_error({"--n", "2", "--", "x"}), "unexpected argument \"x\": every value follows its flag (see --help)");
}

TEST(Cli, RangeAndChoiceMessagesHaveOneForm) {
  Args a("edit", "Edits.");
  a.flag("n", "N", "rows", "100").flag("alpha", "A", "strength", "0.25").flag("space", "S", "space", "q");
  ASSERT_TRUE(a.parse({}));
  auto message = [](auto&& read) {
    try {
      read();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message([&] { a.integer_in("n", 1, 64); }), "--n must be between 1 and 64, got 100");
  EXPECT_EQ(message([&] { a.real_in("alpha", 0.5, 4); }), "--alpha must be between 0.5 and 4, got 0.25");
  EXPECT_EQ(message([&] { a.choice("space", {"auto", "z", "w"}); }), "--space must be auto, z or w, got \"q\"");
  EXPECT_EQ(a.integer_in("n", 1, 100), 100);
}

TEST(Cli, HelpIsWrappedToEightyColumnsWithDefaultsAsTyped) {
  Args a("sample",
         "Draws samples of the model as a grid of images, each from its own seeded latent code, and writes them to\n"
         "a PNG file whose title names the model, its resolution and the seed, so that the grid explains itself.");
  a.flag("alpha", "A", "how far each edit goes along the boundary, in units of the latent distribution's "
                       "standard deviation, for every sample drawn in the grid", "0.05");
  const std::string help = a.help();
  std::istringstream lines(help);
  int description_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 80u) << line;
    if (line.rfind(std::string(28, ' '), 0) == 0) ++description_lines;
  }
  EXPECT_GE(description_lines, 1) << help;  // the long text went on to a second, indented line
  EXPECT_NE(help.find("(default: 0.05)"), std::string::npos) << help;
}

}  // namespace
}  // namespace lw::app
