"""A generated JSON Lines corpus with what makes corpus-wide dedup hard: shared boilerplate,
repeats within and across documents and files, paragraphs equal only once normalized, exempt
paragraphs, escapes, ASCII-only and UTF-8 lines, characters beyond the BMP, extra fields."""

from __future__ import annotations

import json
import os
import random
from typing import List

BOILERPLATE = [
    "S'abonner à la newsletter",
    "0 Commentaires",
    "Lire aussi : les dernières nouvelles",
    "Tous droits réservés © 2024",
    "Cookies help us deliver our services.",
    "Partager sur Twitter \U0001F426",
]
VARIANTS = [
    ("Breaking news", "BREAKING NEWS!", "  breaking   news... "),
    ("« Comme toujours… »", '"comme toujours..."', "Comme toujours,"),
    ("Ｆｕｌｌｗｉｄｔｈ text", "fullwidth TEXT", "Fullwidth text."),
]
EXEMPT = ["***", "—", "...", "* * *"]
WORDS = (
    "le la les un une des the a of and to in paragraph corpus texte données modèle "
    "déduplication réseau Ünïcödé naïve café 東京 Москва \"quoted\" back\\slash tab\there"
).split(" ")


def sentence(rng: random.Random) -> str:
    n = rng.randint(3, 14)
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + rng.choice([".", "!", "?", ""])


def document(rng: random.Random, pool: List[str]) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 9)):
        r = rng.random()
        if r < 0.25:
            paragraphs.append(rng.choice(BOILERPLATE))
        elif r < 0.35:
            paragraphs.append(rng.choice(rng.choice(VARIANTS)))
        elif r < 0.42:
            paragraphs.append(rng.choice(EXEMPT))
        elif r < 0.6 and pool:
            paragraphs.append(rng.choice(pool))
        else:
            s = sentence(rng)
            pool.append(s)
            paragraphs.append(s)
    seps = ["\n", "\n", "\n\n", "\r\n", "\n \n"]
    text = ""
    for i, p in enumerate(paragraphs):
        text += p + (rng.choice(seps) if i + 1 < len(paragraphs) else rng.choice(["", "\n"]))
    return text


def write_corpus(root: str, files: int = 3, docs_per_file: int = 150, seed: int = 8) -> List[str]:
    """Writes `files` shards under `root` (the last in a sub-directory) and returns the paths
    in the order a directory walk reads them."""
    rng = random.Random(seed)
    pool: List[str] = []
    paths = []
    for f in range(files):
        directory = os.path.join(root, "more") if f == files - 1 else root
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"shard-{f:03}.jsonl")
        with open(path, "w", encoding="utf-8", newline="") as out:
            for d in range(docs_per_file):
                record = {"id": f"{f}-{d}", "text": document(rng, pool), "n": d * 1.5}
                if d % 3 == 0:
                    record = {"url": f"https://example.org/{d}", "text": record["text"], "id": d}
                line = json.dumps(record, ensure_ascii=(d % 2 == 0))
                out.write(line + "\n")
                if d % 17 == 0:
                    out.write("\n")  # blank lines: skipped by the command
        paths.append(path)
    return paths
