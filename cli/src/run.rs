//! The pipeline: read each input's documents in order, judge them with one deduper, write what
//! the mode asks for, and count everything for the report.

use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use std::borrow::Cow;
use std::ops::Range;

use rayon::prelude::*;

use paradedup::{Deduper, DocumentFrequency, Scope, Span};

use crate::annotate;
use crate::error::{Error, Result};
use crate::input::{self, Format, Input};
use crate::json::{self, LineError, Parsed};
use crate::output::{self, Destination, Sink, Staged};
use crate::progress::Progress;
use crate::report::{InputCounts, Report, SeenInfo, Settings, TopRepeats};

/// What a run writes.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The documents, with repeated paragraphs removed.
    Dedup {
        /// Leave out documents no paragraph is left in.
        drop_empty: bool,
    },
    /// One attribute line per document, naming the repeated paragraphs' spans.
    Annotate {
        /// The attribute's name.
        attribute: String,
    },
    /// Nothing: only the report.
    Stats,
}

impl Mode {
    fn name(&self) -> &'static str {
        match self {
            Mode::Dedup { .. } => "dedup",
            Mode::Annotate { .. } => "annotate",
            Mode::Stats => "stats",
        }
    }
}

/// Where the documents (or attributes) go.
#[derive(Debug, Clone)]
pub enum Target {
    /// Nowhere (`stats`).
    Nothing,
    /// One stream for every input.
    One(Destination),
    /// A directory, one output per input at its relative path.
    Mirror(PathBuf),
}

/// Everything a run needs, decided from the command line.
#[derive(Debug)]
pub struct Plan {
    /// What to write.
    pub mode: Mode,
    /// The inputs, in order.
    pub inputs: Vec<Input>,
    /// Where to write.
    pub target: Target,
    /// The deduper to judge with.
    pub deduper: Deduper,
    /// The settings, as the report records them.
    pub settings: Settings,
    /// The JSON field holding the text.
    pub text_field: String,
    /// The JSON field holding the id.
    pub id_field: String,
    /// Go on after a malformed line.
    pub skip_bad_lines: bool,
    /// The longest document (JSON line or text file) read, in bytes (`--max-document-bytes`).
    pub max_document: usize,
    /// Where skipped lines go.
    pub rejects: Option<PathBuf>,
    /// Where the JSON report goes.
    pub report: Option<PathBuf>,
    /// No progress bar, no summary, no warnings.
    pub quiet: bool,
    /// Where to save the seen-set at the end (`--seen-out`).
    pub seen_out: Option<PathBuf>,
    /// Worker threads judging documents; 1 judges them one by one on the reading thread.
    pub threads: usize,
    /// When the run began: before the first pass of `--boilerplate`, which the report's speed
    /// includes.
    pub started: Instant,
}

/// Malformed lines shown on stderr before the rest are only counted.
const WARNINGS: u64 = 10;

