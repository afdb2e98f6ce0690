//! The report: what was read and removed, overall and per input, the most repeated paragraphs,
//! and how fast; as JSON for `--report` and as a short summary for people.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use paradedup::{Fingerprint, FingerprintBuildHasher, Stats};
use serde::Serialize;

/// Counts for one input.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputCounts {
    /// The input's name.
    pub path: String,
    /// Documents read.
    pub documents: u64,
    /// Paragraphs found.
    pub paragraphs: u64,
    /// Paragraphs removed: repeats, near-duplicates and boilerplate.
    pub removed_paragraphs: u64,
    /// Of those, paragraphs removed as boilerplate (`--boilerplate`).
    pub boilerplate_paragraphs: u64,
    /// Of those, paragraphs removed as near-duplicates (`--near-dup`).
    pub near_duplicate_paragraphs: u64,
    /// Bytes of document text read.
    pub text_bytes: u64,
    /// Bytes of document text removed.
    pub removed_bytes: u64,
    /// Lines skipped as malformed (`--skip-bad-lines`).
    pub bad_lines: u64,
    /// Blank lines between JSON lines: no document, counted so that every line is accounted for.
    pub blank_lines: u64,
    /// Documents left out because no paragraph was left (`--drop-empty`).
    pub dropped_empty: u64,
    /// The input's compressed stream was cut short (`--skip-bad-lines`): what was read before
    /// the cut is counted here, the line the cut fell in is a bad line, and nothing after it
    /// could be read.
    pub truncated: bool,
    /// What broke the input's compressed stream, where reading it stopped (`--skip-bad-lines`):
    /// cut short, damaged, or followed by trailing data. Absent when it was read to its end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_error: Option<String>,
    /// Documents left out because more of their characters were removed than
    /// `--max-removed-fraction` allows.
    pub dropped_removed: u64,
}

impl InputCounts {
    /// Adds one document's library counts.
    pub fn add(&mut self, stats: Stats) {
        self.documents += stats.documents;
        self.paragraphs += stats.paragraphs;
        self.removed_paragraphs += stats.duplicates + stats.near_duplicates + stats.boilerplate;
        self.boilerplate_paragraphs += stats.boilerplate;
        self.near_duplicate_paragraphs += stats.near_duplicates;
        self.text_bytes += stats.bytes_in;
        self.removed_bytes += stats.bytes_removed();
    }
}

/// Paragraphs kept in the repeat table before it is pruned; see [`TopRepeats`].
const TABLE: usize = 10_000;
/// Characters in a preview.
const PREVIEW: usize = 80;

/// The most removed paragraphs, in bounded memory.
///
/// A count per fingerprint for every removed paragraph would grow with the corpus (a web crawl
/// has billions). Instead the table holds at most `2 × 10,000` fingerprints, each with a count
/// and an 80-character preview; when full it keeps the 10,000 highest counts and forgets the
/// rest (lossy counting). Boilerplate repeated thousands of times stays in the table from its
/// first appearances on, so the top 20 are the true top 20 in practice; a count is exact unless
/// its paragraph was ever pruned, and the report says whether any pruning happened
/// (`most_repeated_exact`). Memory: a few megabytes, whatever the corpus.
#[derive(Debug, Default)]
pub struct TopRepeats {
    // Fingerprints are their own hash: SipHash over them was most of the cost of counting
    // every removed paragraph.
    table: HashMap<Fingerprint, Repeat, FingerprintBuildHasher>,
    next: u64,
    pruned: bool,
}

#[derive(Debug, Clone)]
struct Repeat {
    removed: u64,
    /// When first met, to break ties the same way on every run.
    order: u64,
    /// The start of the paragraph that its preview is made from ([`preview_source`]): copied
    /// as it is, and formatted only for the few entries a report shows. Most entries are
    /// pruned unseen, and building each one's preview on the way in cost more than counting.
    source: Box<str>,
}

/// One line of the report's most repeated paragraphs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Repeated {
    /// Times the paragraph was removed.
    pub removed: u64,
    /// Its fingerprint, in hex.
    pub fingerprint: String,
    /// Its first 80 characters, whitespace runs shown as one space.
    pub preview: String,
}

