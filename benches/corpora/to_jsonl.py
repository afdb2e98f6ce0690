#!/usr/bin/env python3
"""Turn an unpacked Debian documentation package into JSON Lines, one document a line.

Python 3 standard library only, so that it runs on a fresh Debian machine with nothing but
`python3` installed.  `fetch.sh` beside this file calls it; it can also be run by hand:

    to_jsonl.py convert --format html --package debian-handbook \
        --root /tmp/pkg --under usr/share/doc/debian-handbook/html --lang-from-path 0 \
        --out debian-handbook.jsonl
    to_jsonl.py summary debian-handbook.jsonl gnome-user-docs.jsonl ...

Output
------
Each line is `{"id": ..., "lang": ..., "text": ...}` written with `ensure_ascii=False`:

- `id` is `<package>/<path of the file inside the package>`, e.g.
  `debian-handbook/usr/share/doc/debian-handbook/html/fr-FR/apt.html`.
- `lang` is the language code taken from the file's path (`--lang-from-path N`: the N-th
  folder below `--under`, as the package spells it: `fr-FR`, `pt_BR`, `sr@latin`), or a
  fixed code (`--lang en`).  GNOME's untranslated originals live in the folder `C`; their
  `lang` is `en`.
- `text` holds one paragraph a line, joined by `\\n`, never a blank line and never a leading
  or trailing space on a line.
- Lines are sorted by `id` (code point order) so that the file is the same byte for byte on
  every machine.  A file that yields no text at all is left out.

HTML (`--format html`, every `*.html` file; parsed with `html.parser`)
---------------------------------------------------------------------
- Text is cut into paragraphs at the start and at the end of every block element:
  address, article, aside, blockquote, body, caption, center, dd, details, dialog, dir,
  div, dl, dt, fieldset, figcaption, figure, footer, form, frameset, h1-h6, head, header,
  hgroup, hr, html, legend, li, main, menu, nav, noscript, ol, option, p, pre, section,
  summary, table, tbody, td, tfoot, th, thead, title, tr, ul.  So a `div` that directly holds
  text gives that text its own line, each table cell (`td`, `th`) is its own line, and a
  heading is always a line of its own.
- `<br>` ends a line too (the text after it starts a new one).
- Every other element (a, span, code, em, strong, acronym, ...) is inline: its text joins
  the paragraph it stands in.  Attributes (alt, title) are not text.
- Inside a block, runs of HTML whitespace (space, tab, CR, LF, FF) become one space.
  No-break spaces and other Unicode spaces inside a line are kept as they are: they are
  part of the real text the deduplicator meets.  Each line is trimmed of all spaces,
  no-break ones too, so a table cell holding only `&nbsp;` gives no line.
- Inside `<pre>`, each line of the block is its own line (whitespace within it collapsed
  as above); empty lines are dropped.
- The content of `<script>` and `<style>` is dropped.  Nothing else is: navigation bars,
  headers, footers, "Prev/Next" tables and the like stay exactly as the page has them,
  because that repeated boilerplate is what the deduplicator has to find.
- Character references are decoded (`&amp;` -> `&`, `&#8212;` -> an em dash).

Mallard (`--format mallard`, every `*.page` file; parsed with `xml.etree`)
-------------------------------------------------------------------------
- Paragraphs are cut at the start and end of `title`, `subtitle`, `desc`, `p` and `cite`
  (paragraph-like elements), and of every container: page, section, item, td, th, list,
  steps, terms, tree, note, table, tr, figure, media, example, quote, synopsis, links, ... and
  any element of another namespace (ui:expander, if:choose, ...) that holds a block.  Each of
  those that holds text directly gives it its own line: a list `item` or a table cell (`td`,
  `th`) is its own line even without a `p` inside.
- `code` and `screen` standing as blocks (not inside a paragraph-like element) keep their
  lines: each line is its own line.  Inside a paragraph, `code` is inline.
- Inline elements (gui, key, link, em, app, cmd, file, sys, input, output, var, span, ...)
  join their paragraph; `keyseq` joins its keys with `+` and `guiseq` its parts with ` ▸ `,
  as yelp shows them.
- `<info>` (credits, revision data, link targets, desc used by other pages) and `<comment>`
  (editorial notes yelp does not show) are dropped.  XInclude is not resolved, so the
  legal notice in `legal.xml` is not part of the pages.
- Whitespace as for HTML (XML whitespace: space, tab, CR, LF).

Mail (`--format mail`, every `*.txt` file that starts with a mail header with a From: and a
Subject: field; the others are skipped)
--------------------------------------------------------------------------------------
- The header is parsed with `email.parser`; the Subject is the first line, the other
  fields are dropped.
- The body is cut into paragraphs at blank lines.  Within a paragraph:
  - plain lines are joined with single spaces;
  - lines quoted with `>` are joined per quoting depth and keep their marker once
    (`> > joined text`), so a quoted paragraph is one line like the paragraph it quotes;
  - indented lines (literal blocks, diagrams, commands) are each their own line, trimmed,
    except a run of two or more lines at one indentation where every line but the last
    has 50 characters or more and none starts with `$` or `#`: that is a quotation set off
    by indentation, wrapped like prose, and is joined like plain lines;
  - a line starting with a list marker (`-`, `*`, `+`, `1.`, `1)`) starts a list item; the
    lines below it up to a blank line, hanging or not, join it;
  - an underline of `=`, `-`, `~`, `^` or `+` below a line is dropped and the heading
    above it kept as its own line.
"""

