//! The oracle: paragraph dedup written the obvious way, with a `String` per paragraph and a
//! `HashSet<String>`, sharing no code with the crate but its public `Normalizer` (whose own
//! properties are tested separately).

use std::collections::HashSet;

use paradedup::Normalizer;

/// A line: where it starts, where its content ends, and whether it ended with U+2029.
struct Line {
    start: usize,
    end: usize,
    hard: bool,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let skip = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut start = skip;
    let mut chars = text[skip..]
        .char_indices()
        .map(|(i, c)| (i + skip, c))
        .peekable();
    while let Some((i, c)) = chars.next() {
        let len = match c {
            '\r' if chars.peek().map(|&(_, c)| c) == Some('\n') => {
                chars.next();
                2
            }
            '\n' | '\r' => 1,
            '\u{85}' => 2,
            '\u{2028}' | '\u{2029}' => 3,
            _ => continue,
        };
        out.push(Line {
            start,
            end: i,
            hard: c == '\u{2029}',
        });
        start = i + len;
    }
    if start < text.len() {
        out.push(Line {
            start,
            end: text.len(),
            hard: false,
        });
    }
    out
}

/// The naive dedup: returns the kept text.
pub fn dedup(text: &str, blocks: bool, normalizer: Normalizer, min_chars: usize) -> String {
    let paragraphs = paragraphs_with_breaks(text, blocks);
    let mut seen = HashSet::new();
    let mut kept = String::new();
    let first_start = paragraphs.first().map_or(text.len(), |p| p.0);
    kept.push_str(&text[..first_start]);
    for (i, (start, content)) in paragraphs.iter().enumerate() {
        let end = paragraphs.get(i + 1).map_or(text.len(), |p| p.0);
        let key: String = normalizer.normalize(content).into_owned();
        let exempt = key.is_empty() || key.chars().count() < min_chars;
        if exempt || seen.insert(key) {
            kept.push_str(&text[*start..end]);
        }
    }
    kept
}

/// Paragraphs as (first line start, trimmed text), blocks read straight from the source.
fn paragraphs_with_breaks(text: &str, blocks: bool) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut block: Option<(usize, usize)> = None; // (first line start, last content end)
    for line in lines(text) {
        let content = &text[line.start..line.end];
        if content.chars().all(char::is_whitespace) {
            if let Some((s, e)) = block.take() {
                out.push((s, text[s..e].trim().to_owned()));
            }
            continue;
        }
        block = Some(match block {
            Some((s, _)) => (s, line.end),
            None => (line.start, line.end),
        });
        if line.hard || !blocks {
            let (s, e) = block.take().unwrap();
            out.push((s, text[s..e].trim().to_owned()));
        }
    }
    if let Some((s, e)) = block {
        out.push((s, text[s..e].trim().to_owned()));
    }
    out
}
