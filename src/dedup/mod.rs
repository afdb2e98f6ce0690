//! The dedup stage: paragraphs in, verdicts and kept text out.
//!
//! One idea per module:
//!
//! - `engine`: the [`Deduper`] and its decide path, the one place every caller's decisions are
//!   made (serial, streamed or batched), which is why their answers are the same;
//! - `builder`: the [`DeduperBuilder`] and the [`Scope`] it sets;
//! - `verdict`: what became of each paragraph ([`Status`], [`Verdict`], [`Verdicts`]);
//! - `result`: what became of a document ([`Deduplicated`], made of [`Removed`] paragraphs);
//! - `short`: which short repeats are structure and stay ([`ShortParagraphs`]).
//!
//! The settings a fingerprint depends on have their own module, `settings`, shared with the
//! boilerplate counts of the first pass.

mod builder;
mod engine;
mod result;
mod short;
mod verdict;

use std::borrow::Cow;

pub use self::builder::{DeduperBuilder, Scope};
pub use self::engine::Deduper;
pub use self::result::{Deduplicated, Removed};
/// The near-duplicate stage's meaning guard keeps code lines, as the short-paragraph rule does.
pub(crate) use self::short::looks_like_code;
pub use self::short::ShortParagraphs;
pub use self::verdict::{Status, Verdict, Verdicts};

/// Removes repeated paragraphs from one text with the default settings; see [`Deduper`].
///
/// ```
/// let text = "The first paragraph, long enough to be a repeat whatever stands around it.\n\
///             two\n\
///             THE FIRST PARAGRAPH, long enough to be a repeat whatever stands around it!\n";
/// assert_eq!(
///     paradedup::dedup(text),
///     "The first paragraph, long enough to be a repeat whatever stands around it.\ntwo\n"
/// );
/// // A short repeat alone in its document is structure (a heading, a cell): it stays.
/// assert_eq!(paradedup::dedup("one\ntwo\nONE!\n"), "one\ntwo\nONE!\n");
/// ```
pub fn dedup(text: &str) -> Cow<'_, str> {
    Deduper::new().dedup(text).into_text()
}
