#!/usr/bin/env bash
# Corpus-scope dedup of a generated 256 MB web-like corpus: serial vs parallel, exact vs Bloom
# (and the default set with origins). Peak memory includes the corpus itself, held in memory.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-256}
cargo build -q --release --features rayon --example corpus_scale
echo "| seen-set | mode | input MB | MB/s | distinct paragraphs | seen-set bytes/entry | peak RSS MB | removed |"
echo "|---|---|---|---|---|---|---|---|"
for backend in exact bloom origins; do
  for mode in serial parallel; do
    target/release/examples/corpus_scale "$backend" "$mode" "$MB"
  done
done