impl TopRepeats {
    /// Counts one removal of the paragraph `text` with this fingerprint.
    pub fn add(&mut self, fingerprint: Fingerprint, text: &str) {
        if let Some(repeat) = self.table.get_mut(&fingerprint) {
            repeat.removed += 1;
            return;
        }
        if self.table.len() >= 2 * TABLE {
            self.prune();
        }
        self.table.insert(
            fingerprint,
            Repeat {
                removed: 1,
                order: self.next,
                source: preview_source(text).into(),
            },
        );
        self.next += 1;
    }

    fn prune(&mut self) {
        // The 10,000 highest (count, first met) keys are found by selection, not a sort, and
        // the rest removed in place: on a corpus with many distinct repeats the table fills
        // again and again, and rebuilding it was a serial cost of every batch.
        let rank = |r: &Repeat| (std::cmp::Reverse(r.removed), r.order);
        let mut ranks: Vec<_> = self.table.values().map(rank).collect();
        if ranks.len() > TABLE {
            let (_, &mut last, _) = ranks.select_nth_unstable(TABLE - 1);
            self.table.retain(|_, r| rank(r) <= last);
        }
        self.pruned = true;
    }

    /// The `n` most removed paragraphs, most first (ties: first met first).
    pub fn top(&self, n: usize) -> Vec<Repeated> {
        let mut entries: Vec<_> = self.table.iter().collect();
        entries.sort_unstable_by_key(|(_, r)| (std::cmp::Reverse(r.removed), r.order));
        entries
            .into_iter()
            .take(n)
            .map(|(fp, r)| Repeated {
                removed: r.removed,
                fingerprint: fp.to_string(),
                preview: preview(&r.source),
            })
            .collect()
    }

    /// True when every count is exact: the table never had to forget.
    pub fn is_exact(&self) -> bool {
        !self.pruned
    }
}

/// A start of `text` that has the same [`preview`] as the whole of it: up to the first
/// character past the preview's 80, whitespace runs counting as one.
fn preview_source(text: &str) -> &str {
    let mut shown = 0;
    let mut after_word = false;
    let mut space = false;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            space = after_word;
            continue;
        }
        shown += 1 + usize::from(space);
        (after_word, space) = (true, false);
        if shown > PREVIEW {
            return &text[..at];
        }
    }
    text
}

/// The first characters of a paragraph on one line.
fn preview(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() >= PREVIEW * 4 {
            break;
        }
    }
    match out.char_indices().nth(PREVIEW) {
        Some((cut, _)) => out[..cut].trim_end().to_owned(),
        None => out,
    }
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`), where there is one.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line["VmHWM:".len()..]
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The settings a run used, as the report records them.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// `lines` or `blank-lines`.
    pub unit: String,
    /// The normalization preset: `exact`, `standard` or `ccnet`.
    pub normalize: String,
    /// The normalization switches given on top of the preset, by name.
    pub normalize_switches: std::collections::BTreeMap<&'static str, bool>,
    /// `document` or `corpus`.
    pub scope: String,
    /// Paragraphs shorter than this (normalized) are exempt.
    pub min_chars: usize,
    /// `--short-paragraphs`: which short repeats go, as the option names the rule
    /// (`in-boilerplate-blocks`, `remove-every-repeat`, or the rule with its numbers).
    pub short_paragraphs: String,
    /// The JSON field holding the text.
    pub text_field: String,
    /// The JSON field holding the id.
    pub id_field: String,
    /// `--boilerplate`: paragraphs in at least this many documents are boilerplate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boilerplate: Option<u32>,
    /// `--boilerplate-policy`, with `--boilerplate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boilerplate_policy: Option<String>,
    /// `--near-dup`, with its settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_dup: Option<NearSettings>,
}

/// The near-duplicate settings of a `--near-dup` run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NearSettings {
    /// `--near-shingles`, as given.
    pub shingles: String,
    /// `--near-threshold`.
    pub threshold: f64,
}

/// The corpus memory: which seen-set, how full, how big.
#[derive(Debug, Clone, Serialize)]
pub struct SeenInfo {
    /// `exact`, `bloom` or `origins`.
    pub kind: String,
    /// Fingerprints recorded (for a Bloom filter: insertions).
    pub fingerprints: usize,
    /// Heap memory held, in bytes (an estimate).
    pub memory_bytes: usize,
    /// A Bloom filter's fill against what it was sized for (`--bloom` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bloom: Option<BloomInfo>,
}