/// Carries out `plan`: every output is in place when this returns `Ok`, and none is touched
/// when it returns an error.
///
/// # Errors
///
/// A read or write failure, or a malformed line without `--skip-bad-lines`.
pub fn run(mut plan: Plan) -> Result<Report> {
    let started = plan.started;
    check_destinations(&plan)?;
    // Taken, not cloned: a loaded seen-set may be gigabytes.
    let deduper = std::mem::take(&mut plan.deduper);
    let total = plan.inputs.iter().map(|i| i.size).sum::<Option<u64>>();
    let pool = if plan.threads > 1 {
        Some(Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(plan.threads)
                .build()
                .map_err(|e| {
                    Error::runtime(format!("cannot start {} threads: {e}", plan.threads))
                })?,
        ))
    } else {
        None
    };
    let mut work = Work {
        pool,
        progress: Progress::new(total, plan.quiet),
        deduper,
        top: TopRepeats::default(),
        cuts: Vec::new(),
        read: Arc::new(AtomicU64::new(0)),
        input_bytes: 0,
        written: 0,
        warned: 0,
        rejects: plan
            .rejects
            .as_deref()
            .map(|path| Sink::create(&Destination::File(path.to_owned())))
            .transpose()?,
        text_key: plan.text_field.clone(),
        id_key: plan.id_field.clone(),
        attribute: match &plan.mode {
            Mode::Annotate { attribute } => {
                let mut token = Vec::new();
                json::push_string(attribute, &mut token);
                token
            }
            _ => Vec::new(),
        },
        plan: &plan,
    };
    let mut staged = Vec::new();
    let mut one = match &plan.target {
        Target::One(destination) => Some(Sink::create(destination)?),
        _ => None,
    };
    let mut per_input = Vec::with_capacity(plan.inputs.len());
    for input in &plan.inputs {
        let mut mirror = None;
        if let Target::Mirror(dir) = &plan.target {
            if input.format == Format::Jsonl {
                mirror = Some(Sink::create(&mirror_destination(dir, input, &plan.mode)?)?);
            }
        }
        let before = work.deduper.stats();
        let mut counts = InputCounts {
            path: input.name(),
            ..InputCounts::default()
        };
        match input.format {
            Format::Jsonl => {
                let out = mirror.as_mut().or(one.as_mut());
                work.jsonl(input, out, &mut counts)?;
            }
            Format::Text => {
                work.text(input, one.as_mut(), &mut staged, &mut counts)?;
            }
        }
        counts.add(work.deduper.stats().since(before));
        per_input.push(counts);
        if let Some(sink) = mirror {
            staged.extend(sink.finish()?);
        }
    }
    if let Some(sink) = one {
        staged.extend(sink.finish()?);
    }
    if let Some(sink) = work.rejects.take() {
        staged.extend(sink.finish()?);
    }
    work.progress.finish();
    let mut report = Report::new(
        plan.mode.name(),
        plan.settings.clone(),
        per_input,
        work.deduper.stats().exempt,
        work.written,
        work.input_bytes,
        &work.top,
        started.elapsed(),
    );
    if work.deduper.scope() == Scope::Corpus {
        let seen = work.deduper.seen();
        report.seen_set = Some(SeenInfo {
            kind: format!("{:?}", seen.kind()).to_lowercase(),
            fingerprints: seen.len(),
            memory_bytes: seen.memory_usage(),
        });
    }
    if let Some(path) = &plan.report {
        let mut sink = Sink::create(&Destination::File(path.clone()))?;
        sink.buffer().extend_from_slice(report.to_json().as_bytes());
        staged.extend(sink.finish()?);
    }
    // Written before anything is committed, so a failure here (a full disk) leaves every
    // output untouched; and put in place last, after the outputs, so a run killed in between
    // leaves the old seen-set with the new outputs, never the new seen-set with the old
    // outputs: rerun, even with --seen-in naming the same file, and the outputs come out the
    // same.
    if let Some(path) = &plan.seen_out {
        let (seen, settings) = (work.deduper.seen(), work.deduper.settings());
        let file = output::Staged::write(path, |out| {
            seen.write_to(out, settings).map_err(|e| e.to_string())
        })
        .map_err(|e| Error::runtime(format!("--seen-out: {e}")))?;
        staged.push(file);
    }
    for file in staged {
        file.commit()?;
    }
    Ok(report)
}

/// The run's state, apart from its outputs.
struct Work<'p> {
    plan: &'p Plan,
    /// The threads judging batches of documents (`--threads` above 1); shared with the batch
    /// being judged while the next is read.
    pool: Option<Arc<rayon::ThreadPool>>,
    progress: Progress,
    deduper: Deduper,
    top: TopRepeats,
    /// The removed extents of the current document (reused).
    cuts: Vec<Span>,
    /// Raw bytes read from the inputs' files, for the progress bar.
    read: Arc<AtomicU64>,
    /// Uncompressed bytes read.
    input_bytes: u64,
    /// Documents written.
    written: u64,
    /// Malformed lines reported on stderr so far.
    warned: u64,
    rejects: Option<Sink>,
    text_key: String,
    id_key: String,
    /// The attribute name as a JSON string token (annotate mode).
    attribute: Vec<u8>,
}

/// What [`Work::judge`] found in one document.
struct Judged {
    /// Paragraphs left in the kept text.
    left: u64,
}

