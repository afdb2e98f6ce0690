//! Review of removals on real corpora (see docs/removal-quality.md).
//!
//! `paradedup-review sample CORPUS.jsonl [options]` runs the library's deduper over a JSON Lines
//! corpus (field `text`, document id in `id`) under one setting and prints a uniform random
//! sample of its removals, with a fixed seed, as JSON Lines to label: each removal with two
//! lines of context either side, its document, its position and the earlier paragraph it
//! repeats.
//!
//! `paradedup-review score --labels FILE... --corpora DIR [options]` reads labelled removals
//! and runs each (corpus, setting) again under the options given: which labelled removals are
//! still removed, the precision of those, and the share of the removals labelled right that are
//! still removed (recall).

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paradedup::{paragraphs_of, Deduper, NearDup, Normalizer, Preset, Scope, Unit};
use serde::{Deserialize, Serialize};

const USAGE: &str = "\
usage:
  paradedup-review sample CORPUS.jsonl [--scope document|corpus] [--preset exact|standard|ccnet]
                          [--near] [--near-only] [--meaning-guard on|off]
                          [--short-paragraphs RULE] [-n 60] [--seed 1]
  paradedup-review score --labels FILE [--labels FILE ...] --corpora DIR
                          [--short-paragraphs RULE] [--meaning-guard on|off] [--only SETTING]
                          [--show]

--near-only samples the near-duplicate removals alone (implies --near). --meaning-guard sets
NearDup::meaning_guard (default on) in near settings; it is not part of the setting's key, so
labels sampled with it off can be scored with it on.

--show lists (on stderr) the labelled removals the rule gets wrong: wrong ones still removed,
right ones now kept.

A setting is written scope/preset[/near], as in the labels (\"document/standard\").
RULE is the library's ShortParagraphs name (see `paradedup::ShortParagraphs`).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("sample") => sample(&args[1..]),
        Some("score") => score(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("paradedup-review: {message}");
            ExitCode::FAILURE
        }
    }
}

/// One document of a corpus.
struct Document {
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
}

/// The documents of a JSON Lines corpus, in order; a line without a string `text` is an error
/// naming the file and line.
fn read_corpus(path: &Path) -> Result<Vec<Document>, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut documents = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line = serde_json::from_str(&line).map_err(|e| {
            format!(
                "{}:{}: field \"text\" (a string) expected: {e}",
                path.display(),
                n + 1
            )
        })?;
        let id = match parsed.id {
            Some(serde_json::Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => format!("line {}", n + 1),
        };
        documents.push(Document {
            id,
            text: parsed.text,
        });
    }
    Ok(documents)
}

/// A run's setting: scope, preset, near-duplicates on or off, and the short-paragraph rule.
#[derive(Clone, Debug)]
struct Setting {
    scope: Scope,
    preset: Preset,
    near: bool,
    short: Option<String>,
    /// `NearDup::meaning_guard` when `near`.
    guard: bool,
}

impl Setting {
    /// The label key: `scope/preset[/near]` (the short-paragraph rule is what is scored, so it
    /// is not part of the key).
    fn key(&self) -> String {
        format!(
            "{}/{}{}",
            self.scope,
            self.preset,
            if self.near { "/near" } else { "" }
        )
    }

    fn parse_key(key: &str) -> Result<Setting, String> {
        let mut parts = key.split('/');
        let scope = parts
            .next()
            .unwrap_or("")
            .parse::<Scope>()
            .map_err(|e| format!("setting {key:?}: {e}"))?;
        let preset = parts
            .next()
            .unwrap_or("standard")
            .parse::<Preset>()
            .map_err(|e| format!("setting {key:?}: {e}"))?;
        let near = match parts.next() {
            None => false,
            Some("near") => true,
            Some(other) => return Err(format!("setting {key:?}: unknown part {other:?}")),
        };
        Ok(Setting {
            scope,
            preset,
            near,
            short: None,
            guard: true,
        })
    }

