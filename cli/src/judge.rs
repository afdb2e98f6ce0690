//! Judging: one deduper over every document, in input order, on the worker threads; and the
//! first pass of `--boilerplate`, which counts the documents each paragraph stands on.
//!
//! The verdicts are the same for every thread count: a batch is judged as a whole, its
//! documents in order, and what the report counts is added up in that order too.

use std::ops::Range;
use std::sync::Arc;

use paradedup::{
    Deduper, DeduperBuilder, DocumentFrequency, Fingerprint, Fingerprinter, Removed, Scope, Span,
    Stats,
};

use crate::error::{Error, Result};
use crate::plan::{Format, Plan};
use crate::read::{Batch, Decoded, Lines, LongLine, Reader};
use crate::report::{BloomInfo, SeenInfo, TopRepeats};
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

/// The most text the library's batch path decides at once, and the longest document it is
/// given: its per-paragraph records for this much text are a few tens of megabytes at most,
/// and more text per call is no faster.
const GROUP_BYTES: usize = 1 << 20;

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
    /// What has been said of the Bloom filter's fill so far.
    bloom: BloomWatch,
}

/// How far past its design point a Bloom filter may go before the run stops.
const BLOOM_OVERFILL: f64 = 2.0;

/// Watches a Bloom filter's fill: past `--expected` its false positives (unique paragraphs
/// removed) grow fast, so a run says so once, loudly, and stops at [`BLOOM_OVERFILL`] times
/// unless told to go on.
#[derive(Default)]
struct BloomWatch {
    /// `--allow-bloom-overfill`.
    allow_overfill: bool,
    warned: bool,
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
            bloom: BloomWatch::default(),
        }
    }

    /// Lets a Bloom filter go past twice `--expected` (`--allow-bloom-overfill`).
    pub fn allow_bloom_overfill(&mut self, allow: bool) {
        self.bloom.allow_overfill = allow;
    }

    /// Checks the Bloom filter's fill after a document or batch: a warning on stderr the first
    /// time it passes `--expected`, whatever `--quiet` says (every paragraph wrongly removed
    /// from then on is unique text lost), and an error at twice `--expected`.
    ///
    /// # Errors
    ///
    /// The filter holds more than twice `--expected` paragraphs and no
    /// `--allow-bloom-overfill` was given.
    pub fn check_bloom(&mut self) -> Result<()> {
        let Some(fill) = self.deduper.seen().bloom_fill() else {
            return Ok(());
        };
        if fill.inserted <= fill.expected {
            return Ok(());
        }
        if !self.bloom.warned {
            self.bloom.warned = true;
            eprintln!(
                "paradedup: WARNING: the Bloom filter now holds more distinct paragraphs than \
                 --expected {}: from here on, unique paragraphs are removed by mistake more \
                 often than --bloom {} (about {:.2e} now, growing). The run stops at {}x \
                 --expected unless --allow-bloom-overfill; rerun with a larger --expected.",
                fill.expected, fill.fp_rate, fill.estimated_fp_rate, BLOOM_OVERFILL
            );
        }
        if !self.bloom.allow_overfill && fill.ratio() > BLOOM_OVERFILL {
            return Err(Error::runtime(format!(
                "the Bloom filter holds {} distinct paragraphs, more than {BLOOM_OVERFILL} times \
                 --expected {}: its false-positive rate is about {:.2e} against --bloom {}, so \
                 unique paragraphs are being removed as repeats. Stopped, writing nothing; rerun \
                 with --expected of at least the number of distinct paragraphs, or pass \
                 --allow-bloom-overfill to go on anyway",
                fill.inserted, fill.expected, fill.estimated_fp_rate, fill.fp_rate
            )));
        }
        Ok(())
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
        let mut texts: Vec<&str> = documents
            .iter()
            .filter_map(|d| d.as_ref().ok())
            .map(|(_, text)| text.as_ref())
            .collect();
        let verdicts = &mut self.verdicts;
        verdicts.cuts.clear();
        verdicts.judged.clear();
        // The batch's results, kept until their removed paragraphs are counted for the report.
        let mut removals = Vec::new();
        // How many of the batch's last texts `removals` is for.
        let mut last = 0;
        match self.threads.pool() {
            None => {
                for text in &texts {
                    let left = judge(&mut self.deduper, &mut self.top, &mut self.cuts, text);
                    verdicts.push(self.cuts.iter().copied(), left);
                }
            }
            Some(pool) => {
                // The library's batch path holds about a hundred bytes per removed paragraph
                // (each `Removed`, and each paragraph's fingerprint) until the batch is decided,
                // against the 16 of an extent here: on a document of tiny repeated lines that
                // is many times the document. So a long document is judged streaming, as with
                // one thread, and the others in groups of at most GROUP_BYTES of text, each
                // counted before the next is decided; only the last group's counting is left
                // to overlap with the writing.
                let mut start = 0;
                while start < texts.len() {
                    if texts[start].len() > GROUP_BYTES {
                        let left = judge(
                            &mut self.deduper,
                            &mut self.top,
                            &mut self.cuts,
                            texts[start],
                        );
                        verdicts.push(self.cuts.iter().copied(), left);
                        start += 1;
                        continue;
                    }
                    let mut end = start;
                    let mut bytes = 0;
                    while end < texts.len() && bytes + texts[end].len() <= GROUP_BYTES {
                        bytes += texts[end].len();
                        end += 1;
                    }
                    let deduper = &mut self.deduper;
                    let group = &texts[start..end];
                    let decided = pool.install(|| deduper.removals_batch(group));
                    for (removed, stats) in &decided {
                        let left = stats.paragraphs - removed.len() as u64;
                        verdicts.push(removed.iter().map(|r| r.extent()), left);
                    }
                    // Counted now, unless it is the batch's last group.
                    let counted = Tally {
                        top: &mut self.top,
                        texts: group.to_vec(),
                        removals: decided,
                    };
                    if end == texts.len() {
                        last = counted.texts.len();
                        removals = counted.removals;
                    } else {
                        counted.count();
                    }
                    start = end;
                }
            }
        }
        let tally = Tally {
            top: &mut self.top,
            texts: texts.split_off(texts.len() - last),
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
                bloom: seen.bloom_fill().map(|fill| BloomInfo {
                    expected: fill.expected,
                    fill_ratio: fill.ratio(),
                    fp_rate: fill.fp_rate,
                    estimated_fp_rate: fill.estimated_fp_rate,
                    overfilled: fill.inserted > fill.expected,
                }),
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
        counts: DocumentFrequency::new(settings),
        workers: (0..threads.count())
            .map(|_| Worker {
                fingerprinter: settings.fingerprinter(),
                fingerprints: Vec::new(),
                ends: Vec::new(),
            })
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
                    counting.counts.count(text);
                }
            }
        }
        input.check_read(reader.raw_bytes() - raw)?;
    }
    Ok(counting.counts)
}

