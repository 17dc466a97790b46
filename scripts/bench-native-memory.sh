#!/usr/bin/env bash
# Native memory of a long-lived JVM (docs/benchmarks.md, "Memory"): one JVM replaces its cached model RELOADS
# times (as alias moves do in HiveServer2 or LLAP), another makes CALLS score_anomaly calls on one model; each
# prints its native memory (RSS less the JVM's committed memory, heap fixed and touched up front) after warm-up and
# at the end. Usage: scripts/bench-native-memory.sh [RELOADS=1000] [CALLS=10000000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/.work/bench-native-memory"
mkdir -p "$out"
rm -rf "$out"/run-*
# shellcheck source=lib/hive-env.sh
source "$root/scripts/lib/hive-env.sh"
source "$root/scripts/lib/machine.sh"
machine_line "$(java -version 2>&1 | head -1)"
for run in "reload ${1:-1000}" "calls ${2:-10000000}"; do
  # shellcheck disable=SC2086
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java -Xms1g -Xmx1g -XX:+AlwaysPreTouch $hive_opens -cp "$hive_cp" \
    tsad.hive.NativeMemoryBench $run "$out" 2>> "$out/bench.log"
done