impl Work<'_> {
    /// Judges one document, leaving its removed extents in `self.cuts`.
    fn judge(&mut self, text: &str) -> Judged {
        self.cuts.clear();
        let mut paragraphs = 0;
        for verdict in self.deduper.verdicts(text) {
            paragraphs += 1;
            let status = verdict.status();
            if let (true, Some(fingerprint)) = (status.is_removed(), verdict.fingerprint()) {
                let paragraph = verdict.paragraph();
                self.top.add(fingerprint, paragraph.as_str());
                self.cuts.push(paragraph.extent());
            }
        }
        Judged {
            left: paragraphs - self.cuts.len() as u64,
        }
    }

    /// Reads a JSON Lines input, writing to `out`: lines are read in batches, each batch
    /// checked, decoded and judged at once (on the thread pool with `--threads` above 1) and
    /// written in input order, so the output is the same for every thread count.
    fn jsonl(
        &mut self,
        input: &Input,
        mut out: Option<&mut Sink>,
        counts: &mut InputCounts,
    ) -> Result<()> {
        let name = input.name();
        let mut source = input::open(input, Arc::clone(&self.read))?;
        let mut reader = LineReader {
            number: 0,
            max: self.plan.max_document,
            bytes: 0,
            blank_lines: 0,
        };
        let (mut batch, mut next) = (Batch::default(), Batch::default());
        let mut filled = reader.fill(&mut source, &mut batch);
        loop {
            self.input_bytes += std::mem::take(&mut reader.bytes);
            counts.blank_lines += std::mem::take(&mut reader.blank_lines);
            match filled {
                Filled::Full => {
                    // The next batch is read while this one is judged and written, on the
                    // pool: reading is serial work that would leave the pool idle.
                    let pool = self.pool.clone();
                    let mut judged = None;
                    let mut work =
                        || self.jsonl_batch(&name, &mut batch, out.as_deref_mut(), counts);
                    let mut read = || reader.fill(&mut source, &mut next);
                    filled = match pool {
                        None => {
                            judged = Some(work());
                            read()
                        }
                        Some(pool) => pool.in_place_scope(|scope| {
                            scope.spawn(|_| judged = Some(work()));
                            read()
                        }),
                    };
                    judged.expect("the batch was judged")?;
                    std::mem::swap(&mut batch, &mut next);
                }
                Filled::End => {
                    return self.jsonl_batch(&name, &mut batch, out, counts);
                }
                Filled::Long { start, complete } => {
                    // The lines before it go first, in order; then this one is refused or
                    // skipped.
                    let head = batch.bytes.split_off(start);
                    self.jsonl_batch(&name, &mut batch, out.as_deref_mut(), counts)?;
                    let number = reader.number;
                    self.long_line(&name, number, &head, complete, &mut source, counts)?;
                    filled = reader.fill(&mut source, &mut batch);
                }
                Filled::Failed(e) => {
                    // The lines read before go first: a malformed one among them is the error
                    // to report, as when lines are handled one by one.
                    self.jsonl_batch(&name, &mut batch, out, counts)?;
                    return Err(Error::io(format!("{name}: line {}", reader.number + 1), &e));
                }
            }
        }
    }

    /// Checks, judges and writes a batch of JSON lines in order, leaving the batch empty.
    fn jsonl_batch(
        &mut self,
        name: &str,
        batch: &mut Batch,
        out: Option<&mut Sink>,
        counts: &mut InputCounts,
    ) -> Result<()> {
        let bytes = &batch.bytes;
        let (text_key, id_key) = (self.text_key.as_str(), self.id_key.as_str());
        let parse = |line: &Line| {
            let (content, _) = json::split_terminator(&bytes[line.range.clone()]);
            json::parse_line(content, text_key, id_key)
        };
        let parsed: Vec<Result<(Parsed, Cow<'_, str>), LineError>> = match &self.pool {
            Some(pool) => pool.install(|| batch.lines.par_iter().map(parse).collect()),
            None => batch.lines.iter().map(parse).collect(),
        };
        let texts: Vec<&str> = parsed
            .iter()
            .filter_map(|p| p.as_ref().ok())
            .map(|(_, text)| text.as_ref())
            .collect();
        batch.cuts.clear();
        batch.judged.clear();
        // The batch's results, kept until their removed paragraphs are counted for the report.
        let mut results = Vec::new();
        match &self.pool {
            None => {
                for text in &texts {
                    let judged = self.judge(text);
                    let from = batch.cuts.len();
                    batch.cuts.extend_from_slice(&self.cuts);
                    batch.judged.push((from..batch.cuts.len(), judged.left));
                }
            }
            Some(pool) => {
                let deduper = &mut self.deduper;
                results = pool.install(|| deduper.removals_batch(&texts));
                for (removed, stats) in &results {
                    let from = batch.cuts.len();
                    batch.cuts.extend(removed.iter().map(|r| r.extent()));
                    let left = stats.paragraphs - removed.len() as u64;
                    batch.judged.push((from..batch.cuts.len(), left));
                }
            }
        }
        // Counting is serial, and overlaps with the writing below on the pool.
        let (top, texts) = (&mut self.top, &texts);
        let count_removed = move || {
            for (text, (removed, _)) in texts.iter().zip(&results) {
                for removed in removed {
                    top.add(removed.fingerprint(), &text[removed.span()]);
                }
            }
            // Freed here rather than on the way out of the serial part of the batch.
            drop(results);
        };
        let Some(sink) = out else {
            count_removed();
            // Nothing is written: only the malformed lines are left to account for.
            for (line, parsed) in batch.lines.iter().zip(&parsed) {
                if let Err(problem) = parsed {
                    let line_bytes = &bytes[line.range.clone()];
                    self.bad_line(name, line.number, problem, line_bytes, counts)?;
                }
            }
            return self.batch_done(batch);
        };
        // Writing (splicing the kept text back into each line, escaped) is as much work as
        // parsing, and needs nothing but the decisions already made: each share of the batch
        // is written on its own thread into its own buffer, and the buffers are appended in
        // order, so the output is the same for every thread count.
        let threads = self
            .pool
            .as_ref()
            .map_or(1, |pool| pool.current_num_threads());
        let wanted = (threads * SHARES_PER_THREAD).max(batch.bytes.len().div_ceil(SHARE_BYTES));
        let per = batch.lines.len().div_ceil(wanted).max(1);
        let shares = batch.lines.len().div_ceil(per);
        batch.shares.resize_with(shares, Share::default);
        // Where each share's documents start among the decoded ones.
        let mut firsts = Vec::with_capacity(shares);
        let mut decoded = 0;
        for chunk in parsed.chunks(per) {
            firsts.push(decoded);
            decoded += chunk.iter().filter(|p| p.is_ok()).count();
        }
        let writer = LineWriter {
            mode: &self.plan.mode,
            attribute: &self.attribute,
        };
        let (lines, cuts, judged) = (&batch.lines, &batch.cuts, &batch.judged);
        let write_share = |(k, share): (usize, &mut Share)| {
            share.clear();
            let mut judged = judged[firsts[k]..].iter();
            let from = k * per;
            let to = (from + per).min(lines.len());
            for (index, (line, parsed)) in lines[from..to].iter().zip(&parsed[from..to]).enumerate()
            {
                match parsed {
                    Err(_) => share.bad.push((from + index, share.bytes.len())),
                    Ok((parsed, text)) => {
                        let (range, left) = judged.next().expect("one verdict per decoded line");
                        let line = &bytes[line.range.clone()];
                        writer.write(line, parsed, text, &cuts[range.clone()], *left, share);
                    }
                }
            }
        };
        match &self.pool {
            Some(pool) => {
                pool.install(|| {
                    rayon::join(count_removed, || {
                        batch
                            .shares
                            .par_iter_mut()
                            .enumerate()
                            .for_each(write_share);
                    })
                });
            }
            None => {
                count_removed();
                batch.shares.iter_mut().enumerate().for_each(write_share);
            }
        }
        for share in &mut batch.shares {
            if share.bad.is_empty() {
                sink.append(&mut share.bytes)?;
            } else {
                // A malformed line is accounted for where it stood, after the lines before it
                // are written, as when lines were written one by one.
                let mut from = 0;
                for &(index, at) in &share.bad {
                    sink.buffer().extend_from_slice(&share.bytes[from..at]);
                    from = at;
                    sink.flush_if_full()?;
                    let line = &batch.lines[index];
                    let Err(problem) = &parsed[index] else {
                        unreachable!("only malformed lines are listed as bad");
                    };
                    let line_bytes = &bytes[line.range.clone()];
                    self.bad_line(name, line.number, problem, line_bytes, counts)?;
                }
                sink.buffer().extend_from_slice(&share.bytes[from..]);
                sink.flush_if_full()?;
            }
            self.written += share.written;
            counts.dropped_empty += share.dropped_empty;
        }
        drop(parsed);
        self.batch_done(batch)
    }

    /// Empties a batch that was handled, and shows the progress made.
    fn batch_done(&self, batch: &mut Batch) -> Result<()> {
        batch.bytes.clear();
        batch.lines.clear();
        self.progress_tick();
        Ok(())
    }

    /// A line longer than `--max-document-bytes`, of which `head` was read (and counted): the
    /// run's end, or (with `--skip-bad-lines`) a bad line like any other, the rest of it read
    /// through in pieces (and copied to the rejects file) without ever holding it whole.
    fn long_line(
        &mut self,
        name: &str,
        number: u64,
        head: &[u8],
        complete: bool,
        source: &mut impl BufRead,
        counts: &mut InputCounts,
    ) -> Result<()> {
        let problem = LineError::whole(format!(
            "the line is longer than the document limit of {} bytes (--max-document-bytes), so \
             its {:?} field was not read",
            self.plan.max_document, self.text_key
        ));
        self.count_bad_line(name, number, &problem, counts)?;
        let ended = complete || head.ends_with(b"\n");
        if let Some(rejects) = &mut self.rejects {
            rejects.buffer().extend_from_slice(head);
            rejects.flush_if_full()?;
        }
        if !ended {
            loop {
                let piece = source
                    .fill_buf()
                    .map_err(|e| Error::io(format!("{name}: line {number}"), &e))?;
                if piece.is_empty() {
                    break;
                }
                let (len, end) = match memchr::memchr(b'\n', piece) {
                    Some(i) => (i + 1, true),
                    None => (piece.len(), false),
                };
                if let Some(rejects) = &mut self.rejects {
                    rejects.buffer().extend_from_slice(&piece[..len]);
                    rejects.flush_if_full()?;
                }
                source.consume(len);
                self.input_bytes += len as u64;
                if end {
                    return Ok(());
                }
            }
        }
        if let Some(rejects) = &mut self.rejects {
            if !rejects.buffer().ends_with(b"\n") {
                rejects.buffer().push(b'\n');
            }
        }
        Ok(())
    }

    /// A malformed line: the run's end, or (with `--skip-bad-lines`) a count, a warning and a
    /// copy in the rejects file.
    fn bad_line(
        &mut self,
        name: &str,
        number: u64,
        problem: &LineError,
        line: &[u8],
        counts: &mut InputCounts,
    ) -> Result<()> {
        self.count_bad_line(name, number, problem, counts)?;
        if let Some(rejects) = &mut self.rejects {
            let buf = rejects.buffer();
            buf.extend_from_slice(line);
            if !line.ends_with(b"\n") {
                buf.push(b'\n');
            }
            rejects.flush_if_full()?;
        }
        Ok(())
    }

    /// The run's end at a malformed line, or (with `--skip-bad-lines`) a count and a warning.
    fn count_bad_line(
        &mut self,
        name: &str,
        number: u64,
        problem: &LineError,
        counts: &mut InputCounts,
    ) -> Result<()> {
        if !self.plan.skip_bad_lines {
            return Err(Error::runtime(format!("{name}: line {number}: {problem}")));
        }
        counts.bad_lines += 1;
        if !self.plan.quiet {
            if self.warned < WARNINGS {
                self.progress.println(format!(
                    "paradedup: {name}: line {number}: {problem} (skipped)"
                ));
            } else if self.warned == WARNINGS {
                self.progress
                    .println("paradedup: more malformed lines are skipped and counted, not shown");
            }
        }
        self.warned += 1;
        Ok(())
    }

    /// Reads a text input, one document: into `one` as a JSON line, or into its own file when
    /// the output mirrors the inputs.
    fn text(
        &mut self,
        input: &Input,
        one: Option<&mut Sink>,
        staged: &mut Vec<Staged>,
        counts: &mut InputCounts,
    ) -> Result<()> {
        let name = input.name();
        let mut source = input::open(input, Arc::clone(&self.read))?;
        let bytes = read_document(&mut source, self.plan.max_document)
            .map_err(|e| Error::io(format!("cannot read {name}"), &e))?
            .ok_or_else(|| {
                Error::runtime(format!(
                    "{name}: the file is longer than the document limit of {} bytes \
                     (--max-document-bytes); a text input is one document",
                    self.plan.max_document
                ))
            })?;
        self.input_bytes += bytes.len() as u64;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let column = at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
            Error::runtime(format!(
                "{name}: line {line}: invalid UTF-8 (column {})",
                column + 1
            ))
        })?;
        let judged = self.judge(text);
        self.progress_tick();
        match &self.plan.mode {
            Mode::Stats => return Ok(()),
            Mode::Dedup { drop_empty: true } if judged.left == 0 => {
                counts.dropped_empty += 1;
                return Ok(());
            }
            _ => {}
        }
        let mut own = match &self.plan.target {
            Target::Mirror(dir) => Some(Sink::create(&mirror_destination(
                dir,
                input,
                &self.plan.mode,
            )?)?),
            _ => None,
        };
        let Some(out) = own.as_mut().or(one) else {
            return Ok(());
        };
        let mirrored = matches!(self.plan.target, Target::Mirror(_));
        let buf = out.buffer();
        let mut id = Vec::new();
        json::push_string(&name, &mut id);
        match &self.plan.mode {
            Mode::Stats => {}
            Mode::Dedup { .. } if mirrored => {
                let mut from = 0;
                for cut in &self.cuts {
                    buf.extend_from_slice(&bytes[from..cut.start]);
                    from = cut.end;
                }
                buf.extend_from_slice(&bytes[from..]);
            }
            Mode::Dedup { .. } => {
                buf.push(b'{');
                json::push_string(&self.id_key, buf);
                buf.push(b':');
                buf.extend_from_slice(&id);
                buf.push(b',');
                json::push_string(&self.text_key, buf);
                buf.extend_from_slice(b":\"");
                let mut from = 0;
                for cut in &self.cuts {
                    json::escape_into(&text[from..cut.start], false, buf);
                    from = cut.end;
                }
                json::escape_into(&text[from..], false, buf);
                buf.extend_from_slice(b"\"}\n");
            }
            Mode::Annotate { .. } => {
                annotate::push_line(&id, &self.attribute, text, &self.cuts, buf);
            }
        }
        self.written += 1;
        out.flush_if_full()?;
        if let Some(sink) = own {
            staged.extend(sink.finish()?);
        }
        Ok(())
    }

    fn progress_tick(&self) {
        self.progress.update(
            self.read.load(Ordering::Relaxed),
            self.deduper.stats().documents,
        );
    }
}

