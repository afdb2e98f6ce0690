//! All cores, same answer: deduplicating a batch of documents in parallel (feature `rayon`).
//!
//! Fingerprinting (split, normalize, hash) is the expensive part and needs nothing but the
//! paragraph, so it runs on every core. Deciding which occurrence is first must follow input
//! order, so one thread walks the batch in order and records each fingerprint, exactly as the
//! serial path does (both decide through the same code). That thread decides a slice as soon
//! as its fingerprints are ready, and fingerprints other slices while it waits, so the serial
//! step overlaps the parallel one. Building the kept text is parallel
//! again. In document scope no decision depends on another document, so there is no serial
//! step: each slice of the batch is decided whole on any core, by its own copy of the deduper
//! (unless boilerplate is kept once in the whole corpus, a record all documents share). The
//! result is identical to calling [`Deduper::dedup`] on each document in turn, for any number
//! of threads and any batch size; a property test checks it.

use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::dedup::{Deduper, Deduplicated, Removed, Verdict};
use crate::fingerprint::Fingerprint;
use crate::normalize::Scratch;
use crate::seen::Origin;
use crate::settings::Settings;
use crate::split::{paragraphs_of, Paragraph};
use crate::stats::Stats;

#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl Deduper {
    /// Deduplicates a batch of documents on all cores of the current rayon pool: the same
    /// results as [`dedup`](Deduper::dedup) on each document in order.
    ///
    /// # Memory usage
    ///
    /// The batch's paragraph spans and fingerprints (about 48 bytes per paragraph) are held
    /// until its results are built; feed a long corpus in batches of a few thousand documents
    /// to bound it.
    ///
    /// ```
    /// use paradedup::{Deduper, Scope};
    ///
    /// let docs = ["a\nb", "b\nc", "c\nd"];
    /// let mut parallel = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).build();
    /// let mut serial = parallel.clone();
    /// let batch = parallel.dedup_batch(&docs);
    /// for (doc, out) in docs.iter().zip(&batch) {
    ///     assert_eq!(out, &serial.dedup(doc));
    /// }
    /// assert_eq!(batch[2].text(), "d");
    /// ```
    pub fn dedup_batch<'t, S>(&mut self, documents: &'t [S]) -> Vec<Deduplicated<'t>>
    where
        S: AsRef<str> + Sync,
    {
        let decided = self.removals_batch(documents);
        // Kept text, on every core.
        documents
            .par_iter()
            .zip(decided)
            .map(|(doc, (removed, stats))| Deduplicated::new(doc.as_ref(), removed, stats))
            .collect()
    }

    /// The decisions of [`dedup_batch`](Deduper::dedup_batch) without the kept text: for each
    /// document, its removed paragraphs (in order) and its counts. For callers that rebuild the
    /// text their own way (the command splices it back into JSON), so no copy of each document
    /// is made only to be thrown away.
    ///
    /// ```
    /// use paradedup::Deduper;
    ///
    /// let docs = ["a\nb", "b\na"];
    /// let decided = Deduper::builder()
    ///     .scope(paradedup::Scope::Corpus)
    ///     .build()
    ///     .removals_batch(&docs);
    /// assert_eq!(decided[0].0.len(), 0);
    /// assert_eq!(decided[1].0.len(), 2);
    /// assert_eq!(decided[1].1.duplicates, 2);
    /// ```
    pub fn removals_batch<S>(&mut self, documents: &[S]) -> Vec<(Vec<Removed>, Stats)>
    where
        S: AsRef<str> + Sync,
    {
        if self.decides_documents_apart() {
            if rayon::current_num_threads() == 1 || documents.len() < 2 {
                // Nothing to overlap: the serial path, without holding the batch's
                // fingerprints.
                return documents
                    .iter()
                    .map(|doc| self.removals(doc.as_ref()))
                    .collect();
            }
            return self.decide_apart(documents);
        }
        // The batch is cut into slices of about SLICE_BYTES, each fingerprinted as its own
        // task, oldest first. This thread decides the slices in order, and while the next is
        // not ready it fingerprints others itself, so the serial step never leaves a core idle.
        // (A rayon::join of one slice's decisions with the next one's fingerprints was
        // measured slower: each join waited for the longer half.)
        let settings = self.settings();
        if rayon::current_num_threads() == 1 {
            let fingerprinted = fingerprint_batch(settings, documents);
            return self.decide_batch(documents, fingerprinted);
        }
        let slices = slices(documents);
        // A task that panicked leaves its panic in its slot, to be resumed here: a slot left
        // empty would keep the loop below waiting for ever.
        let ready: Vec<Mutex<Option<std::thread::Result<Fingerprinted<'_>>>>> =
            slices.iter().map(|_| Mutex::new(None)).collect();
        let mut decided = Vec::with_capacity(documents.len());
        rayon::scope_fifo(|scope| {
            for (slice, slot) in slices.iter().zip(&ready) {
                scope.spawn_fifo(move |_| {
                    let fingerprinted = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        fingerprint_batch(settings, slice)
                    }));
                    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(fingerprinted);
                });
            }
            for (slice, slot) in slices.iter().zip(&ready) {
                let fingerprinted = loop {
                    if let Some(done) = slot.lock().unwrap_or_else(PoisonError::into_inner).take() {
                        break done.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    }
                    if rayon::yield_now() != Some(rayon::Yield::Executed) {
                        std::thread::yield_now();
                    }
                };
                decided.extend(self.decide_batch(slice, fingerprinted));
            }
        });
        decided
    }

    /// Decisions when no document's depend on another's (document scope; see
    /// [`decides_documents_apart`](Deduper::decides_documents_apart)): every slice of the batch is
    /// decided whole on any core by its own copy of the deduper
    /// ([`independent_worker`](Deduper::independent_worker)), so nothing is serial. The last
    /// document is decided here, which leaves this deduper as the serial path would (its
    /// seen-set holds the last document's paragraphs).
    fn decide_apart<S>(&mut self, documents: &[S]) -> Vec<(Vec<Removed>, Stats)>
    where
        S: AsRef<str> + Sync,
    {
        let Some((last, rest)) = documents.split_last() else {
            return Vec::new();
        };
        let worker = self.independent_worker();
        let first = self.stats().documents;
        let mut numbered = Vec::new();
        let mut number = first;
        for slice in slices(rest) {
            numbered.push((number, slice));
            number += slice.len() as u64;
        }
        let mut decided: Vec<(Vec<Removed>, Stats)> = numbered
            .into_par_iter()
            .map(|(first, slice)| {
                let mut worker = worker.clone();
                (first..)
                    .zip(slice)
                    .map(|(number, doc)| worker.removals_numbered(doc.as_ref(), number))
                    .collect::<Vec<_>>()
            })
            .flatten_iter()
            .collect();
        for (_, stats) in &decided {
            self.count_decided(*stats);
        }
        decided.push(self.removals(last.as_ref()));
        decided
    }

    /// Decisions on fingerprinted documents, in input order: the serial step.
    fn decide_batch<'t, S: AsRef<str>>(
        &mut self,
        documents: &[S],
        fingerprinted: Fingerprinted<'t>,
    ) -> Vec<(Vec<Removed>, Stats)> {
        let mut decided = Vec::with_capacity(documents.len());
        // Every fingerprint is known before the first decision, so the seen-set lookups are
        // prefetched a fixed distance ahead across document boundaries: short documents
        // overlap their misses with their neighbours' decisions too.
        let fingerprints = fingerprinted
            .iter()
            .flatten()
            .filter_map(|(_, fingerprint)| *fingerprint);
        let mut ahead = fingerprints.clone();
        // Halfway, the first stage has arrived and the second can start (see `Verdicts`).
        let mut halfway = fingerprints.skip(PREFETCH_DISTANCE / 2);
        ahead
            .by_ref()
            .take(PREFETCH_DISTANCE)
            .for_each(|fingerprint| self.seen().prefetch(fingerprint));
        for (doc, paragraphs) in documents.iter().zip(&fingerprinted) {
            let before = self.stats();
            let number = self.start_document(doc.as_ref().len());
            let mut verdicts = Vec::with_capacity(paragraphs.len());
            for (index, &(paragraph, fingerprint)) in paragraphs.iter().enumerate() {
                if let Some(next) = ahead.next() {
                    self.seen().prefetch(next);
                }
                if let Some(nearer) = halfway.next() {
                    self.seen().prefetch_room(nearer);
                }
                let index = index as u64;
                let origin = Origin {
                    document: number,
                    paragraph: index,
                };
                let status = self.decide(&paragraph, fingerprint, origin, None);
                verdicts.push(Verdict::new(paragraph, index, status));
            }
            self.settle_short(&mut verdicts, number);
            let removed = verdicts.iter().filter_map(Removed::from_verdict).collect();
            decided.push((removed, self.stats().since(before)));
        }
        decided
    }
}

