//! `paradedup`: remove repeated paragraphs from text corpora on the command line.
//!
//! JSON Lines shards (plain, gzip or zstd), text files or standard input in; a clean corpus (or
//! Dolma-style annotations), a JSON report and a summary out. Built with the `cli` feature:
//! `cargo install paradedup --features cli`. `paradedup help dedup` documents every option.
//!
//! One module per stage: [`cli`] (the command line), [`input`] (finding and decompressing
//! inputs), [`json`] (the scanner that finds the text in a line without parsing the rest),
//! [`run`] (the pipeline), [`annotate`] (code point spans), [`output`] (atomic, compressed
//! outputs), [`report`] and [`progress`]; [`error`] holds the one error type.

mod annotate;
mod cli;
mod error;
mod input;
use paradedup_jsonl as json;
mod output;
mod progress;
mod report;
mod run;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use paradedup::{Deduper, DeduperBuilder};

use crate::cli::{Cli, Command, Common, DedupArgs, ScopeArg, StatsArgs};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::output::Destination;
use crate::run::{Mode, Plan, Target};

fn main() -> ExitCode {
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
        Some(Command::Dedup(args)) => dedup(args),
        Some(Command::Stats(args)) => stats(args),
    }
}

/// Nothing to do: say what the tool is for, with an example, and exit with code 2.
fn usage() -> ExitCode {
    let _ = writeln!(io::stderr(), "{}", cli::USAGE);
    ExitCode::from(2)
}

/// The deduper the options ask for: with `--boilerplate`, after a first pass over `inputs`
/// counting the documents each paragraph stands on.
fn deduper(mut builder: DeduperBuilder, common: &Common, inputs: &[Input]) -> Result<Deduper> {
    if let Some(k) = common.dedup.boilerplate {
        let counts = run::document_frequency(
            inputs,
            builder.settings(),
            &common.read.text_field,
            &common.read.id_field,
            common.threads(),
            common.read.max_document_bytes,
        )?;
        builder.boilerplate(
            Arc::new(counts),
            k,
            common.dedup.boilerplate_policy.policy(),
        );
    }
    Ok(builder.build())
}

/// Usage errors found before anything is read: `--boilerplate` reads the inputs twice, which
/// standard input cannot be.
fn check_common(common: &Common, inputs: &[PathBuf]) -> Result<DeduperBuilder> {
    // Settings first: a usage error must not wait for the inputs to be found.
    let builder = common.dedup.builder()?;
    if common.dedup.boilerplate.is_some()
        && (inputs.is_empty() || inputs.iter().any(|p| p.as_os_str() == "-"))
    {
        return Err(Error::usage(
            "--boilerplate reads the inputs twice (counting, then removing), so standard input \
             cannot be one: give files or directories",
        ));
    }
    Ok(builder)
}

fn dedup(args: DedupArgs) -> Result<ExitCode> {
    let builder = check_common(&args.common, &args.inputs)?;
    let Some(inputs) = inputs(&args.inputs)? else {
        return Ok(usage());
    };
    let mode = if args.annotate {
        Mode::Annotate {
            attribute: args.attribute.clone(),
        }
    } else {
        Mode::Dedup {
            drop_empty: args.drop_empty,
        }
    };
    let target = target(&args.output)?;
    let quiet = args.common.quiet;
    let mut plan = plan(mode, inputs, target, Deduper::default(), &args.common);
    plan.seen_out = args.seen_out.clone();
    if plan.seen_out.is_some() && args.common.dedup.scope != ScopeArg::Corpus {
        return Err(Error::usage(
            "--seen-out needs --scope corpus (in document scope nothing is remembered between \
             documents)",
        ));
    }
    plan.deduper = deduper(builder, &args.common, &plan.inputs)?;
    let report = run::run(plan)?;
    if !quiet {
        let _ = write!(io::stderr(), "paradedup: {}", report.summary(5));
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(args: StatsArgs) -> Result<ExitCode> {
    let builder = check_common(&args.common, &args.inputs)?;
    let Some(inputs) = inputs(&args.inputs)? else {
        return Ok(usage());
    };
    let mut plan = plan(
        Mode::Stats,
        inputs,
        Target::Nothing,
        Deduper::default(),
        &args.common,
    );
    plan.deduper = deduper(builder, &args.common, &plan.inputs)?;
    let report = run::run(plan)?;
    io::stdout()
        .write_all(report.summary(20).as_bytes())
        .and_then(|()| io::stdout().flush())
        .map_err(|e| Error::io("cannot write to standard output", &e))?;
    Ok(ExitCode::SUCCESS)
}

fn plan(mode: Mode, inputs: Vec<Input>, target: Target, deduper: Deduper, common: &Common) -> Plan {
    Plan {
        mode,
        inputs,
        target,
        deduper,
        settings: common.settings(),
        text_field: common.read.text_field.clone(),
        id_field: common.read.id_field.clone(),
        skip_bad_lines: common.read.skip_bad_lines,
        max_document: common.read.max_document_bytes,
        rejects: common.read.rejects.clone(),
        report: common.report.clone(),
        quiet: common.quiet,
        seen_out: None,
        threads: common.threads(),
        started: Instant::now(),
    }
}

/// The inputs to read; `None` when there are none and standard input has nothing to give.
fn inputs(args: &[PathBuf]) -> Result<Option<Vec<Input>>> {
    if args.is_empty() {
        if !stdin_has_data() {
            return Ok(None);
        }
        return input::discover(&[PathBuf::from("-")]).map(Some);
    }
    let inputs = input::discover(args)?;
    if inputs.is_empty() {
        return Err(Error::runtime(
            "no input files found (directories are searched for .jsonl, .ndjson, .json and .txt \
             files, optionally .gz or .zst)",
        ));
    }
    Ok(Some(inputs))
}

/// True when standard input is a pipe or a file, rather than a terminal or `/dev/null`: only
/// then is it read without being named.
fn stdin_has_data() -> bool {
    if io::stdin().is_terminal() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        match std::fs::metadata("/dev/stdin") {
            Ok(meta) => !meta.file_type().is_char_device(),
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    true
}

/// Where `-o` points: standard output, a directory to mirror the inputs into (an existing one,
/// or a path ending in `/`), or one file.
fn target(output: &Path) -> Result<Target> {
    let text = output.as_os_str().to_string_lossy();
    if text == "-" {
        return Ok(Target::One(Destination::Stdout));
    }
    if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || output.is_dir() {
        std::fs::create_dir_all(output)
            .map_err(|e| Error::io(format!("cannot create directory {}", output.display()), &e))?;
        return Ok(Target::Mirror(output.to_owned()));
    }
    Ok(Target::One(Destination::File(output.to_owned())))
}