/// Reads JSON lines into batches, counting what it reads, apart from the rest of the run so
/// that it can read a batch while the one before is judged.
struct LineReader {
    /// Lines read so far (the number of the last one).
    number: u64,
    /// The longest line to read whole (`--max-document-bytes`).
    max: usize,
    /// Bytes read since the run last took the count.
    bytes: u64,
    /// Blank lines passed over since the run last took the count.
    blank_lines: u64,
}

/// Why [`LineReader::fill`] stopped.
enum Filled {
    /// The batch is full; more may follow.
    Full,
    /// The input ended.
    End,
    /// A line longer than the limit starts at `start` in the batch's bytes (and was counted);
    /// `complete` says its `\n` was read too.
    Long { start: usize, complete: bool },
    /// Reading failed; the batch holds the lines before.
    Failed(std::io::Error),
}

impl LineReader {
    /// Reads lines onto the end of `batch` until it is full, the input ends or a line stops it.
    fn fill(&mut self, source: &mut impl BufRead, batch: &mut Batch) -> Filled {
        loop {
            let start = batch.bytes.len();
            let (n, long) = match read_line(source, &mut batch.bytes, self.max) {
                Ok(read) => read,
                Err(e) => {
                    batch.bytes.truncate(start);
                    return Filled::Failed(e);
                }
            };
            if n == 0 {
                return Filled::End;
            }
            self.number += 1;
            self.bytes += n as u64;
            if let Some(complete) = long {
                return Filled::Long { start, complete };
            }
            let (content, _) = json::split_terminator(&batch.bytes[start..]);
            if content.iter().all(u8::is_ascii_whitespace) {
                self.blank_lines += 1;
                batch.bytes.truncate(start);
                continue;
            }
            batch.lines.push(Line {
                range: start..batch.bytes.len(),
                number: self.number,
            });
            if batch.lines.len() >= BATCH_DOCUMENTS || batch.bytes.len() >= BATCH_BYTES {
                return Filled::Full;
            }
        }
    }
}

