//! Peak memory of the command, against the bound docs/reliability.md documents ("Memory"):
//!
//! peak RSS ≤ 2 × seen-set + 64 MiB + 16 × (8 MiB + L), where L is the longest line
//! (document) read, at most `--max-document-bytes` (default 64 MiB), and the seen-set's size is
//! the report's `seen_set.memory_bytes` (twice: a growing table holds its old table and the new
//! one for a moment; the exact set grows by 1.33, so both together are 1.75 times the new one)
//!
//! and, more tightly, that the peak does not grow with the size of the input: only the
//! seen-set does. The peak is the process's own `VmHWM`, which the report records
//! (`peak_memory_bytes`, Linux). Sizes suit the unoptimized test binary; set
//! `PARADEDUP_MEMORY_TEST_MB` (CI runs this file in release mode with 400) for a bigger input.
#![cfg(target_os = "linux")]

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const MIB: u64 = 1 << 20;

/// The documented bound.
fn bound(seen_set: u64, longest_line: u64) -> u64 {
    2 * seen_set + 64 * MIB + 16 * (8 * MIB + longest_line)
}

/// A generated JSONL corpus of about `mb` MB: documents of 3 to 30 lines, each line either one
/// of 2,000 "boilerplate" lines or a line of its own, so there is plenty to remove and the
/// corpus-scope seen-set grows with the input. Returns the longest line's length.
fn corpus(path: &Path, mb: usize) -> u64 {
    let mut out = BufWriter::new(fs::File::create(path).unwrap());
    let (mut state, mut written, mut longest, mut id) = (0x2545_f491_4f6c_dd1du64, 0, 0, 0u64);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut line = String::new();
    while written < mb * 1_000_000 {
        line.clear();
        line.push_str(&format!("{{\"id\":{id},\"text\":\""));
        for _ in 0..3 + next() % 28 {
            let r = next();
            if r % 3 == 0 {
                line.push_str(&format!(
                    "Abonnez-vous à la lettre numéro {} !\\n",
                    r % 2000
                ));
            } else {
                line.push_str(&format!(
                    "Paragraphe {id}-{r:x} : le texte de l'article, différent à chaque fois.\\n"
                ));
            }
        }
        line.push_str("\"}\n");
        out.write_all(line.as_bytes()).unwrap();
        written += line.len();
        longest = longest.max(line.len() as u64);
        id += 1;
    }
    out.flush().unwrap();
    longest
}

/// Runs `paradedup dedup` with `args` on `input` and returns its report.
fn dedup(input: &Path, args: &[&str]) -> Value {
    let dir = input.parent().unwrap();
    let report = dir.join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_paradedup"))
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "-o",
        ])
        .arg(dir.join("out.jsonl"))
        .arg("--report")
        .arg(&report)
        .args(args)
        .arg(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&fs::read_to_string(report).unwrap()).unwrap()
}

fn peak(report: &Value) -> u64 {
    report["peak_memory_bytes"]
        .as_u64()
        .expect("peak_memory_bytes on Linux")
}

fn big_mb() -> usize {
    std::env::var("PARADEDUP_MEMORY_TEST_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
}

/// Document scope: the peak stays under the bound, and a 5x larger input (30 MB by default)
/// costs no more than 16 MiB over the small one's peak. Corpus scope: the peak less twice the
/// seen-set is within 16 MiB of the document-scope peak, so the seen-set is what grows.
#[test]
fn peak_memory_is_the_seen_set_plus_a_bounded_amount() {
    let dir = tempfile::tempdir().unwrap();
    let (small, big) = (dir.path().join("small.jsonl"), dir.path().join("big.jsonl"));
    let big_mb = big_mb();
    let longest = corpus(&small, big_mb / 5).max(corpus(&big, big_mb));
    for threads in ["1", "2"] {
        let small_doc = peak(&dedup(&small, &["--threads", threads]));
        let report = dedup(&big, &["--threads", threads]);
        let big_doc = peak(&report);
        assert!(report["input_bytes"].as_u64().unwrap() >= big_mb as u64 * 1_000_000);
        assert!(report["removed_paragraphs"].as_u64().unwrap() > 0);
        eprintln!("threads {threads}: document scope peak {small_doc} B ({} MB input), {big_doc} B ({big_mb} MB)", big_mb / 5);
        assert!(big_doc <= bound(0, longest), "{big_doc} over the bound");
        assert!(
            big_doc <= small_doc + 16 * MIB,
            "peak grew with the input: {small_doc} -> {big_doc}"
        );

        let report = dedup(&big, &["--threads", threads, "--scope", "corpus"]);
        let corpus_peak = peak(&report);
        let seen = report["seen_set"]["memory_bytes"].as_u64().unwrap();
        eprintln!("threads {threads}: corpus scope peak {corpus_peak} B, seen-set {seen} B");
        assert!(
            seen > 2 * MIB,
            "the seen-set should be sizeable here: {seen}"
        );
        assert!(
            corpus_peak <= bound(seen, longest),
            "{corpus_peak} over the bound"
        );
        assert!(
            corpus_peak <= 2 * seen + big_doc + 16 * MIB,
            "corpus scope costs more than its seen-set: {corpus_peak} vs {seen} + {big_doc}"
        );
    }
}

/// Long documents cost a bounded multiple of their size, even the worst case for
/// normalization (U+FDFA, which NFKC turns from 3 bytes into 33), and whether the text is
/// written raw or as `\u` escapes.
#[test]
fn long_documents_cost_a_bounded_multiple_of_their_length() {
    let dir = tempfile::tempdir().unwrap();
    let n = 3 << 20;
    let para = "Un paragraphe répété, encore et encore.\n";
    let cases = [
        ("repeats", para.repeat(n / para.len()).replace('\n', "\\n")),
        ("escaped", "\\u00e9t\\u00e9 ".repeat(n / 14)),
        ("fdfa", "\u{FDFA}".repeat(n / 3)),
    ];
    for (name, text) in cases {
        let input = dir.path().join(format!("{name}.jsonl"));
        let line = format!("{{\"text\":\"{text}\"}}\n");
        fs::write(&input, line.repeat(2)).unwrap();
        for threads in ["1", "2"] {
            let report = dedup(
                &input,
                &["--threads", threads, "--max-document-bytes", "4M"],
            );
            let p = peak(&report);
            eprintln!(
                "{name}, threads {threads}: peak {p} B for lines of {} B",
                line.len()
            );
            assert!(
                p <= bound(0, line.len() as u64),
                "{name}: {p} over the bound"
            );
        }
    }
}
