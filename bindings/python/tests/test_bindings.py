"""The Python bindings: the seeds give the Rust results, options and errors are checked, odd
input fails cleanly, seen-sets round-trip with the command, and the GIL is released."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import paradedup
from conftest import SEEDS, run_cli

ARTICLE_000 = (SEEDS[0]).read_text(encoding="utf-8")
ARTICLE_001 = (SEEDS[1]).read_text(encoding="utf-8")
REPEATS_000 = [4, 5, 10, 11, 12]


def without_lines(text: str, drop: list) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(line for i, line in enumerate(lines) if i + 1 not in drop)


# --- the seeds, as tests/seeds.rs states the Rust results ---------------------------------


def test_article_000_loses_exactly_its_five_repeated_lines():
    d = paradedup.Deduper()
    verdicts = d.verdicts(ARTICLE_000)
    removed = [(v.index, v.first[1]) for v in verdicts if v.removed]
    assert removed == [(3, 1), (4, 2), (9, 6), (10, 7), (11, 8)]
    starts = [ARTICLE_000[v.start : v.end][:12] for v in verdicts if v.removed]
    assert starts == ['"Comme toujo', "Cependant, M", "Moscou appel", "Depuis le d\u00e9", "Washington e"]
    assert (d.stats["paragraphs"], d.stats["duplicates"]) == (14, 5)
    expected = without_lines(ARTICLE_000, REPEATS_000)
    assert paradedup.dedup(ARTICLE_000) == expected
    assert paradedup.dedup(ARTICLE_000, normalize="exact") == expected


def test_removed_paragraph_bytes_are_the_removed_texts_in_utf8():
    d = paradedup.Deduper(scope="corpus")
    removed = 0
    for text in (ARTICLE_000, ARTICLE_001, ARTICLE_000):
        removed += sum(
            len(text[v.start : v.end].encode("utf-8")) for v in d.verdicts(text) if v.removed
        )
    assert removed > 0
    assert d.stats["removed_paragraph_bytes"] == removed
    assert removed < d.stats["bytes_in"] - d.stats["bytes_out"]


def test_article_001_loses_nothing_and_is_returned_as_is():
    for normalize in ("exact", "standard"):
        out = paradedup.dedup(ARTICLE_001, normalize=normalize)
        assert out == ARTICLE_001
        assert out is ARTICLE_001  # nothing removed: the same object, no copy
    assert len(paradedup.fingerprints(ARTICLE_001)) == 23


def test_blank_line_unit_on_the_seeds():
    assert len(paradedup.fingerprints(ARTICLE_000, unit="blank_lines")) == 1
    blocks = paradedup.fingerprints(ARTICLE_001, unit="blank_lines")
    assert len(blocks) == 11
    second = ARTICLE_001[blocks[1].start : blocks[1].end]
    assert second.startswith("\u00a9 Flickr") and second.endswith("Etat islamique.")
    doubled = ARTICLE_001 + "\n\n" + ARTICLE_001
    assert paradedup.dedup(doubled, unit="blank_lines") == ARTICLE_001 + "\n\n"


def test_corpus_scope_over_both_articles():
    d = paradedup.Deduper(scope="corpus")
    assert d.dedup(ARTICLE_000) == without_lines(ARTICLE_000, REPEATS_000)
    assert d.dedup(ARTICLE_001) == ARTICLE_001
    again = d.verdicts(ARTICLE_001)
    assert all(v.status == "duplicate" and v.first == (1, v.index) for v in again)


OPTION_SETS = [
    ({}, []),
    ({"normalize": "exact"}, ["--normalize", "exact"]),
    ({"normalize": "ccnet"}, ["--normalize", "ccnet"]),
    ({"unit": "blank_lines", "min_chars": 30}, ["--unit", "blank-lines", "--min-chars", "30"]),
    ({"fold_digits": True, "strip_accents": True, "punctuation": False}, ["--fold-digits", "--strip-accents", "--no-punctuation"]),
    ({"near_dup": True}, ["--near-dup"]),
    ({"near_dup": True, "near_threshold": 0.5, "near_shingles": "chars:5"}, ["--near-dup", "--near-threshold", "0.5", "--near-shingles", "chars:5"]),
]


@pytest.mark.parametrize("options,flags", OPTION_SETS)
def test_seeds_give_the_commands_results(cli, tmp_path, options, flags):
    # Each seed alone, and the two seeds plus a doubled copy as one corpus, in both scopes.
    doubled = tmp_path / "in" / "002_doubled.txt"
    doubled.parent.mkdir()
    for seed in SEEDS:
        (tmp_path / "in" / seed.name).write_bytes(seed.read_bytes())
    doubled.write_text(ARTICLE_000 + ARTICLE_000 + "\n\n" + ARTICLE_001 + "\n\n" + ARTICLE_001, encoding="utf-8")
    inputs = sorted((tmp_path / "in").iterdir())
    for scope in ("document", "corpus"):
        out = tmp_path / f"out-{scope}"
        done = run_cli(cli, "dedup", "-q", "--scope", scope, *flags, "-o", f"{out}/", *map(str, inputs))
        assert done.returncode == 0, done.stderr
        d = paradedup.Deduper(scope=scope, **options)
        removed = 0
        for path in inputs:
            text = path.read_text(encoding="utf-8")
            mine = d.dedup(text)
            assert mine == (out / path.name).read_text(encoding="utf-8"), (scope, path.name)
            removed += len(text) - len(mine)
        assert removed > 0  # the doubled file repeats the seeds


# --- fingerprints ---------------------------------------------------------------------------


def test_golden_fingerprints():
    # The values pinned by tests/normalization.rs (xxh3-128, seed "paradedu").
    golden = {
        "hello world": "3fb0f2de1bab5274905b340e870fa6eb",
        "comme toujours": "37eeb60ce3544767316daa2d57697cf3",
        "0 commentaires": "0b50fd6297057a2d70d7ca0f1c3238eb",
    }
    for text, hexa in golden.items():
        (p,) = paradedup.fingerprints(text, normalize="exact")
        hi, lo = p.fingerprint
        assert f"{hi:016x}{lo:016x}" == hexa
        assert p.fingerprint_bytes == bytes.fromhex(hexa)
    (p,) = paradedup.fingerprints("S'abonner")
    assert p.fingerprint == (0x874E313CAD7450BE, 0x5C06304FA2CF7CD3)
    assert paradedup.SEED == 0x7061726164656475


def test_fingerprint_spans_in_code_points_and_bytes():
    text = "  Caf\u00e9 \U0001F600!\r\n\n***\n\u6771\u4eac \u2014 Tokyo\u2029caf\u00e9 \U0001F600"
    paras = paradedup.fingerprints(text)
    raw = text.encode("utf-8")
    assert [text[p.start : p.end] for p in paras] == ["Caf\u00e9 \U0001F600!", "***", "\u6771\u4eac \u2014 Tokyo", "caf\u00e9 \U0001F600"]
    for p in paras:
        assert raw[p.byte_start : p.byte_end].decode("utf-8") == text[p.start : p.end]
    assert [p.index for p in paras] == [0, 1, 2, 3]
    assert paras[1].exempt and paras[1].fingerprint is None and paras[1].fingerprint_bytes is None
    # Equal once normalized, so the same fingerprint; min_chars makes short ones exempt.
    assert paras[0].fingerprint == paras[3].fingerprint
    assert all(p.exempt for p in paradedup.fingerprints(text, min_chars=50))
    assert paradedup.normalize("  \u00abComme   TOUJOURS\u2026\u00bb ") == "comme toujours"


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        ({"unit": "para"}, ValueError, "unit must be one of 'lines', 'blank_lines', got \"para\""),
        ({"scope": "global"}, ValueError, "scope must be one of 'document', 'corpus'"),
        ({"normalize": 3}, TypeError, "normalize must be a str, not int"),
        ({"min_chars": -1}, ValueError, "min_chars must be an int from 0 up, got -1"),
        ({"min_chars": "3"}, TypeError, "min_chars must be an int, not str"),
        ({"fold_digits": "yes"}, TypeError, "fold_digits must be True or False, not str"),
        ({"normalize": "ccnet", "fold_digits": True}, ValueError, "takes no switch (got fold_digits)"),
        ({"colour": "red"}, TypeError, 'unexpected keyword argument "colour"'),
        ({"seen": paradedup.SeenSet()}, ValueError, "seen needs scope='corpus'"),
        ({"scope": "corpus", "seen": "x"}, TypeError, "seen must be a SeenSet, not str"),
        ({"min_documents": 3}, ValueError, "need boilerplate"),
        ({"near_threshold": 0.5}, ValueError, "need near_dup=True"),
        ({"near_dup": True, "near_threshold": 1.5}, ValueError, "near_threshold must be in (0, 1], got 1.5"),
        ({"near_dup": True, "near_shingles": "words:40"}, ValueError, "near_shingles must be 'words:N' (N from 1 to 16)"),
        ({"boilerplate": paradedup.DocumentFrequency(), "min_documents": 0}, ValueError, "min_documents must be an int from 1 up"),
        ({"boilerplate": paradedup.DocumentFrequency(normalize="exact")}, ValueError, "counted under other settings"),
    ],
)
def test_bad_arguments_raise_clear_exceptions(kwargs, error, message):
    with pytest.raises(error) as raised:
        paradedup.Deduper(**kwargs)
    assert message in str(raised.value)


def test_bad_seen_set_arguments():
    with pytest.raises(paradedup.Error, match="false-positive rate must be between 0 and 1, not 1.5"):
        paradedup.SeenSet.bloom(1000, 1.5)
    with pytest.raises(ValueError, match="kind must be one of 'origins', 'exact'"):
        paradedup.SeenSet("bloom")
    assert issubclass(paradedup.Error, ValueError)


# --- odd input: clear exceptions, no crash ---------------------------------------------------


def test_lone_surrogates_raise_unicode_errors():
    bad = "fine\nnot \ud800 fine\n"
    for call in (
        lambda: paradedup.dedup(bad),
        lambda: paradedup.fingerprints(bad),
        lambda: paradedup.Deduper().dedup(bad),
        lambda: paradedup.Deduper().verdicts(bad),
        lambda: paradedup.Deduper().dedup_batch(["ok", bad]),
        lambda: paradedup.DocumentFrequency().count(bad),
        lambda: paradedup.JsonlCodec().first_fingerprints(bad),
    ):
        with pytest.raises(UnicodeEncodeError) as raised:
            call()
        assert "surrogates not allowed" in str(raised.value)
        assert isinstance(raised.value, ValueError)
    # The deduper is still usable after the error.
    d = paradedup.Deduper(scope="corpus", short_paragraphs="remove_every_repeat")
    with pytest.raises(UnicodeEncodeError):
        d.dedup(bad)
    assert d.dedup("a\na") == "a\n"
    # By default a short repeat alone in its document is structure, and stays.
    assert paradedup.Deduper().dedup("a\na") == "a\na"


@pytest.mark.parametrize("value", [b"bytes", None, 12, ["a"]])
def test_non_strings_raise_type_errors(value):
    with pytest.raises(TypeError, match="text must be a str, not"):
        paradedup.dedup(value)
    with pytest.raises(TypeError):
        paradedup.Deduper().dedup_batch([value])


def test_hard_texts_are_handled():
    for text in ["", "\n" * 100_000, "\u2029" * 1000, "\x00a\x00\na\x00", "x\r\ny\rx\r\n"]:
        out = paradedup.dedup(text)
        assert isinstance(out, str) and len(out) <= len(text)
    assert paradedup.dedup("x\r\ny\rx\r\n", short_paragraphs="remove_every_repeat") == "x\r\ny\r"
    big = "Une ligne r\u00e9p\u00e9t\u00e9e.\n" * 200_000
    assert paradedup.dedup(big) == "Une ligne r\u00e9p\u00e9t\u00e9e.\n"


def test_malformed_json_lines_give_the_commands_message(cli, tmp_path):
    codec = paradedup.JsonlCodec()
    for line in ['{"text": "a"', '{"text": 3}', '{"id": 1}', '{"text": "\\ud800"}', "[1]"]:
        path = tmp_path / "bad.jsonl"
        path.write_text(line + "\n", encoding="utf-8")
        done = run_cli(cli, "dedup", "-q", "-o", str(tmp_path / "out.jsonl"), str(path))
        assert done.returncode != 0
        with pytest.raises(paradedup.Error) as raised:
            codec.first_fingerprints(line)
        # The command says "paradedup: FILE: line 1: PROBLEM".
        assert done.stderr.strip() == f"paradedup: {path}: line 1: {raised.value}"
    assert codec.first_fingerprints("  \t") is None
    assert codec.apply("", []) is None


# --- seen-sets: save, load, merge, with the command -----------------------------------------


def test_seen_set_save_load_merge_and_the_command(cli, tmp_path):
    first = paradedup.Deduper(scope="corpus", normalize="exact")
    assert first.dedup(ARTICLE_000) == without_lines(ARTICLE_000, REPEATS_000)
    saved = tmp_path / "000.pds"
    first.save_seen(str(saved))
    settings = first.settings
    assert settings == {"unit": "lines", "normalize": "exact", "min_chars": 0}

    loaded = paradedup.SeenSet.load(str(saved), **settings)
    assert len(loaded) == 9 and loaded.kind in ("exact", "origins")
    second = paradedup.Deduper(scope="corpus", normalize="exact", seen=loaded)
    assert second.dedup(ARTICLE_000).strip() == ""

    other = paradedup.Deduper(scope="corpus", normalize="exact")
    other.dedup(ARTICLE_001)
    merged = other.seen_set()
    merged.merge(loaded)
    assert len(merged) == 9 + 23
    for p in paradedup.fingerprints(ARTICLE_000 + "\n" + ARTICLE_001, normalize="exact"):
        assert p.fingerprint in merged
    both = tmp_path / "both.pds"
    merged.save(str(both), **settings)

    # The command reads what Python saved: both seeds are wholly repeats.
    out = tmp_path / "out"
    done = run_cli(cli, "dedup", "-q", "--scope", "corpus", "--normalize", "exact", "--seen-in", str(both), "-o", f"{out}/", *map(str, SEEDS))
    assert done.returncode == 0, done.stderr
    for seed in SEEDS:
        assert (out / seed.name).read_text(encoding="utf-8").strip() == ""

    # Loading under other settings fails with the library's message, as the command says it.
    with pytest.raises(paradedup.Error) as raised:
        paradedup.SeenSet.load(str(both))
    done = run_cli(cli, "dedup", "-q", "--scope", "corpus", "--seen-in", str(both), str(SEEDS[0]))
    assert done.stderr.strip() == f"paradedup: --seen-in: {raised.value}"
    garbage = tmp_path / "garbage.pds"
    garbage.write_bytes(b"not a seen-set at all")
    with pytest.raises(paradedup.Error) as raised:
        paradedup.SeenSet.load(str(garbage))
    done = run_cli(cli, "dedup", "-q", "--scope", "corpus", "--seen-in", str(garbage), str(SEEDS[0]))
    assert done.stderr.strip() == f"paradedup: --seen-in: {raised.value}"
    with pytest.raises(OSError, match="no/such/file"):
        paradedup.SeenSet.load("/no/such/file")


def test_boilerplate_counts():
    docs = [
        "First article.\nS'abonner\n0 Commentaires",
        "Second article.\nS'abonner\n3 Commentaires",
        "Third article.\nS'abonner",
    ]
    counts = paradedup.DocumentFrequency()
    for doc in docs:
        counts.count(doc)
    assert counts.documents == 3
    (p,) = paradedup.fingerprints("S'abonner")
    assert counts.documents_containing(p.fingerprint) == 3
    d = paradedup.Deduper(boilerplate=counts, min_documents=3)
    kept = [d.dedup(doc) for doc in docs]
    assert kept[0] == "First article.\n0 Commentaires"
    assert kept[2] == "Third article.\n"
    assert d.stats["boilerplate"] == 3
    keep_first = paradedup.Deduper(boilerplate=counts, min_documents=3, boilerplate_policy="keep_first")
    assert [keep_first.dedup(doc) for doc in docs] == [docs[0], "Second article.\n3 Commentaires", "Third article.\n"]


def test_near_duplicates():
    page = (
        "SE Alexandre Orlov, ambassadeur de Russie en France\n"
        "Le texte de l'article.\n"
        "SE Alexandre Orlov, ambassadeur de Russie en France - Sputnik Afrique\n"
    )
    d = paradedup.Deduper(near_dup=True)
    statuses = [(v.status, v.first) for v in d.verdicts(page)]
    assert statuses == [("kept", None), ("kept", None), ("near_duplicate", (0, 0))]
    assert d.stats["near_duplicates"] == 1
    assert paradedup.dedup(page, near_dup=True) == page.rsplit("SE", 1)[0]
    assert paradedup.dedup(page) == page


def test_dedup_batch_is_the_serial_answer():
    docs = [ARTICLE_000, ARTICLE_001, ARTICLE_000, "a\nb\na"] * 50
    serial = paradedup.Deduper(scope="corpus")
    expected = [serial.dedup(doc) for doc in docs]
    assert paradedup.Deduper(scope="corpus").dedup_batch(docs) == expected


# --- the GIL ---------------------------------------------------------------------------------


def test_the_gil_is_released_during_the_rust_work():
    # While another thread deduplicates a large text, this thread keeps running Python: the
    # longest pause between its loop turns stays far below the Rust call's length.
    text = "".join(f"Ligne num\u00e9ro {i % 5000}, r\u00e9p\u00e9t\u00e9e.\n" for i in range(600_000))
    started = time.perf_counter()
    paradedup.dedup(text)
    alone = time.perf_counter() - started
    assert alone > 0.05, "the text is too small to tell"

    done = threading.Event()
    result = []

    def work():
        result.append(paradedup.dedup(text))
        done.set()

    thread = threading.Thread(target=work)
    longest, last = 0.0, time.perf_counter()
    thread.start()
    while not done.is_set():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    thread.join()
    assert len(result[0]) < len(text)
    assert longest < alone / 3, f"the main thread stalled {longest:.3f}s of a {alone:.3f}s call"


# --- every kind of CPython string reads the same ----------------------------------------------


def cache_utf8(text: str) -> str:
    """Has CPython cache the UTF-8 form of `text` (the binding then borrows it)."""
    import ctypes

    ctypes.pythonapi.PyUnicode_AsUTF8.restype = ctypes.c_char_p
    ctypes.pythonapi.PyUnicode_AsUTF8.argtypes = [ctypes.py_object]
    ctypes.pythonapi.PyUnicode_AsUTF8(text)
    return text


@pytest.mark.parametrize(
    "text",
    [
        "caf\u00e9 \u00e9t\u00e9\nCAF\u00c9 \u00c9T\u00c9!\n\u00ff\u00a0x\nplain ascii line\n" * 50,  # one byte a char
        "\u041c\u043e\u0441\u043a\u0432\u0430\n\u043c\u043e\u0441\u043a\u0432\u0430!\n\u6771\u4eac caf\u00e9\n" * 50,  # two
        "\U0001F600 smile\n\U0001F600 SMILE\n\U00010348 \u00e9\u6771\n" * 50,  # four
    ],
)
def test_every_string_kind_reads_the_same(text):
    raw = text.encode("utf-8")
    fresh = raw.decode("utf-8")
    cached = cache_utf8(raw.decode("utf-8"))
    for options in ({}, {"normalize": "exact"}, {"unit": "blank_lines"}):
        a, b = paradedup.fingerprints(fresh, **options), paradedup.fingerprints(cached, **options)
        assert [(p.start, p.end, p.byte_start, p.byte_end, p.fingerprint) for p in a] == [
            (p.start, p.end, p.byte_start, p.byte_end, p.fingerprint) for p in b
        ]
        for p in a:
            assert raw[p.byte_start : p.byte_end].decode("utf-8") == fresh[p.start : p.end]
        assert paradedup.dedup(fresh, **options) == paradedup.dedup(cached, **options)
    out = paradedup.dedup(raw.decode("utf-8"))
    assert len(out) < len(text) and out == paradedup.dedup(cache_utf8(raw.decode("utf-8")))
    # Lone surrogates in every kind still raise CPython's error.
    for bad in (fresh[:10] + "\ud800", fresh[:10] + "\udfff\U0001F600"):
        with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
            paradedup.dedup(bad)


def test_every_public_function_and_class_has_a_docstring():
    import inspect

    import paradedup.spark

    missing = []
    for module in (paradedup, paradedup.spark):
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or callable(obj)):
                continue
            if not (obj.__doc__ or "").strip():
                missing.append(f"{module.__name__}.{name}")
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not (callable(member) or inspect.isdatadescriptor(member) or isinstance(member, (staticmethod, property))):
                        continue
                    if not (getattr(obj, attr).__doc__ or "").strip() and not (member.__doc__ or "").strip():
                        missing.append(f"{module.__name__}.{name}.{attr}")
    assert missing == []


def test_the_stubs_name_everything_the_module_exports():
    import ast
    from pathlib import Path

    stub = Path(paradedup.__file__).with_name("_paradedup.pyi")
    names = {
        node.name if hasattr(node, "name") else node.targets[0].id if isinstance(node, ast.Assign) else node.target.id
        for node in ast.parse(stub.read_text()).body
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.Assign, ast.AnnAssign))
    }
    assert set(paradedup.__all__) <= names