/// How many paragraphs ahead of its decision a fingerprint's seen-set lookup is prefetched:
/// decisions are short, so more misses must be in flight than in the serial path's look-ahead.
const PREFETCH_DISTANCE: usize = 16;

/// Each document's paragraphs with their fingerprints (`None`: exempt).
type Fingerprinted<'t> = Vec<Vec<(Paragraph<'t>, Option<Fingerprint>)>>;

/// About how much text one fingerprinting task of a batch takes: a tenth of a millisecond of
/// work, so a decision never waits long for its slice, and tasks stay few.
const SLICE_BYTES: usize = 64 << 10;

/// `documents` cut into consecutive slices of about [`SLICE_BYTES`] (a longer document is a
/// slice of its own).
fn slices<S: AsRef<str>>(documents: &[S]) -> Vec<&[S]> {
    let mut slices = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, doc) in documents.iter().enumerate() {
        bytes += doc.as_ref().len();
        if bytes >= SLICE_BYTES {
            slices.push(&documents[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < documents.len() {
        slices.push(&documents[start..]);
    }
    slices
}

/// Every document's paragraphs with their fingerprints, on every core (a slice of one long
/// document is still split among them).
fn fingerprint_batch<S: AsRef<str> + Sync>(
    settings: Settings,
    documents: &[S],
) -> Fingerprinted<'_> {
    thread_local! {
        // One buffer per worker for good: rayon calls `map_init`'s init once per split, and a
        // new buffer is grown (and zeroed) again each time.
        static SCRATCH: core::cell::RefCell<Scratch> = core::cell::RefCell::default();
    }
    documents
        .par_iter()
        .map(|doc| {
            SCRATCH.with_borrow_mut(|scratch| {
                paragraphs_of(doc.as_ref(), settings.unit)
                    .map(|p| (p, settings.fingerprint_into(p.as_str(), scratch)))
                    .collect()
            })
        })
        .collect()
}