/// The first pass's counts: one table, filled in document order on this thread from the
/// fingerprints the workers compute. A table per thread, merged at the end, held every
/// distinct paragraph about twice over, and more while the merge grew the result.
struct Counting<'t> {
    counts: DocumentFrequency,
    workers: Vec<Worker>,
    threads: &'t Threads,
}

/// One thread's share of a batch's fingerprinting: the fingerprints of its documents'
/// paragraphs (exempt ones left out), and where each document's end.
struct Worker {
    fingerprinter: Fingerprinter,
    fingerprints: Vec<Fingerprint>,
    ends: Vec<usize>,
}

impl Lines for Counting<'_> {
    fn batch(&mut self, _: &Batch, documents: &[Decoded<'_>]) -> Result<()> {
        let per = documents.len().div_ceil(self.workers.len()).max(1);
        self.threads.for_each_mut(&mut self.workers, |k, worker| {
            worker.fingerprints.clear();
            worker.ends.clear();
            for (_, text) in documents.iter().skip(k * per).take(per).flatten() {
                let paragraphs = worker.fingerprinter.paragraphs(text);
                worker
                    .fingerprints
                    .extend(paragraphs.filter_map(|(_, fp)| fp));
                worker.ends.push(worker.fingerprints.len());
            }
        });
        for worker in &mut self.workers {
            let mut start = 0;
            for &end in &worker.ends {
                let document = worker.fingerprints[start..end].iter().copied().map(Some);
                self.counts.count_fingerprints(document);
                start = end;
            }
            // A batch of tiny paragraphs can leave a large buffer: not kept for the next.
            worker.fingerprints.shrink_to(1 << 16);
        }
        Ok(())
    }

    fn long_line(&mut self, line: LongLine<'_>) -> Result<()> {
        // Passed over here; the second pass refuses or skips it.
        line.read_through(|_| Ok(()))?;
        Ok(())
    }
}
