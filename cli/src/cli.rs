//! The command line: subcommands, options and their help, and how they map onto the library's
//! settings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use paradedup::{
    BoilerplatePolicy, Deduper, DeduperBuilder, NearDup, Normalizer, Scope, SeenSet, Shingles,
    ShortParagraphs, Unit,
};

use crate::error::{Error, Result};
use crate::report::{NearSettings, Settings};

/// What the tool prints when run with nothing to do: usage and an example.
pub const USAGE: &str = "\
paradedup: remove repeated paragraphs from text corpora (JSON Lines, gzip, zstd, plain text)

Usage: paradedup dedup [OPTIONS] [INPUT]... [-o OUTPUT]
       paradedup stats [OPTIONS] [INPUT]...

Example:
  paradedup dedup shards/ --scope corpus -o clean.jsonl.zst --report report.json

'paradedup help dedup' lists every option.";

const DEDUP_ABOUT: &str = "Remove repeated paragraphs from a corpus";

const DEDUP_LONG_ABOUT: &str = "\
Remove repeated paragraphs from a corpus: the first occurrence is kept, later ones go with their \
line break, and every kept byte is the input's.

INPUTS
  .jsonl, .ndjson, .json   one JSON object per line, with a string text field (--text-field)
  .gz, .zst suffixes       gzip or zstd compressed; the first bytes are checked too, so
                           standard input may be compressed
  .txt                     the whole file is one document
  a directory              walked recursively in name order, reading the files above and
                           skipping hidden ones, so the order is the same everywhere; named
                           pipes and devices, and .json files whose first line is not a JSON
                           object (metadata such as dataset_info.json), are skipped with a
                           warning
  -                        standard input, as JSON Lines; read by default when no INPUT is
                           given and standard input is a pipe or a file

