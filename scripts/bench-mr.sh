#!/usr/bin/env bash
# MapReduce throughput on the local job runner: prepare rows/s at 10^6 and 10^7 rows with 1 and 2 cores
# (map and reduce slots), and the score job's windows/s against the bare forward pass of the same model.
# Usage: scripts/bench-mr.sh [ROWS...]   (default: 1000000 10000000; needs ~2 GB disk in .work/bench-mr)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tsad="$root/scripts/tsad"
out="$root/.work/bench-mr"
mkdir -p "$out"
rows_list=("$@")
[[ ${#rows_list[@]} -gt 0 ]] || rows_list=(1000000 10000000)
now() { date +%s.%N; }
echo "machine: $(getconf _NPROCESSORS_ONLN) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
for rows in "${rows_list[@]}"; do
  data="$out/data-$rows"
  if [[ ! -f "$data/train.csv" ]]; then
    "$tsad" synth --out "$data" --slices $((rows / 64)) --length 64 --anomaly-rate 0 > /dev/null
  fi
  for cores in 1 2; do
    rm -rf "$out/prepared-$rows-$cores"
    t0=$(now)
    "$tsad" prepare -D mapreduce.local.map.tasks.maximum=$cores -D mapreduce.local.reduce.tasks.maximum=$cores \
      -D mapreduce.job.reduces=$cores -D mapreduce.input.fileinputformat.split.maxsize=33554432 \
      --input "$data/train.csv" --output "$out/prepared-$rows-$cores" --window 64 > /dev/null 2>&1
    t1=$(now)
    awk -v r="$rows" -v a="$t0" -v b="$t1" -v c="$cores" \
      'BEGIN { printf "prepare  %9d rows  %d core(s)  %6.1f s  %9.0f rows/s\n", r, c, b - a, r / (b - a) }'
  done
done
# Score job vs bare forward: the dense model on the largest prepared set, 1 thread, batch 256.
last="${rows_list[-1]}"
model="$out/model"
[[ -f "$model/manifest.pb" ]] || "$tsad" train --input "$out/data-${rows_list[0]}/train.csv" --model-out "$model" \
  --epochs 5 --quiet --threads 1 > /dev/null 2>&1
windows=$((last / 64))
rm -rf "$out/scores"
t0=$(now)
"$tsad" score --mapreduce -D mapreduce.local.map.tasks.maximum=1 --model "$model" --input "$out/prepared-$last-1" \
  --output "$out/scores" --batch-size 256 --threads 1 > /dev/null 2>&1
t1=$(now)
forward=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$tsad" bench --arch dense --threads 1 --score-batches 256 \
  --seconds 2 2>/dev/null | grep java-forward | sed 's/.*"windows_per_s":\([0-9.]*\).*/\1/')
awk -v w="$windows" -v a="$t0" -v b="$t1" -v f="$forward" 'BEGIN {
  s = w / (b - a);
  printf "score job %d windows  %6.1f s  %9.0f windows/s (whole job incl. startup)\n", w, b - a, s;
  printf "bare forward (dense, batch 256, 1 thread) %9.0f windows/s; ratio %.3f\n", f, s / f }'
