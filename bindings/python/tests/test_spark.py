"""The Spark job gives, byte for byte, what one serial `paradedup dedup --scope corpus` gives on
the same inputs in the same order (Spark local mode, two cores, several splits per file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import paradedup
from conftest import run_cli
from corpus import write_corpus
from paradedup.spark import discover, dedup_corpus, read_jsonl, write_jsonl


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(str(root), files=3, docs_per_file=200)
    return root


def spark_output(spark, inputs, out: Path, **kwargs) -> bytes:
    docs = read_jsonl(spark, [str(p) for p in inputs], split_bytes=20_000)
    write_jsonl(dedup_corpus(docs, **kwargs), str(out), single_file=True)
    return out.read_bytes()


def cli_output(cli, inputs, out: Path, *flags: str) -> bytes:
    # The Spark job removes every repeat: it has no short-paragraph rule yet.
    done = run_cli(
        cli, "dedup", "-q", "--scope", "corpus", "--short-paragraphs", "remove-every-repeat",
        *flags, "-o", str(out), *map(str, inputs),
    )
    assert done.returncode == 0, done.stderr
    return out.read_bytes()


CASES = {
    "plain": ({}, []),
    "boilerplate": ({"boilerplate": 4}, ["--boilerplate", "4"]),
    "boilerplate-keep-first": (
        {"boilerplate": 4, "boilerplate_policy": "keep_first"},
        ["--boilerplate", "4", "--boilerplate-policy", "keep-first"],
    ),
    "blocks-min-chars-drop-empty": (
        {"unit": "blank_lines", "min_chars": 12, "drop_empty": True, "fold_digits": True},
        ["--unit", "blank-lines", "--min-chars", "12", "--drop-empty", "--fold-digits"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_spark_equals_one_serial_pass(spark, cli, corpus, tmp_path, case):
    kwargs, flags = CASES[case]
    expected = cli_output(cli, [corpus], tmp_path / "cli.jsonl", *flags)
    got = spark_output(spark, [corpus], tmp_path / "spark.jsonl", **kwargs)
    assert got == expected
    # Not a vacuous match: the corpus lost paragraphs, and every line is a document.
    source = b"".join(Path(p).read_bytes() for p in discover([str(corpus)]))
    lines = [line for line in source.splitlines() if line.strip()]
    assert len(got) < 0.95 * len(source)
    out = got.splitlines()
    if "drop_empty" not in kwargs:
        assert len(out) == len(lines) == 600
        for before, after in zip(lines, out):
            assert json.loads(before)["id"] == json.loads(after)["id"]


def test_boilerplate_changes_the_answer(spark, cli, corpus, tmp_path):
    plain = cli_output(cli, [corpus], tmp_path / "a.jsonl")
    dropped = cli_output(cli, [corpus], tmp_path / "b.jsonl", "--boilerplate", "4")
    assert dropped != plain and len(dropped) < len(plain)


def test_files_in_the_order_given(spark, cli, corpus, tmp_path):
    files = list(reversed(discover([str(corpus)])))
    expected = cli_output(cli, files, tmp_path / "cli.jsonl")
    assert spark_output(spark, files, tmp_path / "spark.jsonl") == expected
    assert expected != cli_output(cli, [corpus], tmp_path / "forward.jsonl")


def test_bad_lines_fail_or_are_skipped_as_the_command_does(spark, cli, corpus, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    shard = discover([str(corpus)])[0]
    lines = Path(shard).read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(5, '{"id": "broken", "text": "unterminated\n')
    lines.insert(9, '{"id": "no text"}\n')
    (bad / "shard.jsonl").write_text("".join(lines), encoding="utf-8")
    expected = cli_output(cli, [bad], tmp_path / "cli.jsonl", "--skip-bad-lines")
    assert spark_output(spark, [bad], tmp_path / "spark.jsonl", skip_bad_lines=True) == expected
    with pytest.raises(Exception, match="a string is not closed"):
        spark_output(spark, [bad], tmp_path / "fails.jsonl")


def test_bad_arguments(spark):
    docs = read_jsonl(spark, [str(Path(__file__))])
    with pytest.raises(ValueError, match="scope must be 'corpus'"):
        dedup_corpus(docs, scope="document")
    with pytest.raises(ValueError, match="boilerplate must be an int from 1 up"):
        dedup_corpus(docs, boilerplate=0)
    with pytest.raises(ValueError, match="unit must be one of"):
        dedup_corpus(docs, unit="pages")
    with pytest.raises(FileNotFoundError, match="cannot read /no/such"):
        read_jsonl(spark, ["/no/such"])
    assert isinstance(paradedup.JsonlCodec(text_field="body"), paradedup.JsonlCodec)
