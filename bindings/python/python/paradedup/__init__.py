"""Remove repeated paragraphs from text: exact, deterministic, zero-copy, fast.

The Python face of the Rust crate ``paradedup``::

    >>> import paradedup
    >>> paradedup.dedup("Breaking news\\nThe text.\\nBREAKING NEWS!\\nMore text.")
    'Breaking news\\nThe text.\\nMore text.'

- :func:`dedup` removes the repeated paragraphs of one text.
- :class:`Deduper` is the reusable engine, with the Rust builder's options (unit, scope,
  normalize, min_chars, the normalization switches, a seen-set, boilerplate counts).
- :func:`fingerprints` gives each paragraph's spans and 128-bit fingerprint.
- :class:`SeenSet` saves, loads and merges what a corpus-scope deduper has seen.
- :class:`DocumentFrequency` counts, for boilerplate removal, how many documents hold each
  paragraph.
- :mod:`paradedup.spark` deduplicates a JSON Lines corpus on Apache Spark with the same answer
  as ``paradedup dedup --scope corpus``.

Every call releases the GIL while the Rust code runs. Errors from the library are raised as
:class:`Error` (a ``ValueError``) or ``OSError``, with the library's message.
"""

from ._paradedup import (
    SEED,
    Deduper,
    DocumentFrequency,
    Error,
    JsonlCodec,
    Paragraph,
    SeenSet,
    Verdict,
    dedup,
    fingerprints,
    normalize,
)

__all__ = [
    "SEED",
    "Deduper",
    "DocumentFrequency",
    "Error",
    "JsonlCodec",
    "Paragraph",
    "SeenSet",
    "Verdict",
    "dedup",
    "fingerprints",
    "normalize",
]
