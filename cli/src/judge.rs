//! Judging: one deduper over every document, in input order, on the worker threads; and the
//! first pass of `--boilerplate`, which counts the documents each paragraph stands on.
//!
//! The verdicts are the same for every thread count: a batch is judged as a whole, its
//! documents in order, and what the report counts is added up in that order too.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use paradedup::{Deduper, DeduperBuilder, DocumentFrequency, Removed, Scope, Span, Stats};

use crate::error::{Error, Result};
use crate::json;
use crate::plan::{Format, Plan};
use crate::read::{self, Batch, Decoded, Line, Reader, BATCH_BYTES, BATCH_DOCUMENTS};
use crate::report::{SeenInfo, TopRepeats};
use crate::threads::{self, Threads};

/// The deduper the plan asks for, from `builder`: with `--boilerplate`, after a first pass
/// over the inputs counting the documents each paragraph stands on.
///
/// # Errors
///
/// An input that cannot be opened or read in the first pass.
pub fn deduper(mut builder: DeduperBuilder, plan: &Plan) -> Result<Deduper> {
    if let Some((k, policy)) = plan.boilerplate {
        let counts = document_frequency(plan, builder.settings())?;
        builder.boilerplate(Arc::new(counts), k, policy);
    }
    Ok(builder.build())
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
                    let from = verdicts.cuts.len();
                    verdicts.cuts.extend_from_slice(&self.cuts);
                    verdicts.judged.push((from..verdicts.cuts.len(), left));
                }
            }
            Some(pool) => {
                let deduper = &mut self.deduper;
                removals = pool.install(|| deduper.removals_batch(&texts));
                for (removed, stats) in &removals {
                    let from = verdicts.cuts.len();
                    verdicts.cuts.extend(removed.iter().map(|r| r.extent()));
                    let left = stats.paragraphs - removed.len() as u64;
                    verdicts.judged.push((from..verdicts.cuts.len(), left));
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
/// stands, counted on `--threads` threads (each counts its share of every batch of documents,
/// and the counts are added at the end: a sum, so the same for every thread count). Malformed
/// lines and files are passed over here; the second pass reports them.
///
/// # Errors
///
/// An input that cannot be opened or read.
fn document_frequency(plan: &Plan, settings: paradedup::Settings) -> Result<DocumentFrequency> {
    let (text_key, id_key) = (plan.text_field.as_str(), plan.id_field.as_str());
    let max_document = plan.max_document;
    let threads = plan.threads.max(1);
    let pool = threads::pool(threads)?;
    let mut shares: Vec<DocumentFrequency> = (0..threads)
        .map(|_| DocumentFrequency::new(settings))
        .collect();
    let mut batch = Batch::default();
    let count = |batch: &mut Batch, shares: &mut [DocumentFrequency]| {
        let per = batch.lines.len().div_ceil(shares.len()).max(1);
        let bytes = &batch.bytes;
        pool.install(|| {
            shares
                .par_iter_mut()
                .zip(batch.lines.par_chunks(per))
                .for_each(|(share, lines)| {
                    for line in lines {
                        let (content, _) = json::split_terminator(&bytes[line.range.clone()]);
                        if let Ok((_, text)) = json::parse_line(content, text_key, id_key) {
                            share.count(&text);
                        }
                    }
                });
        });
        batch.bytes.clear();
        batch.lines.clear();
    };
    let reader = Reader::new(plan);
    for input in &plan.inputs {
        let name = input.name();
        match input.format {
            Format::Jsonl => {
                let mut source = reader.open(input)?;
                let mut number = 0u64;
                loop {
                    let start = batch.bytes.len();
                    let at = |e| Error::io(format!("{name}: line {}", number + 1), &e);
                    let (n, long) =
                        read::read_line(&mut source, &mut batch.bytes, max_document).map_err(at)?;
                    if n == 0 {
                        break;
                    }
                    if let Some(complete) = long {
                        // Passed over here; the second pass refuses or skips it.
                        batch.bytes.truncate(start);
                        if !complete {
                            read::skip_line(&mut source).map_err(at)?;
                        }
                        number += 1;
                        continue;
                    }
                    number += 1;
                    batch.lines.push(Line {
                        range: start..batch.bytes.len(),
                        number,
                    });
                    if batch.lines.len() >= BATCH_DOCUMENTS || batch.bytes.len() >= BATCH_BYTES {
                        count(&mut batch, &mut shares);
                    }
                }
            }
            Format::Text => {
                let bytes = reader.whole(input)?;
                if let Some(Ok(text)) = bytes.as_deref().map(std::str::from_utf8) {
                    shares[0].count(text);
                }
            }
        }
    }
    count(&mut batch, &mut shares);
    let mut counts = shares.swap_remove(0);
    for share in &shares {
        counts
            .merge(share)
            .map_err(|e| Error::runtime(format!("--boilerplate: {e}")))?;
    }
    Ok(counts)
}