/// Reads one line onto the end of `buf`, but never more than a line of `max` bytes and its
/// `\r\n`: returns the bytes read and, for a line longer than `max`, `Some(complete)`, where
/// `complete` says its `\n` was read too (otherwise the rest of it is still unread).
fn read_line(
    source: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<(usize, Option<bool>)> {
    // `read_until` searches with std's word-at-a-time `memchr`; the SIMD one from the memchr
    // crate made reading lines a third as costly (it is on the judging thread's path).
    let start = buf.len();
    let limit = max.saturating_add(2);
    while buf.len() - start < limit {
        let piece = match source.fill_buf() {
            Ok(piece) => piece,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if piece.is_empty() {
            break;
        }
        let piece = &piece[..piece.len().min(limit - (buf.len() - start))];
        let (taken, ended) = match memchr::memchr(b'\n', piece) {
            Some(i) => (i + 1, true),
            None => (piece.len(), false),
        };
        buf.extend_from_slice(&piece[..taken]);
        source.consume(taken);
        if ended {
            break;
        }
    }
    let line = &buf[start..];
    let (content, _) = json::split_terminator(line);
    let long = (content.len() > max).then(|| line.ends_with(b"\n"));
    Ok((line.len(), long))
}

/// Reads a whole text input, one document; `None` when it is longer than `max` bytes (of
/// which no more than `max + 1` were read).
fn read_document(source: &mut impl Read, max: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    Read::by_ref(source)
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= max).then_some(bytes))
}

