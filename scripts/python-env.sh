#!/usr/bin/env bash
# Creates the one Python venv tsad's Python side is tested with (the tsad_mlflow pyfunc loader, MLflow model
# serving, PySpark) and prints its path. Idempotent: a stamp file names the pinned versions, so a second run
# (or a fresh clone on the same machine) reuses the venv.
#   scripts/python-env.sh           installs if needed, prints the venv directory
#   scripts/python-env.sh --python  prints the venv's python executable instead
# The venv lives outside the clone, in ${TSAD_PYTHON_HOME:-$HOME/.cache/tsad}, because torch is large.
set -euo pipefail
TORCH_VERSION="2.10.0"     # the libtorch inside org.bytedeco:pytorch 2.10.0-1.5.13
MLFLOW_VERSION="3.17.2"    # the version scripts/mlflow-server.sh pins
PYSPARK_VERSION="4.3.0"
PANDAS_VERSION="3.1.1"
NUMPY_VERSION="2.4.6"
PROTOBUF_VERSION="7.36.2"
# torch's Linux wheel pulls the CUDA runtime wheels (~4 GB) although tsad scores on the CPU: without them
# `import torch` fails (torch/__init__.py preloads libcudart and libcublas), so they are installed, once.
stamp_name="torch-$TORCH_VERSION-mlflow-$MLFLOW_VERSION-pyspark-$PYSPARK_VERSION-pandas-$PANDAS_VERSION-numpy-$NUMPY_VERSION-protobuf-$PROTOBUF_VERSION"
stamp_id="$(printf '%s' "$stamp_name" | sha256sum | cut -c1-12)"
home="${TSAD_PYTHON_HOME:-$HOME/.cache/tsad}"
venv="$home/venv-py-$stamp_id"
stamp="$venv/.installed-$stamp_name"
show="$venv"
[[ "${1:-}" == "--python" ]] && show="$venv/bin/python"

if [[ -f "$stamp" ]]; then
  echo "$show"
  exit 0
fi
log="$home/venv-py-$stamp_id.log"
mkdir -p "$home"
fail() { echo "python-env.sh: $1 (log: $log)" >&2; exit 1; }
echo "python-env.sh: installing torch $TORCH_VERSION, mlflow $MLFLOW_VERSION, pyspark $PYSPARK_VERSION into $venv (one time, a few minutes)" >&2
rm -rf "$venv"
command -v python3 >/dev/null || fail "python3 is not installed (need Python 3.10+ with venv)"
python3 -m venv "$venv" > "$log" 2>&1 || fail "python3 -m venv failed (need Python 3.10+ with venv)"
pip=("$venv/bin/pip" install --disable-pip-version-check --progress-bar off)
"${pip[@]}" "torch==$TORCH_VERSION" >> "$log" 2>&1 || fail "pip install torch==$TORCH_VERSION failed"
"${pip[@]}" "mlflow==$MLFLOW_VERSION" "pyspark==$PYSPARK_VERSION" "pandas==$PANDAS_VERSION" \
  "numpy==$NUMPY_VERSION" "protobuf==$PROTOBUF_VERSION" >> "$log" 2>&1 \
  || fail "pip install mlflow==$MLFLOW_VERSION pyspark==$PYSPARK_VERSION pandas numpy protobuf failed"
"$venv/bin/python" -c "import torch, mlflow, pyspark, pandas, numpy, google.protobuf; assert (torch.ones(2, 2) @ torch.ones(2, 2)).sum().item() == 8" >> "$log" 2>&1 \
  || fail "the installed packages do not import"
touch "$stamp"
echo "$show"
