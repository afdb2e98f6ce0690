//! Every normalization preset and switch. For every preset but `ccnet`: idempotent,
//! `normalize_into` equals `normalize`, the result is trimmed. For `ccnet`, what the crate
//! documents instead: it equals CCNet's `normalize_for_dedup` (strip with Python's whitespace,
//! whole-string lowercase, decimal digits to `0`, delete the 34 punctuation characters and the C0
//! and C1 controls), and, since it strips before it deletes, normalizing twice equals normalizing
//! once and stripping.

use paradedup::{Normalizer, Preset};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

const CCNET_PUNCT: &[char] = &[
    '，', '。', '、', '„', '”', '“', '«', '»', '１', '」', '「', '《', '》', '´', '∶', '：', '？',
    '！', '（', '）', '；', '–', '—', '．', '～', '’', '…', '━', '〈', '〉', '【', '】', '％', '►',
];

fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

/// CCNet's `normalize_for_dedup`, written the plain way.
fn ccnet_reference(text: &str) -> String {
    text.trim_matches(is_python_space)
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.general_category() == GeneralCategory::DecimalNumber {
                Some('0')
            } else if matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
                || CCNET_PUNCT.contains(&c)
            {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

fn normalizer(bits: u16) -> Normalizer {
    let preset = match bits & 3 {
        0 => Preset::Exact,
        1 => Preset::Standard,
        _ => Preset::Ccnet,
    };
    let on = |bit: u16| bits & (1 << bit) != 0;
    let n = Normalizer::from_preset(preset);
    if preset == Preset::Ccnet {
        return n;
    }
    n.nfkc(on(2) ^ (preset == Preset::Standard))
        .lowercase(on(3) ^ (preset == Preset::Standard))
        .punctuation(on(4) ^ (preset == Preset::Standard))
        .whitespace(on(5) ^ (preset == Preset::Standard))
        .strip_accents(on(6))
        .fold_digits(on(7))
        .drop_symbols(on(8))
}

/// Checks one fuzz input: panics when an invariant fails.
pub fn run(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let n = normalizer(u16::from_le_bytes([data[0], data[1]]));
    let text = String::from_utf8_lossy(&data[2..]);
    let once = n.normalize(&text).into_owned();
    let mut into = String::from("stale");
    n.normalize_into(&text, &mut into);
    assert_eq!(into, once, "normalize_into differs from normalize");
    let twice = n.normalize(&once).into_owned();
    if n.preset() == Preset::Ccnet {
        assert_eq!(
            once,
            ccnet_reference(text.trim()),
            "ccnet differs from CCNet's function"
        );
        assert_eq!(
            twice,
            once.trim_matches(is_python_space),
            "ccnet twice is not ccnet once, stripped"
        );
    } else {
        assert_eq!(once.trim(), once, "not trimmed");
        assert_eq!(twice, once, "{n:?} is not idempotent");
    }
}
