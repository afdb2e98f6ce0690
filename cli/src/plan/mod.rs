//! Planning: what a run reads and writes, decided from the command line, and the checks made
//! before anything is read or written.
//!
//! Every path a run touches is named here: the inputs ([`inputs`]), the documents' target
//! ([`Target`], with [`Plan::mirror_path`] for a mirrored directory) and the other outputs
//! (`--rejects`, `--report`, `--seen-out`); [`Plan::check_destinations`] compares them before
//! anything is written.

pub mod inputs;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use paradedup::{BoilerplatePolicy, DeduperBuilder, Unit};

use crate::cli::{Common, DedupArgs, ScopeArg, StatsArgs};
use crate::compression::CompressionLevel;
use crate::error::{Error, Result};
use crate::report::Settings;

pub use inputs::{Format, Input};

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
    /// True when a document with `left` paragraphs left is left out of the output:
    /// `--drop-empty`, and none is left.
    pub fn drops(&self, left: u64) -> bool {
        matches!(self, Mode::Dedup { drop_empty: true }) && left == 0
    }

    /// The mode's name in the report.
    pub fn name(&self) -> &'static str {
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

/// Where an output goes.
#[derive(Debug, Clone)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// A file path (written through a temporary file when it is, or will be, a regular file).
    File(PathBuf),
}

impl Destination {
    /// The name users see.
    pub fn name(&self) -> String {
        match self {
            Destination::Stdout => "<stdout>".to_owned(),
            Destination::File(path) => path.display().to_string(),
        }
    }
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
    /// `--boilerplate`: the documents a paragraph must stand on to be boilerplate, and what
    /// becomes of it.
    pub boilerplate: Option<(u32, BoilerplatePolicy)>,
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
    /// The largest zstd window decoded, as a power of two (`--zstd-window-log`).
    pub zstd_window_log: u32,
    /// How hard the compressed outputs are compressed (`--compression-level`).
    pub compression_level: CompressionLevel,
    /// Where the JSON report goes.
    pub report: Option<PathBuf>,
    /// No progress bar, no summary, no warnings.
    pub quiet: bool,
    /// Where to save the seen-set at the end (`--seen-out`).
    pub seen_out: Option<PathBuf>,
    /// The seen-set loaded at the start (`--seen-in`): read, so no output may take its place,
    /// but `--seen-out` (which replaces it only once the run succeeded).
    pub seen_in: Option<PathBuf>,
    /// The files a directory walk passed over, each with why (warned about, and listed in the
    /// report).
    pub skipped: Vec<String>,
    /// Where each document's signals go (`--signals`).
    pub signals: Option<PathBuf>,
    /// `--max-removed-fraction`: a document with more of its characters removed is left out.
    pub max_removed_fraction: Option<f64>,
    /// The unit paragraphs are split by, for the signals.
    pub unit: Unit,
    /// Worker threads judging documents; 1 judges them one by one on the reading thread.
    pub threads: usize,
    /// Go on past twice `--expected` in a Bloom filter (`--allow-bloom-overfill`).
    pub allow_bloom_overfill: bool,
    /// When the run began: before the first pass of `--boilerplate`, which the report's speed
    /// includes.
    pub started: Instant,
}

