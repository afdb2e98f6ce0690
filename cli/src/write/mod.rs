//! Writing: the documents (or their annotations) in input order, the bad lines, and at the end
//! the report and the seen-set; every file under a temporary name until the whole run
//! succeeded, then all put in place together.

mod annotate;
mod rejects;
mod signals;
mod sink;

use std::fs;
use std::path::Path;
use std::sync::Arc;

use paradedup::{Deduper, DocumentFrequency, Span, Unit};

use crate::error::{Error, Result};
use crate::json::{self, Parsed};
use crate::judge::Verdicts;
use crate::plan::{Destination, Format, Input, Mode, Plan, Target};
use crate::progress::Progress;
use crate::read::{Batch, Decoded, LongLine};
use crate::report::{InputCounts, Report};
use crate::threads::Threads;

use rejects::Rejects;
use sink::{Sink, Staged};

/// Shares of a batch written at once per thread: a few, so that a thread done early takes
/// another while one is held up by long documents.
const SHARES_PER_THREAD: usize = 4;
/// Input bytes of a share, at most (about; whole lines): its output then fits the writer's
/// buffers (`sink::FLUSH_AT`), which go round between the writer and the shares. A share of a
/// quarter of an 8 MB batch outgrew them, and its new buffers' page faults were 6% of a
/// one-thread run.
const SHARE_BYTES: usize = 512 << 10;

/// A run's outputs, from the first document to the last rename.
pub struct Outputs<'r> {
    plan: &'r Plan,
    threads: Threads,
    /// The stream every input goes to (`-o FILE`, `-o -`).
    one: Option<Sink>,
    /// The current input's own file in the mirrored directory.
    own: Option<Sink>,
    /// Each document's signals (`--signals`).
    signals: Option<Sink>,
    /// The first pass's counts (`--boilerplate`), for the signals' kept paragraph counts.
    first_pass: Option<Arc<DocumentFrequency>>,
    rejects: Rejects<'r>,
    /// Outputs complete under temporary names, put in place by [`Outputs::commit`].
    staged: Vec<Staged>,
    /// Documents written.
    written: u64,
    /// The current input's name, and its counts of what was left out here.
    name: String,
    counts: InputCounts,
    /// The attribute name as a JSON string token (annotate mode).
    attribute: Vec<u8>,
    /// A batch's output, written a share per thread (reused).
    shares: Vec<Share>,
}

