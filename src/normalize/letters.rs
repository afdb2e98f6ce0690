//! The letters most text is made of, known without a Unicode table lookup: what NFKC and
//! lowercasing make of them is a range check.

/// Letters of the scripts most text is in that are NFKC-stable on their own (quick check
/// `Yes`, combining class 0, and never composed with what precedes them): Latin-1 and Latin
/// Extended-A letters, the basic Cyrillic alphabet, common typographic quotes and dashes, CJK
/// ideographs and Hangul syllables. A unit test checks every one against the Unicode tables.
#[inline(always)]
pub(super) fn is_common_stable(c: char) -> bool {
    is_common_letter(c)
        || matches!(
            c,
            '\u{AB}'
                | '\u{BB}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{3001}'
                | '\u{3002}'
        )
}

/// The letters among [`is_common_stable`]: known alphabetic without a table lookup.
#[inline(always)]
pub(super) fn is_common_letter(c: char) -> bool {
    matches!(c,
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{131}'
        | '\u{134}'..='\u{13E}' | '\u{141}'..='\u{148}' | '\u{14A}'..='\u{17E}'
        | '\u{401}' | '\u{410}'..='\u{44F}' | '\u{451}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}')
}

/// For the letters of [`is_common_letter`] whose lowercase is a fixed offset (Latin-1,
/// basic Cyrillic) or themselves (CJK ideographs, Hangul syllables): the letter, lowercased
/// when `lowercase`. `None` for any other character, or for every one when `strip_accents`
/// (accents need the decomposition). What the general path makes of them, without its
/// tables; a unit test checks every one.
#[inline(always)]
pub(super) fn common_letter_cased(c: char, lowercase: bool, strip_accents: bool) -> Option<char> {
    if strip_accents {
        return None;
    }
    // Tested in the order of how often they come: ideographs and syllables, which no step
    // changes, then capitals, then small letters.
    let cp = u32::from(c);
    if matches!(cp, 0x4E00..=0x9FFF | 0xAC00..=0xD7A3) {
        return Some(c);
    }
    if matches!(cp, 0xC0..=0xD6 | 0xD8..=0xDE | 0x410..=0x42F) {
        return Some(if lowercase {
            char::from_u32(cp + 0x20).unwrap_or(c)
        } else {
            c
        });
    }
    match cp {
        0xDF..=0xF6 | 0xF8..=0xFF | 0x430..=0x44F | 0x451 => Some(c),
        0x401 if lowercase => Some('\u{451}'),
        0x401 => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::{is_nfkc_quick, IsNormalized};

    #[test]
    fn common_letters_case_as_the_tables_say() {
        for c in ('\u{80}'..='\u{D7FF}').chain(['a']) {
            for lowercase in [false, true] {
                let Some(cased) = common_letter_cased(c, lowercase, false) else {
                    continue;
                };
                let expected: Vec<char> = if lowercase {
                    c.to_lowercase().collect()
                } else {
                    vec![c]
                };
                assert_eq!(expected, [cased], "{c:?}");
                assert!(is_common_letter(c) && is_common_letter(cased), "{c:?}");
                assert!(common_letter_cased(c, lowercase, true).is_none());
            }
        }
    }

    #[test]
    fn common_stable_characters_are_stable() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert!(!is_common_letter(c) || c.is_alphabetic(), "{c:?}");
            if is_common_stable(c) {
                assert_eq!(
                    is_nfkc_quick(core::iter::once(c)),
                    IsNormalized::Yes,
                    "{c:?}"
                );
                assert_eq!(canonical_combining_class(c), 0, "{c:?}");
                // Neither half of a canonical composition's second position.
                assert_eq!(unicode_normalization::char::compose('e', c), None, "{c:?}");
            }
        }
    }
}
