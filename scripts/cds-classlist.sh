#!/usr/bin/env bash
# Remakes scripts/lib/tsad.classlist, the classes that go into the launcher's class-data archive (scripts/lib/cds.sh):
# runs the quickstart and the other score paths with every JVM recording the classes it loads, and keeps the named
# classes (no lambda forms, proxies or other generated classes, which change from run to run and JDK to JDK).
# Run it after changes that load many new classes (a new dependency, a new command); a class missing from the list
# still loads, from its jar.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
record="$(mktemp -d)"
trap 'rm -rf "$record"' EXIT
export TSAD_CDS="record:$record"
bash "$root/scripts/quickstart.sh"
work="$root/.work/quickstart"
tsad="$root/scripts/tsad"
# The quickstart leaves its MLflow server running; this asks it for its address.
export MLFLOW_TRACKING_URI
MLFLOW_TRACKING_URI="$("$root/scripts/mlflow-server.sh" start --port "${TSAD_MLFLOW_PORT:-5000}" \
  --data "$root/.work/mlflow" 2>/dev/null)"
rm -rf "$work/cds-scores"
"$tsad" score --mapreduce --model "$work/model" --input "$work/prepared" --output "$work/cds-scores" \
  --per window --format tsv > /dev/null
"$tsad" score --model models:/tsad-quickstart@champion --input "$work/data/test.csv" --output /dev/null
"$tsad" models list tsad-quickstart > /dev/null
cat "$record"/*.classlist | grep -v -E '^(#|@)|\$\$|\+0x|/\$Proxy|^jdk/proxy' | sed 's/ .*//' | sort -u \
  > "$root/scripts/lib/tsad.classlist"
wc -l "$root/scripts/lib/tsad.classlist"
