#!/usr/bin/env bash
# DP-LaSE's settings swept on the default model: for each setting, `discover` (k=8 unless the row
# says --k, the same budget for every row) started from the shipped density F and correction C of its space
# (--from, so no row refits F), then `evaluate-directions` on what it found. Prints a Markdown
# table: per row how many of the 8 directions are semantic (selectivity >= 0.5: one factor carries
# at least half of the walk's standardised change) and which factors they move, best first.
# (Run it with OMP_NUM_THREADS=1 beside other work: one thread is as fast here, uncontended.)
#
#   scripts/sweep_dplase.sh [STEPS] [WORK_DIR] [ROW ...]
#
# A ROW is SPACE:LAYERS[:EXTRA DISCOVER FLAGS, comma-separated], e.g. w:2 or
# w:1,3:--normalise-features or w:2:--lambda,4. Default rows: W at every synthesis layer, Z at
# layers 1 and 3. STEPS defaults to 600 (about 4 minutes a row on 2 cores); WORK_DIR to
# build/dplase-sweep, where each row's directions, contact sheet and evaluation stay.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-600}
work=${2:-build/dplase-sweep}
[[ "$work" != *:* ]] || { echo "sweep_dplase.sh: '$work' looks like a row; give STEPS and WORK_DIR first" >&2; exit 2; }
shift 2 || shift $#
rows=("$@")
[ ${#rows[@]} -gt 0 ] || rows=(w:0 w:1 w:2 w:3 w:4 z:1 z:3)
[[ "$steps" =~ ^[0-9]+$ ]] || { echo "sweep_dplase.sh: STEPS must be a whole number, got '$steps'" >&2; exit 2; }
model=assets/models/synthfaces
lw=build/latentwalk
[ -x "$lw" ] || ./scripts/build.sh
mkdir -p "$work"

echo "| space | layers | other settings | semantic | factors of the semantic directions (selectivity) | best selectivity of the rest |"
echo "|---|---|---|---:|---|---|"
for row in "${rows[@]}"; do
  IFS=: read -r space layers extra <<<"$row"
  name=$(echo "$row" | sed 's/--//g' | tr ':,' '__')
  out=$work/$name
  flags=()
  [ -z "$extra" ] || IFS=, read -r -a flags <<<"$extra"
  [[ " ${flags[*]} " == *" --k "* || " ${flags[*]} " == *" --k="* ]] || flags+=(--k 8)
  "$lw" discover --model "$model" --space "$space" --layer "$layers" --steps "$steps" --correction-warmup 0 \
    --from "$model/dplase/$space" --out "$out" --restart "${flags[@]}" 2>"$out.log" ||
    { echo "sweep_dplase.sh: discover failed for $row (see $out.log)" >&2; exit 1; }
  "$lw" evaluate-directions --model "$model" --space "$space" --directions "$out/directions.npy" --density "$out" --json \
    >"$out/evaluation.json" 2>>"$out.log" ||
    { echo "sweep_dplase.sh: evaluate-directions failed for $row (see $out.log)" >&2; exit 1; }
  /usr/bin/python3 - "$space" "$layers" "${extra//,/ }" "$out/evaluation.json" <<'PY'
import json, sys
space, layers, extra, path = sys.argv[1:5]
d = json.load(open(path))["directions"]
semantic = sorted((x for x in d if x["semantic"]), key=lambda x: -x["selectivity"])
rest = [x for x in d if not x["semantic"]]
named = ", ".join(f"{x['best_factor']} ({x['selectivity']:.2f})" for x in semantic) or "none"
best_rest = max(rest, key=lambda x: x["selectivity"]) if rest else None
rest_text = f"{best_rest['best_factor']} ({best_rest['selectivity']:.2f})" if best_rest else "-"
print(f"| {space.upper()} | {layers} | {extra or '-'} | {len(semantic)} of {len(d)} | {named} | {rest_text} |")
PY
done