/// Reads through the rest of an over-long line, its `\n` included.
fn skip_line(source: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let piece = source.fill_buf()?;
        if piece.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', piece) {
            Some(i) => {
                source.consume(i + 1);
                return Ok(());
            }
            None => {
                let len = piece.len();
                source.consume(len);
            }
        }
    }
}

/// Documents judged together, at most (see [`Work::jsonl`]).
const BATCH_DOCUMENTS: usize = 1024;
/// Bytes of JSON lines read into one batch, about.
const BATCH_BYTES: usize = 8 << 20;

/// JSON lines read, waiting to be checked, judged and written.
#[derive(Default)]
struct Batch {
    /// The lines, one after the other, terminators included.
    bytes: Vec<u8>,
    lines: Vec<Line>,
    /// Every removed extent of the batch, and each decoded document's share of them with the
    /// paragraphs left in it.
    cuts: Vec<Span>,
    judged: Vec<(Range<usize>, u64)>,
    /// The batch's output, written a share per thread (reused).
    shares: Vec<Share>,
}

/// One line of a [`Batch`].
struct Line {
    range: Range<usize>,
    number: u64,
}

/// Shares of a batch written at once per thread: a few, so that a thread done early takes
/// another while one is held up by long documents.
const SHARES_PER_THREAD: usize = 4;
/// Input bytes of a share, at most (about; whole lines): its output then fits the writer's
/// buffers (`output::FLUSH_AT`), which go round between the writer and the shares. A share
/// of a quarter of an 8 MB batch outgrew them, and its new buffers' page faults were 6% of a
/// one-thread run.
const SHARE_BYTES: usize = 512 << 10;

