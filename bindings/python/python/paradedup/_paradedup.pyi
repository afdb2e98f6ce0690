"""Type stubs of the compiled module ``paradedup._paradedup`` (re-exported by ``paradedup``)."""

from os import PathLike
from typing import List, Literal, Optional, Tuple, TypedDict, Union

from typing_extensions import Unpack

SEED: int
"""The seed of every fingerprint: the bytes ``paradedu`` as a big-endian 64-bit int."""

Fingerprint = Tuple[int, int]
"""A 128-bit fingerprint as its (high, low) unsigned 64-bit halves."""

_Path = Union[str, "PathLike[str]"]

class SettingsOptions(TypedDict, total=False):
    """What a paragraph is and how it is normalized: what fingerprints depend on."""

    unit: Literal["lines", "blank_lines"]
    normalize: Literal["standard", "exact", "ccnet"]
    min_chars: int
    nfkc: Optional[bool]
    lowercase: Optional[bool]
    punctuation: Optional[bool]
    whitespace: Optional[bool]
    strip_accents: Optional[bool]
    fold_digits: Optional[bool]
    drop_symbols: Optional[bool]
    scope: Literal["document", "corpus"]

class DeduperOptions(SettingsOptions, total=False):
    """The options of :class:`Deduper`: the settings, plus memory and boilerplate."""

    seen: Optional["SeenSet"]
    boilerplate: Optional["DocumentFrequency"]
    min_documents: int
    boilerplate_policy: Literal["drop_all", "keep_first"]
    near_dup: bool
    near_threshold: float
    near_shingles: str
    short_paragraphs: str

class Error(ValueError):
    """An error from paradedup: a seen-set file that cannot be used, settings that cannot
    work, or a malformed JSON line. I/O errors are raised as ``OSError``."""

class Paragraph:
    """One paragraph of a text and its fingerprint, as :func:`fingerprints` returns them."""

    @property
    def index(self) -> int:
        """The paragraph's number in the text, from 0."""
    @property
    def start(self) -> int:
        """Its first code point (a Python string index)."""
    @property
    def end(self) -> int:
        """One past its last code point."""
    @property
    def byte_start(self) -> int:
        """Its first byte in the text's UTF-8 form."""
    @property
    def byte_end(self) -> int:
        """One past its last byte."""
    @property
    def fingerprint(self) -> Optional[Fingerprint]:
        """(high, low) halves of the 128-bit fingerprint; None when exempt."""
    @property
    def fingerprint_bytes(self) -> Optional[bytes]:
        """The fingerprint as 16 big-endian bytes; None when exempt."""
    @property
    def exempt(self) -> bool:
        """True when the paragraph is never a duplicate (empty once normalized, or short)."""

class Verdict:
    """The verdict on one paragraph, as :meth:`Deduper.verdicts` returns them."""

    @property
    def index(self) -> int:
        """The paragraph's number in its document, from 0."""
    @property
    def status(self) -> Literal["kept", "duplicate", "near_duplicate", "boilerplate", "exempt"]:
        """What became of the paragraph."""
    @property
    def start(self) -> int:
        """Its first code point."""
    @property
    def end(self) -> int:
        """One past its last code point."""
    @property
    def byte_start(self) -> int:
        """Its first byte in UTF-8."""
    @property
    def byte_end(self) -> int:
        """One past its last byte."""
    @property
    def fingerprint(self) -> Optional[Fingerprint]:
        """(high, low) halves of the fingerprint; None when exempt."""
    @property
    def first(self) -> Optional[Tuple[int, int]]:
        """(document, paragraph) of a duplicate's first occurrence, when the seen-set keeps
        origins."""
    @property
    def removed(self) -> bool:
        """True when the paragraph is removed (a duplicate, a near-duplicate or boilerplate)."""

class Stats(TypedDict):
    """Counts over the documents a deduper was given."""

    documents: int
    paragraphs: int
    duplicates: int
    near_duplicates: int
    boilerplate: int
    exempt: int
    bytes_in: int
    bytes_out: int
    removed_paragraph_bytes: int
    """UTF-8 bytes of the removed paragraphs themselves, without the line breaks and blank
    lines that went with them (which bytes_in - bytes_out counts)."""

