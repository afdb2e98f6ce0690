//! The command's JSON Lines scanner (the `paradedup-jsonl` crate), against
//! serde_json: a line is accepted exactly when serde_json's grammar reads it as an object,
//! unless its text field is not a string or appears twice; an accepted line's text decodes as serde_json decodes it (or is
//! refused for a lone surrogate, as serde_json refuses it); the id token is one JSON value; and
//! the text with a cut taken out, spliced back the way the command writes it, scans and decodes
//! to exactly the kept text, with or without `ensure_ascii`.
use paradedup_jsonl as json;

/// Nesting depth of brackets outside strings, roughly (serde_json stops at 128).
fn depth(line: &str) -> usize {
    let (mut d, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for b in line.bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_str = true,
                b'{' | b'[' => {
                    d += 1;
                    max = max.max(d);
                }
                b'}' | b']' => d = d.saturating_sub(1),
                _ => {}
            }
        }
    }
    max
}

/// Checks one fuzz input: panics when an invariant fails.
pub fn run(data: &[u8]) {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let ours = json::scan(line, "text", "id");
    // serde_json's grammar alone: `IgnoredAny` checks the syntax of every value but not the
    // range of numbers (`1E9999` is valid JSON) nor the pairing of surrogate escapes, as the
    // scanner does for every field but the text. Its nesting limit is 128.
    let grammar = serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok()
        && line.trim_start().starts_with('{');
    if grammar {
        if let Err(e) = &ours {
            assert!(
                e.what.contains("appears twice") || e.what.contains("not a string"),
                "serde_json reads {line:?} but the scanner says {e}"
            );
        }
    }
    let Ok(fields) = ours else {
        return;
    };
    if depth(line) < 100 {
        assert!(
            grammar,
            "the scanner accepts {line:?} but serde_json does not"
        );
    }
    if let Some(id) = fields.id.clone() {
        assert!(serde_json::from_str::<serde::de::IgnoredAny>(&line[id]).is_ok());
    }
    let Some(token) = fields.text.clone() else {
        return;
    };
    let raw = &line[token.start + 1..token.end - 1];
    assert_eq!(fields.text_escaped, raw.contains('\\'));
    let mut text = String::new();
    let decoded = json::unescape(raw, &mut text);
    let reference = serde_json::from_str::<String>(&line[token.clone()]);
    match (&decoded, &reference) {
        (Ok(()), Ok(s)) => assert_eq!(&text, s, "decoded differently from serde_json"),
        (Err(_), Err(_)) => return,
        _ => panic!("{line:?}: scanner {decoded:?}, serde_json {reference:?}"),
    }
    // Cut a piece out at char boundaries picked from the data, and splice the rest back in.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let pick = |k: usize| bounds[data.get(k).copied().unwrap_or(0) as usize % bounds.len()];
    let (a, b) = (pick(0).min(pick(1)), pick(0).max(pick(1)));
    let kept = format!("{}{}", &text[..a], &text[b..]);
    for ascii in [false, true] {
        let mut out = line.as_bytes()[..token.start].to_vec();
        out.push(b'"');
        json::escape_into(&text[..a], ascii, &mut out);
        json::escape_into(&text[b..], ascii, &mut out);
        out.push(b'"');
        out.extend_from_slice(&line.as_bytes()[token.end..]);
        let out = String::from_utf8(out).expect("UTF-8 out");
        let again = json::scan(&out, "text", "id").expect("the written line scans");
        let t = again.text.expect("the text is still there");
        let mut back = String::new();
        json::unescape(&out[t.start + 1..t.end - 1], &mut back).expect("decodes");
        assert_eq!(back, kept, "the written text is not the kept text");
        assert_eq!(
            serde_json::from_str::<String>(&out[t.clone()]).unwrap(),
            kept
        );
        assert!(
            !ascii || out[t].is_ascii(),
            "ensure_ascii text is not ASCII"
        );
    }
}