    fn deduper(&self) -> Result<Deduper, String> {
        let normalizer = match self.preset {
            Preset::Exact => Normalizer::exact(),
            Preset::Ccnet => Normalizer::ccnet(),
            _ => Normalizer::standard(),
        };
        let mut builder = Deduper::builder();
        builder.scope(self.scope).normalizer(normalizer);
        if self.near {
            builder.near_duplicates(NearDup::new().meaning_guard(self.guard));
        }
        apply_short_rule(&mut builder, self.short.as_deref())?;
        Ok(builder.build())
    }
}

/// Sets the short-paragraph rule named `rule` (the library default when `None`).
fn apply_short_rule(
    builder: &mut paradedup::DeduperBuilder,
    rule: Option<&str>,
) -> Result<(), String> {
    if let Some(rule) = rule {
        let rule: paradedup::ShortParagraphs = rule
            .parse()
            .map_err(|e| format!("--short-paragraphs: {e}"))?;
        builder.short_paragraphs(rule);
    }
    Ok(())
}

/// One removal of a run: document number, paragraph index, and what it repeats.
struct Removal {
    document: usize,
    index: usize,
    first: Option<(usize, usize)>,
    containment: Option<f64>,
}

/// Every removal the deduper makes over `documents`, in order.
fn removals(documents: &[Document], setting: &Setting) -> Result<Vec<Removal>, String> {
    let mut deduper = setting.deduper()?;
    let mut all = Vec::new();
    for (number, document) in documents.iter().enumerate() {
        let out = deduper.dedup(&document.text);
        for removed in out.removed() {
            all.push(Removal {
                document: number,
                index: removed.index() as usize,
                first: removed
                    .first()
                    .map(|o| (o.document as usize, o.paragraph as usize)),
                containment: removed.containment().map(|c| c.score()),
            });
        }
    }
    Ok(all)
}

/// A removal as printed to label.
#[derive(Serialize)]
struct Sample<'a> {
    corpus: &'a str,
    setting: String,
    doc: &'a str,
    doc_number: usize,
    index: usize,
    paragraphs: usize,
    text: &'a str,
    before: Vec<&'a str>,
    after: Vec<&'a str>,
    /// Which of `before` and `after` the same run removed too.
    before_removed: Vec<bool>,
    after_removed: Vec<bool>,
    first_doc: Option<&'a str>,
    first_index: Option<usize>,
    first_text: Option<&'a str>,
    containment: Option<f64>,
    label: &'static str,
    why: &'static str,
}

/// splitmix64: a small, fixed generator, so a seed gives the same sample on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by rejection so no value is favoured.
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }
}

/// `k` distinct indices of `0..n` drawn uniformly, in increasing order.
fn choose(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng(seed);
    let mut pool: Vec<usize> = (0..n).collect();
    let k = k.min(n);
    for i in 0..k {
        let j = i + rng.below(n - i);
        pool.swap(i, j);
    }
    let mut chosen = pool[..k].to_vec();
    chosen.sort_unstable();
    chosen
}

fn corpus_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn value<'a>(args: &'a [String], i: &mut usize) -> Result<&'a str, String> {
    *i += 1;
    args.get(*i)
        .map(String::as_str)
        .ok_or_else(|| format!("{} needs a value\n{USAGE}", args[*i - 1]))
}

