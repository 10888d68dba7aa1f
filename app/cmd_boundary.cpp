// latentwalk boundary train | condition: InterFaceGAN's boundaries from `generate`'s files, and
// conditional boundaries that leave other attributes alone.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/sample_files.hpp"
#include "core/boundary.hpp"
#include "core/direction_space.hpp"
#include "core/base/check.hpp"
#include "core/npy.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {

// The score column of `attribute`, named by attributes.json beside the scores file.
int attribute_column(const fs::path& scores, const std::string& attribute, std::int64_t columns) {
  const auto list = score_names(scores, columns);
  std::string known;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i] == attribute) return static_cast<int>(i);
    known += (i ? ", " : "") + list[i];
  }
  LW_FAIL("no attribute \"" << attribute << "\" in " << (scores.parent_path() / "attributes.json").string()
                             << " (it has " << known << ")");
}

int train(const std::vector<std::string>& argv) {
  Args a("boundary train",
         "Fits InterFaceGAN's boundary for one attribute: the top and bottom --ratio of samples by\n"
         "score, split into training and validation, a linear SVM (liblinear); writes its unit\n"
         "normal as a [1, d] float32 .npy, with a sidecar NAME.json recording its space and accuracies.");
  a.flag("latents", "NPY", "latent codes [N, d] (z.npy or w.npy from generate)")
      .flag("scores", "NPY", "scores [N, m] (scores.npy from generate, attributes.json beside it)")
      .flag("attribute", "NAME", "the attribute whose boundary to fit")
      .flag("out", "NPY", "where to write the boundary")
      .flag("space", "z|w", "the space of --latents (default: the file's name, z.npy or w.npy, as generate writes)")
      .flag("ratio", "R", "fraction of samples taken from each end, in (0, 0.5]", "0.02")
      .flag("split", "S", "fraction of the chosen samples used for training", "0.7")
      .flag("seed", "S", "seed of the train/validation shuffle", "0")
      .flag("json", "", "print the accuracies as JSON");
  if (!a.parse(argv)) return 0;
  const auto start = std::chrono::steady_clock::now();
  const double ratio = a.real("ratio"), split = a.real("split");
  LW_EXPECT(ratio > 0.0 && ratio <= 0.5, "--ratio must be above 0 and at most 0.5, got " << number_text(ratio));
  LW_EXPECT(split > 0.0 && split < 1.0, "--split must be between 0 and 1 (both excluded), got " << number_text(split));
  const fs::path out = a.str("out");
  const std::string latents_stem = fs::path(a.str("latents")).stem().string();
  LW_EXPECT(a.given("space") || latents_stem == "z" || latents_stem == "w",
            "--space z|w is needed: " << a.str("latents") << " is not named z.npy or w.npy, so its space is unknown");
  const Space space = a.given("space") ? parse_space(a.choice("space", {"z", "w"})) : parse_space(latents_stem);
  const auto latents = to_matrix(read_npy(a.str("latents")));
  const auto scores_arr = read_npy(a.str("scores"));
  expect_same_samples(a.str("latents"), latents.rows(), a.str("scores"), scores_arr.rows());
  const int col = attribute_column(a.str("scores"), a.str("attribute"), scores_arr.cols());
  const auto scores_m = to_matrix(scores_arr);
  std::vector<float> scores(static_cast<std::size_t>(scores_m.rows()));
  for (Eigen::Index i = 0; i < scores_m.rows(); ++i) scores[static_cast<std::size_t>(i)] = scores_m(i, col);

  const auto split_set = select_for_boundary(scores, ratio, split, static_cast<std::uint64_t>(a.integer("seed")));
  const auto svm = train_linear_svm(latents, split_set.train_positive, split_set.train_negative);
  std::vector<int> rem_pos, rem_neg;
  for (int i : split_set.remaining) (scores[static_cast<std::size_t>(i)] > split_set.median ? rem_pos : rem_neg).push_back(i);
  const double train_acc = svm_accuracy(svm, latents, split_set.train_positive, split_set.train_negative);
  const double val_acc = svm_accuracy(svm, latents, split_set.validation_positive, split_set.validation_negative);
  const double rem_acc = svm_accuracy(svm, latents, rem_pos, rem_neg);
  write_boundary(out, svm.normal);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json j{{"attribute", a.str("attribute")},
                   {"space", space_name(space)},
                   {"n_train", split_set.train_positive.size() + split_set.train_negative.size()},
                   {"train_accuracy", train_acc},
                   {"validation_accuracy", val_acc},
                   {"remaining_accuracy", rem_acc}};
  write_direction_sidecar(out, space, j);
  if (a.on("json")) {
    j["seconds"] = seconds;
    std::cout << j.dump() << "\n";
  } else {
    std::cout << a.str("attribute") << ": accuracy train " << train_acc << ", validation " << val_acc << ", remaining "
              << rem_acc << "; boundary written to " << out.string() << "\n";
  }
  return 0;
}

int condition(const std::vector<std::string>& argv) {
  Args a("boundary condition",
         "Removes from a primary boundary its projection on the span of one or more condition\n"
         "boundaries (InterFaceGAN's conditional manipulation), so editing along the result leaves\n"
         "the condition attributes alone. Condition files follow --condition.");
  a.positionals("[NPY...]", "more condition boundaries, after --condition's")
      .flag("primary", "NPY", "the boundary to edit along ([1, d])")
      .flag("condition", "NPY...", "boundaries to hold fixed ([1, d] each); more files may follow")
      .flag("out", "NPY", "where to write the conditional boundary");
  if (!a.parse(argv)) return 0;
  const auto primary = read_boundary(a.str("primary"));
  std::vector<std::string> files{a.str("condition")};
  for (const auto& p : a.positional()) files.push_back(p);
  // The space of the result: the primary's, else the first condition's that records one; every
  // file must agree with it.
  auto space = recorded_space(a.str("primary"));
  for (const auto& f : files)
    if (!space) space = recorded_space(f);
  std::vector<Eigen::VectorXf> conditions;
  for (const auto& f : files) {
    if (space) check_direction_space(f, *space);
    conditions.push_back(read_boundary(f));
    LW_EXPECT(conditions.back().size() == primary.size(), f << " has dimension " << conditions.back().size()
                                                            << ", the primary " << primary.size());
  }
  const auto result = condition_boundary(primary, conditions);
  write_boundary(a.str("out"), result);
  if (space)
    write_direction_sidecar(a.str("out"), *space, {{"conditional", true}, {"primary", a.str("primary")}, {"conditions", files}});
  else
    fs::remove(fs::path(a.str("out")).replace_extension(".json"));  // a sidecar of an earlier file there would lie
  std::cout << "conditional boundary written to " << a.str("out") << " (cosine with the primary "
            << result.dot(primary) / primary.norm() << ")\n";
  return 0;
}

}  // namespace

int cmd_boundary(const std::vector<std::string>& argv) {
  const std::string usage =
      "usage: latentwalk boundary train|condition [flags]   (--help after either for its flags)\n\n"
      "  train      fit an attribute's boundary (InterFaceGAN: a linear SVM on the most and least\n"
      "             confident samples) from `generate`'s codes and scores\n"
      "  condition  remove from a boundary its projection on others, so an edit along it leaves\n"
      "             those attributes alone";
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << usage << "\n";
    return argv.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(argv.begin() + 1, argv.end());
  if (argv[0] == "train") return train(rest);
  if (argv[0] == "condition") return condition(rest);
  LW_FAIL("unknown boundary command \"" << argv[0] << "\" (train or condition)");
}

}  // namespace lw::app
