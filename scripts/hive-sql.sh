#!/usr/bin/env bash
# SQL on an embedded Hive 4.0.1 (Derby metastore, local MapReduce) with the shaded tsad jar at hand, for
# trying score_anomaly() without a cluster. Statements come on standard input, each ending with ';'.
# Usage: scripts/hive-sql.sh DIR < statements.sql     (DIR keeps the metastore and warehouse between runs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -eq 1 ]] || { echo "usage: scripts/hive-sql.sh DIR < statements.sql" >&2; exit 2; }
dir="$(mkdir -p "$1" && cd "$1" && pwd)"
out="$root/.work/hive-sql"
mkdir -p "$out"
# shellcheck source=lib/hive-env.sh
source "$root/scripts/lib/hive-env.sh"
cd "$dir"
# shellcheck disable=SC2086
# Hive logs every stage through SLF4J at INFO: errors only, and tsad's own warnings (counted bad rows); the
# embedded metastore's background stats loader reports its first, empty schema as an error (through SLF4J and,
# from DataNucleus, through log4j 2): not shown. Failed statements still end the run with Hive's message.
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 exec java -Xmx2g $hive_opens \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=error -Dorg.slf4j.simpleLogger.log.tsad=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.hadoop.hive.metastore.RetryingHMSHandler=off \
  -Dorg.apache.logging.log4j.level=FATAL \
  -cp "$hive_cp" tsad.hive.HiveSql "$dir"
