//! JSON Lines without a parse tree.
//!
//! A corpus line is read once by a small validating scanner that checks it is one JSON object
//! and notes where the top-level text and id values lie. Only the text string is decoded; the
//! rest of the line is never rebuilt, so every other field keeps its exact bytes (key order,
//! number formatting, escapes) when the new text is spliced in between the old token's
//! neighbours. This is what makes the tool fast and lossless at once: a `serde_json::Value` tree
//! would cost an allocation per field and would reformat numbers and escapes.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// Nesting deeper than this is refused rather than risking the stack on hostile input.
const MAX_DEPTH: usize = 256;

/// What is wrong with a line, and where (a byte column from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The byte column, from 1, where the problem was found; 0 when it concerns the whole line.
    pub column: usize,
    /// What is wrong, in lowercase words.
    pub what: String,
}

impl LineError {
    fn at(column0: usize, what: impl Into<String>) -> LineError {
        LineError {
            column: column0 + 1,
            what: what.into(),
        }
    }

    /// A problem with the line as a whole, with no useful column.
    pub fn whole(what: impl Into<String>) -> LineError {
        LineError {
            column: 0,
            what: what.into(),
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column == 0 {
            f.write_str(&self.what)
        } else {
            write!(f, "{} (column {})", self.what, self.column)
        }
    }
}

/// Where the fields the tool cares about lie in a line that is one valid JSON object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fields {
    /// The text value's string token, quotes included.
    pub text: Option<Range<usize>>,
    /// True when the text token holds a backslash escape, so it must be decoded.
    pub text_escaped: bool,
    /// The id value's token, any JSON value, as written.
    pub id: Option<Range<usize>>,
}

/// Checks that `line` is exactly one JSON object (surrounding whitespace allowed) and finds its
/// top-level `text_key` and `id_key` values.
///
/// # Errors
///
/// Any JSON syntax error; a text value that is not a string; the text key twice.
pub fn scan(line: &str, text_key: &str, id_key: &str) -> Result<Fields, LineError> {
    let mut s = Scanner {
        b: line.as_bytes(),
        pos: 0,
    };
    s.skip_ws();
    if s.peek() != Some(b'{') {
        return Err(match s.peek() {
            None => LineError::whole("the line is empty"),
            // A whole .json document holding an array is the usual way here: say how inputs
            // are read rather than only what this line lacks.
            Some(b'[') => LineError::at(
                s.pos,
                "expected a JSON object ('{'), found an array: every input, .json files too, is \
                 read as JSON Lines, one object per line",
            ),
            Some(_) => LineError::at(s.pos, "expected a JSON object ('{')"),
        });
    }
    let mut fields = Fields::default();
    s.pos += 1;
    s.skip_ws();
    if s.peek() == Some(b'}') {
        s.pos += 1;
    } else {
        loop {
            s.skip_ws();
            if s.peek() != Some(b'"') {
                return Err(s.expected("a field name in double quotes"));
            }
            let key_start = s.pos;
            let key_escaped = s.string()?;
            let key = &line[key_start + 1..s.pos - 1];
            let is_text = key_is(key, key_escaped, text_key);
            let is_id = !is_text && key_is(key, key_escaped, id_key);
            s.skip_ws();
            if s.peek() != Some(b':') {
                return Err(s.expected("':' after the field name"));
            }
            s.pos += 1;
            s.skip_ws();
            let value_start = s.pos;
            if is_text {
                if fields.text.is_some() {
                    return Err(LineError::at(
                        key_start,
                        format!("the field {text_key:?} appears twice"),
                    ));
                }
                if s.peek() != Some(b'"') {
                    let found = s.describe_value();
                    return Err(LineError::at(
                        value_start,
                        format!("the field {text_key:?} is {found}, not a string"),
                    ));
                }
                fields.text_escaped = s.string()?;
                fields.text = Some(value_start..s.pos);
            } else {
                s.value(1)?;
                if is_id && fields.id.is_none() {
                    fields.id = Some(value_start..s.pos);
                }
            }
            s.skip_ws();
            match s.peek() {
                Some(b',') => s.pos += 1,
                Some(b'}') => {
                    s.pos += 1;
                    break;
                }
                _ => return Err(s.expected("',' or '}' after a field")),
            }
        }
    }
    s.skip_ws();
    if s.pos != s.b.len() {
        return Err(LineError::at(
            s.pos,
            "unexpected data after the JSON object (one object per line)",
        ));
    }
    Ok(fields)
}

