//! The names settings go by in text, parsed ([`FromStr`]) and printed ([`Display`]) here so
//! that the command's options, the bindings' keyword arguments and a report all spell them
//! the same way.
//!
//! A name is lowercase ASCII, its words joined by `-` (`blank-lines`, `keep-first`), which is
//! how [`Display`] writes it. Parsing takes `_` for `-` as well (`blank_lines`), the spelling
//! of Python keyword values, and is otherwise exact: no other case, no surrounding spaces. An
//! unknown name is an [`ErrorKind::UnknownName`] error whose message lists the accepted ones.
//!
//! ```
//! use paradedup::{BoilerplatePolicy, Preset, Scope, Shingles, Unit};
//!
//! assert_eq!("blank_lines".parse::<Unit>()?, Unit::BlankLines);
//! assert_eq!(Unit::BlankLines.to_string(), "blank-lines");
//! assert_eq!("ccnet".parse::<Preset>()?, Preset::Ccnet);
//! assert_eq!("corpus".parse::<Scope>()?, Scope::Corpus);
//! assert_eq!("keep-first".parse::<BoilerplatePolicy>()?, BoilerplatePolicy::KeepFirst);
//! assert_eq!("words:5".parse::<Shingles>()?, Shingles::Words(5));
//! assert_eq!(Shingles::Chars(4).to_string(), "chars:4");
//! # Ok::<(), paradedup::Error>(())
//! ```
//!
//! [`FromStr`]: core::str::FromStr
//! [`Display`]: core::fmt::Display

use core::fmt;
use core::str::FromStr;

use crate::boilerplate::BoilerplatePolicy;
use crate::dedup::Scope;
use crate::error::{Error, ErrorKind};
use crate::near::{Shingles, MAX_SHINGLE_WORDS};
use crate::normalize::Preset;
use crate::split::Unit;

/// A setting with a fixed set of values, each with one canonical name.
trait Named: Copy + 'static {
    /// What the setting is, for error messages.
    const WHAT: &'static str;
    /// Every value, in the order an error message lists them.
    const ALL: &'static [Self];

    /// The canonical name: lowercase, words joined by `-`.
    fn name(self) -> &'static str;
}

/// The value named `text`, `_` standing for `-`.
fn parse_named<T: Named>(text: &str) -> Result<T, Error> {
    T::ALL
        .iter()
        .copied()
        .find(|value| same_name(value.name(), text))
        .ok_or_else(|| {
            let names: Vec<&str> = T::ALL.iter().map(|value| value.name()).collect();
            unknown(
                T::WHAT,
                text,
                &format!("one of {} (or with _ for -)", names.join(", ")),
            )
        })
}

/// True when `text` spells the canonical `name`, with `_` allowed wherever it has `-`.
fn same_name(name: &str, text: &str) -> bool {
    name.len() == text.len()
        && name
            .bytes()
            .zip(text.bytes())
            .all(|(n, t)| n == t || (n == b'-' && t == b'_'))
}

/// The error for a name that is not one of `what`'s; `expected` says what would be.
fn unknown(what: &str, text: &str, expected: &str) -> Error {
    Error::new(
        ErrorKind::UnknownName,
        format!("unknown {what} {text:?}: expected {expected}"),
    )
}

impl Named for Unit {
    const WHAT: &'static str = "unit";
    const ALL: &'static [Unit] = &[Unit::Lines, Unit::BlankLines];

    fn name(self) -> &'static str {
        match self {
            Unit::Lines => "lines",
            Unit::BlankLines => "blank-lines",
        }
    }
}

impl Named for Preset {
    const WHAT: &'static str = "normalization preset";
    const ALL: &'static [Preset] = &[Preset::Exact, Preset::Standard, Preset::Ccnet];

    fn name(self) -> &'static str {
        match self {
            Preset::Exact => "exact",
            Preset::Standard => "standard",
            Preset::Ccnet => "ccnet",
        }
    }
}

impl Named for Scope {
    const WHAT: &'static str = "scope";
    const ALL: &'static [Scope] = &[Scope::Document, Scope::Corpus];

    fn name(self) -> &'static str {
        match self {
            Scope::Document => "document",
            Scope::Corpus => "corpus",
        }
    }
}

impl Named for BoilerplatePolicy {
    const WHAT: &'static str = "boilerplate policy";
    const ALL: &'static [BoilerplatePolicy] =
        &[BoilerplatePolicy::DropAll, BoilerplatePolicy::KeepFirst];

    fn name(self) -> &'static str {
        match self {
            BoilerplatePolicy::DropAll => "drop-all",
            BoilerplatePolicy::KeepFirst => "keep-first",
        }
    }
}

/// `lines` or `blank-lines` (`blank_lines` parses too).
///
/// ```
/// use paradedup::Unit;
///
/// for unit in [Unit::Lines, Unit::BlankLines] {
///     assert_eq!(unit.to_string().parse::<Unit>()?, unit);
/// }
/// assert_eq!("blank_lines".parse::<Unit>()?, Unit::BlankLines);
/// assert!("Lines".parse::<Unit>().is_err());
/// # Ok::<(), paradedup::Error>(())
/// ```
impl FromStr for Unit {
    type Err = Error;

