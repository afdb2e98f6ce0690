#!/usr/bin/env bash
# Whole-process benchmark of the command: `paradedup dedup` over real and generated JSON Lines
# corpora, plain, gzip and zstd (each written back in its own format: plain to plain, gz to gz,
# zst to zst), on 1 and 2 threads, the cases alternating so that the host's load falls on all
# of them alike; best run of each. Prints MB/s of uncompressed input per case and the ratios:
# 2 threads over 1, each compressed form over plain, the command over the library
# (dev/measure's library_jsonl: the same texts deduplicated in memory), and with a baseline
# binary, this build over it.
#
#   benches/command.sh [MB]
#
# Environment:
#   PARADEDUP_CORPORA     the real corpora (benches/corpora/fetch.sh); skipped when unset or absent
#   PARADEDUP_BENCH_MB    the generated corpus, in MB (300; the argument wins)
#   PARADEDUP_BENCH_DIR   where the inputs and outputs go (a new temporary directory); inputs
#                         already there are reused
#   PARADEDUP_BENCH_RUNS  runs of each case (3)
#   PARADEDUP_BENCH_FORMS the input forms ("jsonl gz zst")
#   PARADEDUP_BENCH_SMALL_FILES  also a directory of this many files of about 1 KB (0: none),
#                         into one output and mirrored
#   PARADEDUP_BASELINE    another paradedup binary, run alternately with this build (before/after)
#   PARADEDUP_BENCH_ARGS  more options for every run (e.g. "--scope corpus")
set -euo pipefail
cd "$(dirname "$0")/.."