OUTPUT (-o)
  FILE    every document in input order, as JSON Lines, compressed if FILE ends in .gz or .zst.
          A JSON line keeps every byte of its other fields (values, key order, number
          formatting, escapes); only the text value is rewritten, and only when something was
          removed. A .txt input becomes {\"id\": \"<path>\", \"text\": \"<kept text>\"}, the
          path as given with % written %25 and each byte that is not UTF-8 written %XX, so
          that every id is unique and gives back its path.
  DIR/    an existing directory, or a path ending in '/': one output per input, at the same
          path relative to the directory it was found in, in its own format and compression
          (.txt in, .txt out)
  -       standard output (the default)
  A file is written under a temporary name and renamed into place only when the whole run
  succeeds, so a failure never leaves half an output. Writing over an input or the --seen-in
  file is refused (links followed), and every output is checked to be creatable before
  anything is read. An output that is a symbolic link is written through: its target is
  replaced and the link kept.
  Documents left with no paragraph keep an empty text unless --drop-empty.

ANNOTATE (--annotate)
  The text is left alone. Each document gets one line, in Dolma's attribute layout:
    {\"id\": <its id>, \"attributes\": {\"<NAME>\": [[start, end, 1.0], ...]}}
  one span per repeated paragraph: its line and the blank lines after it, exactly what dedup
  would remove. Offsets count Unicode code points, not bytes, as Python and Dolma index
  strings: text[start:end] in Python is the repeated paragraph.

SIGNALS (--signals FILE, --max-removed-fraction F)
  FILE gets one line per document, in input order (a skipped malformed line gets none), in
  Dolma's attribute layout, each value a span over the whole document:
    {\"id\": <its id>, \"attributes\": {\"paradedup__signals__<NAME>\": [[0, length, value]], ...}}
  removed_paragraph_fraction and removed_char_fraction (code points of the removed paragraphs'
  own text over all paragraphs'); Gopher's dup_line_frac, dup_para_frac, dup_line_char_frac and
  dup_para_char_frac and FineWeb's char_dup_ratio, on the raw text as datatrove computes them;
  CCNet's original_nlines and original_length; paragraphs and removed_paragraphs. With
  --boilerplate, whose first pass counts the documents each paragraph stands in,
  kept_document_count gives each kept paragraph's span and that number (one pass cannot know
  the documents still to come, so without it the attribute is left out).
  --max-removed-fraction F leaves out a document whose removed_char_fraction is above F,
  counted in the report (documents_dropped_removed) and copied to --rejects.

BOILERPLATE (--boilerplate K)
  A first pass over the inputs counts the documents each paragraph stands on (each counted
  once per document, under the same --unit and normalization); the second removes every
  paragraph found in K or more documents, as well as the repeats (--boilerplate-policy
  keep-first keeps its first occurrence in the corpus). The inputs are read twice, so
  standard input, a pipe or a process substitution cannot be one (write it to a file first).
  The report counts these paragraphs apart.

NEAR-DUPLICATES (--near-dup)
  After exact dedup, a paragraph is also removed when one earlier paragraph (in the document,
  or in the corpus with --scope corpus) contains at least --near-threshold (0.6) of its
  distinct shingles (--near-shingles, words:3: three consecutive words). Paragraphs with fewer
  than 3 shingles, or longer than 1 MiB, are left to exact dedup. The report counts near-duplicates apart.

THREADS (--threads N)
  Documents are read in batches and judged on N threads (default: every available core), then
  written in input order: the output, the annotations and the report are byte for byte the
  same for every N, and --threads 1 judges documents one at a time.

BAD INPUT
  A malformed line stops the run with the file, the line number and what is wrong (exit code
  1). With --skip-bad-lines it is counted in the report and written verbatim to --rejects.
  A .txt input that is not UTF-8 or over --max-document-bytes is, with --skip-bad-lines, a bad
  line too: --rejects gets {\"path\": <file>, \"error\": <what is wrong>}. A compressed
  input cut short or damaged is, with --skip-bad-lines, kept up to the damage and reported
  (\"truncated\", \"stream_error\"), and the run goes on with the next input.
  A file whose size when read differs from its size when the run began (truncated or
  rewritten meanwhile) stops the run too, naming it.

Exit codes: 0 success, 1 a failure while working, 2 a usage error, 130 and 143 interrupted
by SIGINT or SIGTERM (the temporary outputs are removed, the old outputs left as they were).";

const STATS_ABOUT: &str = "Report what dedup would remove, writing nothing";

const STATS_LONG_ABOUT: &str = "\
Report what `paradedup dedup` would remove, with the same inputs and options, writing no \
output: the totals and the 20 most repeated paragraphs go to standard output, the JSON report \
to --report.";

/// `paradedup`: the command line.
#[derive(Debug, Parser)]
#[command(
    name = "paradedup",
    version,
    about = "Remove repeated paragraphs from text corpora"
)]
#[command(
    after_help = "Example:\n  paradedup dedup shards/ --scope corpus -o clean.jsonl.zst --report report.json"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(about = DEDUP_ABOUT, long_about = DEDUP_LONG_ABOUT)]
    /// Remove repeated paragraphs.
    Dedup(DedupArgs),
    #[command(about = STATS_ABOUT, long_about = STATS_LONG_ABOUT)]
    /// Report what dedup would remove.
    Stats(StatsArgs),
}

/// `paradedup dedup`.
#[derive(Debug, Args)]
pub struct DedupArgs {
    /// Files, directories, or - for standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Where to write: a FILE (.jsonl, .jsonl.gz, .jsonl.zst), a DIR/ mirroring the inputs, or
    /// - for standard output.
    #[arg(short, long, value_name = "OUTPUT", default_value = "-")]
    pub output: PathBuf,

    /// The compression level of the .gz (0 to 9) and .zst (1 to 19) files written: higher
    /// levels give smaller files, more slowly. By default 2 for gzip (faster than gzip's
    /// usual 6, for files about a tenth larger) and 3 for zstd.
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub compression_level: Option<u32>,

    /// Leave the text alone and write the spans of repeated paragraphs (Dolma attributes,
    /// offsets in Unicode code points).
    #[arg(long, help_heading = "Output")]
    pub annotate: bool,

    /// The attribute name --annotate writes the spans under.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "paradedup__duplicate_paragraphs",
        requires = "annotate",
        help_heading = "Output"
    )]
    pub attribute: String,

    /// Leave out documents that no paragraph is left in (instead of keeping them with empty
    /// text).
    #[arg(long, conflicts_with = "annotate", help_heading = "Output")]
    pub drop_empty: bool,

    /// Write each document's signals to FILE, one line per document in input order, as Dolma
    /// attributes: what dedup removed and the Gopher, FineWeb and CCNet repetition measures.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub signals: Option<PathBuf>,

    /// Leave out a document when more than this fraction (0 to 1) of its paragraphs'
    /// characters was removed; counted in the report and copied to --rejects.
    #[arg(
        long,
        value_name = "F",
        value_parser = parse_fraction,
        conflicts_with = "annotate",
        help_heading = "Output"
    )]
    pub max_removed_fraction: Option<f64>,

    /// At the end, save every paragraph fingerprint seen (with the settings that made them) to
    /// FILE, for a later run's --seen-in. Needs --scope corpus.
    #[arg(long, value_name = "FILE", help_heading = "Corpus memory")]
    pub seen_out: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

