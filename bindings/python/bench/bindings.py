"""Throughput of the Python bindings against the Rust library on the same documents, and of the
Spark job's map and apply stages per core.

    python bindings/python/bench/bindings.py            # bindings vs Rust, by document size
    python bindings/python/bench/bindings.py --stages C.jsonl  # + map/apply stages, MB/s per core
    python bindings/python/bench/bindings.py --threads  # + two Python threads, GIL released

The Rust figure comes from `dev/measure/src/bin/bindings_baseline.rs` (built here with cargo, release
profile), which runs `Deduper::dedup` over the very same documents. Each figure is the best of
several runs; the machine is shared, so run it twice and keep the better.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import paradedup

REPO = Path(__file__).resolve().parents[3]
ASCII = "le la les un une des the a of and to in paragraph corpus texte news article commentaires abonner"
WORDS = {
    # Only ASCII: CPython's str is its UTF-8, borrowed as is.
    "ascii": ASCII.split(),
    # French accents (Latin-1): CPython stores one byte a character and encodes UTF-8 once.
    "latin1": (ASCII + " données modèle déduplication réseau café naïve à été").split(),
    # Cyrillic and CJK in every text: two bytes a character in CPython, the worst case.
    "mixed": (ASCII + " données modèle déduplication réseau café naïve Москва 東京").split(),
}


def make_docs(size: int, total: int, seed: int = 1, script: str = "mixed") -> list:
    """Documents of about `size` bytes, `total` bytes in all: lines of 40-160 bytes, about one
    in five a repeat of an earlier line of the same document or a common boilerplate line."""
    rng = random.Random(seed)
    boiler = ["S'abonner", "0 Commentaires", "Lire aussi", "Partager cet article"]
    docs, made = [], 0
    while made < total:
        lines, n = [], 0
        while n < size:
            r = rng.random()
            if r < 0.1:
                line = rng.choice(boiler)
            elif r < 0.2 and lines:
                line = rng.choice(lines)
            else:
                line = " ".join(rng.choice(WORDS[script]) for _ in range(rng.randint(6, 24))).capitalize() + "."
            lines.append(line)
            n += len(line.encode()) + 1
        doc = "\n".join(lines)
        docs.append(doc)
        made += len(doc.encode())
    return docs


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def baseline_binary() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    subprocess.run(
        ["cargo", "build", "--quiet", "--release", "-p", "paradedup-measure", "--bin", "bindings_baseline"],
        cwd=REPO,
        check=True,
    )
    return target / "release" / "bindings_baseline"


def bindings_vs_rust(runs: int, total: int, script: str) -> None:
    """`Deduper.dedup` from Python against `Deduper::dedup` in Rust, document by document, in
    alternating rounds (the machine is shared: each side keeps its best round).

    "warm": the str objects were read before, so CPython has cached their UTF-8 form and the
    binding borrows it; "cold": fresh str objects (as `json.loads` makes them), so the time
    includes CPython encoding each text to UTF-8 once, which a non-ASCII str needs.
    """
    binary = baseline_binary()
    print(f"texts: {script}")
    print(f"{'doc size':>9} {'docs':>7} {'Rust MB/s':>10} {'Py warm':>8} {'overhead':>9} {'Py cold':>8} {'overhead':>9}")
    for size in (256, 1024, 4096, 16384, 65536):
        docs = make_docs(size, total, script=script)
        nbytes = sum(len(d.encode()) for d in docs)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".bin", delete=False) as f:
            f.write("\0".join(docs))
        rust = warm = cold = float("inf")

        def python_pass(texts):
            d = paradedup.Deduper()
            for doc in texts:
                d.dedup(doc)

        try:
            for _ in range(runs):
                done = subprocess.run([str(binary), f.name, "2"], capture_output=True, text=True, check=True)
                result = json.loads(done.stdout)
                assert result["bytes"] == nbytes and result["documents"] == len(docs)
                rust = min(rust, result["seconds"])
                warm = min(warm, best_of(2, lambda: python_pass(docs)))
                fresh = [d.encode().decode() for d in docs]
                started = time.perf_counter()
                python_pass(fresh)
                cold = min(cold, time.perf_counter() - started)
        finally:
            os.unlink(f.name)
        mbs = lambda t: nbytes / t / 1e6  # noqa: E731
        print(f"{size:>9} {len(docs):>7} {mbs(rust):>10.1f} {mbs(warm):>8.1f} {100 * (warm - rust) / rust:>8.1f}% "
              f"{mbs(cold):>8.1f} {100 * (cold - rust) / rust:>8.1f}%")


def stages(runs: int, corpus: str) -> None:
    """The Spark job's per-document work, on one core: map (fingerprints of a JSON line) and
    apply (the line rewritten with some paragraphs dropped), on the JSON lines of `corpus`."""
    with open(corpus, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    nbytes = sum(len(line.encode()) for line in lines)
    codec = paradedup.JsonlCodec()
    found = [codec.first_fingerprints(line) for line in lines]
    keeps = [[para for _, _, para in f][::2] for f in found]  # half the paragraphs go
    occurrences = sum(len(f) for f in found)

    def map_pass():
        for line in lines:
            codec.first_fingerprints(line)

    def apply_pass():
        for line, keep in zip(lines, keeps):
            codec.apply(line, keep)

    m = best_of(runs, map_pass)
    a = best_of(runs, apply_pass)
    print(f"stages: {len(lines)} JSON lines, {nbytes / 1e6:.1f} MB, {occurrences} (document, fingerprint) pairs, "
          f"{nbytes / occurrences:.0f} bytes of input per pair")
    print(f"  map   (JsonlCodec.first_fingerprints): {nbytes / m / 1e6:.1f} MB/s per core")
    print(f"  apply (JsonlCodec.apply):              {nbytes / a / 1e6:.1f} MB/s per core")


def threads(runs: int, total: int) -> None:
    docs = make_docs(4096, total, seed=3)
    nbytes = sum(len(d.encode()) for d in docs)
    half = len(docs) // 2

    def one(part):
        d = paradedup.Deduper()
        for doc in part:
            d.dedup(doc)

    serial = best_of(runs, lambda: one(docs))

    def two():
        ts = [threading.Thread(target=one, args=(p,)) for p in (docs[:half], docs[half:])]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    parallel = best_of(runs, two)
    print(f"threads: 1 thread {nbytes / serial / 1e6:.1f} MB/s, 2 threads {nbytes / parallel / 1e6:.1f} MB/s "
          f"(x{serial / parallel:.2f}; {os.cpu_count()} cores)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--script", choices=sorted(WORDS), action="append", help="kind of text (repeatable; default: all)")
    parser.add_argument("--mb", type=int, default=32, help="megabytes of documents per size")
    parser.add_argument("--stages", metavar="JSONL", help="also time the Spark stages on this corpus "
                        "(e.g. `cargo run --release -p paradedup-measure --bin make_corpus -- 64 > /tmp/c.jsonl`)")
    parser.add_argument("--threads", action="store_true")
    args = parser.parse_args()
    total = args.mb * 1_000_000
    for script in args.script or ["ascii", "latin1", "mixed"]:
        bindings_vs_rust(args.runs, total, script)
    if args.stages:
        stages(args.runs, args.stages)
    if args.threads:
        threads(args.runs, total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
