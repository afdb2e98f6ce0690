#!/usr/bin/env bash
# Corpus-scope dedup of a generated 256 MB web-like corpus: serial vs parallel, exact vs Bloom
# (and the default set with origins). Peak memory includes the corpus itself, held in memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Any CARGO_TARGET_DIR: ask cargo where the binaries go.
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
MB=${1:-256}
cargo build -q --release -p paradedup-measure --bin corpus_scale
echo "| seen-set | mode | input MB | MB/s | distinct paragraphs | seen-set bytes/entry | peak RSS MB | removed |"
echo "|---|---|---|---|---|---|---|---|"
for backend in exact bloom origins; do
  for mode in serial parallel; do
    "$TARGET"/release/corpus_scale "$backend" "$mode" "$MB"
  done
done