/// `paradedup stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Files, directories, or - for standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

/// The most `--threads` accepted: far above any machine's cores, yet a typo of a few more
/// digits is refused in words rather than spent starting threads without end.
const MAX_THREADS: i64 = 1024;

/// Options shared by `dedup` and `stats`.
#[derive(Debug, Args)]
pub struct Common {
    #[command(flatten)]
    pub dedup: DedupOptions,

    #[command(flatten)]
    pub read: ReadOptions,

    /// Write a JSON report: totals, per-input counts, the 20 most repeated paragraphs, speed.
    #[arg(long, value_name = "FILE", help_heading = "Report")]
    pub report: Option<PathBuf>,

    /// No progress bar and no summary (stats prints its summary on stdout; -q silences it too).
    #[arg(short, long, help_heading = "Report")]
    pub quiet: bool,

    /// Worker threads for judging documents, at most 1024 (default: the number of available
    /// cores; 1 reads and judges one document at a time). The output is the same for every
    /// value.
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=MAX_THREADS),
        help_heading = "Performance"
    )]
    pub threads: Option<u32>,
}

impl Common {
    /// The worker threads asked for, or the number of available cores.
    pub fn threads(&self) -> usize {
        self.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get()),
            |n| n as usize,
        )
    }
}

/// How paragraphs are found and compared: the library's settings.
#[derive(Debug, Args)]
#[command(next_help_heading = "Dedup")]
pub struct DedupOptions {
    /// What a paragraph is: every non-blank line, or a block of lines between blank lines.
    #[arg(long, value_enum, default_value_t = UnitArg::Lines)]
    pub unit: UnitArg,

    /// How far back a repeat is looked for: within each document, or across every document
    /// before it.
    #[arg(long, value_enum, default_value_t = ScopeArg::Document)]
    pub scope: ScopeArg,

    /// Paragraphs shorter than this many characters (once normalized) are never removed.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub min_chars: usize,

    /// What makes two paragraphs the same: exact bytes (trimmed); NFKC, lowercase, punctuation
    /// and whitespace folded; or CCNet's normalize_for_dedup.
    #[arg(long, value_enum, default_value_t = NormalizeArg::Standard, help_heading = "Normalization")]
    pub normalize: NormalizeArg,

    #[command(flatten)]
    pub switches: Switches,

    /// Start from the paragraphs an earlier run saved with --seen-out: anything it met counts
    /// as seen (same unit, normalization and --min-chars; needs --scope corpus).
    #[arg(long, value_name = "FILE", help_heading = "Corpus memory")]
    pub seen_in: Option<PathBuf>,

