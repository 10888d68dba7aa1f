// latentwalk analyze: InterFaceGAN's entanglement tables: cosine similarity between boundary
// normals, and the Pearson correlation between attribute scores of sampled images.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "app/sample_files.hpp"
#include "core/boundary.hpp"
#include "core/base/check.hpp"
#include "core/correlation.hpp"
#include "core/npy.hpp"

namespace lw::app {
namespace fs = std::filesystem;

namespace {
nlohmann::json table_json(const std::vector<std::string>& names, const Eigen::MatrixXd& m) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t k = 0; k < names.size(); ++k)
      j[names[i]][names[k]] = m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
  return j;
}
}  // namespace

int cmd_analyze(const std::vector<std::string>& argv) {
  Args a("analyze",
         "Prints the cosine similarity between every pair of boundaries in a folder and the Pearson\n"
         "correlation between the attribute scores of sampled images, as markdown (or --json).");
  a.flag("latents", "NPY", "latent codes [N, d] the scores belong to (checked for a matching count)")
      .flag("scores", "NPY", "scores [N, m] with attributes.json beside it")
      .flag("model", "DIR", "the model whose shipped boundaries are compared by default", default_model_folder().string())
      .flag("boundaries", "DIR", "folder of [1, d] boundary .npy files (default: MODEL/boundaries/z or /w, as the "
                                 "latents' file name, z.npy or w.npy, says)")
      .flag("json", "", "print JSON instead of markdown");
  if (!a.parse(argv)) return 0;
  const auto latents = read_npy(a.str("latents"));
  const auto scores = read_npy(a.str("scores"));
  expect_same_samples(a.str("latents"), latents.rows(), a.str("scores"), scores.rows());
  const auto names = score_names(a.str("scores"), scores.cols());

  const std::string latents_space = fs::path(a.str("latents")).stem().string();
  LW_EXPECT(a.given("boundaries") || latents_space == "z" || latents_space == "w",
            "--boundaries DIR is needed: " << a.str("latents") << " is not named z.npy or w.npy, so which of the model's "
                                           << "boundaries belong to it is unknown");
  const fs::path dir = a.given("boundaries") ? fs::path(a.str("boundaries"))
                                             : model_folder_of(a.str("model")) / "boundaries" / latents_space;
  LW_EXPECT(fs::is_directory(dir), dir.string() << " is not a folder");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".npy") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  LW_EXPECT(!files.empty(), dir.string() << " holds no .npy boundaries");
  std::vector<std::string> boundary_names;
  std::vector<Eigen::VectorXf> normals;
  for (const auto& f : files) {
    normals.push_back(read_boundary(f));
    LW_EXPECT(normals.back().size() == latents.cols(), f.string() << " has dimension " << normals.back().size()
                                                                  << " but the latents have " << latents.cols());
    boundary_names.push_back(f.stem().string());
  }
  const auto cosine = cosine_table(normals);
  const auto pearson = pearson_table(to_matrix(scores));
  if (a.on("json")) {
    std::cout << nlohmann::json{{"cosine", table_json(boundary_names, cosine)}, {"pearson", table_json(names, pearson)}}.dump()
              << "\n";
  } else {
    std::cout << "Cosine similarity between boundaries (" << dir.string() << "):\n\n"
              << markdown_table(boundary_names, cosine) << "\nPearson correlation between attribute scores ("
              << scores.rows() << " samples):\n\n"
              << markdown_table(names, pearson);
  }
  return 0;
}

}  // namespace lw::app
