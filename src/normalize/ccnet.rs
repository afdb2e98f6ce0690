//! The `ccnet` preset: CCNet's `normalize_for_dedup`, reproduced exactly.

use super::general::props::{Props, DIGIT, LETTER};

/// The 34 characters of CCNet's `UNICODE_PUNCT` table, which `normalize_for_dedup` deletes.
/// (`１` is in the table too, but digits become `0` before the deletion runs, so it never
/// matches; it is kept here to mirror the source.)
const CCNET_PUNCT: &[char] = &[
    '，', '。', '、', '„', '”', '“', '«', '»', '１', '」', '「', '《', '》', '´', '∶', '：', '？',
    '！', '（', '）', '；', '–', '—', '．', '～', '’', '…', '━', '〈', '〉', '【', '】', '％', '►',
];

/// Python's `str.isspace`, which `str.strip` uses: `White_Space` plus the information
/// separators U+001C–U+001F.
#[inline]
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

/// [`CCNET_PUNCT`] in order, for a binary search: a linear scan of it for every character was
/// the largest cost of the `ccnet` preset.
const CCNET_PUNCT_SORTED: [char; 34] = {
    let mut sorted = [' '; 34];
    let mut i = 0;
    while i < CCNET_PUNCT.len() {
        sorted[i] = CCNET_PUNCT[i];
        i += 1;
    }
    // Insertion sort, which a `const` can run.
    let mut i = 1;
    while i < sorted.len() {
        let mut j = i;
        while j > 0 && (sorted[j - 1] as u32) > (sorted[j] as u32) {
            let swap = sorted[j - 1];
            sorted[j - 1] = sorted[j];
            sorted[j] = swap;
            j -= 1;
        }
        i += 1;
    }
    sorted
};

#[inline]
fn is_ccnet_deleted(c: char) -> bool {
    // Every character of CCNet's table is beyond ASCII.
    matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
        || !c.is_ascii() && CCNET_PUNCT_SORTED.binary_search(&c).is_ok()
}

/// ASCII through CCNet's steps: letters lowercased, digits to `0`, control characters
/// deleted (no ASCII character is in CCNet's punctuation table).
#[inline(always)]
fn ccnet_ascii_into(ascii: &[u8], out: &mut String) {
    for &b in ascii {
        match b {
            b'0'..=b'9' => out.push('0'),
            0..=0x1F | 0x7F => {}
            _ => out.push(char::from(b.to_ascii_lowercase())),
        }
    }
}

/// CCNet's `normalize_for_dedup`: `strip`, `lower`, `\d` to `0`, delete punctuation and control
/// characters.
#[inline]
pub(super) fn ccnet_into(text: &str, out: &mut String) {
    let text = text.trim_matches(is_python_space);
    if text.is_ascii() {
        out.reserve(text.len());
        ccnet_ascii_into(text.as_bytes(), out);
        return;
    }
    let push = |c: char, out: &mut String| {
        if c.is_ascii() {
            if c.is_ascii_digit() {
                out.push('0');
            } else if !is_ccnet_deleted(c) {
                out.push(c.to_ascii_lowercase());
            }
        } else {
            match Props::of(c).class() {
                // No letter is in CCNet's table (a unit test checks).
                LETTER => out.push(c),
                DIGIT => out.push('0'),
                _ if !is_ccnet_deleted(c) => out.push(c),
                _ => {}
            }
        }
    };
    if text.contains('\u{3A3}') {
        // Python's `str.lower` and `str::to_lowercase` lowercase Σ by its context (final sigma),
        // so this rare case takes the whole string at once.
        for c in text.to_lowercase().chars() {
            push(c, out);
        }
    } else {
        // Without Σ, full lowercasing is per character, and nothing is allocated: one table
        // lookup gives the lowercase, and one more the class of a changed character.
        for c in text.chars() {
            if c.is_ascii() {
                ccnet_ascii_into(&[c as u8], out);
                continue;
            }
            let props = Props::of(c);
            if props.lower_is_self() {
                push(c, out);
            } else if props.lowers_to_several() {
                c.to_lowercase().for_each(|l| push(l, out));
            } else {
                push(props.lower(c), out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Normalizer;
    use super::*;

    #[test]
    fn ccnet_is_not_idempotent_like_the_original() {
        // CCNet strips before it deletes, so a deleted character can leave a space at an end:
        // the preset reproduces that rather than fixing it.
        let n = Normalizer::ccnet();
        let once = n.normalize("x \u{2019}").into_owned();
        assert_eq!(once, "x ");
        assert_eq!(n.normalize(&once), "x");
    }

    #[test]
    fn ccnet_table_has_the_source_size() {
        assert_eq!(CCNET_PUNCT.len(), 34);
        let mut sorted = CCNET_PUNCT.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, CCNET_PUNCT_SORTED);
        assert!(CCNET_PUNCT.iter().all(|c| !c.is_ascii()));
        assert!(CCNET_PUNCT.iter().all(|c| !c.is_alphabetic()));
    }
}

#[cfg(test)]
mod properties {
    use super::super::strategies::texts;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn ccnet_without_allocation_equals_whole_string_lowercase(text in texts()) {
            let mut ours = String::new();
            ccnet_into(&text, &mut ours);
            let stripped = text.trim_matches(is_python_space);
            let reference: String = stripped
                .to_lowercase()
                .chars()
                .filter_map(|c| {
                    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
                    if c.general_category() == GeneralCategory::DecimalNumber {
                        Some('0')
                    } else {
                        (!is_ccnet_deleted(c)).then_some(c)
                    }
                })
                .collect();
            prop_assert_eq!(ours, reference);
        }
    }
}
