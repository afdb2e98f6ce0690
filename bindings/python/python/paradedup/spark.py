"""Exact global paragraph dedup of a JSON Lines corpus on Apache Spark.

The same answer as one serial pass of ``paradedup dedup --scope corpus --short-paragraphs
remove-every-repeat`` (and of ``--boilerplate K``): the job removes every repeat, short ones
too; the command's default short-paragraph rule, which looks at a repeat's neighbours in its
document, is not applied here yet. Three stages:

1. **map**: for every document, each distinct paragraph fingerprint (128 bits, as two longs)
   with the document's order key ``(file, block, row)`` and the index of its first paragraph;
   exempt paragraphs (empty once normalized, or shorter than ``min_chars``) are left out, as
   the Rust deduper leaves them.
2. **reduce**: per fingerprint, the first occurrence (the smallest ``(file, block, row, paragraph)``)
   and the number of distinct documents holding it (for the boilerplate policy).
3. **apply**: per document, every non-exempt paragraph that is not the first occurrence of its
   fingerprint (or, with ``boilerplate=K`` and the ``drop_all`` policy, whose fingerprint is in
   K or more documents) is removed, and the JSON line is rewritten by the command's own Rust
   code, so every byte is the one the command writes.

The order key of a document is its input file's rank in the order given, the first byte of
its split and its rank in the split: the order the command reads lines in.

Usage::

    from pyspark.sql import SparkSession
    from paradedup.spark import read_jsonl, dedup_corpus, write_jsonl

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    docs = read_jsonl(spark, ["shard-000.jsonl", "shard-001.jsonl"])
    write_jsonl(dedup_corpus(docs, boilerplate=5), "out/")

or, from a shell, ``python -m paradedup.spark shard-*.jsonl -o out/ --boilerplate 5``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import Error, JsonlCodec

__all__ = ["discover", "read_jsonl", "dedup_corpus", "write_jsonl", "main"]

#: The order key of a line: its file's rank, its split's first byte, its rank in the split.
KEY = ["file", "block", "row"]

_CORPUS_EXTENSIONS = (".jsonl", ".ndjson", ".json")
_COMPRESSION_EXTENSIONS = (".gz",)


def _plain_name(name: str) -> str:
    name = name.lower()
    for ext in _COMPRESSION_EXTENSIONS:
        if name.endswith(ext):
            return name[: -len(ext)]
    return name


def discover(paths: Sequence[str]) -> List[str]:
    """The JSON Lines files named by ``paths``, in the order the command reads them.

    Files are kept as given; a directory is walked in name order (hidden entries skipped),
    picking up ``.jsonl``, ``.ndjson`` and ``.json`` files, optionally ``.gz``, exactly as
    ``paradedup dedup`` expands a directory. Paths with a URI scheme (``hdfs://``, ``s3a://``)
    are taken as files.
    """
    files: List[str] = []

    def walk(directory: str) -> None:
        for name in sorted(os.listdir(directory), key=os.fsencode):
            if name.startswith("."):
                continue
            path = os.path.join(directory, name)
            if os.path.isdir(path):
                walk(path)
            elif _plain_name(name).endswith(_CORPUS_EXTENSIONS):
                files.append(path)

    for path in paths:
        if "://" not in path and os.path.isdir(path):
            walk(path)
        elif "://" not in path and not os.path.exists(path):
            raise FileNotFoundError(f"cannot read {path}: no such file or directory")
        else:
            files.append(path)
    return files


def read_jsonl(spark: Any, paths: Sequence[str], split_bytes: Optional[int] = None) -> Any:
    """A DataFrame of the corpus' lines with their order key: ``file`` (int, the file's rank),
    ``block`` (long, where the line's split starts in the file), ``row`` (long, increasing
    along the split) and ``value`` (str, the line without its terminator).

    ``paths`` are expanded by :func:`discover`. Spark's own text reader reads the lines (no
    Python on this path); sorting by ``(file, block, row)`` gives them in the order the command
    reads them, however Spark packs the splits into partitions. ``split_bytes`` sets
    ``spark.sql.files.maxPartitionBytes`` (the split size) for this session.
    """
    from pyspark.sql import functions as F

    files = discover(paths)
    if not files:
        raise ValueError("no input files found (.jsonl, .ndjson or .json, optionally .gz)")
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    ranks = {}
    for rank, path in enumerate(files):
        hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
        uri = _local_uri(hadoop_path.getFileSystem(conf).makeQualified(hadoop_path).toUri().toString())
        if uri in ranks:
            raise ValueError(f"{path} is named twice among the inputs")
        ranks[uri] = rank
    if split_bytes is not None:
        spark.conf.set("spark.sql.files.maxPartitionBytes", str(split_bytes))
    rank_of = F.create_map(*[F.lit(x) for uri, rank in ranks.items() for x in (uri, rank)])
    file_path = F.regexp_replace(F.col("_metadata.file_path"), "^file:/+", "file:/")
    return spark.read.text(files).select(
        rank_of[file_path].cast("int").alias("file"),
        F.col("_metadata.file_block_start").alias("block"),
        F.monotonically_increasing_id().alias("row"),
        "value",
    )


def _local_uri(uri: str) -> str:
    """``file:///x`` and ``file:/x`` name the same file: Hadoop writes either."""
    if uri.startswith("file:"):
        return "file:/" + uri[len("file:") :].lstrip("/")
    return uri