/// The first pass of `--boilerplate`: the table of document counts, held for the whole run.
#[derive(Debug, Clone, Serialize)]
pub struct CountsInfo {
    /// Distinct paragraphs counted.
    pub paragraphs: usize,
    /// Heap memory the counts hold, in bytes (an estimate).
    pub memory_bytes: usize,
}

/// How full the Bloom filter ended, and what that costs in wrongly removed paragraphs.
#[derive(Debug, Clone, Serialize)]
pub struct BloomInfo {
    /// `--expected`: the distinct paragraphs the filter was sized for.
    pub expected: u64,
    /// Distinct paragraphs recorded over `expected`; above 1 the filter was overfilled.
    pub fill_ratio: f64,
    /// `--bloom`: the false-positive rate asked for, at `expected` paragraphs.
    pub fp_rate: f64,
    /// The false-positive rate at the end, estimated from the fill: the share of unique
    /// paragraphs now wrongly taken for repeats.
    pub estimated_fp_rate: f64,
    /// True when the filter went past `expected`.
    pub overfilled: bool,
}

/// The whole report, as written by `--report`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The version of paradedup that wrote it.
    pub paradedup_version: &'static str,
    /// `dedup`, `annotate` or `stats`.
    pub mode: &'static str,
    /// How paragraphs were compared.
    pub settings: Settings,
    /// Inputs read.
    pub inputs: usize,
    /// Documents read.
    pub documents: u64,
    /// Documents written (in `dedup` mode; 0 otherwise).
    pub documents_written: u64,
    /// Documents left out because no paragraph was left (`--drop-empty`).
    pub documents_dropped_empty: u64,
    /// Documents left out because more of their characters were removed than
    /// `--max-removed-fraction` allows.
    pub documents_dropped_removed: u64,
    /// Paragraphs found.
    pub paragraphs: u64,
    /// Paragraphs removed (or marked, with `--annotate`): repeats, near-duplicates and
    /// boilerplate.
    pub removed_paragraphs: u64,
    /// Of those, paragraphs removed (or marked) as boilerplate (`--boilerplate`).
    pub boilerplate_paragraphs: u64,
    /// Of those, paragraphs removed (or marked) as near-duplicates (`--near-dup`).
    pub near_duplicate_paragraphs: u64,
    /// Paragraphs never compared: empty once normalized or below `--min-chars`.
    pub exempt_paragraphs: u64,
    /// Bytes of document text read.
    pub text_bytes: u64,
    /// Bytes of document text removed.
    pub removed_bytes: u64,
    /// Uncompressed input bytes read (whole JSON lines, or whole text files).
    pub input_bytes: u64,
    /// Malformed lines skipped (`--skip-bad-lines`); written to `--rejects` when given. A text
    /// input that is not UTF-8, too long or cut short counts as one.
    pub bad_lines: u64,
    /// Inputs whose compressed stream was cut short (`--skip-bad-lines`; see
    /// [`InputCounts::truncated`]).
    pub truncated_inputs: u64,
    /// Inputs whose compressed stream broke, cut short or otherwise (`--skip-bad-lines`; see
    /// [`InputCounts::stream_error`]).
    pub damaged_inputs: u64,
    /// Blank lines in JSONL inputs: no document, not written.
    pub blank_lines: u64,
    /// Counts per input, in reading order.
    pub per_input: Vec<InputCounts>,
    /// The 20 most removed paragraphs.
    pub most_repeated: Vec<Repeated>,
    /// True when the counts in `most_repeated` are exact (see the tool's documentation).
    pub most_repeated_exact: bool,
    /// Files a directory walk passed over, each with why (a named pipe or device, a `.json`
    /// file that is not JSON Lines); absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_files: Vec<String>,
    /// The corpus memory at the end (corpus scope only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_set: Option<SeenInfo>,
    /// Heap memory the near-duplicate index held at the end, in bytes (`--near-dup` with
    /// `--scope corpus`, where it grows with the corpus as the seen-set does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_index_bytes: Option<usize>,
    /// The document counts of `--boilerplate`'s first pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boilerplate_counts: Option<CountsInfo>,
    /// Wall-clock seconds for the whole run.
    pub elapsed_seconds: f64,
    /// The process's peak resident memory so far, in bytes (`VmHWM`; Linux only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_memory_bytes: Option<u64>,
    /// Uncompressed input megabytes (10^6 bytes) per second.
    pub mb_per_second: f64,
}

