//! ASCII classes: which bytes are white space, punctuation or symbols, and the tables the
//! general path's ASCII runs are mapped by.

/// In an ASCII table: the byte becomes a separator (punctuation or a dropped symbol).
pub(super) const SEPARATOR: u8 = 0x80;
/// In an ASCII table: the byte is `White_Space`.
pub(super) const SPACE: u8 = 0x81;
/// In an ASCII table: the byte is a decimal digit.
pub(super) const DIGIT: u8 = 0x82;

/// One table per combination of the switches that change how an ASCII byte is classified
/// (bit 0 lowercase, bit 1 punctuation, bit 2 drop symbols), built at compile time from the
/// same predicates as `Normalizer::ascii_class`.
pub(super) static ASCII_TABLES: [[u8; 128]; 8] = {
    let mut tables = [[0u8; 128]; 8];
    let mut index = 0;
    while index < 8 {
        let mut b = 0u8;
        while b < 128 {
            let lowered = if index & 1 != 0 {
                b.to_ascii_lowercase()
            } else {
                b
            };
            tables[index][b as usize] = if b.is_ascii_digit() {
                DIGIT
            } else if is_ascii_white_space(b) {
                SPACE
            } else if (index & 2 != 0 && is_ascii_punctuation(b))
                || (index & 4 != 0 && is_ascii_symbol(b))
            {
                SEPARATOR
            } else {
                lowered
            };
            b += 1;
        }
        index += 1;
    }
    tables
};

/// ASCII characters that are Unicode `White_Space`: tab, LF, VT, FF, CR and space. (Not the
/// information separators U+001C–U+001F, which `u8::is_ascii_whitespace` also omits VT for.)
#[inline]
pub(super) const fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// ASCII characters of general category `P*`. `$ + < = > ^ ` | ~` are symbols (`S*`), not
/// punctuation.
#[inline]
pub(super) const fn is_ascii_punctuation(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'"'
            | b'#'
            | b'%'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b','
            | b'-'
            | b'.'
            | b'/'
            | b':'
            | b';'
            | b'?'
            | b'@'
            | b'['
            | b'\\'
            | b']'
            | b'_'
            | b'{'
            | b'}'
    )
}

/// ASCII characters of general category `S*`.
#[inline]
pub(super) const fn is_ascii_symbol(b: u8) -> bool {
    matches!(
        b,
        b'$' | b'+' | b'<' | b'=' | b'>' | b'^' | b'`' | b'|' | b'~'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

    #[test]
    fn ascii_tables_match_general_categories() {
        for b in 0u8..128 {
            let c = b as char;
            let group = c.general_category_group();
            assert_eq!(
                is_ascii_punctuation(b),
                group == GeneralCategoryGroup::Punctuation,
                "{c:?}"
            );
            assert_eq!(
                is_ascii_symbol(b),
                group == GeneralCategoryGroup::Symbol,
                "{c:?}"
            );
            assert_eq!(is_ascii_white_space(b), c.is_whitespace(), "{c:?}");
        }
    }
}
