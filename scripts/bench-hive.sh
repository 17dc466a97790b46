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
# Build the shaded jar and the test classes (never mvn install: ~/.m2 snapshots are shared).
mvn -B -q -ntp -pl hive-udf -am -DskipTests package 2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
# The Hive stack as on a Hive node: the shaded jar instead of the unshaded tsad jars, protobuf 4.x and gson.
mvn -B -q -ntp -pl hive-udf -am dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" \
  -Dmdep.includeScope=test \
  -DexcludeArtifactIds=tsad-core-jni,tsad-registry,protobuf-java,protobuf-java-util,gson,mlflow-client,javacpp,pytorch,openblas \
  2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
opens="--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.regex=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.sql/java.sql=ALL-UNNAMED"
echo "machine: $(getconf _NPROCESSORS_ONLN) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
  "$(java -version 2>&1 | head -1); jar $(stat -c %s hive-udf/target/tsad-hive-udf.jar) bytes"
cd "$out"
rm -rf "$out"/run-*   # model, tables and metastore of the previous run (~250 MB)
# shellcheck disable=SC2086
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java -Xmx2g $opens \
  -cp "$root/hive-udf/target/test-classes:$root/hive-udf/target/tsad-hive-udf.jar:$(cat "$out/classpath.txt")" \
  tsad.hive.HiveBench "$@" 2> "$out/bench.log"
