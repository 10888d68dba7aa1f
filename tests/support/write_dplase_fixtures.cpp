// Writes the files the DP-LaSE commands' bad-input tests feed them: a learned density and
// correction for a 16-dimensional space (the default model's spaces have 64 dimensions).
// usage: write_dplase_fixtures OUTDIR
#include <torch/torch.h>

#include <filesystem>
#include <iostream>

#include "core/correction.hpp"
#include "core/density.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: write_dplase_fixtures OUTDIR\n";
    return 2;
  }
  const std::filesystem::path out = std::filesystem::path(argv[1]) / "density16";
  std::filesystem::create_directories(out);
  lw::DensityModel(16, 4).save(out / "density.pt");
  lw::CorrectionModel(16, 8).save(out / "correction.pt");
  return 0;
}
