"""Writes the command line tool's fixtures; run from this directory with Python 3.

The expected outputs are written by Python's own json module, independently of paradedup, from
what the library's tests establish (tests/seeds.rs: article 000 loses its lines 4, 5, 10, 11 and
12; article 001 loses nothing). tests/cli.rs checks them again against the library.
"""
import json

def read(name):
    with open(f"../{name}", encoding="utf-8", newline="") as f:
        return f.read()

def without_lines(text, drop):
    lines = text.splitlines(keepends=True)
    return "".join(l for i, l in enumerate(lines, 1) if i not in drop)

A000 = read("000_34751d3a37f48367.txt")
A001 = read("001_4cd9e05293a17eb6.txt")

# The seed corpus, in Dolma's document layout (Python's default separators and escaping).
docs = [
    {"id": "000_34751d3a37f48367", "text": A000, "source": "seeds",
     "metadata": {"lang": "fr", "url": "https://example.org/000"}},
    {"id": "001_4cd9e05293a17eb6", "text": A001, "source": "seeds",
     "metadata": {"lang": "fr", "url": "https://example.org/001"}},
]
with open("seeds.jsonl", "w", encoding="utf-8", newline="\n") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
docs[0]["text"] = without_lines(A000, {4, 5, 10, 11, 12})
with open("seeds.expected.jsonl", "w", encoding="utf-8", newline="\n") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")

# Field preservation: key order, spacing, number formats no parser keeps, escapes in other
# fields, a nested "text", CRLF and a missing final line break. Each line is written by hand
# around the text token, which is the only thing that may change.
def tok(text, ascii):
    # "\/" is a legal escape Python never writes; put some in, to check they survive.
    return json.dumps(text, ensure_ascii=ascii).replace("/", "\\/")

rows = [
    # (before the text token, text, after it, terminator, ascii, kept text)
    ('{"meta": {"text": "not this one", "n": [1, 2.50, -0.0, 1E400]}, "text": ',
     "Caf\u00e9 \U0001F600 news\nSubscribe!\nCaf\u00e9 \U0001F600 news\nThe end.",
     ', "id": "doc-\\u00e9\\/1", "big": 123456789012345678901234567890, "f": 1.0e-7}', "\n", True,
     "Caf\u00e9 \U0001F600 news\nSubscribe!\nThe end."),
    ('{"text":', "\u00c9t\u00e9 \u2014 \u65e5\u672c\nNo repeat here / ok", ',"id":7,"tags":[]}', "\r\n", False,
     None),
    ('{"id": null, "nested": {"deep": [[{"a": "\\"q\\""}]]}, "text": ',
     "\U0001F600 one\u2028two\u2028\U0001F600 ONE!\r\nlast\ttab\r\nLAST TAB",
     ', "z": false}', "\r\n", True,
     "\U0001F600 one\u2028two\u2028last\ttab\r\n"),
    ('{"id": "no-final-newline", "text": ', "x\ny\nx", '}', "", False, "x\ny\n"),
]
with open("fields.jsonl", "w", encoding="utf-8", newline="") as f:
    for before, text, after, end, ascii, _ in rows:
        f.write(before + tok(text, ascii) + after + end)
with open("fields.expected.jsonl", "w", encoding="utf-8", newline="") as f:
    for before, text, after, end, ascii, kept in rows:
        token = tok(text, ascii) if kept is None else tok(kept, ascii)
        f.write(before + token + after + (end or "\n"))
