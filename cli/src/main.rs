//! `paradedup`: remove repeated paragraphs from text corpora on the command line.
//!
//! JSON Lines shards (plain, gzip or zstd), text files or standard input in; a clean corpus (or
//! Dolma-style annotations), a JSON report and a summary out. Built with the `cli` feature:
//! `cargo install paradedup --features cli`. `paradedup help dedup` documents every option.
//!
//! A run follows one path, one module per step: [`cli`] parses the command line, [`plan`]
//! decides what to read and write and checks it, [`read`] turns each input into documents,
//! [`judge`] runs the deduper over them in order on the [`threads`], and
//! [`write`](mod@write) writes the outputs and puts them in place. [`report`] counts what
//! happened, [`progress`] shows it, [`compression`] names the formats, [`json`] finds the text
//! in a line without parsing the rest, [`error`] holds the one error type, and [`signals`]
//! removes the temporary outputs of an interrupted run.

mod cli;
mod compression;
mod error;
use paradedup_jsonl as json;
mod judge;
mod memory;
mod plan;
mod progress;
mod read;
mod report;
mod signals;
mod threads;
mod write;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use paradedup::DeduperBuilder;

use crate::cli::{Cli, Command, DedupArgs, StatsArgs};
use crate::error::{Error, Result};
use crate::judge::Judge;
use crate::plan::{Format, Input, Plan};
use crate::progress::Progress;
use crate::read::{Batch, Decoded, InputRead, LongLine, Reader};
use crate::report::{CountsInfo, Report};
use crate::threads::Threads;
use crate::write::Outputs;

fn main() -> ExitCode {
    // First: an interrupted run must never leave a temporary output behind.
    signals::install();
    match try_main() {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(io::stderr(), "paradedup: {e}");
            e.exit_code()
        }
    }
}

fn try_main() -> Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2.
            let _ = e.print();
            return Ok(ExitCode::from(e.exit_code() as u8));
        }
    };
    match cli.command {
        None => Ok(usage()),
        Some(Command::Dedup(args)) => dedup(&args),
        Some(Command::Stats(args)) => stats(&args),
    }
}

/// Nothing to do: say what the tool is for, with an example, and exit with code 2.
fn usage() -> ExitCode {
    let _ = writeln!(io::stderr(), "{}", cli::USAGE);
    ExitCode::from(2)
}

