#!/usr/bin/env bash
# A local MLflow tracking server for tsad: installs a pinned mlflow into .work/venv-mlflow (once) and runs
# it on 127.0.0.1 with a sqlite backend store and served artifacts under the data directory.
#   scripts/mlflow-server.sh start  [--port P] [--data DIR]   waits until it answers; prints its URI
#   scripts/mlflow-server.sh stop   [--data DIR]              stops only the server this script started there
#   scripts/mlflow-server.sh status [--data DIR]
#   scripts/mlflow-server.sh install                          only installs mlflow
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MLFLOW_VERSION="3.17.2"
venv="$root/.work/venv-mlflow"
cmd="${1:-}"
shift || true
port=5000
data="$root/.work/mlflow"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "mlflow-server.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

install() {
  local stamp="$venv/.installed-mlflow-$MLFLOW_VERSION"
  if [[ -f "$stamp" ]]; then return 0; fi
  echo "mlflow-server.sh: installing mlflow $MLFLOW_VERSION into $venv (one time)" >&2
  python3 -m venv "$venv" || { echo "mlflow-server.sh: python3 -m venv failed (need Python 3.10+ with venv)" >&2; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check "mlflow==$MLFLOW_VERSION" >&2 \
    || { echo "mlflow-server.sh: pip install mlflow==$MLFLOW_VERSION failed" >&2; exit 1; }
  touch "$stamp"
}

pidfile() { echo "$data/mlflow-server.pid"; }

running() {
  local pf; pf="$(pidfile)"
  [[ -f "$pf" ]] && kill -0 "$(cat "$pf")" 2>/dev/null
}

case "$cmd" in
  install)
    install ;;
  start)
    install
    mkdir -p "$data"
    data="$(cd "$data" && pwd)"
    if running; then
      echo "mlflow-server.sh: already running (pid $(cat "$(pidfile)")) at $(cat "$data/mlflow-server.uri")" >&2
      cat "$data/mlflow-server.uri"
      exit 0
    fi
    uri="http://127.0.0.1:$port"
    # A server this script did not start here (another checkout's, or one whose data was deleted) would answer
    # the health check below in place of ours: refuse, rather than hand out another server's registry.
    if curl -sf "$uri/health" > /dev/null 2>&1; then
      echo "mlflow-server.sh: $uri already answers, but not from a server started here (no live pid in" \
        "$(pidfile)); stop that server or use --port (quickstart: TSAD_MLFLOW_PORT)" >&2
      exit 1
    fi
    # setsid: the server and its gunicorn/uvicorn workers form one process group that stop can end.
    setsid "$venv/bin/mlflow" server --backend-store-uri "sqlite:///$data/mlflow.db" \
      --artifacts-destination "$data/mlartifacts" --host 127.0.0.1 --port "$port" --workers 1 \
      > "$data/mlflow-server.log" 2>&1 < /dev/null &
    echo $! > "$(pidfile)"
    echo "$uri" > "$data/mlflow-server.uri"
    for _ in $(seq 1 120); do
      if curl -sf "$uri/health" > /dev/null 2>&1; then
        echo "$uri"
        exit 0
      fi
      if ! running; then
        echo "mlflow-server.sh: the server exited during start; last log lines:" >&2
        tail -20 "$data/mlflow-server.log" >&2
        exit 1
      fi
      sleep 0.5
    done
    echo "mlflow-server.sh: no answer from $uri after 60 s; log: $data/mlflow-server.log" >&2
    exit 1 ;;
  stop)
    if running; then
      pid="$(cat "$(pidfile)")"
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL -- "-$pid" 2>/dev/null || true
      rm -f "$(pidfile)"
      echo "mlflow-server.sh: stopped pid $pid" >&2
    else
      echo "mlflow-server.sh: not running (no live pid in $(pidfile))" >&2
    fi ;;
  status)
    if running; then echo "running pid $(cat "$(pidfile)") at $(cat "$data/mlflow-server.uri")"; else echo "stopped"; exit 3; fi ;;
  *)
    echo "usage: scripts/mlflow-server.sh start|stop|status|install [--port P] [--data DIR]" >&2; exit 2 ;;
esac
