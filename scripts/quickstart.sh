#!/usr/bin/env bash
# One command from a fresh clone to a tracked, registered and evaluated model:
# build -> local MLflow server -> synthetic data -> train (registered as version N, alias champion)
# -> score with models:/tsad-quickstart@champion -> evaluate against labels -> where to look.
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
echo "== train: dense autoencoder, p99 threshold; tracked in MLflow and registered with alias champion"
"$tsad" train --input "$work/data/train.csv" --model-out "$work/model" --arch dense --window 64 \
  --threshold p99 --seed 42 --rejects "$work/train-rejects.jsonl" \
  --experiment tsad-quickstart --register tsad-quickstart --alias champion
echo "== score test.csv with models:/tsad-quickstart@champion"
"$tsad" score --model models:/tsad-quickstart@champion --input "$work/data/test.csv" --output "$work/scores.jsonl"
echo "== evaluate against labels"
"$tsad" evaluate --scores "$work/scores.jsonl" --labels "$work/data/labels.csv" --top 10
echo
echo "MLflow UI:    $MLFLOW_TRACKING_URI  (experiment tsad-quickstart: params, loss curves, plots, model versions)"
echo "model bundle: $work/model (manifest.json is human-readable)"
echo "scores:       $work/scores.jsonl"
echo "stop MLflow:  scripts/mlflow-server.sh stop"