impl Report {
    /// Totals from per-input counts and the rest of the run's facts.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        mode: &'static str,
        settings: Settings,
        per_input: Vec<InputCounts>,
        exempt: u64,
        documents_written: u64,
        input_bytes: u64,
        top: &TopRepeats,
        elapsed: Duration,
    ) -> Report {
        let sum = |f: fn(&InputCounts) -> u64| per_input.iter().map(f).sum::<u64>();
        let seconds = elapsed.as_secs_f64();
        Report {
            paradedup_version: env!("CARGO_PKG_VERSION"),
            mode,
            settings,
            inputs: per_input.len(),
            documents: sum(|c| c.documents),
            documents_written,
            documents_dropped_empty: sum(|c| c.dropped_empty),
            documents_dropped_removed: sum(|c| c.dropped_removed),
            paragraphs: sum(|c| c.paragraphs),
            removed_paragraphs: sum(|c| c.removed_paragraphs),
            boilerplate_paragraphs: sum(|c| c.boilerplate_paragraphs),
            near_duplicate_paragraphs: sum(|c| c.near_duplicate_paragraphs),
            exempt_paragraphs: exempt,
            text_bytes: sum(|c| c.text_bytes),
            removed_bytes: sum(|c| c.removed_bytes),
            input_bytes,
            bad_lines: sum(|c| c.bad_lines),
            truncated_inputs: sum(|c| u64::from(c.truncated)),
            damaged_inputs: sum(|c| u64::from(c.stream_error.is_some())),
            blank_lines: sum(|c| c.blank_lines),
            most_repeated: top.top(20),
            most_repeated_exact: top.is_exact(),
            per_input,
            skipped_files: Vec::new(),
            seen_set: None,
            boilerplate_counts: None,
            near_index_bytes: None,
            elapsed_seconds: round3(seconds),
            peak_memory_bytes: peak_memory(),
            mb_per_second: if seconds > 0.0 {
                round3(input_bytes as f64 / 1e6 / seconds)
            } else {
                0.0
            },
        }
    }

    /// The report as pretty JSON, with a final line break.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a report always serializes");
        json.push('\n');
        json
    }

    /// A few lines for people: totals, then (with `top`) the most repeated paragraphs.
    pub fn summary(&self, top: usize) -> String {
        let mut s = String::new();
        let share = if self.text_bytes > 0 {
            100.0 * self.removed_bytes as f64 / self.text_bytes as f64
        } else {
            0.0
        };
        let verb = if self.mode == "annotate" {
            "marked"
        } else if self.mode == "stats" {
            "would remove"
        } else {
            "removed"
        };
        let _ = writeln!(
            s,
            "{} from {}, {}: {verb} {}, {} of {} text bytes ({share:.1}%), in {:.2} s ({:.1} MB/s)",
            counted(self.documents, "document"),
            counted(self.inputs as u64, "input"),
            counted(self.paragraphs, "paragraph"),
            counted(self.removed_paragraphs, "paragraph"),
            self.removed_bytes,
            self.text_bytes,
            self.elapsed_seconds,
            self.mb_per_second,
        );
        if self.settings.boilerplate.is_some() || self.boilerplate_paragraphs > 0 {
            let _ = writeln!(
                s,
                "boilerplate (--boilerplate): {} of those",
                counted(self.boilerplate_paragraphs, "paragraph")
            );
        }
        if self.settings.near_dup.is_some() {
            let _ = writeln!(
                s,
                "near-duplicates (--near-dup): {} of those",
                counted(self.near_duplicate_paragraphs, "paragraph")
            );
        }
        if self.documents_dropped_empty > 0 {
            let _ = writeln!(
                s,
                "{} left empty dropped (--drop-empty)",
                counted(self.documents_dropped_empty, "document")
            );
        }
        if self.documents_dropped_removed > 0 {
            let _ = writeln!(
                s,
                "{} with too much removed dropped (--max-removed-fraction)",
                counted(self.documents_dropped_removed, "document")
            );
        }
        if self.bad_lines > 0 {
            let _ = writeln!(
                s,
                "{} skipped (--skip-bad-lines)",
                counted(self.bad_lines, "malformed line")
            );
        }
        if self.damaged_inputs > 0 {
            let _ = writeln!(
                s,
                "{} damaged ({} cut short), read up to the damage (--skip-bad-lines)",
                counted(self.damaged_inputs, "compressed input"),
                self.truncated_inputs
            );
        }
        if self.blank_lines > 0 {
            let _ = writeln!(
                s,
                "{} (no document) not written",
                counted(self.blank_lines, "blank line")
            );
        }
        if top > 0 && !self.most_repeated.is_empty() {
            // With --annotate nothing is removed: the counts are of marks, as the totals say.
            let times = if self.mode == "annotate" {
                "times marked"
            } else {
                "times removed"
            };
            let _ = writeln!(s, "most repeated paragraphs ({times}):");
            for r in self.most_repeated.iter().take(top) {
                let _ = writeln!(s, "{:>10}  {}", r.removed, r.preview);
            }
        }
        s
    }
}