impl<'r> Outputs<'r> {
    /// Opens the outputs that take every input: the rejects file and the one stream.
    ///
    /// # Errors
    ///
    /// An output cannot be created.
    pub fn create(plan: &'r Plan, progress: &'r Progress, threads: Threads) -> Result<Outputs<'r>> {
        let rejects = Rejects::create(plan, progress)?;
        let one = match &plan.target {
            Target::One(destination) => Some(Sink::create(destination, plan.compression_level)?),
            _ => None,
        };
        Ok(Outputs {
            plan,
            threads,
            one,
            own: None,
            signals: plan
                .signals
                .as_ref()
                .map(|path| Sink::create(&Destination::File(path.clone()), plan.compression_level))
                .transpose()?,
            first_pass: None,
            rejects,
            staged: Vec::new(),
            written: 0,
            name: String::new(),
            counts: InputCounts::default(),
            attribute: match &plan.mode {
                Mode::Annotate { attribute } => {
                    let mut token = Vec::new();
                    json::push_string(attribute, &mut token);
                    token
                }
                _ => Vec::new(),
            },
            shares: Vec::new(),
        })
    }

    /// Gives the signals the first pass's counts (`--boilerplate`): each kept paragraph's
    /// number of documents is then known, and written.
    pub fn document_frequency(&mut self, counts: Option<Arc<DocumentFrequency>>) {
        self.first_pass = counts;
    }

    /// Starts on `input`: in a mirrored directory, a JSON Lines input gets its own file.
    ///
    /// # Errors
    ///
    /// That file cannot be created.
    pub fn begin(&mut self, input: &Input) -> Result<()> {
        self.name = input.name();
        self.counts = InputCounts {
            path: input.name(),
            ..InputCounts::default()
        };
        if let Target::Mirror(dir) = &self.plan.target {
            if input.format == Format::Jsonl {
                self.own = Some(Sink::create(
                    &mirror_destination(self.plan, dir, input)?,
                    self.plan.compression_level,
                )?);
            }
        }
        Ok(())
    }

    /// Ends the current input, its own file complete: its counts of documents dropped and
    /// lines skipped.
    ///
    /// # Errors
    ///
    /// Its own file cannot be written.
    pub fn end(&mut self) -> Result<InputCounts> {
        if let Some(sink) = self.own.take() {
            self.staged.extend(sink.finish()?);
        }
        Ok(std::mem::take(&mut self.counts))
    }

    /// Writes a judged batch of JSON lines in order, its malformed lines accounted for where
    /// they stood; `alongside` is run while the lines are written.
    ///
    /// # Errors
    ///
    /// A malformed line without `--skip-bad-lines`, or an output that cannot be written.
    pub fn batch(
        &mut self,
        batch: &Batch,
        documents: &[Decoded<'_>],
        verdicts: &Verdicts,
        alongside: impl FnOnce() + Send,
    ) -> Result<()> {
        let Some(sink) = self.own.as_mut().or(self.one.as_mut()) else {
            alongside();
            // Nothing is written: only the malformed lines are left to account for.
            for (line, document) in batch.lines.iter().zip(documents) {
                if let Err(problem) = document {
                    let (name, counts) = (&self.name, &mut self.counts);
                    self.rejects
                        .line(name, line.number, problem, batch.line(line), counts)?;
                }
            }
            return Ok(());
        };
        // Writing (splicing the kept text back into each line, escaped) is as much work as
        // parsing, and needs nothing but the decisions already made: each share of the batch
        // is written on its own thread into its own buffer, and the buffers are appended in
        // order, so the output is the same for every thread count.
        let wanted =
            (self.threads.count() * SHARES_PER_THREAD).max(batch.bytes.len().div_ceil(SHARE_BYTES));
        let per = batch.lines.len().div_ceil(wanted).max(1);
        let shares = batch.lines.len().div_ceil(per);
        self.shares.resize_with(shares, Share::default);
        // Where each share's documents start among the decoded ones.
        let mut firsts = Vec::with_capacity(shares);
        let mut decoded = 0;
        for chunk in documents.chunks(per) {
            firsts.push(decoded);
            decoded += chunk.iter().filter(|p| p.is_ok()).count();
        }
        let writer = LineWriter {
            mode: &self.plan.mode,
            attribute: &self.attribute,
            signals: self.signals.is_some(),
            first_pass: self.first_pass.as_deref(),
            max_removed: self.plan.max_removed_fraction,
            unit: self.plan.unit,
        };
        let lines = &batch.lines;
        let write_share = |k: usize, share: &mut Share| {
            share.clear();
            let mut verdicts = verdicts.from(firsts[k]);
            let mut decoded = firsts[k];
            let from = k * per;
            let to = (from + per).min(lines.len());
            for (index, (line, document)) in
                lines[from..to].iter().zip(&documents[from..to]).enumerate()
            {
                match document {
                    Err(_) => share.bad.push((from + index, share.bytes.len(), None)),
                    Ok((parsed, text)) => {
                        let (cuts, left) = verdicts.next().expect("one verdict per decoded line");
                        if writer.write(batch.line(line), parsed, text, cuts, left, share) {
                            // Written below, straight to the sink.
                            share
                                .bad
                                .push((from + index, share.bytes.len(), Some(decoded)));
                        }
                        decoded += 1;
                    }
                }
            }
        };
        let (threads, shares) = (&self.threads, &mut self.shares);
        threads.join(alongside, || threads.for_each_mut(shares, write_share));
        for share in &mut self.shares {
            if share.bad.is_empty() {
                sink.append(&mut share.bytes)?;
            } else {
                // A malformed line is accounted for where it stood, after the lines before it
                // are written, as when lines were written one by one.
                let mut from = 0;
                for &(index, at, streamed) in &share.bad {
                    sink.buffer().extend_from_slice(&share.bytes[from..at]);
                    from = at;
                    sink.flush_if_full()?;
                    let line = &batch.lines[index];
                    if let (Some(decoded), Ok((parsed, text))) = (streamed, &documents[index]) {
                        let (content, _) = json::split_terminator(batch.line(line));
                        let id = parsed.id.clone().map_or(&b"null"[..], |id| &content[id]);
                        let (cuts, _) = verdicts.from(decoded).next().expect("its verdict");
                        sink.stream(|buf, spill| {
                            annotate::stream_line(id, &self.attribute, text, cuts, buf, spill)
                        })?;
                        continue;
                    }
                    let Err(problem) = &documents[index] else {
                        unreachable!("only malformed lines are listed as bad");
                    };
                    self.rejects.line(
                        &self.name,
                        line.number,
                        problem,
                        batch.line(line),
                        &mut self.counts,
                    )?;
                }
                sink.buffer().extend_from_slice(&share.bytes[from..]);
                sink.flush_if_full()?;
            }
            self.written += share.written;
            self.counts.dropped_empty += share.dropped_empty;
            self.counts.dropped_removed += share.dropped_removed;
            self.rejects.documents(&share.rejected)?;
            if let Some(signals) = &mut self.signals {
                signals.append(&mut share.signals)?;
            }
        }
        Ok(())
    }

    /// A line of the current input longer than `--max-document-bytes` (see
    /// [`Rejects::long_line`]).
    ///
    /// # Errors
    ///
    /// The line, without `--skip-bad-lines`; or the input cannot be read, or the rejects file
    /// written.
    pub fn long_line(&mut self, line: LongLine<'_>) -> Result<()> {
        self.rejects.long_line(&self.name, line, &mut self.counts)
    }

    /// The start of line `number` of the current input, cut short where its compressed stream
    /// broke off (`--skip-bad-lines`): a bad line, counted and copied to the rejects file.
    ///
    /// # Errors
    ///
    /// The line, without `--skip-bad-lines`; or the rejects file cannot be written.
    pub fn cut_line(&mut self, number: u64, head: &[u8], problem: &str) -> Result<()> {
        let problem = crate::json::LineError::whole(problem);
        self.rejects
            .line(&self.name, number, &problem, head, &mut self.counts)
    }

    /// The current input, a text file that is no document (see [`Rejects::document`]).
    ///
    /// # Errors
    ///
    /// The document, without `--skip-bad-lines`; or the rejects file cannot be written.
    pub fn bad_document(&mut self, problem: &str) -> Result<()> {
        self.rejects.document(&self.name, problem, &mut self.counts)
    }

    /// Writes a text input's one document, judged (`left` paragraphs kept, `cuts` removed):
    /// into the one stream as a JSON line, or into its own file when the output mirrors the
    /// inputs.
    ///
    /// # Errors
    ///
    /// The output cannot be created or written.
    pub fn text(&mut self, input: &Input, text: &str, cuts: &[Span], left: u64) -> Result<()> {
        if matches!(self.plan.mode, Mode::Stats) {
            return Ok(());
        }
        let mut id = Vec::new();
        json::push_string(&self.name, &mut id);
        if self.signals.is_some() || self.plan.max_removed_fraction.is_some() {
            let found = signals::of(text, cuts, self.plan.unit);
            if let Some(sink) = &mut self.signals {
                let kept = signals::kept(text, cuts, self.first_pass.as_deref());
                signals::push_line(&id, text, &found, kept.as_deref(), sink.buffer());
                sink.flush_if_full()?;
            }
            if too_much_removed(self.plan.max_removed_fraction, &found) {
                // A text file is no line to copy to the rejects file: it is only counted.
                self.counts.dropped_removed += 1;
                return Ok(());
            }
        }
        if self.plan.mode.drops(left) {
            self.counts.dropped_empty += 1;
            return Ok(());
        }
        if let Target::Mirror(dir) = &self.plan.target {
            self.own = Some(Sink::create(
                &mirror_destination(self.plan, dir, input)?,
                self.plan.compression_level,
            )?);
        }
        let Some(out) = self.own.as_mut().or(self.one.as_mut()) else {
            return Ok(());
        };
        let mirrored = matches!(self.plan.target, Target::Mirror(_));
        if let Mode::Annotate { .. } = &self.plan.mode {
            // Streamed: a text of tiny repeats has an attribute line many times its size.
            out.stream(|buf, spill| {
                annotate::stream_line(&id, &self.attribute, text, cuts, buf, spill)
            })?;
            self.written += 1;
            return out.flush_if_full();
        }
        let buf = out.buffer();
        match &self.plan.mode {
            Mode::Stats => {}
            Mode::Dedup { .. } if mirrored => {
                for piece in kept(text, cuts) {
                    buf.extend_from_slice(piece.as_bytes());
                }
            }
            Mode::Dedup { .. } => {
                buf.push(b'{');
                json::push_string(&self.plan.id_field, buf);
                buf.push(b':');
                buf.extend_from_slice(&id);
                buf.push(b',');
                json::push_string(&self.plan.text_field, buf);
                buf.extend_from_slice(b":\"");
                for piece in kept(text, cuts) {
                    json::escape_into(piece, false, buf);
                }
                buf.extend_from_slice(b"\"}\n");
            }
            Mode::Annotate { .. } => unreachable!("streamed above"),
        }
        self.written += 1;
        out.flush_if_full()?;
        Ok(())
    }

    /// Documents written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Ends the streams that took every input, the documents' and the rejects: complete, but
    /// still under temporary names.
    ///
    /// # Errors
    ///
    /// A stream cannot be written.
    pub fn close(&mut self) -> Result<()> {
        if let Some(sink) = self.one.take() {
            self.staged.extend(sink.finish()?);
        }
        if let Some(sink) = self.signals.take() {
            self.staged.extend(sink.finish()?);
        }
        self.staged.extend(self.rejects.finish()?);
        Ok(())
    }

    /// Writes the report and the seen-set `deduper` ends with, then puts every output in place.
    ///
    /// # Errors
    ///
    /// An output cannot be written or renamed into place.
    pub fn commit(mut self, report: &Report, deduper: &Deduper) -> Result<()> {
        if let Some(path) = &self.plan.report {
            let mut sink = Sink::create(
                &Destination::File(path.clone()),
                self.plan.compression_level,
            )?;
            sink.buffer().extend_from_slice(report.to_json().as_bytes());
            self.staged.extend(sink.finish()?);
        }
        // Written before anything is committed, so a failure here (a full disk) leaves every
        // output untouched; and put in place last, after the outputs, so a run killed in
        // between leaves the old seen-set with the new outputs, never the new seen-set with
        // the old outputs: rerun, even with --seen-in naming the same file, and the outputs
        // come out the same.
        if let Some(path) = &self.plan.seen_out {
            let (seen, settings) = (deduper.seen(), deduper.settings());
            let file = Staged::write(path, |out| {
                seen.write_to(out, settings).map_err(|e| e.to_string())
            })
            .map_err(|e| Error::runtime(format!("--seen-out: {e}")))?;
            self.staged.push(file);
        }
        for file in self.staged {
            file.commit()?;
        }
        Ok(())
    }
}

