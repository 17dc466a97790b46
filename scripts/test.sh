#!/usr/bin/env bash
# Sets up everything the tests need and runs the whole test suite (mvn verify).
# Usage: scripts/test.sh [extra maven args], e.g. scripts/test.sh -Dgroups='!quality & !minicluster & !mlflow & !python & !spark'
# for a quick run; without the mlflow and python tests nothing needs Python.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "test.sh: '$tool' is not installed (need JDK 17+ and Maven 3.8+)" >&2; exit 1; }
done
mkdir -p .work
# The tests tagged mlflow start a real MLflow server from the project's own venv: install it up front so a
# failure here is reported as what it is (unless those tests are left out).
if [[ " $* " != *"!mlflow"* && " $* " != *"excludedGroups=mlflow"* ]]; then
  bash scripts/mlflow-server.sh install
fi
# The tests tagged python (the MLflow pyfunc flavor, model serving) run torch and mlflow from one venv outside the
# clone (scripts/python-env.sh, ~4 GB once per machine), as does the Spark test (tag spark, pyspark): installed up
# front for the same reason.
if [[ " $* " != *"!python"* && " $* " != *"excludedGroups=python"* ]] \
   || [[ " $* " != *"!spark"* && " $* " != *"excludedGroups=spark"* ]]; then
  bash scripts/python-env.sh > /dev/null
fi
export OPENBLAS_NUM_THREADS=1
exec mvn -B -ntp verify "$@"