/// `1 document`, `2 documents`.
fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_one_line_and_80_characters() {
        assert_eq!(preview("  a\n  b\tc  "), "a b c");
        let long = "é".repeat(200);
        assert_eq!(preview(&long).chars().count(), 80);
    }

    proptest::proptest! {
        #[test]
        fn a_preview_needs_only_its_source(
            text in "([ \t\n\u{a0}\u{2028}]{0,3}(a|é|語|bc|\u{300}){0,4}){0,60}"
        ) {
            let source = preview_source(&text);
            proptest::prop_assert!(text.starts_with(source));
            proptest::prop_assert_eq!(preview(source), preview(&text));
        }
    }

    #[test]
    fn a_preview_source_stops_after_80_shown_characters() {
        let words = "ab  ".repeat(100);
        // 27 words of two letters and the single spaces between them are 80 characters: the
        // source ends where the 28th word starts.
        assert_eq!(preview_source(&words).len(), 27 * 4);
        assert_eq!(preview_source("  short  "), "  short  ");
    }

    #[test]
    fn top_repeats_rank_by_count_then_first_met() {
        let mut top = TopRepeats::default();
        for (text, times) in [("a", 1), ("b", 3), ("c", 3), ("d", 2)] {
            for _ in 0..times {
                top.add(Fingerprint::of(text), text);
            }
        }
        let ranked: Vec<(String, u64)> = top
            .top(3)
            .into_iter()
            .map(|r| (r.preview, r.removed))
            .collect();
        assert_eq!(ranked, [("b".into(), 3), ("c".into(), 3), ("d".into(), 2)]);
        assert!(top.is_exact());
    }

    #[test]
    fn pruning_keeps_exactly_the_highest_ranked() {
        let mut top = TopRepeats::default();
        // Counts with many ties, so the first-met order decides at the cut.
        let mut state = 7u64;
        for i in 0..2 * TABLE as u64 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let text = i.to_string();
            for _ in 0..1 + (state >> 60) % 4 {
                top.add(Fingerprint::of(&text), &text);
            }
        }
        let mut expected: Vec<_> = top.table.values().map(|r| (r.removed, r.order)).collect();
        expected.sort_unstable_by_key(|&(removed, order)| (std::cmp::Reverse(removed), order));
        expected.truncate(TABLE);
        top.prune();
        let mut kept: Vec<_> = top.table.values().map(|r| (r.removed, r.order)).collect();
        kept.sort_unstable_by_key(|&(removed, order)| (std::cmp::Reverse(removed), order));
        assert_eq!(kept, expected);
    }

    #[test]
    fn the_table_stays_bounded_and_keeps_heavy_hitters() {
        let mut top = TopRepeats::default();
        for i in 0..100_000u32 {
            top.add(Fingerprint::of("boilerplate"), "boilerplate");
            let unique = i.to_string();
            top.add(Fingerprint::of(&unique), &unique);
            assert!(top.table.len() <= 2 * TABLE);
        }
        let first = &top.top(1)[0];
        assert_eq!(
            (first.preview.as_str(), first.removed),
            ("boilerplate", 100_000)
        );
        assert!(!top.is_exact());
    }
}
