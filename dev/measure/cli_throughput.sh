#!/usr/bin/env bash
# Whole-process benchmark of the command: generates a web-like JSONL corpus (default 300 MB),
# compresses it with gzip and zstd, and runs `paradedup dedup` on each form with 1 and 2
# threads, printing MB/s of uncompressed input and the peak memory from /usr/bin/time -v.
#   bash dev/measure/cli_throughput.sh [MB] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
# Any CARGO_TARGET_DIR: ask cargo where the binaries go.
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
MB=${1:-300}
DIR=${2:-$(mktemp -d)}
mkdir -p "$DIR"
cargo build -q --release -p paradedup-measure --bin make_corpus
cargo build -q --release -p paradedup-cli
BIN="$TARGET"/release/paradedup
if [ ! -s "$DIR/corpus.jsonl" ]; then
  "$TARGET"/release/make_corpus "$MB" > "$DIR/corpus.jsonl"
  gzip -1 -c "$DIR/corpus.jsonl" > "$DIR/corpus.jsonl.gz"
  zstd -q -3 -c "$DIR/corpus.jsonl" > "$DIR/corpus.jsonl.zst"
fi
bytes=$(stat -c %s "$DIR/corpus.jsonl")
echo "corpus: $((bytes / 1000000)) MB of JSONL in $DIR"
echo "| input | options | threads | seconds | MB/s (uncompressed) | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for input in corpus.jsonl corpus.jsonl.gz corpus.jsonl.zst; do
  for opts in "" "--normalize exact" "--scope corpus"; do
    for threads in 1 2; do
      /usr/bin/time -v -o "$DIR/time.txt" "$BIN" dedup -q "$DIR/$input" -o "$DIR/out.jsonl" \
        --threads "$threads" $opts
      secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$DIR/time.txt")
      rss=$(awk -F': ' '/Maximum resident set size/ {print int($2/1000)}' "$DIR/time.txt")
      mbs=$(awk -v b="$bytes" -v s="$secs" 'BEGIN {printf "%.0f", b/1e6/s}')
      echo "| $input | ${opts:-default} | $threads | $secs | $mbs | $rss |"
    done
  done
done