class SeenSet:
    """The fingerprints a corpus-scope deduper has seen: save, load, merge."""

    def __init__(self, kind: Literal["origins", "exact"] = "origins") -> None:
        """An empty set: "origins" (exact, remembers where each paragraph was first met) or
        "exact" (exact and compact)."""
    @staticmethod
    def bloom(expected: int, fp_rate: float) -> "SeenSet":
        """A Bloom filter of fixed memory for ``expected`` paragraphs and false-positive rate
        ``fp_rate``."""
    @staticmethod
    def load(path: _Path, **options: Unpack[SettingsOptions]) -> "SeenSet":
        """Loads a set saved by :meth:`save`, :meth:`Deduper.save_seen` or the command's
        ``--seen-out``; the settings must be those it was saved with."""
    def save(self, path: _Path, **options: Unpack[SettingsOptions]) -> None:
        """Saves the set atomically, recording the settings it was built under."""
    def merge(self, other: "SeenSet") -> None:
        """Adds every fingerprint of ``other`` (the union of shards' sets)."""
    def __contains__(self, fingerprint: Fingerprint) -> bool:
        """True when the set holds this (high, low) fingerprint."""
    def __len__(self) -> int:
        """The number of fingerprints held."""
    @property
    def kind(self) -> Literal["origins", "exact", "bloom"]:
        """The backend."""
    @property
    def memory_usage(self) -> int:
        """Bytes of memory used."""

class DocumentFrequency:
    """In how many documents each paragraph stands: the first pass of boilerplate removal."""

    def __init__(self, **options: Unpack[SettingsOptions]) -> None:
        """Empty counts under these settings (the second pass's deduper must have the same)."""
    def count(self, text: str) -> None:
        """Counts the paragraphs of one document, each once."""
    def merge(self, other: "DocumentFrequency") -> None:
        """Adds another shard's counts."""
    def documents_containing(self, fingerprint: Fingerprint) -> int:
        """How many documents hold the paragraph with this fingerprint."""
    @property
    def documents(self) -> int:
        """Documents counted."""
    def __len__(self) -> int:
        """Distinct paragraphs counted."""

class Deduper:
    """Removes repeated paragraphs, keeping first occurrences and every other byte.

    One deduper serves one thread at a time; the GIL is released while it works, so dedupers
    in several threads run in parallel.
    """

    def __init__(self, **options: Unpack[DeduperOptions]) -> None:
        """A deduper with the Rust builder's options (all keyword-only, all optional)."""
    def dedup(self, text: str) -> str:
        """The kept text of one document (the same object when nothing is removed)."""
    def dedup_batch(self, texts: List[str]) -> List[str]:
        """Deduplicates documents in order on all cores: the same as ``dedup`` on each."""
    def verdicts(self, text: str) -> List[Verdict]:
        """The verdict on each paragraph of one document, without building new text."""
    @property
    def stats(self) -> Stats:
        """Counts over every document given so far."""
    @property
    def scope(self) -> Literal["document", "corpus"]:
        """How far back repeats are looked for."""
    @property
    def settings(self) -> SettingsOptions:
        """The settings fingerprints depend on, as keyword arguments for
        :meth:`SeenSet.load` and :class:`DocumentFrequency`."""
    def seen_set(self) -> SeenSet:
        """A copy of the deduper's seen-set."""
    def save_seen(self, path: _Path) -> None:
        """Saves the seen-set with this deduper's settings."""
    def reset(self) -> None:
        """Forgets every fingerprint and count; keeps the options."""

class JsonlCodec:
    """The per-line work of :mod:`paradedup.spark`, with the command's own JSON scanner."""

    def __init__(self, text_field: str = "text", id_field: str = "id", **options: Unpack[SettingsOptions]) -> None:
        """A codec for lines whose text is in ``text_field``."""
    def first_fingerprints(self, line: str) -> Optional[List[Tuple[int, int, int]]]:
        """Each distinct fingerprint of the line's text as (high, low, first paragraph index),
        the halves as signed 64-bit ints; exempt paragraphs left out; None for a blank line."""
    def apply(self, line: str, keep: List[int]) -> Optional[Tuple[str, int]]:
        """The line without every non-exempt paragraph whose index is not in ``keep``, and
        the number of paragraphs left; None for a blank line."""

def dedup(text: str, **options: Unpack[DeduperOptions]) -> str:
    """Removes the repeated paragraphs of one text."""

def fingerprints(text: str, **options: Unpack[SettingsOptions]) -> List[Paragraph]:
    """Each paragraph's spans (code points and bytes) and 128-bit fingerprint."""

def normalize(text: str, **options: Unpack[SettingsOptions]) -> str:
    """The normalized form of ``text``: what decides a paragraph's identity."""
