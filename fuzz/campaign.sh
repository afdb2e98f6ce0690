#!/usr/bin/env bash
# The fuzz campaign: each target in turn for SECONDS seconds (default 600) or 10 million
# executions, whichever comes first, one at a time and at low priority. Prints, per target, the
# executions, the time, the coverage (edges) and the corpus size from libFuzzer's last line.
#
#   bash fuzz/campaign.sh            # 10 minutes a target: the figures in docs/testing.md
#   bash fuzz/campaign.sh 30         # the CI smoke run
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly compiler, or the stable one with
# RUSTC_BOOTSTRAP=1, which this script sets. A crash stops that target, leaves the input in
# fuzz/artifacts/<target>/ and makes the script exit non-zero after the other targets ran; check
# it into fuzz/regressions/<target>/ so `cargo test` replays it forever.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
runs=${RUNS:-10000000}
targets=${TARGETS:-"split normalize dedup_docs jsonl seen_file"}
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
mkdir -p logs
# Exit code 3: the targets did not build (say, no address sanitizer here: FUZZ_FLAGS="-s none").
nice -n 10 cargo fuzz build ${FUZZ_FLAGS:-} || exit 3
failed=0
for t in $targets; do
  mkdir -p "corpus/$t"
  start=$(date +%s)
  # The regression inputs seed the corpus, so a fixed bug stays fixed under the fuzzer too.
  seeds=()
  [ -d "regressions/$t" ] && seeds+=("regressions/$t")
  nice -n 10 cargo fuzz run ${FUZZ_FLAGS:-} "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -runs="$runs" -dict=fuzz.dict -print_final_stats=1 \
    >"logs/$t.log" 2>&1
  status=$?
  elapsed=$(( $(date +%s) - start ))
  last=$(grep -E '^#[0-9]+' "logs/$t.log" | tail -1)
  execs=$(grep -E '^stat::number_of_executed_units' "logs/$t.log" | awk '{print $2}')
  printf '%-11s status=%s executions=%s wall=%ss last: %s\n' "$t" "$status" "${execs:-?}" "$elapsed" "$last"
  [ "$status" -eq 0 ] || failed=1
done
exit $failed
