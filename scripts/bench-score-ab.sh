#!/usr/bin/env bash
# A/B of the score job between another checkout (built) and this one, alternating, each job right after its own
# bare-forward measurement (the machine's speed drifts): prints wall, task and scorer time and the ratios.
# Usage: [PER=slice|window] [FORMAT=jsonl|tsv] scripts/bench-score-ab.sh OTHER_CHECKOUT [PAIRS=3]
#        [SERIES=series-40000000] [CORES=1] [MODEL=model-dense-s1]
# SERIES and MODEL are under .work/bench-mr (made by scripts/bench-mr.sh); OTHER_CHECKOUT e.g. from
# `git worktree add /tmp/base <commit> && (cd /tmp/base && mvn -q -o -DskipTests package)`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/scripts/lib/bench-score.sh"
other="$(cd "${1:?usage: $0 OTHER_CHECKOUT [PAIRS] [SERIES] [CORES] [MODEL]}" && pwd)"
pairs="${2:-3}" series="${3:-series-40000000}" cores="${4:-1}" model="$here/.work/bench-mr/${5:-model-dense-s1}"
input="$here/.work/bench-mr/$series"
[[ -d "$input" && -d "$model" ]] || { echo "missing $input or $model: run scripts/bench-mr.sh first" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export TSAD_JAVA_OPTS="${TSAD_JAVA_OPTS:--Xmx1g}"
for _ in $(seq "$pairs"); do
  for side in other this; do
    root="$other"; [[ "$side" == this ]] && root="$here"
    forward=$(bare_forward "$root/scripts/tsad" "$model" "$cores")
    rm -rf "$out/scores"
    start=$(date +%s.%N)
    "$root/scripts/tsad" score --mapreduce -D mapreduce.local.map.tasks.maximum="$cores" --model "$model" \
      --input "$input" --output "$out/scores" --batch-size 256 --threads 1 --per "${PER:-slice}" \
      --format "${FORMAT:-jsonl}" > "$out/o" 2> "$out/e"
    end=$(date +%s.%N)
    windows=$(scored_windows "$out/o")
    task=$(score_task_ms "$out/e")
    scorer=$(sed -n 's/.* \([0-9]*\) ms in the scorer.*/\1/p' "$out/e")
    lines=$(sed -n 's/.* \([0-9]*\) ms making and writing lines.*/\1/p' "$out/e")
    awk -v s="$side" -v n="$windows" -v a="$start" -v b="$end" -v f="$forward" -v t="$task" -v c="$scorer" \
      -v l="${lines:-?}" -v k="$cores" 'BEGIN {
      w = b - a; printf "%-5s wall %.2f s, tasks %d ms, scorer %d ms, lines %s ms, forward %.0f windows/s, " \
        "job / forward %.3f, in-task / forward %.3f\n", s, w, t, c, l, f, n / w / f, n / (t / 1000 / k) / f }'
  done
done