/// The pieces of `text` left between its removed extents `cuts` (in increasing order).
fn kept<'t>(text: &'t str, cuts: &'t [Span]) -> impl Iterator<Item = &'t str> {
    let starts = std::iter::once(0).chain(cuts.iter().map(|cut| cut.end));
    let ends = cuts
        .iter()
        .map(|cut| cut.start)
        .chain(std::iter::once(text.len()));
    starts.zip(ends).map(move |(from, to)| &text[from..to])
}

/// True when `--max-removed-fraction` (`max`) leaves out a document with these signals.
fn too_much_removed(max: Option<f64>, signals: &paradedup::Signals) -> bool {
    max.is_some_and(|max| signals.removed_char_fraction() > max)
}

/// [`Plan::mirror_path`] as a destination, its parent directories created.
fn mirror_destination(plan: &Plan, dir: &Path, input: &Input) -> Result<Destination> {
    let path = plan.mirror_path(dir, input);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create directory {}", parent.display()), &e))?;
    }
    Ok(Destination::File(path))
}

/// What one thread wrote of a batch: its lines' output and counts, and where the malformed
/// lines among them stood.
#[derive(Default)]
struct Share {
    bytes: Vec<u8>,
    /// Documents written.
    written: u64,
    /// Documents left out by `--drop-empty`.
    dropped_empty: u64,
    /// Documents left out by `--max-removed-fraction`, and their lines for the rejects file.
    dropped_removed: u64,
    rejected: Vec<u8>,
    /// The documents' signal lines (`--signals`).
    signals: Vec<u8>,
    /// Each malformed line, and each annotated line streamed to the sink instead of built
    /// here: its index in the batch, how many bytes of `bytes` come before it, and for a
    /// streamed line its index among the decoded documents.
    bad: Vec<(usize, usize, Option<usize>)>,
}

