#!/usr/bin/env bash
# MapReduce benchmark on the local job runner (see docs/benchmarks.md):
#  - prepare: input rows/s at each size in ROWS (default 10^6 and 10^7, generated), on 1 and 2 cores
#    (local map and reduce slots and reducers), with peak RSS of the JVM;
#  - score: windows/s of the score job against the bare batch forward pass of the same model (tsad bench
#    --model) on the same number of cores, in the same run, for the dense and cnn models (ARCHS="dense cnn lstm"
#    adds the lstm: slow at STRIDE=1, use STRIDE=16), writing a line per slice and per window (PERS=), at each
#    input size in SCORE_ROWS, and with two sizes or more the marginal rate and the fixed cost of a job; each
#    job runs REPEAT times (default 3), each time right after a forward measurement, and the median of those
#    pairs by their ratio is kept; FORMAT=tsv writes TSV rows instead of JSON lines; a near-empty job (250
#    slices) measures the floor, what any job costs here beyond its work, and each row gives the best ratio a job
#    of its size could reach (tasks as fast as the bare forward pass, plus that floor); the marginal row gives the
#    size from which the job reaches 0.5x;
#  - memory: every job runs in a JVM capped at -Xmx1g; in local mode all tasks run inside it, so no task had
#    more than 1 GB of heap.
# Usage: [STAGES="prepare score"] [ARCHS="dense cnn"] [PERS="slice window"] [STRIDE=1] [SCORE_ROWS="10000000 40000000"]
#        [REPEAT=3] [FORMAT=jsonl|tsv] scripts/bench-mr.sh [ROWS...]
#   (~9 GB disk in .work/bench-mr at the default sizes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tsad="$root/scripts/tsad"
source "$root/scripts/lib/bench-score.sh"
out="$root/.work/bench-mr"
mkdir -p "$out"
rows_list=("$@")
[[ ${#rows_list[@]} -gt 0 ]] || rows_list=(1000000 10000000)
export TSAD_JAVA_OPTS="-Xmx1g"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
now() { date +%s.%N; }
# Runs a command under GNU time; leaves wall seconds in $wall and peak RSS (MB) in $rss.
timed() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%M" -o "$out/rss.txt" "$@" > "$out/last.out" 2> "$out/last.err" || {
    echo "failed: $*" >&2; cat "$out/last.err" >&2; exit 1; }
  t1=$(now)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  rss=$(awk '{ printf "%.0f", $1 / 1024 }' "$out/rss.txt")
}
source "$root/scripts/lib/machine.sh"
machine_line
if [[ "${STAGES:-prepare score}" == *prepare* ]]; then
  echo "| job | input | cores | wall s | throughput | peak RSS MB (-Xmx1g) |"
  echo "|---|---|---|---|---|---|"
fi
for rows in "${rows_list[@]}"; do
  data="$out/data-$rows"
  [[ -f "$data/train.csv" ]] || "$tsad" synth --out "$data" --slices $((rows / 64)) --length 64 --anomaly-rate 0 > /dev/null
  [[ "${STAGES:-prepare score}" == *prepare* ]] || continue
  for cores in 1 2; do
    rm -rf "$out/prepared-$rows-$cores"
    timed "$tsad" prepare -D mapreduce.local.map.tasks.maximum=$cores -D mapreduce.local.reduce.tasks.maximum=$cores \
      -D mapreduce.job.reduces=$cores -D mapreduce.input.fileinputformat.split.maxsize=33554432 \
      --input "$data/train.csv" --output "$out/prepared-$rows-$cores" --window 64
    awk -v r="$rows" -v w="$wall" -v c="$cores" -v m="$rss" \
      'BEGIN { printf "| prepare | %d rows | %d | %.1f | %.0f rows/s | %s |\n", r, c, w, r / w, m }'
  done
done
# Score input: SCORE_ROWS rows (default: the largest prepare input and four times it) in slices of 256 steps. The models cut windows
# of 64 every STRIDE steps (default 1: 193 windows per slice, 7.5 M windows for 10^7 rows). Two or more sizes also
# give the marginal rate, (windows2 - windows1) / (wall2 - wall1): the job's rate once its fixed costs (JVM start,
# job set-up and commit, libtorch load, warm-up) are paid, as in a long scoring run.
stride="${STRIDE:-1}"
repeat="${REPEAT:-3}"
format="${FORMAT:-jsonl}"
read -r -a score_rows <<< "${SCORE_ROWS:-${rows_list[-1]} $((rows_list[-1] * 4))}"
floor_rows=64000
[[ "${STAGES:-prepare score}" == *score* ]] || { echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"; exit 0; }
for big in $floor_rows "${score_rows[@]}"; do
  long="$out/long-$big"
  [[ -f "$long/train.csv" ]] || "$tsad" synth --out "$long" --slices $((big / 256)) --length 256 --anomaly-rate 0 \
    > /dev/null
  prepared="$out/series-$big"
  if [[ ! -f "$prepared/_tsad_prepared.pb" ]]; then
    rm -rf "$prepared"
    "$tsad" prepare -D mapreduce.local.map.tasks.maximum=2 -D mapreduce.local.reduce.tasks.maximum=2 \
      -D mapreduce.job.reduces=2 --input "$long/train.csv" --output "$prepared" --window 64 --mode window \
      > /dev/null 2>&1
  fi
done
echo
echo "Score job on prepared slices of 256 steps: cores = map slots of the job (one torch thread each) = torch"
echo "threads of the bare forward pass; per = one output line per slice or per window; best = the ratio a job of"
echo "that size would reach if its tasks ran at the bare forward pass's speed and all else cost what the floor job"
echo "(250 slices, nearly no work) cost: the most any MapReduce job of that size can reach on this machine."
echo "| model | per | cores | windows | score job wall s | job windows/s | in-task windows/s | bare forward windows/s (batch 256) | job / forward | in-task / forward | best job / forward | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for arch in ${ARCHS:-dense cnn}; do
  model="$out/model-$arch-s$stride"
  [[ -f "$model/manifest.pb" ]] || "$tsad" train --input "$out/data-${rows_list[0]}/train.csv" --model-out "$model" \
    --arch "$arch" --mode window --window 64 --stride "$stride" --epochs 2 --quiet --threads 1 > /dev/null 2>&1
  for cores in 1 2; do
    for per in ${PERS:-slice window}; do
      label=$per
      [[ "$format" == jsonl ]] || label="$per ($format)"
      points=()
      floor=""
      for big in $floor_rows "${score_rows[@]}"; do
        runs=()
        for ((i = 0; i < repeat; i++)); do
          # Each job is paired with a forward measurement taken right before it: this shared machine's speed drifts
          # for minutes at a time, and a ratio holds only between measurements made under the same conditions.
          f=$(bare_forward "$tsad" "$model" $cores)
          rm -rf "$out/scores-$arch"
          timed "$tsad" score --mapreduce -D mapreduce.local.map.tasks.maximum=$cores --model "$model" \
            --input "$out/series-$big" --output "$out/scores-$arch" --batch-size 256 --threads 1 --per "$per" \
            --format "$format"
          windows=$(scored_windows "$out/last.out")
          task_ms=$(score_task_ms "$out/last.err")
          ratio=$(awk -v n="$windows" -v w="$wall" -v f="$f" 'BEGIN { printf "%.6f", n / w / f }')
          runs+=("$ratio $wall $task_ms $f $rss")
        done
        # The median pair by its job / forward ratio.
        median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((repeat + 1) / 2))p")
        read -r _ wall task_ms forward rss <<< "$median"
        if [[ -z "$floor" ]]; then
          floor=$(awk -v n="$windows" -v w="$wall" -v f="$forward" 'BEGIN { printf "%.3f", w - n / f }')
          awk -v a="$arch" -v p="$label" -v c="$cores" -v n="$windows" -v w="$wall" -v fl="$floor" -v m="$rss" \
            'BEGIN { printf "| %s | %s | %d | %d (floor: %.2f s beyond the forward pass) | %.1f | | | | | | | %s |\n", a, p,
            c, n, fl, w, m }'
          continue
        fi
        points+=("$windows:$wall:$forward")
        # In-task: the tasks' own time (summed over tasks) spread over the slots that ran them.
        awk -v a="$arch" -v p="$label" -v c="$cores" -v n="$windows" -v w="$wall" -v t="$task_ms" -v f="$forward" \
          -v m="$rss" -v fl="$floor" 'BEGIN { job = n / w; task = n / (t / 1000 / c); best = n / f / (n / f + fl);
          printf "| %s | %s | %d | %d | %.1f | %.0f | %.0f | %.0f | %.3f | %.3f | %.3f | %s |\n", a, p, c, n, w, job,
            task, f, job / f, task / f, best, m }'
      done
      if [[ ${#points[@]} -ge 2 ]]; then
        # Against the mean of the two pairs' forward measurements.
        awk -v a="$arch" -v p="$label" -v c="$cores" -v first="${points[0]}" -v last="${points[-1]}" \
          'BEGIN { split(first, x, ":"); split(last, y, ":"); rate = (y[1] - x[1]) / (y[2] - x[2]);
          fixed = x[2] - x[1] / rate; f = (x[3] + y[3]) / 2;
          # job / forward = 0.5 where n / f = 0.5 (fixed + n / rate): n = fixed / (2 / f - 1 / rate).
          even = rate > f / 2 ? sprintf("0.5x from %.1f M windows", fixed / (2 / f - 1 / rate) / 1e6) : "never 0.5x";
          printf "| %s | %s | %d | marginal | %.1f s fixed | %.0f | | %.0f | %.3f | | %s | |\n", a, p, c, fixed, rate,
            f, rate / f, even }'
      fi
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