    fn from_str(text: &str) -> Result<Unit, Error> {
        parse_named(text)
    }
}

/// Writes the canonical name: `lines` or `blank-lines`.
///
/// ```
/// assert_eq!(paradedup::Unit::BlankLines.to_string(), "blank-lines");
/// ```
impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `exact`, `standard` or `ccnet`.
///
/// ```
/// use paradedup::{Normalizer, Preset};
///
/// let preset: Preset = "ccnet".parse()?;
/// assert_eq!(Normalizer::from_preset(preset), Normalizer::ccnet());
/// assert!("nfkc".parse::<Preset>().is_err());
/// # Ok::<(), paradedup::Error>(())
/// ```
impl FromStr for Preset {
    type Err = Error;

    fn from_str(text: &str) -> Result<Preset, Error> {
        parse_named(text)
    }
}

/// Writes the canonical name: `exact`, `standard` or `ccnet`.
///
/// ```
/// assert_eq!(paradedup::Normalizer::standard().preset().to_string(), "standard");
/// ```
impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `document` or `corpus`.
///
/// ```
/// use paradedup::{Deduper, Scope};
///
/// let deduper = Deduper::builder().scope("corpus".parse()?).build();
/// assert_eq!(deduper.scope(), Scope::Corpus);
/// # Ok::<(), paradedup::Error>(())
/// ```
impl FromStr for Scope {
    type Err = Error;

    fn from_str(text: &str) -> Result<Scope, Error> {
        parse_named(text)
    }
}

/// Writes the canonical name: `document` or `corpus`.
///
/// ```
/// assert_eq!(paradedup::Scope::default().to_string(), "document");
/// ```
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `drop-all` or `keep-first` (`drop_all` and `keep_first` parse too).
///
/// ```
/// use paradedup::BoilerplatePolicy;
///
/// assert_eq!("keep_first".parse::<BoilerplatePolicy>()?, BoilerplatePolicy::KeepFirst);
/// let err = "drop".parse::<BoilerplatePolicy>().unwrap_err();
/// assert!(err.to_string().contains("drop-all, keep-first"), "{err}");
/// # Ok::<(), paradedup::Error>(())
/// ```
impl FromStr for BoilerplatePolicy {
    type Err = Error;

    fn from_str(text: &str) -> Result<BoilerplatePolicy, Error> {
        parse_named(text)
    }
}

/// Writes the canonical name: `drop-all` or `keep-first`.
///
/// ```
/// assert_eq!(paradedup::BoilerplatePolicy::default().to_string(), "drop-all");
/// ```
impl fmt::Display for BoilerplatePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `words:N` (N from 1 to [`MAX_SHINGLE_WORDS`]) or `chars:N` (N from 1), as the command's
/// `--near-shingles` and the bindings' `near_shingles` take them.
///
/// ```
/// use paradedup::Shingles;
///
/// assert_eq!("words:3".parse::<Shingles>()?, Shingles::Words(3));
/// assert_eq!("chars:5".parse::<Shingles>()?, Shingles::Chars(5));
/// for bad in ["words:0", "words:17", "chars:0", "lines:2", "words", "words:x"] {
///     assert!(bad.parse::<Shingles>().is_err(), "{bad}");
/// }
/// # Ok::<(), paradedup::Error>(())
/// ```
impl FromStr for Shingles {
    type Err = Error;

    fn from_str(text: &str) -> Result<Shingles, Error> {
        let bad = || {
            unknown(
                "shingles",
                text,
                &format!("words:N (N from 1 to {MAX_SHINGLE_WORDS}) or chars:N (N from 1)"),
            )
        };
        let (kind, n) = text.split_once(':').ok_or_else(bad)?;
        let n: usize = n.parse().map_err(|_| bad())?;
        match kind {
            "words" if (1..=MAX_SHINGLE_WORDS).contains(&n) => Ok(Shingles::Words(n)),
            "chars" if n >= 1 => Ok(Shingles::Chars(n)),
            _ => Err(bad()),
        }
    }
}