fn dedup(args: &DedupArgs) -> Result<ExitCode> {
    let Some((plan, builder)) = Plan::dedup(args)? else {
        return Ok(usage());
    };
    let report = run(&plan, builder)?;
    if !plan.quiet {
        let _ = write!(io::stderr(), "paradedup: {}", report.summary(5));
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(args: &StatsArgs) -> Result<ExitCode> {
    let Some((plan, builder)) = Plan::stats(args)? else {
        return Ok(usage());
    };
    let report = run(&plan, builder)?;
    // The summary is all `stats` prints; -q leaves only the --report file, as with dedup.
    if plan.quiet {
        return Ok(ExitCode::SUCCESS);
    }
    io::stdout()
        .write_all(report.summary(20).as_bytes())
        .and_then(|()| io::stdout().flush())
        .map_err(|e| Error::io("cannot write to standard output", &e))?;
    Ok(ExitCode::SUCCESS)
}

/// Carries out `plan` with a deduper from `builder`: every output is in place when this returns
/// `Ok`, and none is touched when it returns an error.
///
/// # Errors
///
/// A read or write failure, or a malformed line without `--skip-bad-lines`.
fn run(plan: &Plan, builder: DeduperBuilder) -> Result<Report> {
    // Before anything is read: the first pass of --boilerplate may take hours.
    plan.check_destinations()?;
    plan.make_mirror_dir()?;
    let threads = Threads::new(plan.threads)?;
    let (deduper, first_pass) = judge::deduper(builder, plan, &threads)?;
    let boilerplate_counts = first_pass.as_deref().map(|counts| CountsInfo {
        paragraphs: counts.len(),
        memory_bytes: counts.memory_usage(),
    });
    let total = plan.inputs.iter().map(|i| i.size).sum::<Option<u64>>();
    let progress = Progress::new(total, plan.quiet);
    let mut judge = Judge::new(deduper, threads.clone());
    judge.allow_bloom_overfill(plan.allow_bloom_overfill);
    let mut outputs = Outputs::create(plan, &progress, threads.clone())?;
    outputs.document_frequency(first_pass);
    let reader = Reader::new(plan);
    let mut input_bytes = 0;
    let mut per_input = Vec::with_capacity(plan.inputs.len());
    for input in &plan.inputs {
        outputs.begin(input)?;
        let before = judge.stats();
        let mut stages = Stages {
            judge: &mut judge,
            outputs: &mut outputs,
            progress: &progress,
            reader: &reader,
        };
        let raw = reader.raw_bytes();
        let read = match input.format {
            Format::Jsonl => reader.jsonl(input, &threads, &mut stages)?,
            Format::Text => stages.text(input)?,
        };
        input.check_read(reader.raw_bytes() - raw)?;
        input_bytes += read.bytes;
        let mut counts = outputs.end()?;
        counts.blank_lines += read.blank_lines;
        if let Some(fault) = &read.stream_error {
            if !plan.quiet {
                progress.println(format!(
                    "paradedup: {}: {fault}; what was read before is kept (--skip-bad-lines), \
                     going on with the next input",
                    input.name()
                ));
            }
        }
        counts.truncated = read.truncated;
        counts.stream_error = read.stream_error;
        counts.add(judge.stats().since(before));
        per_input.push(counts);
    }
    outputs.close()?;
    progress.finish();
    let mut report = Report::new(
        plan.mode.name(),
        plan.settings.clone(),
        per_input,
        judge.stats().exempt,
        outputs.written(),
        input_bytes,
        judge.top(),
        plan.started.elapsed(),
    );
    report.seen_set = judge.seen_set();
    report.boilerplate_counts = boilerplate_counts;
    // Corpus scope only: a document's index is emptied at the next, and how big it grew
    // depends on which documents each thread's copy judged.
    report.near_index_bytes = (plan.settings.near_dup.is_some() && judge.seen_set().is_some())
        .then(|| judge.deduper().near_index_memory_usage());
    report.skipped_files.clone_from(&plan.skipped);
    outputs.commit(&report, judge.deduper())?;
    Ok(report)
}

/// The way of an input's documents from the reader: judged, then written.
struct Stages<'a, 'r> {
    judge: &'a mut Judge,
    outputs: &'a mut Outputs<'r>,
    progress: &'a Progress,
    reader: &'a Reader<'r>,
}

impl Stages<'_, '_> {
    /// A text input: one document, read whole; or with `--skip-bad-lines` a bad one, skipped.
    fn text(&mut self, input: &Input) -> Result<InputRead> {
        let (document, read) = self.reader.text(input)?;
        match document {
            Ok(text) => {
                let left = self.judge.document(&text);
                self.judge.check_bloom()?;
                self.show_progress();
                self.outputs.text(input, &text, self.judge.cuts(), left)?;
            }
            Err(problem) => self.outputs.bad_document(&problem)?,
        }
        Ok(read)
    }

    fn show_progress(&self) {
        self.progress
            .update(self.reader.raw_bytes(), self.judge.stats().documents);
    }
}

impl read::Lines for Stages<'_, '_> {
    fn batch(&mut self, batch: &Batch, documents: &[Decoded<'_>]) -> Result<()> {
        let (verdicts, tally) = self.judge.batch(documents);
        self.outputs
            .batch(batch, documents, verdicts, || tally.count())?;
        self.judge.check_bloom()?;
        self.show_progress();
        Ok(())
    }

    fn long_line(&mut self, line: LongLine<'_>) -> Result<()> {
        self.outputs.long_line(line)
    }

    fn cut_line(&mut self, number: u64, head: &[u8], problem: &str) -> Result<()> {
        self.outputs.cut_line(number, head, problem)
    }
}