fn sample(args: &[String]) -> Result<(), String> {
    let mut corpus = None;
    let mut setting = Setting {
        scope: Scope::Document,
        preset: Preset::Standard,
        near: false,
        short: None,
        guard: true,
    };
    let mut near_only = false;
    let (mut n, mut seed) = (60usize, 1u64);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--scope" => {
                setting.scope = value(args, &mut i)?.parse().map_err(|e| format!("{e}"))?
            }
            "--preset" => {
                setting.preset = value(args, &mut i)?.parse().map_err(|e| format!("{e}"))?
            }
            "--near" => setting.near = true,
            "--near-only" => (setting.near, near_only) = (true, true),
            "--meaning-guard" => setting.guard = on_off(value(args, &mut i)?)?,
            "--short-paragraphs" => setting.short = Some(value(args, &mut i)?.to_owned()),
            "-n" => {
                n = value(args, &mut i)?
                    .parse()
                    .map_err(|e| format!("-n: {e}"))?
            }
            "--seed" => {
                seed = value(args, &mut i)?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            other if !other.starts_with('-') && corpus.is_none() => {
                corpus = Some(PathBuf::from(other))
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    let path = corpus.ok_or_else(|| USAGE.to_owned())?;
    let name = corpus_name(&path);
    let documents = read_corpus(&path)?;
    let all = removals(&documents, &setting)?;
    let near_count = all.iter().filter(|r| r.containment.is_some()).count();
    // Context flags are of every removal; the sample is drawn from near ones when asked.
    let removed_at: HashSet<(usize, usize)> = all.iter().map(|r| (r.document, r.index)).collect();
    let all: Vec<Removal> = all
        .into_iter()
        .filter(|r| !near_only || r.containment.is_some())
        .collect();
    eprintln!(
        "{name} {}: {} documents, {} removals ({near_count} near-duplicates), sampling {}",
        setting.key(),
        documents.len(),
        removed_at.len(),
        n.min(all.len())
    );
    let unit = Unit::Lines;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for chosen in choose(all.len(), n, seed) {
        let removal = &all[chosen];
        let flags = |range: std::ops::Range<usize>| -> Vec<bool> {
            range
                .map(|i| removed_at.contains(&(removal.document, i)))
                .collect()
        };
        let document = &documents[removal.document];
        let lines: Vec<&str> = paragraphs_of(&document.text, unit)
            .map(|p| p.as_str())
            .collect();
        let at = removal.index;
        let first = removal.first.map(|(d, p)| {
            let doc = &documents[d];
            let text = paragraphs_of(&doc.text, unit).nth(p).map(|p| p.as_str());
            (doc.id.as_str(), p, text)
        });
        let sample = Sample {
            corpus: &name,
            setting: setting.key(),
            doc: &document.id,
            doc_number: removal.document,
            index: at,
            paragraphs: lines.len(),
            text: lines.get(at).copied().unwrap_or(""),
            before: lines[at.saturating_sub(2)..at.min(lines.len())].to_vec(),
            after: lines[(at + 1).min(lines.len())..(at + 3).min(lines.len())].to_vec(),
            before_removed: flags(at.saturating_sub(2)..at.min(lines.len())),
            after_removed: flags((at + 1).min(lines.len())..(at + 3).min(lines.len())),
            first_doc: first.map(|f| f.0),
            first_index: first.map(|f| f.1),
            first_text: first.and_then(|f| f.2),
            containment: removal.containment,
            label: "",
            why: "",
        };
        let line = serde_json::to_string(&sample).map_err(|e| e.to_string())?;
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// One labelled removal, as kept in dev/review/labels.
#[derive(Deserialize)]
struct Label {
    corpus: String,
    setting: String,
    doc_number: usize,
    index: usize,
    label: String,
    #[serde(default)]
    text: String,
}

#[derive(Default)]
struct Tally {
    labelled: usize,
    right_labelled: usize,
    still: usize,
    right: usize,
    wrong: usize,
    unsure: usize,
}

fn score(args: &[String]) -> Result<(), String> {
    let mut label_files = Vec::new();
    let mut corpora = None;
    let mut short = None;
    let mut only = None;
    let mut show = false;
    let mut guard = true;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--labels" => label_files.push(PathBuf::from(value(args, &mut i)?)),
            "--corpora" => corpora = Some(PathBuf::from(value(args, &mut i)?)),
            "--short-paragraphs" => short = Some(value(args, &mut i)?.to_owned()),
            "--only" => only = Some(value(args, &mut i)?.to_owned()),
            "--show" => show = true,
            "--meaning-guard" => guard = on_off(value(args, &mut i)?)?,
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    let corpora = corpora.ok_or_else(|| format!("--corpora DIR is needed\n{USAGE}"))?;
    if label_files.is_empty() {
        return Err(format!("--labels FILE is needed\n{USAGE}"));
    }
    // (corpus, setting) -> labels
    let mut groups: BTreeMap<(String, String), Vec<Label>> = BTreeMap::new();
    for path in &label_files {
        let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let label: Label = serde_json::from_str(&line).map_err(|e| {
                format!(
                    "{}:{}: a label needs corpus, setting, doc_number, index and label: {e}",
                    path.display(),
                    n + 1
                )
            })?;
            if !matches!(label.label.as_str(), "right" | "wrong" | "unsure") {
                return Err(format!(
                    "{}:{}: field \"label\" is {:?}, not right, wrong or unsure",
                    path.display(),
                    n + 1,
                    label.label
                ));
            }
            if only.as_ref().is_none_or(|o| *o == label.setting) {
                groups
                    .entry((label.corpus.clone(), label.setting.clone()))
                    .or_default()
                    .push(label);
            }
        }
    }
    println!(
        "rule: {}, meaning guard {}",
        short.as_deref().unwrap_or("(library default)"),
        if guard { "on" } else { "off" }
    );
    println!(
        "{:<20} {:<22} {:>5} {:>6} {:>5} {:>5} {:>6} {:>9} {:>7}",
        "corpus", "setting", "lab", "still", "right", "wrong", "unsure", "precision", "recall"
    );
    let mut total = BTreeMap::<String, Tally>::new();
    for ((corpus, key), labels) in &groups {
        let mut setting = Setting::parse_key(key)?;
        setting.short = short.clone();
        setting.guard = guard;
        let documents = read_corpus(&corpora.join(format!("{corpus}.jsonl")))?;
        let all = removals(&documents, &setting)?;
        if setting.near {
            let near = all.iter().filter(|r| r.containment.is_some()).count();
            eprintln!("{corpus} {key}: {near} near-duplicate removals in the whole run");
        }
        let removed: HashSet<(usize, usize)> =
            all.into_iter().map(|r| (r.document, r.index)).collect();
        let mut tally = Tally::default();
        for label in labels {
            tally.labelled += 1;
            let right = label.label == "right";
            tally.right_labelled += usize::from(right);
            let still = removed.contains(&(label.doc_number, label.index));
            if show && (still == (label.label == "wrong")) && label.label != "unsure" {
                let what = if still {
                    "still removed, wrong"
                } else {
                    "kept now, right"
                };
                eprintln!("{corpus} {key} {what}: {:?}", label.text);
            }
            if still {
                tally.still += 1;
                match label.label.as_str() {
                    "right" => tally.right += 1,
                    "wrong" => tally.wrong += 1,
                    _ => tally.unsure += 1,
                }
            }
        }
        print_row(corpus, key, &tally);
        let scope = key.split('/').next().unwrap_or("").to_owned();
        let t = total.entry(scope).or_default();
        t.labelled += tally.labelled;
        t.right_labelled += tally.right_labelled;
        t.still += tally.still;
        t.right += tally.right;
        t.wrong += tally.wrong;
        t.unsure += tally.unsure;
    }
    for (scope, tally) in &total {
        print_row("all", scope, tally);
    }
    Ok(())
}

fn on_off(value: &str) -> Result<bool, String> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("--meaning-guard: {other:?} is neither on nor off")),
    }
}