impl Plan {
    /// The plan of `paradedup dedup`, with the deduper's builder (its settings, and the
    /// seen-set `--seen-in` loaded); `None` when there is nothing to read.
    ///
    /// # Errors
    ///
    /// A usage error, an input that cannot be found, or a `--seen-in` file that cannot be
    /// loaded.
    pub fn dedup(args: &DedupArgs) -> Result<Option<(Plan, DeduperBuilder)>> {
        let builder = check_common(&args.common, &args.inputs)?;
        let Some((inputs, skipped)) = found(&args.inputs, &args.common)? else {
            return Ok(None);
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
        let mut plan = Plan::new(mode, inputs, target, &args.common);
        plan.skipped = skipped;
        plan.seen_out = args.seen_out.clone();
        if plan.seen_out.is_some() && args.common.dedup.near_dup {
            let message = crate::cli::NEAR_DUP_SPLIT_RUN.replace("{option}", "--seen-out");
            return Err(Error::usage(message));
        }
        plan.signals = args.signals.clone();
        plan.max_removed_fraction = args.max_removed_fraction;
        if let Some(level) = args.compression_level {
            plan.compression_level = CompressionLevel::checked(level, &plan.written_files()?)?;
        }
        plan.unit = builder.settings().unit;
        if plan.seen_out.is_some() && args.common.dedup.scope != ScopeArg::Corpus {
            return Err(Error::usage(
                "--seen-out needs --scope corpus (in document scope nothing is remembered between \
                 documents)",
            ));
        }
        Ok(Some((plan, builder)))
    }

    /// The plan of `paradedup stats`, as [`Plan::dedup`]'s.
    ///
    /// # Errors
    ///
    /// As for [`Plan::dedup`].
    pub fn stats(args: &StatsArgs) -> Result<Option<(Plan, DeduperBuilder)>> {
        let builder = check_common(&args.common, &args.inputs)?;
        let Some((inputs, skipped)) = found(&args.inputs, &args.common)? else {
            return Ok(None);
        };
        let mut plan = Plan::new(Mode::Stats, inputs, Target::Nothing, &args.common);
        plan.skipped = skipped;
        Ok(Some((plan, builder)))
    }

    fn new(mode: Mode, inputs: Vec<Input>, target: Target, common: &Common) -> Plan {
        Plan {
            mode,
            inputs,
            target,
            boilerplate: common
                .dedup
                .boilerplate
                .map(|k| (k, common.dedup.boilerplate_policy.policy())),
            settings: common.settings(),
            text_field: common.read.text_field.clone(),
            id_field: common.read.id_field.clone(),
            skip_bad_lines: common.read.skip_bad_lines,
            max_document: common.read.max_document_bytes,
            rejects: common.read.rejects.clone(),
            zstd_window_log: common.read.zstd_window_log,
            compression_level: CompressionLevel::default(),
            report: common.report.clone(),
            quiet: common.quiet,
            seen_out: None,
            seen_in: common.dedup.seen_in.clone(),
            skipped: Vec::new(),
            signals: None,
            max_removed_fraction: None,
            unit: Unit::default(),
            threads: common.threads(),
            allow_bloom_overfill: common.dedup.allow_bloom_overfill,
            started: Instant::now(),
        }
    }

    /// Where an input's output goes in the mirrored directory `dir`: the same relative path;
    /// attributes of a text file get `.jsonl` appended.
    pub fn mirror_path(&self, dir: &Path, input: &Input) -> PathBuf {
        let mut path = dir.join(&input.relative);
        if matches!(self.mode, Mode::Annotate { .. }) && input.format == Format::Text {
            let mut name = path.file_name().unwrap_or_default().to_owned();
            name.push(".jsonl");
            path.set_file_name(name);
        }
        path
    }

    /// The files the inputs are read from, as named (standard input aside).
    pub fn read_files(&self) -> impl Iterator<Item = &Path> {
        self.inputs.iter().filter_map(|i| i.path.as_deref())
    }

    /// Every file the run writes, as named: `--rejects`, `--report`, `--seen-out`, then the
    /// documents' (one file, or each input's path in the mirrored directory).
    ///
    /// # Errors
    ///
    /// A mirrored directory that cannot be: standard input among the inputs, or two inputs
    /// with the same mirrored path.
    pub fn written_files(&self) -> Result<Vec<PathBuf>> {
        let mut outputs: Vec<PathBuf> = self
            .rejects
            .iter()
            .chain(&self.report)
            .chain(&self.seen_out)
            .chain(&self.signals)
            .cloned()
            .collect();
        match &self.target {
            Target::Nothing => {}
            Target::One(Destination::Stdout) => {}
            Target::One(Destination::File(path)) => outputs.push(path.clone()),
            Target::Mirror(dir) => {
                if self.inputs.iter().any(|i| i.path.is_none()) {
                    return Err(Error::usage(
                        "standard input cannot be mirrored into a directory: give -o a file",
                    ));
                }
                let mut seen = HashSet::new();
                for input in &self.inputs {
                    let path = self.mirror_path(dir, input);
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
        Ok(outputs)
    }

    /// Refuses a run that would write over one of its inputs or its `--seen-in` file (even
    /// through a symbolic or hard link: files are compared by device and inode), write two
    /// outputs to one file, or write two inputs' outputs to the same mirrored path; then checks
    /// that every output can be created, so that a run hours long does not fail at its end.
    /// Called before anything is read or written.
    ///
    /// # Errors
    ///
    /// A usage error naming the path, or an output that cannot be created (its directory is
    /// missing, not a directory, or not writable; the path is a directory).
    pub fn check_destinations(&self) -> Result<()> {
        let mut inputs: Vec<Identity> = self.read_files().filter_map(Identity::of).collect();
        if cfg!(unix) && self.inputs.iter().any(|i| i.path.is_none()) {
            // Standard input may be a file too (`< corpus.jsonl`): the file it is, not a name.
            inputs.extend(Identity::of(Path::new("/dev/stdin")).filter(|i| !i.special));
        }
        let seen_in = self.seen_in.as_deref().and_then(Identity::of);
        let mut resolved = HashSet::new();
        let mut probed = HashSet::new();
        // The outputs before these are the documents' files in a mirrored directory, whose
        // directories are made as they are written.
        let fixed = [&self.rejects, &self.report, &self.seen_out, &self.signals]
            .iter()
            .filter(|p| p.is_some())
            .count();
        let mirrored = matches!(self.target, Target::Mirror(_));
        for (index, path) in self.written_files()?.into_iter().enumerate() {
            // A link to nowhere is refused now, not when the output is put in place.
            real_destination(&path)?;
            let target = Identity::of(&path);
            if let Some(target) = &target {
                if inputs.iter().any(|input| input.same(target)) {
                    return Err(Error::usage(format!(
                        "refusing to write over the input {}",
                        path.display()
                    )));
                }
                let is_seen_out = self.seen_out.as_deref() == Some(path.as_path());
                if seen_in.as_ref().is_some_and(|s| s.same(target)) && !is_seen_out {
                    return Err(Error::usage(format!(
                        "refusing to write over the --seen-in file {} (only --seen-out may \
                         replace it, once the run succeeded)",
                        path.display()
                    )));
                }
            }
            let real = resolve(&path);
            if let Some(real) = &real {
                if !resolved.insert(real.clone()) {
                    return Err(Error::usage(format!(
                        "{} is named as two different outputs",
                        path.display()
                    )));
                }
            }
            if target.as_ref().is_some_and(|t| t.special) {
                // A device or a named pipe is written directly; opening a pipe here would
                // block until its reader comes.
                continue;
            }
            // An output beside the mirrored files (`-o DIR/ --report DIR/report.json`) may
            // wait for DIR too: it is made before any output is opened.
            let in_mirror_dir =
                matches!(&self.target, Target::Mirror(dir) if path.parent() == Some(dir.as_path()));
            let makes_dirs = (mirrored && index >= fixed) || in_mirror_dir;
            probe(
                &path,
                real.as_deref().unwrap_or(&path),
                makes_dirs,
                &mut probed,
            )?;
        }
        Ok(())
    }
}

impl Plan {
    /// Makes the mirrored directory of `-o DIR/` (and its parents) when it does not exist
    /// yet: called after [`Plan::check_destinations`], so that a refused run makes nothing.
    ///
    /// # Errors
    ///
    /// The directory cannot be made.
    pub fn make_mirror_dir(&self) -> Result<()> {
        if let Target::Mirror(dir) = &self.target {
            fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot create directory {}", dir.display()), &e))?;
        }
        Ok(())
    }
}

/// A file as the system knows it, to tell whether two paths name the same file.
struct Identity {
    #[cfg(unix)]
    inode: (u64, u64),
    #[cfg(not(unix))]
    path: PathBuf,
    /// Neither a regular file nor a directory: a device or a named pipe.
    special: bool,
}

impl Identity {
    /// The file `path` names, links followed; `None` when there is none.
    fn of(path: &Path) -> Option<Identity> {
        let meta = fs::metadata(path).ok()?;
        Some(Identity {
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
            #[cfg(not(unix))]
            path: fs::canonicalize(path).ok()?,
            special: !meta.is_file() && !meta.is_dir(),
        })
    }

    fn same(&self, other: &Identity) -> bool {
        #[cfg(unix)]
        return self.inode == other.inode;
        #[cfg(not(unix))]
        return self.path == other.path;
    }
}

/// Checks that the output `path` (at `real`, links resolved) can be created, by creating and
/// removing a hidden file where its temporary file will go: its directory, or with
/// `makes_dirs` (a mirrored output, whose directories are made when it is written) the nearest
/// one of its path that exists. `probed` holds the directories already checked.
fn probe(path: &Path, real: &Path, makes_dirs: bool, probed: &mut HashSet<PathBuf>) -> Result<()> {
    let cannot = |why: String| Error::runtime(format!("cannot write {}: {why}", path.display()));
    if real.is_dir() {
        return Err(cannot("it is a directory".to_owned()));
    }
    let parent = |p: &Path| match p.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => Some(dir.to_owned()),
        Some(_) => Some(PathBuf::from(".")),
        None => None,
    };
    let mut dir = parent(real).unwrap_or_else(|| PathBuf::from("."));
    let dir = loop {
        match fs::metadata(&dir) {
            Ok(meta) if meta.is_dir() => break dir,
            Ok(_) => return Err(cannot(format!("{} is not a directory", dir.display()))),
            Err(e) if !makes_dirs && e.kind() == std::io::ErrorKind::NotFound => {
                // Only a mirrored directory (`-o DIR/`) is made: a file output's directory
                // is the user's to create, a misspelt one must not appear silently.
                return Err(cannot(format!(
                    "its directory {} does not exist (create it first; only -o DIR/, \
                     mirroring the inputs, creates its directory)",
                    dir.display()
                )));
            }
            Err(e) if !makes_dirs => {
                let what = format!(
                    "cannot write {}: its directory {}",
                    path.display(),
                    dir.display()
                );
                return Err(Error::io(what, &e));
            }
            Err(e) => match parent(&dir) {
                Some(up) if up != dir => dir = up,
                _ => return Err(Error::io(format!("cannot write {}", path.display()), &e)),
            },
        }
    };
    if probed.insert(dir.clone()) {
        tempfile::Builder::new()
            .prefix(".paradedup-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| {
                let what = format!(
                    "cannot write {}: cannot create a file in {}",
                    path.display(),
                    dir.display()
                );
                Error::io(what, &e)
            })?;
    }
    Ok(())
}

/// The inputs the command line names (see [`inputs::named`]), and the files a directory walk
/// passed over, each with why, warned about unless `--quiet`.
///
/// # Errors
///
/// See [`inputs::named`]; also, with `--boilerplate`, an input that is not a regular file.
fn found(args: &[PathBuf], common: &Common) -> Result<Option<(Vec<Input>, Vec<String>)>> {
    let mut skipped = Vec::new();
    let inputs = inputs::named(args, &mut skipped)?;
    if !common.quiet && !skipped.is_empty() {
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        for why in &skipped {
            let _ = writeln!(err, "paradedup: warning: {why}");
        }
        let _ = writeln!(
            err,
            "paradedup: warning: {} file(s) of the walked directories skipped",
            skipped.len()
        );
    }
    let Some(inputs) = inputs else {
        return Ok(None);
    };
    if common.dedup.boilerplate.is_some() {
        // A pipe, a process substitution (`<(zcat x.gz)`) or a device gives its bytes once:
        // the counting pass would drain it and the second pass write nothing (or, for a named
        // pipe, wait forever for a writer).
        if let Some(input) = inputs.iter().find(|i| i.path.is_some() && i.size.is_none()) {
            return Err(Error::usage(format!(
                "--boilerplate reads the inputs twice (counting, then removing), and {} is not \
                 a regular file (a pipe, a process substitution or a device) so it can be read \
                 only once: write it to a file first (compressed files are read directly, \
                 there is no need to decompress them)",
                input.name()
            )));
        }
    }
    Ok(Some((inputs, skipped)))
}

/// The path an output is written at: `path`, or the file a symbolic link there points to, so
/// that writing through the link keeps it (the target's contents are replaced, as they would
/// be by a shell's `>`).
///
/// # Errors
///
/// A link whose target does not exist: refused rather than replaced by a file, since the
/// link says the output belongs elsewhere.
pub fn real_destination(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
            Error::io(
                format!(
                    "{} is a symbolic link to a file that cannot be reached (create its \
                     target, or name another output)",
                    path.display()
                ),
                &e,
            )
        }),
        _ => Ok(path.to_owned()),
    }
}