import argparse
import email.parser
import email.policy
import html.parser
import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

HTML_WS = re.compile(r"[ \t\n\r\f]+")
XML_WS = re.compile(r"[ \t\n\r]+")

HTML_BLOCKS = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr
    html legend li main menu nav noscript ol option p pre section summary table tbody td
    tfoot th thead title tr ul""".split()
)
HTML_DROPPED = frozenset(("script", "style"))


class Lines:
    """Collects the text of the current block and appends finished lines to `out`."""

    def __init__(self, ws):
        self.ws = ws
        self.out = []
        self.buf = []

    def add(self, text):
        self.buf.append(text)

    def flush(self, keep_lines=False):
        text = "".join(self.buf)
        self.buf = []
        pieces = text.splitlines() if keep_lines else (text,)
        for piece in pieces:
            # Trim every kind of space at the ends: a cell holding only `&nbsp;` is a blank
            # line, not text.
            line = self.ws.sub(" ", piece).strip()
            if line:
                self.out.append(line)


class HtmlText(html.parser.HTMLParser):
    """Block-by-block text of one HTML page (see the module doc for the rules)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = Lines(HTML_WS)
        self.dropped = 0
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in HTML_DROPPED:
            self.dropped += 1
        elif tag in HTML_BLOCKS or tag == "br":
            self.lines.flush(self.pre > 0)
            if tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag):
        if tag in HTML_DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in HTML_BLOCKS or tag == "br":
            self.lines.flush(self.pre > 0)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_startendtag(self, tag, attrs):
        # `<br/>` and friends: one boundary, not two (the result is the same either way).
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if not self.dropped:
            self.lines.add(data)


def html_text(raw):
    parser = HtmlText()
    parser.feed(raw.decode("utf-8"))
    parser.close()
    parser.lines.flush(parser.pre > 0)
    return parser.lines.out


MALLARD_NS = "{http://projectmallard.org/1.0/}"
# Elements whose own text is a paragraph; `code` inside them is inline.
MALLARD_PARAS = frozenset("title subtitle desc p cite".split())
# Block elements that hold text rarely or only through children.
MALLARD_CONTAINERS = frozenset(
    """page section item td th list steps terms tree note table tr thead tbody tfoot figure
    media example quote synopsis links listing col colgroup""".split()
)
MALLARD_LINES = frozenset(("code", "screen"))
MALLARD_BLOCKS = MALLARD_PARAS | MALLARD_CONTAINERS | MALLARD_LINES
MALLARD_DROPPED = frozenset(("info", "comment"))
MALLARD_JOINERS = {"keyseq": "+", "guiseq": " \u25b8 "}


def local_name(tag):
    if not isinstance(tag, str):
        return None  # comments and processing instructions
    return tag.rsplit("}", 1)[-1]