fn print_row(corpus: &str, setting: &str, t: &Tally) {
    let precision = ratio(t.right, t.right + t.wrong);
    let recall = ratio(t.right, t.right_labelled);
    println!(
        "{corpus:<20} {setting:<22} {:>5} {:>6} {:>5} {:>5} {:>6} {precision:>9} {recall:>7}",
        t.labelled, t.still, t.right, t.wrong, t.unsure
    );
}

fn ratio(a: usize, b: usize) -> String {
    if b == 0 {
        "-".to_owned()
    } else {
        format!("{:.3}", a as f64 / b as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::{choose, Setting};

    #[test]
    fn a_sample_is_distinct_sorted_in_range_and_fixed_by_its_seed() {
        let a = choose(1000, 60, 1);
        assert_eq!(a.len(), 60);
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert!(a.iter().all(|&i| i < 1000));
        assert_eq!(a, choose(1000, 60, 1));
        assert_ne!(a, choose(1000, 60, 2));
        // Fewer removals than asked for: all of them.
        assert_eq!(choose(5, 60, 1), [0, 1, 2, 3, 4]);
        assert!(choose(0, 60, 1).is_empty());
    }

    #[test]
    fn settings_are_written_as_labels_write_them() {
        for key in ["document/standard", "corpus/exact/near"] {
            assert_eq!(Setting::parse_key(key).unwrap().key(), key);
        }
        assert!(Setting::parse_key("corpus/standard/far").is_err());
        assert!(Setting::parse_key("everywhere").is_err());
    }
}