    /// Remember paragraphs in a Bloom filter of fixed memory instead of an exact set: a new
    /// paragraph is wrongly removed with about this probability (e.g. 0.001). Needs --expected
    /// and --scope corpus.
    #[arg(
        long,
        value_name = "FP_RATE",
        requires = "expected",
        conflicts_with = "seen_in",
        help_heading = "Corpus memory"
    )]
    pub bloom: Option<f64>,

    /// How many distinct paragraphs the Bloom filter is sized for (at least 1); past it, false
    /// positives grow: a warning at 1x, and the run stops at 2x unless --allow-bloom-overfill.
    #[arg(
        long,
        value_name = "N",
        requires = "bloom",
        value_parser = clap::value_parser!(u64).range(1..),
        help_heading = "Corpus memory"
    )]
    pub expected: Option<u64>,

    /// Go on when the Bloom filter (--bloom, or one --seen-in loaded) holds more than twice
    /// the paragraphs it was sized for, removing ever more unique ones by mistake, instead of
    /// stopping the run with an error.
    #[arg(long, help_heading = "Corpus memory")]
    pub allow_bloom_overfill: bool,

    /// Boilerplate: also remove paragraphs found in at least K documents of the inputs,
    /// counted in a first pass over them (so the inputs are read twice, and standard input
    /// cannot be one).
    #[arg(
        long,
        value_name = "K",
        value_parser = clap::value_parser!(u32).range(1..),
        help_heading = "Boilerplate"
    )]
    pub boilerplate: Option<u32>,

    /// What becomes of a boilerplate paragraph: every occurrence dropped, or the first one in
    /// the corpus kept.
    #[arg(
        long,
        value_enum,
        value_name = "POLICY",
        default_value_t = PolicyArg::DropAll,
        requires = "boilerplate",
        help_heading = "Boilerplate"
    )]
    pub boilerplate_policy: PolicyArg,

    /// Also remove near-duplicates: a paragraph at least --near-threshold of whose shingles
    /// one earlier paragraph contains (in the document, or in the corpus with --scope
    /// corpus). Exact repeats are found first; the report counts near-duplicates apart.
    #[arg(long, help_heading = "Near-duplicates")]
    pub near_dup: bool,

    /// The share of a paragraph's distinct shingles that one earlier paragraph must contain.
    #[arg(
        long,
        value_name = "SHARE",
        default_value_t = 0.6,
        requires = "near_dup",
        value_parser = parse_share,
        help_heading = "Near-duplicates"
    )]
    pub near_threshold: f64,

    /// What a shingle is: words:N (N consecutive words, Unicode word boundaries) or chars:N
    /// (N consecutive characters, for scripts written without spaces such as Thai).
    #[arg(
        long,
        value_name = "KIND:N",
        default_value = "words:3",
        requires = "near_dup",
        value_parser = parse_shingles,
        help_heading = "Near-duplicates"
    )]
    pub near_shingles: Shingles,

    /// Which short repeats go: in-boilerplate-blocks (the default: a repeat of fewer than 12
    /// words goes only in a block of removals or at the head or tail of its document; lines
    /// that look like code stay), remove-every-repeat (every repeat, as CCNet and Dolma), or
    /// in-boilerplate-blocks:words=W,edge=E,block=B,documents=K (K: also in K+ documents).
    #[arg(
        long,
        value_name = "RULE",
        default_value = "in-boilerplate-blocks",
        value_parser = parse_short_paragraphs
    )]
    pub short_paragraphs: ShortParagraphs,
}

/// `--short-paragraphs`: the library parses the names; the command says what it expects.
fn parse_short_paragraphs(text: &str) -> std::result::Result<ShortParagraphs, String> {
    text.parse().map_err(|_| {
        format!(
            "expected in-boilerplate-blocks, remove-every-repeat or \
             in-boilerplate-blocks:words=W,edge=E,block=B,documents=K, not {text:?}"
        )
    })
}

/// Why `--near-dup` refuses `--seen-in` and `--seen-out`: a seen-set file holds exact
/// fingerprints only, so a run split in two would keep near-duplicates one run removes.
pub const NEAR_DUP_SPLIT_RUN: &str = "--near-dup cannot be combined with {option}: a seen-set \
     file keeps exact fingerprints only, not the near-duplicate index, so a corpus deduplicated \
     in several runs would keep near-duplicates that one run removes. Run --near-dup over the \
     whole corpus in one run, or leave it out of the split runs";

