//! Judging: one deduper over every document, in input order, on the worker threads; and the
//! first pass of `--boilerplate`, which counts the documents each paragraph stands on.
//!
//! The verdicts are the same for every thread count: a batch is judged as a whole, its
//! documents in order, and what the report counts is added up in that order too.

use std::ops::Range;
use std::sync::Arc;

use paradedup::{Deduper, DeduperBuilder, DocumentFrequency, Removed, Scope, Span, Stats};

use crate::error::{Error, Result};
use crate::plan::{Format, Plan};
use crate::read::{Batch, Decoded, Lines, LongLine, Reader};
use crate::report::{SeenInfo, TopRepeats};
use crate::threads::Threads;

/// The deduper the plan asks for, from `builder`: with `--boilerplate`, after a first pass
/// over the inputs (on `threads`) counting the documents each paragraph stands on, and those
/// counts (for `--signals`).
///
/// # Errors
///
/// An input that cannot be opened or read in the first pass.
pub fn deduper(
    mut builder: DeduperBuilder,
    plan: &Plan,
    threads: &Threads,
) -> Result<(Deduper, Option<Arc<DocumentFrequency>>)> {
    let mut first_pass = None;
    if let Some((k, policy)) = plan.boilerplate {
        let counts = Arc::new(document_frequency(plan, builder.settings(), threads)?);
        builder.boilerplate(Arc::clone(&counts), k, policy);
        first_pass = Some(counts);
    }
    Ok((builder.build(), first_pass))
}

/// One deduper judging every document of a run in order, and the most removed paragraphs it
/// found.
pub struct Judge {
    deduper: Deduper,
    threads: Threads,
    top: TopRepeats,
    /// The removed extents of the document judged last (reused).
    cuts: Vec<Span>,
    /// The verdicts on the batch judged last (reused).
    verdicts: Verdicts,
}

/// The verdicts on a batch's decoded documents: every removed extent, and each document's
/// share of them with the paragraphs left in it.
#[derive(Default)]
pub struct Verdicts {
    cuts: Vec<Span>,
    judged: Vec<(Range<usize>, u64)>,
}

impl Verdicts {
    /// Adds the next document's verdict: its removed extents, and the paragraphs left in it.
    fn push(&mut self, cuts: impl IntoIterator<Item = Span>, left: u64) {
        let from = self.cuts.len();
        self.cuts.extend(cuts);
        self.judged.push((from..self.cuts.len(), left));
    }

    /// The verdicts from the `first` decoded document on: its removed extents and the
    /// paragraphs left in it, then the next document's.
    pub fn from(&self, first: usize) -> impl Iterator<Item = (&[Span], u64)> {
        self.judged[first..]
            .iter()
            .map(|(range, left)| (&self.cuts[range.clone()], *left))
    }
}

/// A batch's removed paragraphs, still to be counted for the report: counting is serial, and
/// apart from the verdicts it can overlap with the writing.
pub struct Tally<'j, 't> {
    top: &'j mut TopRepeats,
    texts: Vec<&'t str>,
    removals: Vec<(Vec<Removed>, Stats)>,
}

impl Tally<'_, '_> {
    /// Counts the removed paragraphs, and frees the batch's removals.
    pub fn count(self) {
        for (text, (removed, _)) in self.texts.iter().zip(&self.removals) {
            for removed in removed {
                self.top.add(removed.fingerprint(), &text[removed.span()]);
            }
        }
    }
}

impl Judge {
    /// A judge with `deduper`, on `threads`.
    pub fn new(deduper: Deduper, threads: Threads) -> Judge {
        Judge {
            deduper,
            threads,
            top: TopRepeats::default(),
            cuts: Vec::new(),
            verdicts: Verdicts::default(),
        }
    }

    /// Judges one document: the paragraphs left in it; its removed extents are
    /// [`Judge::cuts`].
    pub fn document(&mut self, text: &str) -> u64 {
        judge(&mut self.deduper, &mut self.top, &mut self.cuts, text)
    }

    /// The removed extents of the document [`Judge::document`] judged last.
    pub fn cuts(&self) -> &[Span] {
        &self.cuts
    }