/// True when a raw key token's content (without quotes) names `wanted`.
fn key_is(raw: &str, escaped: bool, wanted: &str) -> bool {
    if !escaped {
        return raw == wanted;
    }
    // Rare: a key written with escapes, such as "te\u0078t".
    let mut decoded = String::new();
    unescape(raw, &mut decoded).is_ok() && decoded == wanted
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expected(&self, what: &str) -> LineError {
        match self.peek() {
            None => LineError::at(self.pos, format!("the line ends early: expected {what}")),
            Some(_) => LineError::at(self.pos, format!("expected {what}")),
        }
    }

    /// Names the kind of value at the cursor, for messages.
    fn describe_value(&self) -> &'static str {
        match self.peek() {
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b't' | b'f') => "a boolean",
            Some(b'n') => "null",
            Some(b'-' | b'0'..=b'9') => "a number",
            _ => "not a valid JSON value",
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), LineError> {
        if depth > MAX_DEPTH {
            return Err(LineError::at(
                self.pos,
                format!("values nested more than {MAX_DEPTH} deep"),
            ));
        }
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.expected("a JSON value")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), LineError> {
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.expected("a field name in double quotes"));
            }
            self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.expected("':' after the field name"));
            }
            self.pos += 1;
            self.skip_ws();
            self.value(depth)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.expected("',' or '}' in an object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), LineError> {
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            self.value(depth)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.expected("',' or ']' in an array")),
            }
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), LineError> {
        if self.b[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(LineError::at(self.pos, "expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<(), LineError> {
        let bad = |at: usize| LineError::at(at, "malformed number");
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(bad(self.pos)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(bad(self.pos));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(bad(self.pos));
            }
            self.digits();
        }
        Ok(())
    }

    #[inline]
    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// Skips a string token, the cursor on its opening quote; true when it holds an escape.
    ///
    /// The line is already known to be UTF-8, so only JSON's own rules are checked here: no raw
    /// control character, and escapes among `\" \\ \/ \b \f \n \r \t \uXXXX`.
    #[inline]
    fn string(&mut self) -> Result<bool, LineError> {
        let open = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            let rest = &self.b[self.pos..];
            let i = find_special(rest, false);
            let unclosed = || LineError::at(open, "a string is not closed");
            match rest.get(i) {
                None => return Err(unclosed()),
                Some(b'"') => {
                    self.pos += i + 1;
                    return Ok(escaped);
                }
                Some(b'\\') => self.pos += i,
                Some(_) => {
                    // A string with no quote or backslash after it is reported as unclosed,
                    // whatever it holds: the messages say what the first problem is.
                    if memchr::memchr2(b'"', b'\\', &rest[i..]).is_none() {
                        return Err(unclosed());
                    }
                    return Err(LineError::at(
                        self.pos + i,
                        "a raw control character inside a string (must be escaped)",
                    ));
                }
            }
            escaped = true;
            let at = self.pos;
            match self.b.get(self.pos + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 2,
                Some(b'u') => {
                    let hex = self.b.get(self.pos + 2..self.pos + 6);
                    if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                        return Err(LineError::at(at, "a \\u escape needs four hex digits"));
                    }
                    self.pos += 6;
                }
                _ => return Err(LineError::at(at, "an invalid escape in a string")),
            }
        }
    }
}