/// What one thread wrote of a batch: its lines' output and counts, and where the malformed
/// lines among them stood.
#[derive(Default)]
struct Share {
    bytes: Vec<u8>,
    /// Documents written.
    written: u64,
    /// Documents left out by `--drop-empty`.
    dropped_empty: u64,
    /// Each malformed line: its index in the batch, and how many bytes of `bytes` come before
    /// it.
    bad: Vec<(usize, usize)>,
}

impl Share {
    /// Empties it for the next batch, keeping its allocations.
    fn clear(&mut self) {
        self.bytes.clear();
        self.written = 0;
        self.dropped_empty = 0;
        self.bad.clear();
    }
}

/// Writes judged JSON lines as the mode asks; shared by the threads writing a batch.
struct LineWriter<'a> {
    mode: &'a Mode,
    /// The attribute name as a JSON string token (annotate mode).
    attribute: &'a [u8],
}

impl LineWriter<'_> {
    /// Writes one judged JSON line (`left` paragraphs kept, `cuts` removed) into `share`.
    fn write(
        &self,
        line: &[u8],
        parsed: &Parsed,
        text: &str,
        cuts: &[Span],
        left: u64,
        share: &mut Share,
    ) {
        let (content, terminator) = json::split_terminator(line);
        let token = &parsed.text;
        let buf = &mut share.bytes;
        match self.mode {
            Mode::Stats => {}
            Mode::Dedup { drop_empty } => {
                if *drop_empty && left == 0 {
                    share.dropped_empty += 1;
                    return;
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
                let id = parsed.id.clone().map_or(&b"null"[..], |id| &content[id]);
                annotate::push_line(id, self.attribute, text, cuts, buf);
                share.written += 1;
            }
        }
    }
}