    /// Judges a batch's decoded documents at once (on the pool with `--threads` above 1), in
    /// order: the verdicts, and the removed paragraphs still to count.
    pub fn batch<'j, 't>(
        &'j mut self,
        documents: &'t [Decoded<'t>],
    ) -> (&'j Verdicts, Tally<'j, 't>) {
        let texts: Vec<&str> = documents
            .iter()
            .filter_map(|d| d.as_ref().ok())
            .map(|(_, text)| text.as_ref())
            .collect();
        let verdicts = &mut self.verdicts;
        verdicts.cuts.clear();
        verdicts.judged.clear();
        // The batch's results, kept until their removed paragraphs are counted for the report.
        let mut removals = Vec::new();
        match self.threads.pool() {
            None => {
                for text in &texts {
                    let left = judge(&mut self.deduper, &mut self.top, &mut self.cuts, text);
                    verdicts.push(self.cuts.iter().copied(), left);
                }
            }
            Some(pool) => {
                let deduper = &mut self.deduper;
                removals = pool.install(|| deduper.removals_batch(&texts));
                for (removed, stats) in &removals {
                    let left = stats.paragraphs - removed.len() as u64;
                    verdicts.push(removed.iter().map(|r| r.extent()), left);
                }
            }
        }
        let tally = Tally {
            top: &mut self.top,
            texts,
            removals,
        };
        (&self.verdicts, tally)
    }

    /// The deduper's counts so far.
    pub fn stats(&self) -> Stats {
        self.deduper.stats()
    }

    /// The deduper, with what it has seen.
    pub fn deduper(&self) -> &Deduper {
        &self.deduper
    }

    /// The most removed paragraphs so far.
    pub fn top(&self) -> &TopRepeats {
        &self.top
    }

    /// The corpus memory, for the report (corpus scope only).
    pub fn seen_set(&self) -> Option<SeenInfo> {
        (self.deduper.scope() == Scope::Corpus).then(|| {
            let seen = self.deduper.seen();
            SeenInfo {
                kind: format!("{:?}", seen.kind()).to_lowercase(),
                fingerprints: seen.len(),
                memory_bytes: seen.memory_usage(),
            }
        })
    }
}

/// Judges one document, leaving its removed extents in `cuts` and counting them in `top`:
/// the paragraphs left in it.
fn judge(deduper: &mut Deduper, top: &mut TopRepeats, cuts: &mut Vec<Span>, text: &str) -> u64 {
    cuts.clear();
    let mut paragraphs = 0;
    for verdict in deduper.verdicts(text) {
        paragraphs += 1;
        let status = verdict.status();
        if let (true, Some(fingerprint)) = (status.is_removed(), verdict.fingerprint()) {
            let paragraph = verdict.paragraph();
            top.add(fingerprint, paragraph.as_str());
            cuts.push(paragraph.extent());
        }
    }
    paragraphs - cuts.len() as u64
}

/// The first pass of `--boilerplate`: in how many documents of the inputs each paragraph
/// stands, counted on `threads` (each counts its share of every batch of documents, and the
/// counts are added at the end: a sum, so the same for every thread count). Malformed lines and
/// files are passed over here; the second pass reports them.
///
/// # Errors
///
/// An input that cannot be opened or read.
fn document_frequency(
    plan: &Plan,
    settings: paradedup::Settings,
    threads: &Threads,
) -> Result<DocumentFrequency> {
    let mut counting = Counting {
        shares: (0..threads.count())
            .map(|_| DocumentFrequency::new(settings))
            .collect(),
        threads,
    };
    let reader = Reader::new(plan);
    for input in &plan.inputs {
        let raw = reader.raw_bytes();
        match input.format {
            Format::Jsonl => {
                reader.jsonl(input, threads, &mut counting)?;
            }
            Format::Text => {
                let Some(bytes) = reader.whole(input)? else {
                    // Over the document limit, read no further: the second pass says so.
                    continue;
                };
                if let Ok(text) = std::str::from_utf8(&bytes) {
                    counting.shares[0].count(text);
                }
            }
        }
        input.check_read(reader.raw_bytes() - raw)?;
    }
    let mut shares = counting.shares;
    let mut counts = shares.swap_remove(0);
    for share in &shares {
        counts
            .merge(share)
            .map_err(|e| Error::runtime(format!("--boilerplate: {e}")))?;
    }
    Ok(counts)
}

/// The first pass's counts, a share per thread.
struct Counting<'t> {
    shares: Vec<DocumentFrequency>,
    threads: &'t Threads,
}

impl Lines for Counting<'_> {
    fn batch(&mut self, _: &Batch, documents: &[Decoded<'_>]) -> Result<()> {
        let per = documents.len().div_ceil(self.shares.len()).max(1);
        self.threads.for_each_mut(&mut self.shares, |k, share| {
            for (_, text) in documents.iter().skip(k * per).take(per).flatten() {
                share.count(text);
            }
        });
        Ok(())
    }

    fn long_line(&mut self, line: LongLine<'_>) -> Result<()> {
        // Passed over here; the second pass refuses or skips it.
        line.read_through(|_| Ok(()))?;
        Ok(())
    }
}