/// Writes `words:N` or `chars:N` with the size the shingles are made with: a size of 0 counts
/// as 1, and words beyond [`MAX_SHINGLE_WORDS`] as that many, so what is written always parses
/// back to shingles that act the same.
///
/// ```
/// use paradedup::Shingles;
///
/// assert_eq!(Shingles::Words(3).to_string(), "words:3");
/// assert_eq!(Shingles::Words(40).to_string(), "words:16");
/// ```
impl fmt::Display for Shingles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Shingles::Words(_) => "words",
            Shingles::Chars(_) => "chars",
        };
        write!(f, "{kind}:{}", self.size())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value's name parses back to it, with `-` or `_`.
    fn round_trips<T: Named + FromStr<Err = Error> + fmt::Display + PartialEq + fmt::Debug>() {
        for &value in T::ALL {
            let name = value.to_string();
            assert_eq!(name, value.name());
            assert_eq!(name.parse::<T>().unwrap(), value, "{name}");
            let snake = name.replace('-', "_");
            assert_eq!(snake.parse::<T>().unwrap(), value, "{snake}");
        }
    }

    #[test]
    fn names_round_trip() {
        round_trips::<Unit>();
        round_trips::<Preset>();
        round_trips::<Scope>();
        round_trips::<BoilerplatePolicy>();
    }

    #[test]
    fn the_callers_spellings_parse() {
        // The command's (clap value names) and the bindings' (keyword values).
        assert_eq!("lines".parse::<Unit>().unwrap(), Unit::Lines);
        assert_eq!("blank-lines".parse::<Unit>().unwrap(), Unit::BlankLines);
        assert_eq!("blank_lines".parse::<Unit>().unwrap(), Unit::BlankLines);
        assert_eq!("exact".parse::<Preset>().unwrap(), Preset::Exact);
        assert_eq!("standard".parse::<Preset>().unwrap(), Preset::Standard);
        assert_eq!("ccnet".parse::<Preset>().unwrap(), Preset::Ccnet);
        assert_eq!("document".parse::<Scope>().unwrap(), Scope::Document);
        assert_eq!("corpus".parse::<Scope>().unwrap(), Scope::Corpus);
        for (text, policy) in [
            ("drop-all", BoilerplatePolicy::DropAll),
            ("drop_all", BoilerplatePolicy::DropAll),
            ("keep-first", BoilerplatePolicy::KeepFirst),
            ("keep_first", BoilerplatePolicy::KeepFirst),
        ] {
            assert_eq!(text.parse::<BoilerplatePolicy>().unwrap(), policy);
        }
    }

    #[test]
    fn unknown_names_list_the_accepted_ones() {
        for (err, listed) in [
            ("para".parse::<Unit>().unwrap_err(), "lines, blank-lines"),
            (
                "nfkc".parse::<Preset>().unwrap_err(),
                "exact, standard, ccnet",
            ),
            ("global".parse::<Scope>().unwrap_err(), "document, corpus"),
            (
                "drop".parse::<BoilerplatePolicy>().unwrap_err(),
                "drop-all, keep-first",
            ),
            ("words:17".parse::<Shingles>().unwrap_err(), "words:N"),
        ] {
            assert_eq!(err.kind(), ErrorKind::UnknownName);
            assert!(err.to_string().contains(listed), "{err}");
        }
        let err = "blank lines".parse::<Unit>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown unit \"blank lines\": expected one of lines, blank-lines (or with _ for -)"
        );
        // Only `_` stands for `-`; other spellings stay unknown.
        for bad in [
            "",
            "Lines",
            " lines",
            "lines ",
            "blank--lines",
            "blank_-lines",
            "blanklines",
        ] {
            assert!(bad.parse::<Unit>().is_err(), "{bad:?}");
        }
        assert!("blank_lines".parse::<Unit>().is_ok());
    }

    #[test]
    fn status_names() {
        use crate::dedup::Status;
        use crate::fingerprint::Fingerprint;
        use crate::near::Containment;
        use crate::seen::Origin;

        let fingerprint = Fingerprint::of("x");
        let first = Origin::default();
        let statuses = [
            Status::Kept { fingerprint },
            Status::Duplicate {
                fingerprint,
                first: None,
            },
            Status::NearDuplicate {
                fingerprint,
                first,
                containment: Containment {
                    shared: 3,
                    total: 4,
                },
            },
            Status::Boilerplate {
                fingerprint,
                documents: 2,
            },
            Status::Exempt,
        ];
        let names: Vec<String> = statuses.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            names,
            [
                "kept",
                "duplicate",
                "near-duplicate",
                "boilerplate",
                "exempt"
            ]
        );
    }

    #[test]
    fn shingles_round_trip() {
        for n in 1..=MAX_SHINGLE_WORDS {
            let words = Shingles::Words(n);
            assert_eq!(words.to_string().parse::<Shingles>().unwrap(), words);
        }
        for n in [1, 2, 5, 100, usize::MAX] {
            let chars = Shingles::Chars(n);
            assert_eq!(chars.to_string().parse::<Shingles>().unwrap(), chars);
        }
        // Sizes that act as others are written as those.
        assert_eq!(Shingles::Words(0).to_string(), "words:1");
        assert_eq!(Shingles::Chars(0).to_string(), "chars:1");
        assert_eq!(Shingles::Words(17).to_string(), "words:16");
        // The command's and the bindings' rejects.
        for bad in [
            "words:0",
            "words:17",
            "chars:0",
            "lines:2",
            "words",
            "words:",
            ":3",
            "words:-1",
            "Words:3",
            "words:3:1",
        ] {
            let err = bad.parse::<Shingles>().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnknownName, "{bad}");
        }
    }
}