/// The first pass of `--boilerplate`: in how many documents of `inputs` each paragraph
/// stands, counted on `threads` threads (each counts its share of every batch of documents, and
/// the counts are added at the end: a sum, so the same for every thread count). Malformed lines
/// and files are passed over here; the second pass reports them.
///
/// # Errors
///
/// An input that cannot be opened or read.
pub fn document_frequency(
    inputs: &[Input],
    settings: paradedup::Settings,
    text_key: &str,
    id_key: &str,
    threads: usize,
    max_document: usize,
) -> Result<DocumentFrequency> {
    let threads = threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::runtime(format!("cannot start {threads} threads: {e}")))?;
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
    let read = Arc::new(AtomicU64::new(0));
    for input in inputs {
        let name = input.name();
        let mut source = input::open(input, Arc::clone(&read))?;
        match input.format {
            Format::Jsonl => {
                let mut number = 0u64;
                loop {
                    let start = batch.bytes.len();
                    let at = |e| Error::io(format!("{name}: line {}", number + 1), &e);
                    let (n, long) =
                        read_line(&mut source, &mut batch.bytes, max_document).map_err(at)?;
                    if n == 0 {
                        break;
                    }
                    if let Some(complete) = long {
                        // Passed over here; the second pass refuses or skips it.
                        batch.bytes.truncate(start);
                        if !complete {
                            skip_line(&mut source).map_err(at)?;
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
                let bytes = read_document(&mut source, max_document)
                    .map_err(|e| Error::io(format!("cannot read {name}"), &e))?;
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

/// Where an input's output goes in a mirrored directory: the same relative path; attributes of
/// a text file get `.jsonl` appended.
fn mirror_path(dir: &Path, input: &Input, mode: &Mode) -> PathBuf {
    let mut path = dir.join(&input.relative);
    if matches!(mode, Mode::Annotate { .. }) && input.format == Format::Text {
        let mut name = path.file_name().unwrap_or_default().to_owned();
        name.push(".jsonl");
        path.set_file_name(name);
    }
    path
}

/// [`mirror_path`] as a destination, its parent directories created.
fn mirror_destination(dir: &Path, input: &Input, mode: &Mode) -> Result<Destination> {
    let path = mirror_path(dir, input, mode);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create directory {}", parent.display()), &e))?;
    }
    Ok(Destination::File(path))
}

/// Refuses a run that would write over one of its inputs, or write two inputs' outputs to the
/// same mirrored path, before anything is read or written.
fn check_destinations(plan: &Plan) -> Result<()> {
    let inputs: HashSet<PathBuf> = plan
        .inputs
        .iter()
        .filter_map(|i| i.path.as_deref().and_then(|p| fs::canonicalize(p).ok()))
        .collect();
    let mut outputs: Vec<PathBuf> = plan
        .rejects
        .iter()
        .chain(&plan.report)
        .chain(&plan.seen_out)
        .cloned()
        .collect();
    match &plan.target {
        Target::Nothing => {}
        Target::One(Destination::Stdout) => {}
        Target::One(Destination::File(path)) => outputs.push(path.clone()),
        Target::Mirror(dir) => {
            if plan.inputs.iter().any(|i| i.path.is_none()) {
                return Err(Error::usage(
                    "standard input cannot be mirrored into a directory: give -o a file",
                ));
            }
            let mut seen = HashSet::new();
            for input in &plan.inputs {
                let path = mirror_path(dir, input, &plan.mode);
                if !seen.insert(path.clone()) {
                    return Err(Error::usage(format!(
                        "two inputs would both be written to {}",
                        path.display()
                    )));
                }
                outputs.push(path);
            }
        }
    }
    let mut resolved = HashSet::new();
    for path in outputs {
        let Some(real) = output::resolved(&path) else {
            continue;
        };
        if inputs.contains(&real) {
            return Err(Error::usage(format!(
                "refusing to write over the input {}",
                path.display()
            )));
        }
        if !resolved.insert(real) {
            return Err(Error::usage(format!(
                "{} is named as two different outputs",
                path.display()
            )));
        }
    }
    Ok(())
}