def mallard_text(raw):
    root = ET.fromstring(raw)
    lines = Lines(XML_WS)

    def inline(elem):
        """The text of an inline element and its children, as one string."""
        name = local_name(elem.tag)
        joiner = MALLARD_JOINERS.get(name)
        if joiner is not None:
            parts = [inline(child) for child in elem if local_name(child.tag) is not None]
            return joiner.join(p.strip() for p in parts if p.strip())
        out = [elem.text or ""]
        for child in elem:
            if local_name(child.tag) is not None and local_name(child.tag) not in MALLARD_DROPPED:
                out.append(inline(child))
            out.append(child.tail or "")
        return "".join(out)

    def holds_block(elem):
        for child in elem.iter():
            if child is not elem and local_name(child.tag) in MALLARD_BLOCKS:
                return True
        return False

    def walk(elem, in_para):
        name = local_name(elem.tag)
        if name is None or name in MALLARD_DROPPED:
            return
        if name in MALLARD_LINES and not in_para:
            lines.flush()
            lines.add(inline(elem))
            lines.flush(keep_lines=True)
            return
        if in_para or not (
            name in MALLARD_PARAS or name in MALLARD_CONTAINERS or holds_block(elem)
        ):
            # Inline: inside a paragraph, or an unknown element holding no block (the text
            # of a tree item with a `gui` in it).
            lines.add(inline(elem))
            return
        lines.flush()
        lines.add(elem.text or "")
        child_in_para = name in MALLARD_PARAS
        for child in elem:
            walk(child, child_in_para)
            lines.add(child.tail or "")
        lines.flush()

    walk(root, False)
    return lines.out


UNDERLINE = re.compile(r"^\s*([=\-~^+])\1{2,}\s*$")
QUOTE = re.compile(r"^((?:>\s?)+)(.*)$")
LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+\S")


def wrapped_prose(lines):
    """Whether an indented run of lines is a wrapped paragraph (a quotation set off by
    indentation) rather than a literal block: it has two lines or more, every line but the
    last is long, and none is a shell prompt."""
    return (
        len(lines) >= 2
        and all(len(line) >= 50 for line in lines[:-1])
        and not any(line.startswith(("$", "#")) for line in lines)
    )


def mail_text(raw):
    text = raw.decode("utf-8")
    msg = email.parser.Parser(policy=email.policy.compat32).parsestr(text, headersonly=True)
    if msg.get("From") is None or msg.get("Subject") is None:
        return None
    out = []
    subject = XML_WS.sub(" ", str(msg.get("Subject"))).strip()
    if subject:
        out.append(subject)
    body = msg.get_payload()
    if not isinstance(body, str):
        return None
    para = []  # (kind, text) of the lines of the current paragraph
    items = 0

    def flush_para():
        groups = []  # runs of lines of one kind
        for kind, line in para:
            if groups and groups[-1][0] == kind:
                groups[-1][1].append(line)
            else:
                groups.append((kind, [line]))
        para.clear()
        for kind, group in groups:
            if kind.startswith("indent") and not wrapped_prose(group):
                pieces = group
            elif kind.startswith(">"):
                pieces = [kind + " " + " ".join(group)]
            else:
                pieces = [" ".join(group)]
            for piece in pieces:
                piece = XML_WS.sub(" ", piece).strip()
                if piece:
                    out.append(piece)

    for line in body.splitlines():
        if not line.strip():
            flush_para()
            continue
        if UNDERLINE.match(line) and para:
            # The line above is a heading: end it here, alone.
            last = para.pop()
            flush_para()
            para.append(("heading", last[1]))
            flush_para()
            continue
        m = QUOTE.match(line)
        if m:
            depth = m.group(1).count(">")
            para.append((" ".join([">"] * depth), m.group(2).strip()))
            continue
        indented = line[0] in " \t"
        if LIST_ITEM.match(line):
            items += 1  # each list item its own line
            para.append((f"item{items}", line.strip()))
        elif para and para[-1][0].startswith("item") and (
            indented or para[-1][0] == f"item{items}"
        ):
            # The wrapped rest of a list item, hanging or not.
            para.append((para[-1][0], line.strip()))
        elif indented:
            indent = len(line.expandtabs()) - len(line.expandtabs().lstrip())
            para.append((f"indent{indent}", line.strip()))
        else:
            para.append(("plain", line.strip()))
    flush_para()
    return out


FORMATS = {
    "html": (".html", html_text),
    "mallard": (".page", mallard_text),
    "mail": (".txt", mail_text),
}


