#!/usr/bin/env bash
# Serving latency of a registered tsad model under `mlflow models serve --env-manager local`: trains a dense
# slice-mode model (T=64, one feature) on synthetic data, registers it on a throw-away MLflow server, serves
# models:/bench-serve@bench and measures POST /invocations (dataframe_split) for one slice and for a batch of
# 1,000 slices: p50 and p95 wall time, one request at a time. Everything it starts it stops.
#   scripts/bench-serve.sh [--slices N] [--single-repeats N] [--batch-repeats N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib/machine.sh"
slices=1000
single=200
batch=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --slices) slices="$2"; shift 2 ;;
    --single-repeats) single="$2"; shift 2 ;;
    --batch-repeats) batch="$2"; shift 2 ;;
    *) echo "bench-serve.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
venv="$(bash "$root/scripts/python-env.sh")"
work="$(mktemp -d /tmp/tsad-bench-serve.XXXXXX)"
free_port() { "$venv/bin/python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
serve_pid=""
cleanup() {
  if [[ -n "$serve_pid" ]]; then kill -TERM -- "-$serve_pid" 2>/dev/null || true; fi
  bash "$root/scripts/mlflow-server.sh" stop --data "$work/mlflow" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
machine_line
tracking="$(bash "$root/scripts/mlflow-server.sh" start --port "$(free_port)" --data "$work/mlflow")"
export MLFLOW_TRACKING_URI="$tracking"
tsad="$root/scripts/tsad"
"$tsad" synth --out "$work/data" --slices "$slices" --length 64 --seed 11 > /dev/null
"$tsad" train --input "$work/data/train.csv" --model-out "$work/model" --window 64 --epochs 5 --threads 1 --quiet \
  --tracking-uri "$tracking" --experiment bench-serve --register bench-serve --alias bench > /dev/null
port="$(free_port)"
# setsid: the CLI and its uvicorn workers are one process group that cleanup ends.
PATH="$venv/bin:$PATH" setsid "$venv/bin/mlflow" models serve -m models:/bench-serve@bench --env-manager local \
  --host 127.0.0.1 --port "$port" > "$work/serve.log" 2>&1 < /dev/null &
serve_pid=$!
for _ in $(seq 1 360); do
  curl -sf "http://127.0.0.1:$port/ping" > /dev/null 2>&1 && break
  kill -0 "$serve_pid" 2>/dev/null || { echo "bench-serve.sh: mlflow models serve exited:" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/ping" > /dev/null || { echo "bench-serve.sh: no answer from mlflow models serve in 180 s" >&2; exit 1; }
echo "mlflow models serve -m models:/bench-serve@bench --env-manager local (1 worker), dense T=64 F=1, per slice"
"$venv/bin/python" "$root/scripts/bench/serve_latency.py" "http://127.0.0.1:$port" "$work/data/test.csv" "$single" "$batch"