/// `--near-threshold`: a share in (0, 1].
fn parse_share(text: &str) -> std::result::Result<f64, String> {
    match text.parse::<f64>() {
        Ok(share) if share > 0.0 && share <= 1.0 => Ok(share),
        _ => Err(format!(
            "expected a share above 0 and at most 1, such as 0.6, not {text:?}"
        )),
    }
}

/// `--near-shingles`: `words:N` or `chars:N`, N from 1 (words: at most 16).
/// The library parses the names; the command says what it expects in its own words.
fn parse_shingles(text: &str) -> std::result::Result<Shingles, String> {
    text.parse()
        .map_err(|_| format!("expected words:N or chars:N (such as words:3), not {text:?}"))
}

/// The normalization steps, each on or off on top of the preset.
#[derive(Debug, Args)]
#[command(next_help_heading = "Normalization")]
pub struct Switches {
    /// Apply Unicode NFKC.
    #[arg(long, overrides_with = "no_nfkc")]
    nfkc: bool,
    /// Do not apply NFKC.
    #[arg(long)]
    no_nfkc: bool,
    /// Lowercase (Unicode's full mapping).
    #[arg(long, overrides_with = "no_lowercase")]
    lowercase: bool,
    /// Do not lowercase.
    #[arg(long)]
    no_lowercase: bool,
    /// Turn punctuation into spaces.
    #[arg(long, overrides_with = "no_punctuation")]
    punctuation: bool,
    /// Keep punctuation.
    #[arg(long)]
    no_punctuation: bool,
    /// Collapse whitespace runs to one space.
    #[arg(long, overrides_with = "no_whitespace")]
    whitespace: bool,
    /// Keep whitespace as it is.
    #[arg(long)]
    no_whitespace: bool,
    /// Strip accents (NFD, then drop nonspacing marks).
    #[arg(long)]
    strip_accents: bool,
    /// Fold each run of digits to 0 ("12 comments" matches "3 comments").
    #[arg(long)]
    fold_digits: bool,
    /// Turn symbols (currency, math, emoji) into spaces.
    #[arg(long)]
    drop_symbols: bool,
}

impl Switches {
    /// The switches given, by name, with their value.
    fn given(&self) -> BTreeMap<&'static str, bool> {
        let pairs = [
            ("nfkc", self.nfkc, self.no_nfkc),
            ("lowercase", self.lowercase, self.no_lowercase),
            ("punctuation", self.punctuation, self.no_punctuation),
            ("whitespace", self.whitespace, self.no_whitespace),
            ("strip_accents", self.strip_accents, false),
            ("fold_digits", self.fold_digits, false),
            ("drop_symbols", self.drop_symbols, false),
        ];
        pairs
            .into_iter()
            .filter(|&(_, on, off)| on || off)
            .map(|(name, on, _)| (name, on))
            .collect()
    }
}

/// How the documents are read.
#[derive(Debug, Args)]
#[command(next_help_heading = "Input")]
pub struct ReadOptions {
    /// The JSON field holding the document text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,

    /// The JSON field holding the document id (copied into --annotate output).
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,

    /// Count malformed lines in the report and go on, instead of stopping at the first.
    #[arg(long)]
    pub skip_bad_lines: bool,

    /// Write each skipped line, verbatim, to this file.
    #[arg(long, value_name = "FILE", requires = "skip_bad_lines")]
    pub rejects: Option<PathBuf>,

    /// The longest document read: a JSON line (or a text file) longer than this many bytes is
    /// an error naming its file and line, or with --skip-bad-lines a skipped line, instead of
    /// memory spent without end. Suffixes K, M and G are powers of 1024.
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_size)]
    pub max_document_bytes: usize,

    /// The largest zstd window decoded, as a power of two: 27 (128 MiB) is the zstd command's
    /// own default limit; a file written with `zstd --long=N` for N above 27 needs N here, and
    /// up to 2^N bytes of memory to read.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 27,
        value_parser = clap::value_parser!(u32).range(10..=31)
    )]
    pub zstd_window_log: u32,
}