/// Decodes the content of a JSON string token (without its quotes) into `out`, replacing what
/// it held. The token must have passed [`scan`].
///
/// # Errors
///
/// A `\u` escape of a lone UTF-16 surrogate, which no Rust string (and no valid Unicode text)
/// can hold; the error gives its byte offset in `raw`.
pub fn unescape(raw: &str, out: &mut String) -> Result<(), LineError> {
    out.clear();
    out.reserve(raw.len());
    let bytes = raw.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'\\', &bytes[from..]) {
        let at = from + i;
        out.push_str(&raw[from..at]);
        let (c, len) = match bytes[at + 1] {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            _ => decode_u(raw, at)?,
        };
        out.push(c);
        from = at + len;
    }
    out.push_str(&raw[from..]);
    Ok(())
}

/// Decodes the `\uXXXX` escape at `at` (with its low surrogate, if it is a pair); returns the
/// character and the escape's length in bytes.
fn decode_u(raw: &str, at: usize) -> Result<(char, usize), LineError> {
    let hex = |i: usize| {
        raw.get(i..i + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let lone = || LineError::at(at, "a lone UTF-16 surrogate escape in the text");
    let unit = hex(at + 2).ok_or_else(|| LineError::at(at, "a malformed \\u escape"))?;
    match unit {
        0xD800..=0xDBFF => {
            if raw.as_bytes().get(at + 6..at + 8) != Some(b"\\u") {
                return Err(lone());
            }
            let low = hex(at + 8).ok_or_else(lone)?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return Err(lone());
            }
            let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            Ok((char::from_u32(c).ok_or_else(lone)?, 12))
        }
        0xDC00..=0xDFFF => Err(lone()),
        _ => Ok((char::from_u32(unit).ok_or_else(lone)?, 6)),
    }
}

/// The offset of the first byte of `bytes` that a JSON string cannot hold as it is: `"`, `\` or
/// a C0 control, and with `non_ascii` any byte from 0x80 as well; `bytes.len()` when there is
/// none.
///
/// Both the scanner and the writer spend most of their time running over plain text between
/// such bytes, so this looks at 16 bytes a step where SSE2 is there.
#[inline]
fn find_special(bytes: &[u8], non_ascii: bool) -> usize {
    let mut i = 0;
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    while let Some(chunk) = bytes.get(i..i + 16) {
        let found = sse2::special(chunk.try_into().expect("sixteen bytes"), non_ascii);
        if found != 0 {
            return i + found.trailing_zeros() as usize;
        }
        i += 16;
    }
    i + bytes[i..]
        .iter()
        .position(|&b| is_special(b, non_ascii))
        .unwrap_or(bytes.len() - i)
}

/// One byte of [`find_special`]: the definition its SIMD steps must match.
#[inline]
fn is_special(b: u8, non_ascii: bool) -> bool {
    b < 0x20 || b == b'"' || b == b'\\' || (non_ascii && b >= 0x80)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x, _mm_setzero_si128,
    };

    /// Bit `k` set when `chunk[k]` is special in the sense of [`super::find_special`].
    #[allow(unsafe_code)]
    #[inline]
    pub(super) fn special(chunk: &[u8; 16], non_ascii: bool) -> u32 {
        // SAFETY: this module is compiled only where SSE2 is enabled for the whole build
        // (`cfg(target_feature = "sse2")`, part of the x86-64 baseline).
        unsafe { special_sse2(chunk, non_ascii) }
    }

    #[target_feature(enable = "sse2")]
    #[inline]
    fn special_sse2(chunk: &[u8; 16], non_ascii: bool) -> u32 {
        let word = |k: usize| i64::from_le_bytes(chunk[k..k + 8].try_into().expect("eight bytes"));
        let v: __m128i = _mm_set_epi64x(word(8), word(0));
        let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        // SSE2 compares bytes as signed only: `min(v, 0x1f) == v` is the unsigned `v < 0x20`,
        // and the signed `v < 0` is `v >= 0x80`.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        let high = _mm_and_si128(
            _mm_cmplt_epi8(v, _mm_setzero_si128()),
            _mm_set1_epi8(if non_ascii { -1 } else { 0 }),
        );
        let found = _mm_or_si128(
            _mm_or_si128(is(b'"'), is(b'\\')),
            _mm_or_si128(control, high),
        );
        _mm_movemask_epi8(found) as u32
    }
}

