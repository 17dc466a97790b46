#!/usr/bin/env bash
# Creates .work/venv-bench with PyTorch (CPU use only) for the Python reference benchmark. Idempotent.
# PyPI's Linux torch wheels depend on the CUDA runtime wheels (~3 GB in all); they are installed but unused.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.work/venv-bench"
torch_version="2.10.0"   # the libtorch version inside org.bytedeco:pytorch 2.10.0-1.5.13
stamp="$venv/.installed-torch-$torch_version"
if [[ -f "$stamp" ]]; then
  exit 0
fi
echo "setup-venv: installing torch $torch_version into $venv (one time, ~3 GB of wheels)" >&2
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "torch==$torch_version" numpy
"$venv/bin/python" -c "import torch; assert (torch.ones(2, 2) @ torch.ones(2, 2)).sum().item() == 8"
touch "$stamp"
