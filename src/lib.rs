//! Remove repeated paragraphs from text: exact, deterministic, zero-copy.
//!
//! ```
//! let page = "Moscou appelle à une coalition contre l'État islamique, a déclaré le Kremlin jeudi.\n\
//!             S'abonner\n\
//!             « Moscou appelle à une coalition contre l'État islamique, a déclaré le Kremlin jeudi. »\n\
//!             Fin de l'article.";
//! assert_eq!(
//!     paradedup::dedup(page),
//!     "Moscou appelle à une coalition contre l'État islamique, a déclaré le Kremlin jeudi.\nS'abonner\nFin de l'article.",
//! );
//! ```
//!
//! # Overview
//!
//! A document goes down one path, a module for each stage:
//!
//! 1. **Split** ([`paragraphs`], [`paragraphs_of`]): the text becomes [`Paragraph`]s, each a
//!    borrowed `&str` with its byte [`Span`]; nothing is copied.
//! 2. **Normalize** ([`Normalizer`]): each paragraph's identity is computed into one reused
//!    buffer: NFKC, lowercase, punctuation and whitespace folded by default. The output text is
//!    never normalized.
//! 3. **Fingerprint** ([`Fingerprint`]): xxh3-128 of the normalized form, with a fixed seed.
//!    [`Settings`] are what a fingerprint depends on.
//! 4. **Seen-set** ([`SeenSet`]): which fingerprints were met before, and where first.
//! 5. **Decide** ([`Deduper`]): each paragraph gets a [`Verdict`] whose [`Status`] says what
//!    became of it. The first occurrence is kept, later ones removed. When asked for,
//!    boilerplate counted in a first pass ([`DocumentFrequency`]) and near-duplicates
//!    ([`NearDup`]: most of whose shingles one earlier paragraph contains) are removed too.
//! 6. **Result** ([`Deduplicated`]): the kept text, every byte of it the input's and in order,
//!    with the [`Removed`] paragraphs and the document's [`Stats`]. It borrows the input when
//!    nothing was removed; [`Deduplicated::into_owned`] detaches it.
//!
//! [`dedup`] does it all with the defaults. [`Deduper`] is the reusable, configurable engine:
//!
//! ```
//! use paradedup::{Deduper, Normalizer, Scope};
//!
//! let mut deduper = Deduper::builder()
//!     .scope(Scope::Corpus)
//!     .normalizer(Normalizer::standard().fold_digits(true))
//!     .build();
//! let corpus = ["Article one.\n12 Commentaires\nPartager", "Article two.\n3 Commentaires\nPartager"];
//! let kept: Vec<String> = corpus.iter().map(|doc| deduper.dedup(doc).text().to_owned()).collect();
//! assert_eq!(kept, ["Article one.\n12 Commentaires\nPartager", "Article two.\n"]);
//! assert_eq!(deduper.stats().duplicates, 2);
//! ```
//!
//! Many documents take the same path and give the same [`Deduplicated`] per document, in
//! input order: [`Deduper::dedup_iter`] over any iterator (fed, say, by a
//! [`DocumentReader`]), and [`Deduper::dedup_batch`](Deduper#method.dedup_batch) on all cores
//! (feature `rayon`, below).
//!
//! ```
//! use paradedup::{Deduper, Scope};
//!
//! let mut deduper = Deduper::builder().scope(Scope::Corpus).build();
//! let corpus = vec![(1, "Menu\nFirst."), (2, "Menu\nSecond.")];
//! for (id, out) in deduper.dedup_iter(corpus) {
//!     println!("{id}: {:?}, {} removed", out.text(), out.stats().duplicates);
//! }
//! ```
//!
//! # What counts as a paragraph
//!
//! Text is read as lines ending at `\n`, `\r\n`, a lone `\r`, U+0085, U+2028 or U+2029. A line
//! of nothing but Unicode `White_Space` is blank. With [`Unit::Lines`] (the default, the
//! convention of CCNet and Dolma for web text) every non-blank line is a paragraph; with
//! [`Unit::BlankLines`] a paragraph is a run of non-blank lines, ended by a blank line, U+2029
//! or the end of the text. Whitespace around a paragraph never counts for its identity but
//! stays in the output. A paragraph whose normalized form is empty (`***`, `—`) is never a
//! duplicate, nor is one shorter than [`DeduperBuilder::min_chars`].
//!
//! Removing a paragraph removes its [extent](Paragraph::extent): its line(s), the line break
//! and any blank lines up to the next paragraph, so no hole is left.
//!
//! # Normalization
//!
//! See [`Normalizer`]: presets `exact`, `standard` (default) and `ccnet`, and options to strip
//! accents, fold digits and drop symbols, each documented with an example.
//!
//! # Settings by name
//!
//! The settings a command line or a config file names parse with [`FromStr`] and print with
//! [`Display`](core::fmt::Display), the same spelling both ways: [`Unit`] (`lines`,
//! `blank-lines`), [`Preset`] (`exact`, `standard`, `ccnet`), [`Scope`] (`document`,
//! `corpus`), [`BoilerplatePolicy`] (`drop-all`, `keep-first`) and [`Shingles`] (`words:3`,
//! `chars:5`); [`Status::name`] names a verdict. `_` may stand for `-` (`blank_lines`), and an
//! unknown name is an [`ErrorKind::UnknownName`] error that lists the accepted ones.
//!
//! ```
//! use paradedup::{Deduper, Scope, Unit};
//!
//! let deduper = Deduper::builder().unit("blank-lines".parse()?).scope("corpus".parse()?).build();
//! assert_eq!((deduper.unit(), deduper.scope()), (Unit::BlankLines, Scope::Corpus));
//! assert_eq!(Unit::BlankLines.to_string(), "blank-lines");
//! # Ok::<(), paradedup::Error>(())
//! ```
//!
//! [`FromStr`]: core::str::FromStr
//!
//! # API themes
//!
//! - Text in, spans out: every offset is a byte offset into the caller's `&str`.
//! - No text is an error and no text panics: empty input, lone `\r`, a 100 MB line, anything.
//!   `Result` is for I/O and configuration only.
//! - `new()` gives the defaults, `builder()` the knobs; `*_into(&mut String)` methods write into
//!   the caller's buffer, the others return a [`Deduplicated`] that borrows what it can.
//! - All public types are `Send + Sync` and `Debug`.
//!
//! # Crate features
//!
//! All off by default; the library itself depends on `xxhash-rust`, `unicode-normalization`,
//! `unicode-properties`, `unicode-segmentation` and `simdutf8` (and `libc` on Linux, for huge
//! pages), and nothing else.
//!
//! - `rayon`: [`Deduper::dedup_batch`](Deduper#method.dedup_batch), deduplication of a batch on
//!   all cores with the same answer as one serial pass, and
//!   [`Deduper::removals_batch`](Deduper#method.removals_batch), its decisions without the kept
//!   text; [`Deduper::par_dedup_iter`](Deduper#method.par_dedup_iter) streams through them.
//!
//! The `paradedup` command (crate `paradedup-cli`, `cargo install --path cli`) and the Python
//! bindings (`bindings/python`, `pip install ./bindings/python`) are crates of their own, built
//! on this crate's public API alone.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod boilerplate;
mod dedup;
mod error;
mod fingerprint;
mod names;
mod near;
mod normalize;
#[cfg(feature = "rayon")]
mod parallel;
mod seen;
mod settings;
mod signals;
mod span;
mod split;
mod stats;
mod stream;

pub use crate::boilerplate::{BoilerplatePolicy, DocumentFrequency};
pub use crate::dedup::{
    dedup, Deduper, DeduperBuilder, Deduplicated, Removed, Scope, ShortParagraphs, Status, Verdict,
    Verdicts,
};
pub use crate::error::{Error, ErrorKind};
pub use crate::fingerprint::{Fingerprint, FingerprintBuildHasher, FingerprintHasher, SEED};
pub use crate::near::{Containment, NearDup, Shingles, MAX_NEAR_BYTES, MAX_SHINGLE_WORDS};
pub use crate::normalize::{Normalizer, Preset};
pub use crate::seen::{BloomFill, Origin, Seen, SeenKind, SeenSet};
pub use crate::settings::{Fingerprinter, Fingerprints, Settings};
pub use crate::signals::Signals;
pub use crate::span::{CodePoints, Span};
pub use crate::split::{paragraphs, paragraphs_of, Paragraph, Paragraphs, Unit};
pub use crate::stats::Stats;
pub use crate::stream::DocumentReader;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
