#!/usr/bin/env bash
# Rebuilds the default model's quality boundary (InterFaceGAN's artifact correction) and its report:
#   generate N samples with the discriminator's realism as a "quality" score column
#   -> boundary train quality (the most and the least real 2%), in W and Z
#   -> boundary train every SynthFaces factor on the same samples, and quality conditioned on all
#      of them, so that moving along it repairs an image without changing who is in it
#   -> evaluate-quality, judged by the truth (the distance to the SynthFaces render of each
#      image's own factors), not by the discriminator the labels came from; in W also with
#      density-preserving steps (DP-LaSE's learned correction).
# Writes assets/models/synthfaces/boundaries/{w,z}/quality.npy and boundaries/quality_report.md.
# Usage: scripts/make_quality_boundary.sh [N] [SAMPLES_DIR]   (about 10 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
samples=${2:-build/quality-samples}
model=assets/models/synthfaces
out=$model/boundaries
lw=build/latentwalk
factors="pose smile age eyeglasses beard skin_tone hair_colour hair_length background face_x face_y face_scale"
$lw generate --model "$model" --n "$n" --seed 1 --quality discriminator --out "$samples"
mkdir -p "$samples/factors"
for space in w z; do
  $lw boundary train --latents "$samples/$space.npy" --scores "$samples/scores.npy" --attribute quality \
    --ratio 0.02 --out "$samples/quality_$space.npy" --json
  held=()
  for f in $factors; do
    $lw boundary train --latents "$samples/$space.npy" --scores "$samples/scores.npy" --attribute "$f" \
      --ratio 0.02 --out "$samples/factors/${f}_$space.npy" > /dev/null
    held+=("$samples/factors/${f}_$space.npy")
  done
  $lw boundary condition --primary "$samples/quality_$space.npy" --condition "${held[@]}" --out "$out/$space/quality.npy"
done
report=$(mktemp)
{
  echo "# The quality boundary of the SynthFaces default model"
  echo
  echo "Made by \`scripts/make_quality_boundary.sh\`: $n samples (\`latentwalk generate --seed 1 --quality discriminator\`),"
  echo "the most and least real 2% by the discriminator, conditioned on the boundaries of all twelve factors."
  echo "Judged by the truth (the distance to the SynthFaces render of each image's own factors), on the"
  echo "20% of 1000 images the discriminator finds least real, and on all of them."
  for run in "z linear" "w linear" "w dp"; do
    read -r space walk <<< "$run"
    for worst in 0.2 1; do
      echo; echo "## ${space^^}, $walk steps, worst $worst (\`latentwalk evaluate-quality --space $space --walk $walk --n 1000 --worst $worst\`)"
      echo; echo '```json'
      $lw evaluate-quality --model "$model" --space "$space" --walk "$walk" --n 1000 --worst "$worst" --alphas 0.25,0.5,1,2 --json \
        $([ "$space$worst" = z0.2 ] && echo --strip "$model/quality_strip.png")
      echo '```'
    done
  done
} > "$report"
mv "$report" "$out/quality_report.md"
echo "quality boundaries in $out/{w,z}/quality.npy; report in $out/quality_report.md, strip in $model/quality_strip.png"
