"""Type stubs of :mod:`paradedup.spark`."""

from typing import Any, List, Literal, Optional, Sequence

from pyspark.sql import DataFrame, SparkSession

def discover(paths: Sequence[str]) -> List[str]:
    """The JSON Lines files named by ``paths``, in the order the command reads them."""

def read_jsonl(spark: SparkSession, paths: Sequence[str], min_partitions: Optional[int] = None) -> DataFrame:
    """The corpus' lines with their order key: columns ``file``, ``pos``, ``value``."""

def dedup_corpus(
    docs: DataFrame,
    *,
    text_field: str = "text",
    id_field: str = "id",
    boilerplate: Optional[int] = None,
    boilerplate_policy: Literal["drop_all", "keep_first"] = "drop_all",
    drop_empty: bool = False,
    skip_bad_lines: bool = False,
    **options: Any,
) -> DataFrame:
    """Removes every paragraph that is not its fingerprint's first occurrence in the corpus."""

def write_jsonl(result: DataFrame, path: str, single_file: bool = False) -> None:
    """Writes the rewritten lines in corpus order."""

def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m paradedup.spark INPUT... -o OUTPUT``."""
