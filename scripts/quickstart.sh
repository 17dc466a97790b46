#!/usr/bin/env bash
# One command from a fresh clone to the whole product on this machine:
# build -> local MLflow server -> synthetic data -> MapReduce prepare (local job runner) -> train from the
# prepared windows (tracked, registered as version N, alias champion) -> MapReduce score with
# models:/tsad-quickstart@champion -> evaluate against labels, top anomalies -> the same model in SQL:
# score_anomaly() on an embedded Hive -> where to look.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$root/.work/quickstart"
port="${TSAD_MLFLOW_PORT:-5000}"
mkdir -p "$work"
echo "== build (the first run downloads libtorch through Maven, ~110 MB)"
mvn -B -q -ntp -DskipTests install 2>&1 | sed "s/\x1b\[[0-9;]*m//g"   # Maven 3.8 -q still prints colour resets
echo "== MLflow server (the first run installs mlflow into .work/venv-mlflow)"
export MLFLOW_TRACKING_URI
MLFLOW_TRACKING_URI="$("$root/scripts/mlflow-server.sh" start --port "$port" --data "$root/.work/mlflow")"
echo "   $MLFLOW_TRACKING_URI"
tsad="$root/scripts/tsad"
echo "== synth: 2000 normal training slices, 2000 test slices (10% anomalous), T=64"
"$tsad" synth --out "$work/data" --slices 2000 --length 64 --anomaly-rate 0.1 --seed 42
rm -rf "$work/prepared" "$work/scores"
echo "== prepare (MapReduce, local job runner): group by slice, sort by time, windows of 64 -> SequenceFiles"
"$tsad" prepare --input "$work/data/train.csv" --output "$work/prepared" --window 64
echo "== train from the prepared windows: dense autoencoder, p99 threshold; tracked in MLflow, alias champion"
"$tsad" train --prepared "$work/prepared" --model-out "$work/model" --arch dense --threshold p99 --seed 42 \
  --experiment tsad-quickstart --register tsad-quickstart --alias champion
echo "== score test.csv with models:/tsad-quickstart@champion (MapReduce)"
"$tsad" score --mapreduce --model models:/tsad-quickstart@champion --input "$work/data/test.csv" \
  --output "$work/scores"
echo "== evaluate against labels; top anomalies"
"$tsad" evaluate --scores "$work/scores" --labels "$work/data/labels.csv" --top 10
echo "== the same model in SQL: score_anomaly() on an embedded Hive 4 (local MapReduce), GROUP BY slice"
rm -rf "$work/hive"
mkdir -p "$work/hive"
tail -n +2 "$work/data/test.csv" > "$work/hive/readings.csv"
"$root/scripts/hive-sql.sh" "$work/hive" <<SQL
CREATE TABLE readings (slice_id STRING, ts STRING, v DOUBLE) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',';
LOAD DATA LOCAL INPATH '$work/hive/readings.csv' INTO TABLE readings;
CREATE TEMPORARY FUNCTION score_anomaly AS 'tsad.hive.ScoreAnomalyUDF' USING JAR '$root/hive-udf/target/tsad-hive-udf.jar';
SELECT slice_id, round(r.score, 5) AS score, r.is_anomaly, r.model, r.version
FROM (SELECT slice_id, score_anomaly('models:/tsad-quickstart@champion', collect_list(named_struct('ts', ts, 'v', v))) AS r
      FROM readings GROUP BY slice_id) scored
ORDER BY score DESC LIMIT 10;
SQL
echo
echo "MLflow UI:    $MLFLOW_TRACKING_URI  (experiment tsad-quickstart: params, loss curves, plots, model versions)"
echo "plots:        in the run's artifacts, plots/ (loss curves, score histogram with the threshold, worst windows)"
echo "model bundle: $work/model (manifest.json is human-readable)"
echo "scores:       $work/scores/part-m-* (JSON lines; prepare/ holds the CSV prepare step's report, quarantine/ and prepare/quarantine/ rejects, if any)"
echo "Python:       MLFLOW_TRACKING_URI=$MLFLOW_TRACKING_URI python -c \"import mlflow.pyfunc, pandas as pd; print(mlflow.pyfunc.load_model('models:/tsad-quickstart@champion').predict(pd.read_csv('$work/data/test.csv')).head())\"  (a venv with the model's requirements: scripts/python-env.sh; docs/python.md)"
echo "stop MLflow:  scripts/mlflow-server.sh stop"
