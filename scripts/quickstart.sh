#!/usr/bin/env bash
# One command from a fresh clone to a trained and evaluated model:
# build -> synthetic data -> train (dense autoencoder) -> score -> evaluate against labels.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$root/.work/quickstart"
mkdir -p "$work"
echo "== build (first run downloads libtorch via Maven, ~110 MB)"
mvn -B -q -ntp -DskipTests install
tsad="$root/scripts/tsad"
echo "== synth: 2000 normal training slices, 2000 test slices (10% anomalous), T=64"
"$tsad" synth --out "$work/data" --slices 2000 --length 64 --anomaly-rate 0.1 --seed 42
echo "== train: dense autoencoder, p99 threshold"
"$tsad" train --input "$work/data/train.csv" --model-out "$work/model" --arch dense --window 64 \
  --threshold p99 --seed 42 --rejects "$work/train-rejects.jsonl"
echo "== score test.csv"
"$tsad" score --model "$work/model" --input "$work/data/test.csv" --output "$work/scores.jsonl"
echo "== evaluate against labels"
"$tsad" evaluate --scores "$work/scores.jsonl" --labels "$work/data/labels.csv" --top 10
echo
echo "model bundle: $work/model (manifest.json is human-readable)"
echo "scores:       $work/scores.jsonl"
