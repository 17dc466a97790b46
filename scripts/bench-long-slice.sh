#!/usr/bin/env bash
# Long slices (see docs/benchmarks.md): one slice of STEPS steps, one feature (default 10 and 20 million), prepared
# and scored by the MapReduce jobs (tsad score --mapreduce on its CSV) on the local job runner in a JVM capped at
# -Xmx1g, with each job's time and the JVM's peak RSS. Memory grows with the longest slice's length, not with the
# number of slices or windows; a job that runs out of heap fails with the task's own error.
# Usage: [MODEL=bundle dir] scripts/bench-long-slice.sh [STEPS...]   (~0.9 GB disk per 20 million steps)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tsad="$root/scripts/tsad"
source "$root/scripts/lib/bench-score.sh"
out="$root/.work/bench-long-slice"
mkdir -p "$out"
steps_list=("$@")
[[ ${#steps_list[@]} -gt 0 ]] || steps_list=(10000000 20000000)
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
model="${MODEL:-$out/model}"
if [[ ! -d "$model" ]]; then # a small window model at stride 1, as the MapReduce benchmark's dense one
  "$tsad" synth --out "$out/train" --slices 200 --length 256 > /dev/null
  "$tsad" train --input "$out/train/train.csv" --model-out "$model" --mode window --window 64 --stride 1 \
    --epochs 2 --threads 1 --quiet > /dev/null
fi
source "$root/scripts/lib/machine.sh"
machine_line
echo "| steps in the slice | prepare s | score s | windows scored | peak RSS MB (-Xmx1g) |"
echo "|---|---|---|---|---|"
for steps in "${steps_list[@]}"; do
  data="$out/slice-$steps"
  if [[ ! -f "$data/train.csv" ]]; then
    "$tsad" synth --out "$data" --slices 1 --length "$steps" > /dev/null
    rm -f "$data/test.csv" "$data/labels.csv"
  fi
  rm -rf "$out/scores"
  TSAD_JAVA_OPTS=-Xmx1g /usr/bin/time -f "%M" -o "$out/rss.txt" "$tsad" score --mapreduce --model "$model" \
    --input "$data" --output "$out/scores" > "$out/last.out" 2> "$out/last.err" || {
    echo "| $steps | failed: $(grep 'tsad: error' "$out/last.err" | head -1) | | | |"; continue; }
  prepare=$(sed -n 's/^prepared .* in \([0-9.]*\) s$/\1/p' "$out/last.out")
  score=$(sed -n 's/^scored .* in \([0-9.]*\) s$/\1/p' "$out/last.out")
  windows=$(scored_windows "$out/last.out")
  echo "| $steps | $prepare | $score | $windows | $(awk '{ printf "%.0f", $1 / 1024 }' "$out/rss.txt") |"
done