def convert(args):
    suffix, extract = FORMATS[args.format]
    base = os.path.join(args.root, args.under)
    docs = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if not name.endswith(suffix) or os.path.islink(path) or not os.path.isfile(path):
                continue
            rel_under = os.path.relpath(path, base).replace(os.sep, "/")
            rel_pkg = os.path.relpath(path, args.root).replace(os.sep, "/")
            if args.lang is not None:
                lang = args.lang
            else:
                parts = rel_under.split("/")
                if len(parts) <= args.lang_from_path + 1:
                    continue  # a file beside the language folders, not inside one
                lang = parts[args.lang_from_path]
                lang = args.lang_map.get(lang, lang)
            with open(path, "rb") as f:
                raw = f.read()
            try:
                lines = extract(raw)
            except (ET.ParseError, UnicodeDecodeError) as err:
                print(f"to_jsonl: {rel_pkg}: {err}", file=sys.stderr)
                sys.exit(1)
            if not lines:
                continue
            docs.append({"id": f"{args.package}/{rel_pkg}", "lang": lang, "text": "\n".join(lines)})
    if not docs:
        print(f"to_jsonl: no {suffix} documents under {base}", file=sys.stderr)
        sys.exit(1)
    docs.sort(key=lambda d: d["id"])
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    os.replace(tmp, args.out)


# Letters are counted by the first word of their Unicode name, merged into the usual script
# names; a script is listed when a corpus has at least this many of its letters.
SCRIPT_MIN_LETTERS = 1000
SCRIPT_ALIASES = {
    "CJK": "Han",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "KATAKANA-HIRAGANA": "Kana",
    "HALFWIDTH": "Kana",
    "FULLWIDTH": "Latin",
    "HANGUL": "Hangul",
}


def script_of(ch):
    try:
        first = unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return None
    return SCRIPT_ALIASES.get(first, first.capitalize())


def summary(args):
    rows = []
    for path in args.files:
        docs = 0
        langs = set()
        letters = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                docs += 1
                langs.add(doc["lang"])
                for ch in doc["text"]:
                    if ch.isalpha():
                        s = script_of(ch)
                        if s:
                            letters[s] = letters.get(s, 0) + 1
        total = sum(letters.values()) or 1
        scripts = ", ".join(
            f"{s} {100 * n / total:.1f}%" if n / total >= 0.001 else f"{s} <0.1%"
            for s, n in sorted(letters.items(), key=lambda kv: -kv[1])
            if n >= SCRIPT_MIN_LETTERS
        )
        rows.append(
            (
                os.path.basename(path),
                docs,
                os.path.getsize(path) / 1e6,
                len(langs),
                scripts,
                " ".join(sorted(langs)),
            )
        )
    print(f"{'corpus':<26} {'docs':>7} {'MB':>8} {'langs':>5}  scripts (share of letters)")
    for name, docs, mb, nlangs, scripts, _ in rows:
        print(f"{name:<26} {docs:>7} {mb:>8.1f} {nlangs:>5}  {scripts}")
    if args.langs:
        print()
        for name, _, _, _, _, langs in rows:
            print(f"{name}: {langs}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("convert", help="one package's files to one JSONL file")
    c.add_argument("--format", choices=sorted(FORMATS), required=True)
    c.add_argument("--package", required=True, help="package name, the first part of each id")
    c.add_argument("--root", required=True, help="folder the package was unpacked into")
    c.add_argument("--under", default=".", help="folder inside the package to convert")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--lang", help="one language code for every document")
    g.add_argument(
        "--lang-from-path",
        type=int,
        metavar="N",
        help="the N-th folder below --under (from 0) is the language code",
    )
    c.add_argument(
        "--lang-map",
        action="append",
        default=[],
        metavar="FROM=TO",
        help="rename a language folder, e.g. C=en",
    )
    c.add_argument("--out", required=True)
    s = sub.add_parser("summary", help="documents, MB, languages and scripts of JSONL files")
    s.add_argument("--langs", action="store_true", help="also list each file's languages")
    s.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.cmd == "convert":
        args.lang_map = dict(m.split("=", 1) for m in args.lang_map)
        convert(args)
    else:
        summary(args)


if __name__ == "__main__":
    main()