/// The deduper's builder from the options both commands share, after the usage errors found
/// before anything is read: `--boilerplate` reads the inputs twice, which standard input
/// cannot be.
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

/// Where `-o` points: standard output, a directory to mirror the inputs into (an existing one,
/// or a path ending in `/`, made by [`Plan::make_mirror_dir`] once every check passed), or
/// one file.
fn target(output: &Path) -> Result<Target> {
    let text = output.as_os_str().to_string_lossy();
    if text == "-" {
        return Ok(Target::One(Destination::Stdout));
    }
    if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || output.is_dir() {
        // Not made here: a run refused later (a usage error, an output over an input) must
        // leave no directory behind.
        return Ok(Target::Mirror(output.to_owned()));
    }
    Ok(Target::One(Destination::File(output.to_owned())))
}

/// The path a file will have once written, symlinks resolved, for comparing with inputs: the
/// file's own canonical path when it exists, else its directory's joined with its name.
///
/// A path under directories not made yet (a mirrored directory, made once the checks passed)
/// is resolved from the nearest one that exists, so that `--report DIR/x` still collides with
/// the mirrored output `DIR/x`.
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = fs::canonicalize(path) {
        return Some(path);
    }
    let mut rest = vec![path.file_name()?.to_owned()];
    let mut dir = path.parent()?;
    loop {
        let existing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(real) = fs::canonicalize(existing) {
            return Some(rest.iter().rev().fold(real, |at, name| at.join(name)));
        }
        rest.push(dir.file_name()?.to_owned());
        dir = dir.parent()?;
    }
}
