#!/usr/bin/env bash
# The quickstart's training step (2,000 synthetic slices, T=64, dense, p99 threshold, seed 42; no MLflow) timed with
# this checkout against a reference: another built checkout (REF_ROOT, e.g. a git worktree of an older commit with
# `mvn -q package -DskipTests -pl mr-train -am` run in it), or, without one, this checkout with REF_ARGS (default
# --no-batch-norm). Runs alternate (this, reference, this, ...) so that a busy machine slows both alike; prints each
# run's wall time and epochs, the medians and their ratio. REF_ENV (e.g. OMP_WAIT_POLICY=ACTIVE) is set for the
# reference runs only.
# Usage: [ROUNDS=3] [REF_ROOT=DIR | REF_ARGS="..."] [REF_ENV="K=V ..."] scripts/bench-quickstart-train.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref_root="${REF_ROOT:-$root}"
ref_args="${REF_ARGS:-}"
ref_env="${REF_ENV:-}"
[[ -z "${REF_ROOT:-}" && -z "$ref_args" && -z "$ref_env" ]] && ref_args="--no-batch-norm"
[[ -x "$ref_root/scripts/tsad" ]] || { echo "bench-quickstart-train.sh: no scripts/tsad in $ref_root" >&2; exit 1; }
rounds="${ROUNDS:-3}"
work="$root/.work/bench-quickstart-train"
rm -rf "$work"
mkdir -p "$work"
export OPENBLAS_NUM_THREADS=1
source "$root/scripts/lib/machine.sh"
machine_line "reference: $ref_root ${ref_args} ${ref_env}"
"$root/scripts/tsad" synth --out "$work/data" --slices 2000 --length 64 --anomaly-rate 0.1 --seed 42 > /dev/null
"$root/scripts/tsad" prepare --input "$work/data/train.csv" --output "$work/prepared" --window 64 > /dev/null 2>&1

# One training run; prints "seconds epochs".
train() {
  local tsad="$1" out="$2"
  shift 2
  local t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  env ${run_env:-} "$tsad" train --prepared "$work/prepared" --model-out "$out" --arch dense --threshold p99 --seed 42 "$@" \
    > "$out.log" 2>&1 || { echo "bench-quickstart-train.sh: training failed, see $out.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  local epochs
  epochs=$(sed -nE 's/^epochs: ([0-9]+).*/\1/p' "$out.log" | tail -1)
  echo "$(echo "$t1 $t0" | awk '{printf "%.1f", $1 - $2}') ${epochs:-?}"
  rm -rf "$out"
}

this=()
ref=()
echo "| round | this s | this epochs | reference s | reference epochs |"
echo "|---|---|---|---|---|"
for i in $(seq "$rounds"); do
  read -r a ae < <(train "$root/scripts/tsad" "$work/this-$i")
  # shellcheck disable=SC2086
  read -r b be < <(run_env="$ref_env" train "$ref_root/scripts/tsad" "$work/ref-$i" $ref_args)
  this+=("$a")
  ref+=("$b")
  echo "| $i | $a | $ae | $b | $be |"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
m_this=$(median "${this[@]}")
m_ref=$(median "${ref[@]}")
echo
echo "median: this $m_this s, reference $m_ref s, ratio $(echo "scale=2; $m_this / $m_ref" | bc)"
