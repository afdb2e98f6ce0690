//! The normalizer's definition, written the slow, obvious way with the Unicode crates and
//! `std` called per character: what every fast path is compared with in the property tests.

use unicode_normalization::char::decompose_canonical;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

use super::{Normalizer, Preset};

/// The normalized form of `text` by the definition.
pub(super) fn normalize(n: &Normalizer, text: &str) -> String {
    if n.preset == Preset::Ccnet {
        return ccnet(text);
    }
    let text = text.trim();
    if n.is_identity() {
        return text.to_owned();
    }
    let mut out = pass(n, text);
    // A step can leave a sequence NFKC would compose further: the steps run again until
    // nothing changes (at most four more times).
    if n.nfkc && is_nfkc_quick(out.chars()) != IsNormalized::Yes {
        for _ in 0..4 {
            let again = pass(n, &out);
            if again == out {
                break;
            }
            out = again;
        }
    }
    out
}

/// One run of the steps.
fn pass(n: &Normalizer, text: &str) -> String {
    let composed: String = if n.nfkc {
        text.nfkc().collect()
    } else {
        text.to_owned()
    };
    let mut chars = Vec::new();
    for c in composed.chars() {
        let lowered: Vec<char> = if !n.lowercase {
            vec![c]
        } else if c == 'ς' {
            vec!['σ']
        } else {
            c.to_lowercase().collect()
        };
        for l in lowered {
            if n.strip_accents && !l.is_ascii() && !('\u{AC00}'..='\u{D7A3}').contains(&l) {
                decompose_canonical(l, |d| {
                    if d.general_category() != GeneralCategory::NonspacingMark {
                        chars.push(d);
                    }
                });
            } else {
                chars.push(l);
            }
        }
    }
    // Classes, digit folding and whitespace collapse.
    let mut out = String::new();
    let mut pending_space = false;
    let mut in_digits = false;
    for c in chars {
        let space = c.is_whitespace();
        let separator = !c.is_alphabetic()
            && !space
            && match c.general_category_group() {
                GeneralCategoryGroup::Punctuation => n.punctuation,
                GeneralCategoryGroup::Symbol => n.drop_symbols,
                _ => n.drop_symbols && matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}'),
            };
        let digit = c.general_category() == GeneralCategory::DecimalNumber;
        if space || separator {
            in_digits = false;
            if n.whitespace {
                pending_space = true;
            } else {
                out.push(if separator { ' ' } else { c });
            }
            continue;
        }
        if pending_space {
            if !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
        }
        if digit && n.fold_digits {
            if !in_digits {
                out.push('0');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    out.trim().to_owned()
}

/// CCNet's `normalize_for_dedup`: Python's `strip` and `lower`, `\d` to `0`, its punctuation
/// table and the control characters deleted.
fn ccnet(text: &str) -> String {
    const PUNCT: &str = "，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►";
    let stripped =
        text.trim_matches(|c: char| c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c));
    stripped
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.general_category() == GeneralCategory::DecimalNumber {
                Some('0')
            } else if PUNCT.contains(c) || matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}') {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

#[cfg(test)]
mod properties {
    use super::super::strategies::{normalizers, texts};
    use super::super::Normalizer;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn every_path_equals_the_definition(
            n in prop_oneof![normalizers(), Just(Normalizer::ccnet())],
            text in texts(),
        ) {
            prop_assert_eq!(n.normalize(&text).into_owned(), super::normalize(&n, &text));
        }
    }
}
