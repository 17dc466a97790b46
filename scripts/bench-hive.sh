#!/usr/bin/env bash
# score_anomaly throughput and memory (issue 6): a direct evaluate loop, Hive queries on an embedded Hive
# (map-only over ARRAY<DOUBLE> rows, and the GROUP BY collect_list pattern), the bare batch-1 forward pass of the
# same model in the same JVM, and RSS over many calls. One torch thread, one core per loop.
# Usage: scripts/bench-hive.sh [SECONDS_PER_LOOP=5] [HIVE_SLICES=50000] [RSS_CALLS=1000000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/.work/bench-hive"
mkdir -p "$out"
# shellcheck source=lib/hive-env.sh
source "$root/scripts/lib/hive-env.sh"
source "$root/scripts/lib/machine.sh"
machine_line "$(java -version 2>&1 | head -1); jar $(stat -c %s hive-udf/target/tsad-hive-udf.jar) bytes"
cd "$out"
rm -rf "$out"/run-*   # model, tables and metastore of the previous run (~250 MB)
# shellcheck disable=SC2086
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java -Xmx2g $hive_opens -cp "$hive_cp" tsad.hive.HiveBench "$@" 2> "$out/bench.log"
