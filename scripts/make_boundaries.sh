#!/usr/bin/env bash
# Rebuilds the default model's InterFaceGAN boundaries and their report:
#   generate 100,000 samples -> boundary train (pose, smile, age, eyeglasses, beard; in Z and W)
#   -> analyze (correlation tables) -> evaluate-edits (single and conditional edits in W).
# Writes assets/models/synthfaces/boundaries/{z,w}/NAME.npy and boundaries/report.md.
# Usage: scripts/make_boundaries.sh [N] [SAMPLES_DIR]   (about 10 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
samples=${2:-build/boundary-samples}
model=assets/models/synthfaces
out=$model/boundaries
lw=build/latentwalk
$lw generate --model "$model" --n "$n" --seed 0 --out "$samples"
mkdir -p "$out/z" "$out/w"
report=$(mktemp)
{
  echo "# Boundaries of the SynthFaces default model"
  echo
  echo "Made by \`scripts/make_boundaries.sh\`: $n samples (\`latentwalk generate --seed 0\`), ratio 0.02, split 0.7."
  echo
  echo "| attribute | space | n_train | train accuracy | validation accuracy | remaining accuracy |"
  echo "|---|---|---:|---:|---:|---:|"
} > "$report"
for space in w z; do
  for attr in pose smile age eyeglasses beard; do
    json=$($lw boundary train --latents "$samples/$space.npy" --scores "$samples/scores.npy" --attribute "$attr" \
             --ratio 0.02 --out "$out/$space/$attr.npy" --json)
    echo "$json"
    /usr/bin/python3 -c "import json,sys; j=json.loads(sys.argv[1]); print('| %s | %s | %d | %.3f | %.3f | %.3f |' % (j['attribute'], sys.argv[2].upper(), j['n_train'], j['train_accuracy'], j['validation_accuracy'], j['remaining_accuracy']))" "$json" "$space" >> "$report"
  done
done
for space in w z; do
  { echo; echo "## Correlations in ${space^^}"; echo; $lw analyze --latents "$samples/$space.npy" --scores "$samples/scores.npy" --boundaries "$out/$space"; } >> "$report"
done
{ echo; echo "## Edits in W (\`latentwalk evaluate-edits --space w --n 1000\`)"; echo; echo '```json'
  $lw evaluate-edits --model "$model" --boundaries "$out/w" --space w --n 1000 --json
  echo '```'; } >> "$report"
mv "$report" "$out/report.md"
echo "boundaries in $out/{z,w}; report in $out/report.md"
