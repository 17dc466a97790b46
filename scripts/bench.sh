#!/usr/bin/env bash
# Throughput benchmark: tsad (Java, libtorch via JavaCPP) against the same models and loop in Python
# PyTorch, in one run on this machine. Prints a table with Java/Python and Java/bare-forward ratios.
# Usage: scripts/bench.sh [--seconds S]   (default 3 s per measurement; about 5-8 minutes in all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=3
if [[ "${1:-}" == "--seconds" ]]; then seconds="$2"; fi
out="$root/.work/bench"
mkdir -p "$out"
"$root/scripts/bench/setup-venv.sh"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
source "$root/scripts/lib/machine.sh"
echo "== $(machine_line)"
echo "== java (tsad bench)"
"$root/scripts/tsad" bench --seconds "$seconds" --out "$out/java.jsonl" > /dev/null
echo "== python (torch $("$root/.work/venv-bench/bin/python" -c 'import torch; print(torch.__version__)'))"
"$root/.work/venv-bench/bin/python" "$root/scripts/bench/bench_torch.py" --seconds "$seconds" --out "$out/python.jsonl" > /dev/null
echo
python3 "$root/scripts/bench/compare.py" "$out/java.jsonl" "$out/python.jsonl" --md "$out/table.md"
echo
echo "raw: $out/java.jsonl $out/python.jsonl; markdown: $out/table.md"