/// A fraction from 0 to 1.
fn parse_fraction(text: &str) -> std::result::Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("{text:?} is not a fraction from 0 to 1")),
    }
}

/// A size in bytes, with an optional K, M or G suffix (powers of 1024).
fn parse_size(text: &str) -> std::result::Result<usize, String> {
    let t = text.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size in bytes (such as 1000, 64K, 64M or 1G)"))?;
    let bytes = n
        .checked_mul(1 << shift)
        .filter(|&b| b > 0)
        .ok_or_else(|| format!("{text:?} is out of range"))?;
    Ok(bytes)
}

/// `--unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitArg {
    /// Every non-blank line (CCNet's and Dolma's convention for web text).
    Lines,
    /// Runs of non-blank lines separated by blank lines (prose, Markdown).
    BlankLines,
}

/// `--scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// Repeats within one document.
    Document,
    /// Repeats of any earlier document, across every input.
    Corpus,
}

/// `--boilerplate-policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Remove every occurrence (CCNet's policy).
    DropAll,
    /// Keep the first occurrence in the corpus, remove the others.
    KeepFirst,
}

impl PolicyArg {
    /// The library's policy.
    pub fn policy(self) -> BoilerplatePolicy {
        match self {
            PolicyArg::DropAll => BoilerplatePolicy::DropAll,
            PolicyArg::KeepFirst => BoilerplatePolicy::KeepFirst,
        }
    }
}

/// `--normalize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NormalizeArg {
    /// Bytes as they are, trimmed.
    Exact,
    /// NFKC, lowercase, punctuation to space, whitespace collapsed.
    Standard,
    /// CCNet's normalize_for_dedup, quirks included.
    Ccnet,
}

impl DedupOptions {
    /// The normalizer these options describe.
    ///
    /// # Errors
    ///
    /// A switch with `--normalize ccnet`, which reproduces CCNet and takes none.
    pub fn normalizer(&self) -> Result<Normalizer> {
        let given = self.switches.given();
        let base = match self.normalize {
            NormalizeArg::Exact => Normalizer::exact(),
            NormalizeArg::Standard => Normalizer::standard(),
            NormalizeArg::Ccnet => {
                if let Some(name) = given.keys().next() {
                    return Err(Error::usage(format!(
                        "--normalize ccnet reproduces CCNet exactly and takes no switch (got --{})",
                        name.replace('_', "-")
                    )));
                }
                return Ok(Normalizer::ccnet());
            }
        };
        Ok(given.iter().fold(base, |n, (&name, &on)| {
            n.with_switch(name, on)
                .expect("the command line's switches are the library's")
        }))
    }

    /// A builder with these settings, and the seen-set they ask for.
    ///
    /// In corpus scope the seen-set is [`SeenSet::exact`] (the tool never reports where a
    /// repeat was first met, so origins would be memory for nothing), a Bloom filter with
    /// `--bloom`, or the set `--seen-in` names.
    ///
    /// # Errors
    ///
    /// See [`DedupOptions::normalizer`]; also a corpus-memory option in document scope, a bad
    /// Bloom rate (usage errors), and a seen-set file that cannot be loaded.
    pub fn builder(&self) -> Result<DeduperBuilder> {
        let corpus = self.scope == ScopeArg::Corpus;
        if !corpus {
            if let Some(option) = [
                self.seen_in.as_ref().map(|_| "--seen-in"),
                self.bloom.map(|_| "--bloom"),
            ]
            .into_iter()
            .flatten()
            .next()
            {
                return Err(Error::usage(format!(
                    "{option} needs --scope corpus (in document scope nothing is remembered \
                     between documents)"
                )));
            }
        }
        if self.near_dup && self.seen_in.is_some() {
            return Err(Error::usage(
                NEAR_DUP_SPLIT_RUN.replace("{option}", "--seen-in"),
            ));
        }
        let mut builder = self.settings_only()?;
        if let Some(path) = &self.seen_in {
            let seen = SeenSet::load(path, builder.settings())
                .map_err(|e| Error::runtime(format!("--seen-in: {e}")))?;
            builder.seen_set(seen);
        } else if let (Some(rate), Some(expected)) = (self.bloom, self.expected) {
            let bytes = SeenSet::bloom_bytes(expected, rate)
                .map_err(|e| Error::usage(format!("--bloom {rate}: {e}")))?;
            crate::memory::check("--bloom with --expected", bytes)?;
            let seen = SeenSet::bloom(expected, rate)
                .map_err(|e| Error::usage(format!("--bloom {rate}: {e}")))?;
            builder.seen_set(seen);
        } else if corpus {
            builder.seen_set(SeenSet::exact());
        }
        Ok(builder)
    }

