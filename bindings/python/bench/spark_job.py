"""The Spark job end to end on Spark local mode: wall time, throughput, and the bytes each
stage shuffles (from Spark's event log), for the scaling estimate in docs/spark.md ("Cost at
scale").

    cargo run --release -p paradedup-measure --bin make_corpus -- 64 > /tmp/corpus.jsonl
    python bindings/python/bench/spark_job.py /tmp/corpus.jsonl --master 'local[2]'
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict

import paradedup
from paradedup.spark import dedup_corpus, read_jsonl, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--split-mb", type=float, default=None)
    parser.add_argument("--boilerplate", type=int, default=None)
    args = parser.parse_args()

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    work = tempfile.mkdtemp(prefix="paradedup-spark-bench-")
    events = os.path.join(work, "events")
    os.makedirs(events)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("paradedup-bench")
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", "file://" + events)
        .config("spark.eventLog.compress", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    size = sum(os.path.getsize(p) for p in args.corpus)
    started = time.perf_counter()
    docs = read_jsonl(spark, args.corpus, None if args.split_mb is None else int(args.split_mb * 1e6))
    write_jsonl(dedup_corpus(docs, boilerplate=args.boilerplate), os.path.join(work, "out"))
    seconds = time.perf_counter() - started
    out = sum(os.path.getsize(p) for p in glob.glob(os.path.join(work, "out", "part-*")))
    spark.stop()

    # Count paragraphs and distinct (document, fingerprint) pairs on the driver, for per-paragraph figures.
    codec = paradedup.JsonlCodec()
    pairs = paragraphs = 0
    for path in args.corpus:
        with open(path, encoding="utf-8") as f:
            for line in f:
                found = codec.first_fingerprints(line)
                if found:
                    pairs += len(found)
                    paragraphs += len(paradedup.fingerprints(json.loads(line)["text"]))

    shuffled = defaultdict(int)
    runtime = defaultdict(int)
    read = defaultdict(int)
    names = {}
    for log in glob.glob(os.path.join(events, "**", "*"), recursive=True):
        if os.path.isdir(log):
            continue
        with open(log) as f:
            for line in f:
                event = json.loads(line)
                if event.get("Event") == "SparkListenerStageSubmitted":
                    info = event["Stage Info"]
                    names[info["Stage ID"]] = info["Stage Name"]
                if event.get("Event") == "SparkListenerTaskEnd" and event.get("Task Metrics"):
                    metrics = event["Task Metrics"]
                    shuffled[event["Stage ID"]] += metrics["Shuffle Write Metrics"]["Shuffle Bytes Written"]
                    read[event["Stage ID"]] += metrics["Shuffle Read Metrics"]["Remote Bytes Read"] + metrics["Shuffle Read Metrics"]["Local Bytes Read"]
                    runtime[event["Stage ID"]] += metrics["Executor Run Time"]
    shutil.rmtree(work)
    total = sum(shuffled.values())
    print(f"input {size / 1e6:.1f} MB, output {out / 1e6:.1f} MB, {paragraphs} paragraphs, "
          f"{pairs} distinct (document, fingerprint) pairs")
    print(f"wall {seconds:.1f} s on {args.master}: {size / seconds / 1e6:.2f} MB/s")
    for stage in sorted(runtime):
        print(f"  stage {stage}: {runtime[stage] / 1000:.1f} core-s, shuffle read {read[stage] / 1e6:.1f} MB, "
              f"written {shuffled[stage] / 1e6:.1f} MB")
    print(f"core-seconds in all: {sum(runtime.values()) / 1000:.1f} "
          f"({size / (sum(runtime.values()) / 1000) / 1e6:.2f} MB per core-second)")
    print(f"shuffled in all: {total / 1e6:.1f} MB = {total / size:.2f} x the input, "
          f"{total / paragraphs:.0f} bytes per paragraph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