impl Share {
    /// Empties it for the next batch, keeping its allocations.
    fn clear(&mut self) {
        self.bytes.clear();
        self.written = 0;
        self.dropped_empty = 0;
        self.dropped_removed = 0;
        self.rejected.clear();
        self.signals.clear();
        self.bad.clear();
    }
}

/// Writes judged JSON lines as the mode asks; shared by the threads writing a batch.
struct LineWriter<'a> {
    mode: &'a Mode,
    /// The attribute name as a JSON string token (annotate mode).
    attribute: &'a [u8],
    /// Whether each document's signals are written (`--signals`).
    signals: bool,
    /// The first pass's counts (`--boilerplate`), for the kept paragraphs' counts.
    first_pass: Option<&'a DocumentFrequency>,
    /// `--max-removed-fraction`.
    max_removed: Option<f64>,
    /// The unit paragraphs are split by, for the signals.
    unit: Unit,
}

impl LineWriter<'_> {
    /// Writes one judged JSON line (`left` paragraphs kept, `cuts` removed) into `share`; true
    /// when its attribute line is left to be streamed straight into the sink instead (counted
    /// as written): with more than [`annotate::STREAM_SPANS`] spans it would be many times the
    /// document.
    fn write(
        &self,
        line: &[u8],
        parsed: &Parsed,
        text: &str,
        cuts: &[Span],
        left: u64,
        share: &mut Share,
    ) -> bool {
        let (content, terminator) = json::split_terminator(line);
        let token = &parsed.text;
        if self.signals || self.max_removed.is_some() {
            let found = signals::of(text, cuts, self.unit);
            if self.signals {
                let id = parsed.id.clone().map_or(&b"null"[..], |id| &content[id]);
                let kept = signals::kept(text, cuts, self.first_pass);
                signals::push_line(id, text, &found, kept.as_deref(), &mut share.signals);
            }
            if too_much_removed(self.max_removed, &found) {
                share.dropped_removed += 1;
                share.rejected.extend_from_slice(content);
                share.rejected.push(b'\n');
                return false;
            }
        }
        let buf = &mut share.bytes;
        match self.mode {
            Mode::Stats => {}
            Mode::Dedup { .. } => {
                if self.mode.drops(left) {
                    share.dropped_empty += 1;
                    return false;
                }
                json::splice_text(content, token, text, cuts.iter().map(Span::range), buf);
                buf.extend_from_slice(if terminator.is_empty() {
                    b"\n"
                } else {
                    terminator
                });
                share.written += 1;
            }
            Mode::Annotate { .. } => {
                share.written += 1;
                if cuts.len() > annotate::STREAM_SPANS {
                    return true;
                }
                let id = parsed.id.clone().map_or(&b"null"[..], |id| &content[id]);
                annotate::push_line(id, self.attribute, text, cuts, buf);
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_pieces_lie_between_the_cuts() {
        let text = "a\nb\nc\nd\n";
        let cuts = [Span::new(2, 4), Span::new(6, 8)];
        assert_eq!(kept(text, &cuts).collect::<Vec<_>>(), ["a\n", "c\n", ""]);
        assert_eq!(kept(text, &[]).collect::<Vec<_>>(), [text]);
    }
}