/// Appends `text` as the content of a JSON string (no quotes) to `out`.
///
/// Escapes what JSON requires, the short forms where they exist. With `ascii_only`, every
/// non-ASCII character is written as `\uXXXX` (a surrogate pair beyond the BMP), the way
/// Python's `json.dumps` does by default: a corpus written that way stays that way.
pub fn escape_into(text: &str, ascii_only: bool, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let mut from = 0;
    let mut i = 0;
    loop {
        i += find_special(&bytes[i..], ascii_only);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        out.extend_from_slice(&bytes[from..i]);
        if b >= 0x80 {
            // A char boundary: every byte before it in this run was copied whole.
            let c = text[i..].chars().next().expect("a char starts here");
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                push_u_escape(*unit, out);
            }
            i += c.len_utf8();
        } else {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                _ => push_u_escape(u16::from(b), out),
            }
            i += 1;
        }
        from = i;
    }
    out.extend_from_slice(&bytes[from..]);
}

fn push_u_escape(unit: u16, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((unit >> shift) & 0xf)]);
    }
}

/// Appends `text` as a complete JSON string token, quotes included.
pub fn push_string(text: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    escape_into(text, false, out);
    out.push(b'"');
}

/// A line's content and its terminator (`\n`, `\r\n`, or nothing at the end of the input).
pub fn split_terminator(line: &[u8]) -> (&[u8], &[u8]) {
    let mut end = line.len();
    if line.ends_with(b"\n") {
        end -= 1;
        if line[..end].ends_with(b"\r") {
            end -= 1;
        }
    }
    line.split_at(end)
}

/// Where a well-formed line's fields are.
pub struct Parsed {
    /// The text value's string token, quotes included.
    pub text: Range<usize>,
    /// The id value's token.
    pub id: Option<Range<usize>>,
}

/// Checks one JSON line and finds its text, decoded when it holds escapes.
///
/// # Errors
///
/// Invalid UTF-8, any error of [`scan`], no text field, or a text that cannot be decoded.
pub fn parse_line<'a>(
    content: &'a [u8],
    text_key: &str,
    id_key: &str,
) -> Result<(Parsed, Cow<'a, str>), LineError> {
    let line = utf8(content)?;
    let fields = scan(line, text_key, id_key)?;
    let Some(token) = fields.text else {
        return Err(LineError::whole(format!("no {text_key:?} field")));
    };
    let raw = &line[token.start + 1..token.end - 1];
    let text = if fields.text_escaped {
        let mut text = String::new();
        unescape(raw, &mut text).map_err(|e| LineError {
            column: e.column + token.start + 1,
            what: e.what,
        })?;
        Cow::Owned(text)
    } else {
        Cow::Borrowed(raw)
    };
    let parsed = Parsed {
        text: token,
        id: fields.id,
    };
    Ok((parsed, text))
}

/// `content` as text, checked by SIMD; only a line that fails is checked again by std, whose
/// error tells where the first bad byte is (simdutf8's fast check does not).
fn utf8(content: &[u8]) -> Result<&str, LineError> {
    match simdutf8::basic::from_utf8(content) {
        Ok(line) => Ok(line),
        Err(_) => std::str::from_utf8(content).map_err(|e| LineError {
            column: e.valid_up_to() + 1,
            what: "invalid UTF-8".to_owned(),
        }),
    }
}