def _codec(codec_args: dict) -> JsonlCodec:
    return JsonlCodec(**codec_args)


def _bad_line(file: int, block: int, error: Exception) -> Error:
    return Error(f"input file #{file} (rank in the order given), split at byte {block}: {error}")


def dedup_corpus(
    docs: Any,
    *,
    text_field: str = "text",
    id_field: str = "id",
    boilerplate: Optional[int] = None,
    boilerplate_policy: str = "drop_all",
    drop_empty: bool = False,
    skip_bad_lines: bool = False,
    **options: Any,
) -> Any:
    """Removes every paragraph of the corpus ``docs`` that is not its first occurrence.

    ``docs`` has columns ``file``, ``block``, ``row`` (the order key) and ``value`` (a JSON line), as
    :func:`read_jsonl` makes it. Returns a DataFrame with the same columns, ``value`` being the
    rewritten line; blank lines are left out (as the command leaves them out), and so are
    documents left with no paragraph when ``drop_empty``.

    ``boilerplate=K`` also removes every paragraph found in K or more documents
    (``boilerplate_policy="drop_all"``, CCNet's policy), or keeps only its first occurrence
    (``"keep_first"``, which in corpus scope is plain dedup). ``options`` are the settings of
    :class:`paradedup.Deduper` (unit, normalize, min_chars, the switches); ``scope`` can only
    be ``"corpus"``. A malformed line raises :class:`paradedup.Error` with the command's
    message, unless ``skip_bad_lines``.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import IntegerType, LongType, StringType, StructField, StructType

    if options.pop("scope", "corpus") != "corpus":
        raise ValueError("dedup_corpus deduplicates across the corpus: scope must be 'corpus'")
    if boilerplate is not None and (isinstance(boilerplate, bool) or not isinstance(boilerplate, int) or boilerplate < 1):
        raise ValueError(f"boilerplate must be an int from 1 up, got {boilerplate!r}")
    if boilerplate_policy not in ("drop_all", "keep_first"):
        raise ValueError(f"boilerplate_policy must be 'drop_all' or 'keep_first', got {boilerplate_policy!r}")
    codec_args = dict(options, text_field=text_field, id_field=id_field)
    _codec(codec_args)  # bad options fail here, on the driver, not in a task

    # 1. map: (hi, lo, file, block, row, para) for each distinct fingerprint of each document.
    def fingerprint_partition(rows: Iterable[Any]) -> Iterator[Tuple[int, int, int, int, int, int]]:
        codec = _codec(codec_args)
        for file, block, row, line in rows:
            try:
                found = codec.first_fingerprints(line)
            except Error as e:
                if skip_bad_lines:
                    continue
                raise _bad_line(file, block, e) from None
            if found is None:
                continue
            for hi, lo, para in found:
                yield (hi, lo, file, block, row, para)

    spark = docs.sparkSession
    occurrences = spark.createDataFrame(
        docs.rdd.mapPartitions(fingerprint_partition),
        StructType(
            [
                StructField("hi", LongType(), False),
                StructField("lo", LongType(), False),
                StructField("file", IntegerType(), False),
                StructField("block", LongType(), False),
                StructField("row", LongType(), False),
                StructField("para", IntegerType(), False),
            ]
        ),
    )

    # 2. reduce: per fingerprint, the first occurrence and the number of documents.
    firsts = occurrences.groupBy("hi", "lo").agg(
        F.min(F.struct(*KEY, "para")).alias("first"),
        F.count(F.lit(1)).alias("documents"),
    )
    if boilerplate is not None and boilerplate_policy == "drop_all":
        firsts = firsts.where(F.col("documents") < boilerplate)
    keep = (
        firsts.select(*[f"first.{k}" for k in KEY], "first.para")
        .groupBy(*KEY)
        .agg(F.collect_list("para").alias("keep"))
    )

    # 3. apply: each document keeps its first occurrences and its exempt paragraphs.
    def apply_partition(rows: Iterable[Any]) -> Iterator[Tuple[int, int, str]]:
        codec = _codec(codec_args)
        for file, block, row, line, kept in rows:
            try:
                done = codec.apply(line, kept or [])
            except Error as e:
                if skip_bad_lines:
                    continue
                raise _bad_line(file, block, e) from None
            if done is None:
                continue
            text, left = done
            if drop_empty and left == 0:
                continue
            yield (file, block, row, text)

    joined = docs.join(keep, KEY, "left").select(*KEY, "value", "keep")
    return spark.createDataFrame(
        joined.rdd.mapPartitions(apply_partition),
        StructType(
            [
                StructField("file", IntegerType(), False),
                StructField("block", LongType(), False),
                StructField("row", LongType(), False),
                StructField("value", StringType(), False),
            ]
        ),
    )


def write_jsonl(result: Any, path: str, single_file: bool = False) -> None:
    """Writes :func:`dedup_corpus`'s lines to the directory ``path`` in corpus order: the part
    files, taken in name order, are the command's output. With ``single_file`` (a local
    ``path`` only), they are then joined into the one file ``path``.
    """
    ordered = result.orderBy(*KEY).select("value")
    if not single_file:
        ordered.write.mode("error").text(path)
        return
    staging = path + ".parts"
    ordered.write.mode("error").text(staging)
    parts = sorted(n for n in os.listdir(staging) if n.startswith("part-"))
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        for name in parts:
            with open(os.path.join(staging, name), "rb") as part:
                shutil.copyfileobj(part, out)
    os.replace(tmp, path)
    shutil.rmtree(staging)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m paradedup.spark INPUT... -o OUTPUT``: the three-stage job from a shell."""
    parser = argparse.ArgumentParser(
        prog="paradedup-spark",
        description="Exact corpus-wide paragraph dedup of JSON Lines on Spark: the same output "
        "as `paradedup dedup --scope corpus` on the same inputs in the same order.",
    )
    parser.add_argument("inputs", nargs="+", help="JSON Lines files or directories, in order")
    parser.add_argument("-o", "--output", required=True, help="output directory (or file with --single-file)")
    parser.add_argument("--single-file", action="store_true", help="join the part files into one local file")
    parser.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: spark-submit's)")
    parser.add_argument("--split-mb", type=float, default=None, help="split size in MB (default: Spark's, 128)")
    parser.add_argument("--unit", choices=["lines", "blank-lines"], default="lines")
    parser.add_argument("--normalize", choices=["standard", "exact", "ccnet"], default="standard")
    parser.add_argument("--min-chars", type=int, default=0)
    for switch in ("strip-accents", "fold-digits", "drop-symbols"):
        parser.add_argument(f"--{switch}", action="store_true", default=None)
    parser.add_argument("--boilerplate", type=int, default=None, metavar="K")
    parser.add_argument("--boilerplate-policy", choices=["drop-all", "keep-first"], default="drop-all")
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--id-field", default="id")
    parser.add_argument("--drop-empty", action="store_true")
    parser.add_argument("--skip-bad-lines", action="store_true")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("paradedup")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        options = {
            "unit": args.unit,
            "normalize": args.normalize,
            "min_chars": args.min_chars,
            "strip_accents": args.strip_accents,
            "fold_digits": args.fold_digits,
            "drop_symbols": args.drop_symbols,
        }
        split = None if args.split_mb is None else int(args.split_mb * 1_000_000)
        docs = read_jsonl(spark, args.inputs, split)
        result = dedup_corpus(
            docs,
            text_field=args.text_field,
            id_field=args.id_field,
            boilerplate=args.boilerplate,
            boilerplate_policy=args.boilerplate_policy.replace("-", "_"),
            drop_empty=args.drop_empty,
            skip_bad_lines=args.skip_bad_lines,
            **options,
        )
        write_jsonl(result, args.output, single_file=args.single_file)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