MB=${1:-${PARADEDUP_BENCH_MB:-300}}
RUNS=${PARADEDUP_BENCH_RUNS:-3}
FORMS=${PARADEDUP_BENCH_FORMS:-jsonl gz zst}
SMALL=${PARADEDUP_BENCH_SMALL_FILES:-0}
BASELINE=${PARADEDUP_BASELINE:-}
read -r -a EXTRA <<< "${PARADEDUP_BENCH_ARGS:-}"
DIR=${PARADEDUP_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$DIR"

# The binaries, wherever CARGO_TARGET_DIR puts them: cargo names each executable it built.
executable() { # PACKAGE BIN
  cargo build -q --release -p "$1" --bin "$2" --message-format=json |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == sys.argv[1]:
        print(m["executable"])' "$2"
}
BIN=$(executable paradedup-cli paradedup)
MAKE_CORPUS=$(executable paradedup-measure make_corpus)
LIBRARY=$(executable paradedup-measure library_jsonl)
echo "command: $BIN${BASELINE:+ (baseline: $BASELINE)}; work directory: $DIR; best of $RUNS runs"

SIDES=(new)
[ -n "$BASELINE" ] && SIDES=(base new)
side_bin() { if [ "$1" = base ]; then echo "$BASELINE"; else echo "$BIN"; fi; }

# The corpora: name and plain file.
CORPORA=()
if [ -n "${PARADEDUP_CORPORA:-}" ] && [ -d "$PARADEDUP_CORPORA" ]; then
  for file in "$PARADEDUP_CORPORA"/*.jsonl; do
    [ -s "$file" ] || continue
    name=$(basename "$file" .jsonl)
    [ "$name" = git-mail ] && continue # 0.1 MB: timing noise only
    CORPORA+=("$name")
    [ -s "$DIR/$name.jsonl" ] || cp "$file" "$DIR/$name.jsonl"
  done
else
  echo "no real corpora (set PARADEDUP_CORPORA to benches/corpora/fetch.sh's directory)"
fi
GENERATED="generated-${MB}MB"
if [ ! -s "$DIR/$GENERATED.jsonl" ]; then
  "$MAKE_CORPUS" "$MB" > "$DIR/$GENERATED.jsonl.part"
  mv "$DIR/$GENERATED.jsonl.part" "$DIR/$GENERATED.jsonl"
fi
CORPORA+=("$GENERATED")
for name in "${CORPORA[@]}"; do
  [ -s "$DIR/$name.jsonl.gz" ] || gzip -6 -c "$DIR/$name.jsonl" > "$DIR/$name.jsonl.gz"
  [ -s "$DIR/$name.jsonl.zst" ] || zstd -q -3 -c "$DIR/$name.jsonl" > "$DIR/$name.jsonl.zst"
done

# Seconds of one run of `paradedup dedup`, to stdout.
timed() { # BIN ARGS...
  local bin=$1 start end
  shift
  start=$EPOCHREALTIME
  "$bin" dedup -q "$@" "${EXTRA[@]}"
  end=$EPOCHREALTIME
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f\n", b - a}'
}
suffix() { case $1 in jsonl) echo .jsonl ;; gz) echo .jsonl.gz ;; zst) echo .jsonl.zst ;; esac; }

declare -A BEST
best() { # KEY SECONDS
  local old=${BEST[$1]:-}
  if [ -z "$old" ] || awk -v n="$2" -v o="$old" 'BEGIN {exit !(n < o)}'; then BEST[$1]=$2; fi
}
for ((run = 1; run <= RUNS; run++)); do
  for name in "${CORPORA[@]}"; do
    for form in $FORMS; do
      ext=$(suffix "$form")
      for threads in 1 2; do
        for side in "${SIDES[@]}"; do
          s=$(timed "$(side_bin "$side")" "$DIR/$name$ext" -o "$DIR/out$ext" --threads "$threads")
          best "$name $form $threads $side" "$s"
        done
      done
    done
  done
done

mbs() { # FILE SECONDS
  awk -v b="$(stat -c %s "$1")" -v s="$2" 'BEGIN {printf "%.0f", b / 1e6 / s}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "?"}'; }

echo
echo "MB/s of uncompressed input, best of $RUNS; the output in the input's format"
header="| corpus | MB | form | threads |"
rule="|---|---|---|---|"
for side in "${SIDES[@]}"; do header+=" $side MB/s |"; rule+="---|"; done
header+=" 2 threads ÷ 1 | form ÷ plain |"
rule+="---|---|"
[ -n "$BASELINE" ] && { header+=" new ÷ base |"; rule+="---|"; }
echo "$header"
echo "$rule"
for name in "${CORPORA[@]}"; do
  plain="$DIR/$name.jsonl"
  size=$(awk -v b="$(stat -c %s "$plain")" 'BEGIN {printf "%.0f", b / 1e6}')
  for form in $FORMS; do
    for threads in 1 2; do
      row="| $name | $size | $form→$form | $threads |"
      for side in "${SIDES[@]}"; do row+=" $(mbs "$plain" "${BEST[$name $form $threads $side]}") |"; done
      new1=$(mbs "$plain" "${BEST[$name $form 1 new]}")
      new=$(mbs "$plain" "${BEST[$name $form $threads new]}")
      row+=" $(ratio "$new" "$new1") |"
      plain_new=${BEST[$name jsonl $threads new]:-}
      if [ -n "$plain_new" ]; then row+=" $(ratio "$new" "$(mbs "$plain" "$plain_new")") |"; else row+=" |"; fi
      if [ -n "$BASELINE" ]; then
        row+=" $(ratio "$new" "$(mbs "$plain" "${BEST[$name $form $threads base]}")") |"
      fi
      echo "$row"
    done
  done
done

if [[ " $FORMS " == *" jsonl "* ]]; then
  echo
  echo "The command on plain JSON Lines against the library on the same texts in memory"
  echo "| corpus | threads | library MB/s | command MB/s | command ÷ library |"
  echo "|---|---|---|---|---|"
  for name in "${CORPORA[@]}"; do
    plain="$DIR/$name.jsonl"
    for threads in 1 2; do
      lib=$("$LIBRARY" "$plain" "$threads" "$RUNS")
      cmd=$(mbs "$plain" "${BEST[$name jsonl $threads new]}")
      echo "| $name | $threads | $lib | $cmd | $(ratio "$cmd" "$lib") |"
    done
  done
fi

if [ "$SMALL" -gt 0 ]; then
  # A directory of small files, each a few documents of the generated corpus cut to about
  # 1 KB of JSON Lines.
  small="$DIR/small-$SMALL"
  if [ ! -d "$small" ]; then
    python3 - "$DIR/$GENERATED.jsonl" "$small.part" "$SMALL" <<'EOF'
import json, os, sys
source, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out)
with open(source, encoding="utf-8") as lines:
    for i in range(count):
        doc = json.loads(next(lines))
        doc["text"] = doc["text"][:900]
        with open(os.path.join(out, f"{i:06}.jsonl"), "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
EOF
    mv "$small.part" "$small"
  fi
  echo
  echo "A directory of $SMALL files of about 1 KB: seconds, best of $RUNS"
  header="| output |"
  rule="|---|"
  for side in "${SIDES[@]}"; do header+=" $side s | $side files/s |"; rule+="---|---|"; done
  echo "$header"
  echo "$rule"
  for output in one mirrored; do
    for ((run = 1; run <= RUNS; run++)); do
      for side in "${SIDES[@]}"; do
        rm -rf "$DIR/small-out"
        if [ "$output" = one ]; then target="$DIR/small-out.jsonl"; else target="$DIR/small-out/"; fi
        best "small $output $side" "$(timed "$(side_bin "$side")" "$small" -o "$target")"
      done
    done
    row="| $output |"
    for side in "${SIDES[@]}"; do
      s=${BEST[small $output $side]}
      row+=" $s | $(awk -v n="$SMALL" -v s="$s" 'BEGIN {printf "%.0f", n / s}') |"
    done
    echo "$row"
  done
  rm -rf "$DIR/small-out" "$DIR/small-out.jsonl"
fi
rm -f "$DIR"/out.jsonl "$DIR"/out.jsonl.gz "$DIR"/out.jsonl.zst
