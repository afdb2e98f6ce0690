//! What the normalizer's property tests draw: normalizers and texts.

use super::Normalizer;
use proptest::prelude::*;

/// Every preset, with every combination of the three options.
pub(super) fn normalizers() -> impl Strategy<Value = Normalizer> {
    (
        prop_oneof![
            Just(Normalizer::exact()),
            Just(Normalizer::standard()),
            Just(Normalizer::exact().lowercase(true).whitespace(true)),
            Just(Normalizer::exact().punctuation(true)),
            Just(Normalizer::exact().nfkc(true)),
        ],
        any::<(bool, bool, bool)>(),
    )
        .prop_map(|(n, (a, d, s))| n.strip_accents(a).fold_digits(d).drop_symbols(s))
}

/// Text with the characters that make normalization interesting, any character at all, and
/// characters of one 256-code-point page (any page of planes 0 to 3 and 14, all as likely)
/// mixed with ASCII letters, spaces and punctuation, so every Unicode block is drawn from.
pub(super) fn texts() -> impl Strategy<Value = String> {
    prop_oneof![
        paged(),
        "[a-zA-Z0-9 \t,.!?'\"$+<=>^`|~_@#-]{0,40}",
        "[aeAEéÉ\u{301}\u{308}İıΣσςﬁＡ１٣ \u{A0}«»…’\u{2014}😀👍🏽\u{200D}\u{FE0F}한글\u{1100}\u{1161}\u{11A8}가0-9.,иИ\u{306}中，]{0,30}",
        any::<String>(),
    ]
}

/// Characters of one page, with ASCII between them.
fn paged() -> impl Strategy<Value = String> {
    (prop_oneof![0u32..0x400, 0xE00u32..0xE02]).prop_flat_map(|page| {
        proptest::collection::vec(
            prop_oneof![
                3 => (0u32..0x100).prop_map(move |low| {
                    char::from_u32(page << 8 | low).unwrap_or('\u{FFFD}')
                }),
                1 => proptest::sample::select(vec!['a', 'Z', ' ', ',', '1', '\u{301}']),
            ],
            0..30,
        )
        .prop_map(|chars| chars.into_iter().collect::<String>())
    })
}
