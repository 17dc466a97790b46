#!/usr/bin/env bash
# Training's memory (see docs/benchmarks.md): tsad train on the CSV of SLICES slices of 256 steps, one feature
# (default 39,062 slices: 10^7 rows, 7.5 M windows at T=64, stride 1), dense model, one epoch, one torch thread, in a
# JVM capped at HEAP (default 512m): wall time, the JVM's peak RSS and the windows trained on. A heap too small fails
# with tsad's out-of-memory message, shown in the row.
# Usage: [HEAP=512m] [TSAD=other checkout's scripts/tsad] scripts/bench-train-memory.sh [SLICES...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tsad="${TSAD:-$root/scripts/tsad}"
out="$root/.work/bench-train"
mkdir -p "$out"
slices_list=("$@")
[[ ${#slices_list[@]} -gt 0 ]] || slices_list=(39062)
heap="${HEAP:-512m}"
source "$root/scripts/lib/machine.sh"
machine_line "launcher: $tsad"
echo "| slices | rows | windows | heap | wall s | epoch windows/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for slices in "${slices_list[@]}"; do
  data="$out/data-$slices"
  if [[ ! -f "$data/train.csv" ]]; then
    "$root/scripts/tsad" synth --out "$data" --slices "$slices" --length 256 --anomaly-rate 0 > /dev/null
  fi
  rm -rf "$out/model"
  if ! TSAD_JAVA_OPTS="-Xmx$heap" /usr/bin/time -f "%e %M" -o "$out/time.txt" "$tsad" train --input "$data/train.csv" \
      --model-out "$out/model" --arch dense --mode window --window 64 --stride 1 --epochs 1 --threads 1 \
      > "$out/last.out" 2> "$out/last.err"; then
    echo "| $slices | | | $heap | failed: $(grep -m1 'tsad: error' "$out/last.err" "$out/last.out" | cut -c1-120) | | |"
    continue
  fi
  rows=$(sed -n 's/.*rows: *\([0-9]*\) read.*/\1/p' "$out/last.err" "$out/last.out" | head -1)
  windows=$(sed -n 's/.*windows: \([0-9]*\)$/\1/p' "$out/last.err" "$out/last.out" | head -1)
  rate=$(sed -n 's/.*| \([0-9,]*\) win\/s.*/\1/p' "$out/last.err" "$out/last.out" | tail -1)
  read -r wall rss < "$out/time.txt"
  echo "| $slices | $rows | $windows | $heap | $wall | $rate | $(awk -v r="$rss" 'BEGIN { printf "%.0f", r / 1024 }') |"
done
