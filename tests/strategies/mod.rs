//! The generated documents the property tests share: lines drawn from a small pool, so repeats
//! (exact, after normalization, and near) are common, joined by every kind of line break and
//! blank line.

use proptest::prelude::*;

/// One document.
pub fn document() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("Comme toujours".to_owned()),
        Just("comme  TOUJOURS!".to_owned()),
        Just("« Comme toujours… »".to_owned()),
        Just("« COMME toujours… »".to_owned()),
        Just("S'abonner".to_owned()),
        Just("S\u{2019}abonner".to_owned()),
        Just("12 Commentaires".to_owned()),
        Just("3 commentaires".to_owned()),
        Just("***".to_owned()),
        Just("ΟΔΟΣ".to_owned()),
        Just("οδος".to_owned()),
        Just("caf\u{E9}".to_owned()),
        Just("cafe\u{301}".to_owned()),
        Just("\u{FEFF}".to_owned()),
        Just("\u{FEFF}bom".to_owned()),
        "[a-c ]{0,4}",
        "[a-cA-C\u{A0}\u{2014}😀é.,]{1,6}",
        any::<String>(),
    ];
    let sep = prop_oneof![
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just("\n\n"),
        Just("\u{85}"),
        Just("\u{2028}"),
        Just("\u{2029}"),
        Just(" \n \t\n"),
    ];
    prop::collection::vec((line, sep), 0..24)
        .prop_map(|parts| parts.into_iter().map(|(line, sep)| line + sep).collect())
}