/// Appends `content` (a line [`parse_line`] read, without its terminator) to `out` with its
/// text token replaced by `text` (the decoded text) minus the byte ranges `cuts` (in increasing
/// order); every other byte of the line is kept as it was. With no cut, the line is copied.
pub fn splice_text(
    content: &[u8],
    token: &Range<usize>,
    text: &str,
    cuts: impl IntoIterator<Item = Range<usize>>,
    out: &mut Vec<u8>,
) {
    let mut cuts = cuts.into_iter().peekable();
    if cuts.peek().is_none() {
        out.extend_from_slice(content);
        return;
    }
    out.extend_from_slice(&content[..token.start]);
    out.push(b'"');
    // A text written with only ASCII (Python's `ensure_ascii`) stays so.
    let ascii = content[token.start + 1..token.end - 1].is_ascii();
    let mut from = 0;
    for cut in cuts {
        escape_into(&text[from..cut.start], ascii, out);
        from = cut.end;
    }
    escape_into(&text[from..], ascii, out);
    out.push(b'"');
    out.extend_from_slice(&content[token.end..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Result<Fields, LineError> {
        scan(line, "text", "id")
    }

    fn text_of(line: &str) -> String {
        let f = fields(line).unwrap();
        let t = f.text.unwrap();
        let mut out = String::new();
        unescape(&line[t.start + 1..t.end - 1], &mut out).unwrap();
        out
    }

    #[test]
    fn finds_text_and_id_at_top_level_only() {
        let line = r#"{"meta":{"text":"nested","id":1},"id":"doc-1","text":"a\nb","n":1.5e10}"#;
        let f = fields(line).unwrap();
        assert_eq!(&line[f.id.unwrap()], r#""doc-1""#);
        assert_eq!(&line[f.text.unwrap()], r#""a\nb""#);
        assert!(f.text_escaped);
        assert_eq!(text_of(line), "a\nb");
    }

    #[test]
    fn escaped_keys_match() {
        assert_eq!(text_of(r#"{"te\u0078t":"x"}"#), "x");
    }

    #[test]
    fn valid_lines() {
        for line in [
            "{}",
            " { } ",
            r#"{"text":""}"#,
            r#"{"a":[1,-0,0.5,-1e-7,1E+2,true,false,null,{},[],"\/\b\f\r\t\"\\"]}"#,
            r#"{"big":123456789012345678901234567890,"text":"é \ud83d\ude00"}"#,
            "{\"text\":\"x\"}\r",
        ] {
            assert!(fields(line).is_ok(), "{line}");
        }
    }

    #[test]
    fn invalid_lines_name_the_problem() {
        for (line, what) in [
            ("", "empty"),
            ("[1]", "expected a JSON object"),
            (r#"{"text":"x"} {}"#, "unexpected data"),
            (r#"{"text":"x""#, "ends early"),
            (r#"{"text":"x}"#, "not closed"),
            (r#"{"text":5}"#, "is a number, not a string"),
            (r#"{"text":null}"#, "is null, not a string"),
            (r#"{"text":"a","text":"b"}"#, "appears twice"),
            (r#"{"a":01}"#, "expected ',' or '}'"),
            (r#"{"a":1.}"#, "malformed number"),
            (r#"{"a":tru}"#, "expected a JSON value"),
            (r#"{"a":"\x"}"#, "invalid escape"),
            (r#"{"a":"\u12"}"#, "four hex digits"),
            ("{\"a\":\"\t\"}", "control character"),
            (r#"{"a":1,}"#, "field name"),
            (r#"{a:1}"#, "field name"),
        ] {
            let err = fields(line).unwrap_err();
            assert!(err.what.contains(what), "{line}: {err}");
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(300), "]".repeat(300));
        assert!(fields(&deep).unwrap_err().what.contains("nested"));
    }

    #[test]
    fn lone_surrogates_are_refused() {
        let mut out = String::new();
        for raw in [r"\ud83d", r"\ude00", r"\ud83d\u0041", r"x\ud83d"] {
            assert!(unescape(raw, &mut out).is_err(), "{raw}");
        }
        unescape(r"\ud83d\ude00\u00e9", &mut out).unwrap();
        assert_eq!(out, "😀é");
    }

    /// Pieces of JSON, whole and broken, for the differential test below.
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "\"a\"",
        "\"id\"",
        "\"\\n\\u00e9\"",
        "\"\\x\"",
        "\"",
        "\\",
        "\"\u{1}\"",
        "\"é\"",
        "1",
        "-0.5e3",
        "01",
        "1.",
        "-",
        "2E+7",
        "true",
        "nul",
        "null",
        "false",
    ];

    proptest::proptest! {
        /// The scanner accepts exactly the lines serde_json reads as one object (the text key
        /// is never formed here, so no text rule applies), and never panics.
        #[test]
        fn the_scanner_agrees_with_serde_json(
            wrap: bool,
            picks in proptest::collection::vec(0..TOKENS.len(), 0..24),
        ) {
            let mut line: String = picks.iter().map(|&i| TOKENS[i]).collect();
            if wrap {
                // Mostly-valid objects, so both answers get exercised.
                line = format!("{{{line}}}");
            }
            let ours = scan(&line, "text", "id").is_ok();
            let theirs = serde_json::from_str::<
                std::collections::BTreeMap<String, serde::de::IgnoredAny>,
            >(&line)
            .is_ok();
            proptest::prop_assert_eq!(ours, theirs, "{}", line);
        }

        /// Whatever the text, escaping then scanning and decoding gives it back.
        #[test]
        fn any_text_round_trips(text in "\\PC*|[\\x00-\\x20\"\\\\]*", ascii: bool) {
            let mut line = b"{\"id\":1,\"text\":\"".to_vec();
            escape_into(&text, ascii, &mut line);
            line.extend_from_slice(b"\"}");
            let line = String::from_utf8(line).unwrap();
            let fields = scan(&line, "text", "id").unwrap();
            let token = fields.text.unwrap();
            let mut back = String::new();
            unescape(&line[token.start + 1..token.end - 1], &mut back).unwrap();
            proptest::prop_assert_eq!(back, text);
        }
    }

    proptest::proptest! {
        /// The SIMD search finds what a byte-by-byte one finds, from every offset (so every
        /// alignment and every tail length), in bytes drawn mostly from the special ones.
        #[test]
        fn find_special_is_the_first_special_byte(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::prelude::Just(b'a'),
                    1 => proptest::sample::select(vec![b'"', b'\\', 0, 0x1f, 0x20, 0x7f, 0x80, 0xff]),
                    1 => proptest::prelude::any::<u8>(),
                ],
                0..80,
            ),
            non_ascii: bool,
        ) {
            for from in 0..=bytes.len() {
                let rest = &bytes[from..];
                let expected = rest
                    .iter()
                    .position(|&b| b < 0x20 || b == b'"' || b == b'\\' || (non_ascii && b >= 0x80))
                    .unwrap_or(rest.len());
                proptest::prop_assert_eq!(find_special(rest, non_ascii), expected, "from {}", from);
            }
        }
    }

    #[test]
    fn escape_round_trips_through_serde_json() {
        for text in [
            "",
            "plain",
            "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}",
            "é 😀 \u{2028}",
            "/",
        ] {
            for ascii in [false, true] {
                let mut out = Vec::new();
                escape_into(text, ascii, &mut out);
                let token = format!("\"{}\"", String::from_utf8(out).unwrap());
                assert_eq!(serde_json::from_str::<String>(&token).unwrap(), text);
                if ascii {
                    assert!(token.is_ascii());
                }
                let mut back = String::new();
                unescape(&token[1..token.len() - 1], &mut back).unwrap();
                assert_eq!(back, text);
            }
        }
    }
}
