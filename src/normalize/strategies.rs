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

/// Text with the characters that make normalization interesting, and any character at all.
pub(super) fn texts() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 \t,.!?'\"$+<=>^`|~_@#-]{0,40}",
        "[aeAEéÉ\u{301}\u{308}İıΣσςﬁＡ１٣ \u{A0}«»…’\u{2014}😀👍🏽\u{200D}\u{FE0F}한글\u{1100}\u{1161}\u{11A8}가0-9.,иИ\u{306}中，]{0,30}",
        any::<String>(),
    ]
}