    /// A builder with the settings alone, no seen-set chosen.
    fn settings_only(&self) -> Result<DeduperBuilder> {
        let mut builder = Deduper::builder();
        builder
            .unit(match self.unit {
                UnitArg::Lines => Unit::Lines,
                UnitArg::BlankLines => Unit::BlankLines,
            })
            .scope(match self.scope {
                ScopeArg::Document => Scope::Document,
                ScopeArg::Corpus => Scope::Corpus,
            })
            .min_chars(self.min_chars)
            .short_paragraphs(self.short_paragraphs)
            .normalizer(self.normalizer()?);
        if self.near_dup {
            builder.near_duplicates(
                NearDup::new()
                    .threshold(self.near_threshold)
                    .shingles(self.near_shingles),
            );
        }
        Ok(builder)
    }
}

impl Common {
    /// The settings as the report records them.
    pub fn settings(&self) -> Settings {
        Settings {
            unit: value_name(&self.dedup.unit),
            normalize: value_name(&self.dedup.normalize),
            normalize_switches: self.dedup.switches.given(),
            scope: value_name(&self.dedup.scope),
            min_chars: self.dedup.min_chars,
            short_paragraphs: self.dedup.short_paragraphs.to_string(),
            text_field: self.read.text_field.clone(),
            id_field: self.read.id_field.clone(),
            boilerplate: self.dedup.boilerplate,
            boilerplate_policy: self
                .dedup
                .boilerplate
                .map(|_| value_name(&self.dedup.boilerplate_policy)),
            near_dup: self.dedup.near_dup.then(|| NearSettings {
                shingles: self.dedup.near_shingles.to_string(),
                threshold: self.dedup.near_threshold,
            }),
        }
    }
}

/// The name a value is given by on the command line.
fn value_name(value: &impl ValueEnum) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> DedupArgs {
        let cli = Cli::try_parse_from([&["paradedup", "dedup"], args].concat()).unwrap();
        match cli.command {
            Some(Command::Dedup(args)) => args,
            _ => unreachable!(),
        }
    }

    #[test]
    fn switches_go_on_top_of_the_preset() {
        let args = parse(&["--normalize", "exact", "--lowercase", "--fold-digits"]);
        let n = args.common.dedup.normalizer().unwrap();
        assert_eq!(n, Normalizer::exact().lowercase(true).fold_digits(true));
        let args = parse(&["--no-punctuation", "--punctuation", "--no-punctuation"]);
        let n = args.common.dedup.normalizer().unwrap();
        assert_eq!(n, Normalizer::standard().punctuation(false));
    }

    #[test]
    fn near_duplicate_options() {
        let args = parse(&[
            "--near-dup",
            "--near-shingles",
            "chars:5",
            "--near-threshold",
            "0.8",
        ]);
        assert!(args.common.dedup.near_dup);
        assert_eq!(args.common.dedup.near_shingles, Shingles::Chars(5));
        assert_eq!(args.common.dedup.near_threshold, 0.8);
        for bad in [
            &["--near-dup", "--near-threshold", "0"][..],
            &["--near-shingles", "words:3"],
            &["--near-dup", "--near-shingles", "words:17"],
            &["--near-dup", "--near-shingles", "lines:2"],
        ] {
            let args = [&["paradedup", "dedup"], bad].concat();
            assert!(Cli::try_parse_from(args).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ccnet_takes_no_switch() {
        let args = parse(&["--normalize", "ccnet", "--strip-accents"]);
        assert!(args.common.dedup.normalizer().is_err());
    }
}
