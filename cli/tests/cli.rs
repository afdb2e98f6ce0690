//! End-to-end tests of the `paradedup` command: the binary run on the fixtures in
//! `cli/tests/data/` (written by `make_fixtures.py` there, with Python's json module).
//!
//! What each expected output is, is argued twice: the fixture script builds it from what
//! `tests/seeds.rs` establishes (article 000 loses its lines 4, 5, 10, 11 and 12; 001 loses
//! nothing), and the tests below check it again against the library.
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

mod cli_support;
use cli_support::*;

use assert_cmd::assert::OutputAssertExt;
use assert_cmd::cargo::CommandCargoExt;
use paradedup::Deduper;
use paradedup::ShortParagraphs;
use serde_json::Value;

const ARTICLE_000: &str = include_str!("../../tests/data/000_34751d3a37f48367.txt");
const ARTICLE_001: &str = include_str!("../../tests/data/001_4cd9e05293a17eb6.txt");
/// Lines 4-5 repeat lines 2-3 and lines 10-12 repeat lines 7-9 (see `tests/seeds.rs`).
const REPEATS_000: [usize; 5] = [4, 5, 10, 11, 12];

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

/// `text` without the given lines (1-based), each with its line break.
fn without_lines(text: &str, drop: &[usize]) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| !drop.contains(&(i + 1)))
        .map(|(_, line)| line)
        .collect()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_seed_corpus_gives_the_expected_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clean.jsonl");
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "-o",
        ])
        .arg(&out)
        .arg(fixture("seeds.jsonl"))
        .assert()
        .success();
    let expected = read(fixture("seeds.expected.jsonl"));
    assert_eq!(read(&out), expected);

    // Why the expected file is right: its texts are the library's (and tests/seeds.rs's)
    // answer for each article, and every other field is the input's.
    let input = json_lines(&read(fixture("seeds.jsonl")));
    let output = json_lines(&expected);
    assert_eq!(input[0]["text"], ARTICLE_000);
    assert_eq!(input[1]["text"], ARTICLE_001);
    assert_eq!(output[0]["text"], without_lines(ARTICLE_000, &REPEATS_000));
    assert_eq!(
        output[0]["text"],
        *Deduper::builder()
            .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
            .build()
            .dedup(ARTICLE_000)
            .text()
    );
    assert_eq!(output[1]["text"], ARTICLE_001);
    for (mut before, mut after) in input.into_iter().zip(output) {
        before["text"].take();
        after["text"].take();
        assert_eq!(before, after);
    }
}

#[test]
fn standard_output_and_standard_input() {
    let seeds = fs::read(fixture("seeds.jsonl")).unwrap();
    let expected = read(fixture("seeds.expected.jsonl"));
    for args in [
        &["dedup", "--short-paragraphs", "remove-every-repeat", "-"][..],
        &["dedup", "--short-paragraphs", "remove-every-repeat"],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "-o",
            "-",
            "-",
        ],
    ] {
        paradedup()
            .args(args)
            .write_stdin(seeds.clone())
            .assert()
            .success()
            .stdout(expected.clone());
    }
}

/// The text token of a line: the last `"text":` key's string, its byte range and its value.
fn text_token(line: &str) -> (usize, usize, String) {
    let key = line.rfind("\"text\":").unwrap() + "\"text\":".len();
    let start = key + line[key..].find('"').unwrap();
    let mut values = serde_json::Deserializer::from_str(&line[start..]).into_iter::<String>();
    let text = values.next().unwrap().unwrap();
    (start, start + values.byte_offset(), text)
}

#[test]
fn other_fields_keep_every_byte() {
    let out = paradedup()
        .args(["dedup", "--short-paragraphs", "remove-every-repeat", "-q"])
        .arg(fixture("fields.jsonl"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out, read(fixture("fields.expected.jsonl")));

    // Why: outside the text token every byte is the input's (key order, spacing, `\/` and
    // `\u00e9` escapes, 1E400, 2.50, -0.0, a 30-digit integer, CRLF), and the token holds the
    // library's kept text. A text with nothing removed is not even re-encoded (line 2 keeps its
    // `\/`); a line without a final break gets one.
    let input = read(fixture("fields.jsonl"));
    let input: Vec<&str> = input.split_inclusive('\n').collect();
    let output: Vec<&str> = out.split_inclusive('\n').collect();
    assert_eq!(input.len(), 4);
    assert_eq!(output.len(), 4);
    for (before, after) in input.iter().zip(&output) {
        let (b0, b1, text) = text_token(before);
        let (a0, a1, kept) = text_token(after);
        assert_eq!(before[..b0], after[..a0]);
        let (before_rest, after_rest) = (&before[b1..], &after[a1..]);
        assert_eq!(
            before_rest.trim_end_matches('\n'),
            after_rest.trim_end_matches('\n')
        );
        assert!(after.ends_with('\n'));
        assert_eq!(
            kept,
            *Deduper::builder()
                .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
                .build()
                .dedup(&text)
                .text()
        );
        // A text written ASCII-only (Python's ensure_ascii) is written back that way.
        if before[b0..b1].is_ascii() {
            assert!(after[a0..a1].is_ascii(), "{after}");
        }
    }
    assert_eq!(input[1], output[1]);
    assert!(output[1].contains(r"\/"));
}

#[test]
fn gzip_and_zstd_in_and_out() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = fs::read(fixture("seeds.jsonl")).unwrap();
    let expected = read(fixture("seeds.expected.jsonl"));
    let gz = dir.path().join("seeds.jsonl.gz");
    let zst = dir.path().join("seeds.jsonl.zst");
    // Compressed, but not named so: told by the magic bytes.
    let disguised = dir.path().join("seeds-gz.jsonl");
    fs::write(&gz, gzip(&seeds)).unwrap();
    fs::write(&disguised, gzip(&seeds)).unwrap();
    fs::write(&zst, zstd::encode_all(&seeds[..], 3).unwrap()).unwrap();
    for input in [&gz, &zst, &disguised] {
        paradedup()
            .args(["dedup", "--short-paragraphs", "remove-every-repeat", "-q"])
            .arg(input)
            .assert()
            .success()
            .stdout(expected.clone());
    }
    // Compressed standard input.
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "-",
        ])
        .write_stdin(fs::read(&zst).unwrap())
        .assert()
        .success()
        .stdout(expected.clone());

    let out_gz = dir.path().join("out.jsonl.gz");
    let out_zst = dir.path().join("out.jsonl.zst");
    for out in [&out_gz, &out_zst] {
        paradedup()
            .args([
                "dedup",
                "--short-paragraphs",
                "remove-every-repeat",
                "-q",
                "-o",
            ])
            .arg(out)
            .arg(&gz)
            .assert()
            .success();
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(fs::File::open(&out_gz).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, expected);
    let text = zstd::decode_all(fs::File::open(&out_zst).unwrap()).unwrap();
    assert_eq!(String::from_utf8(text).unwrap(), expected);
}

/// Removes the `[start, end)` code point ranges from `text`, as Python's `text[a:b]` would.
fn apply_spans(text: &str, spans: &Value) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut from = 0;
    for span in spans.as_array().unwrap() {
        let start = span[0].as_u64().unwrap() as usize;
        let end = span[1].as_u64().unwrap() as usize;
        assert_eq!(span[2], 1.0);
        out.extend(&chars[from..start]);
        from = end;
    }
    out.extend(&chars[from..]);
    out
}

#[test]
fn annotate_spans_in_code_points_remove_exactly_the_repeats() {
    let out = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--annotate",
            "--attribute",
            "dups",
        ])
        .arg(fixture("fields.jsonl"))
        .arg(fixture("seeds.jsonl"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();

    // The ids as written in fields.jsonl: escapes and all, a number, null.
    let ids = [r#""doc-\u00e9\/1""#, "7", "null", r#""no-final-newline""#];
    let mut inputs: Vec<(String, String)> = read(fixture("fields.jsonl"))
        .lines()
        .zip(ids)
        .map(|(line, id)| (id.to_owned(), text_token(line).2))
        .collect();
    for doc in json_lines(&read(fixture("seeds.jsonl"))) {
        inputs.push((
            doc["id"].to_string(),
            doc["text"].as_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(lines.len(), inputs.len());

    let mut saw_wide_characters = false;
    for (line, (id, text)) in lines.iter().zip(&inputs) {
        // The id is copied as written; the rest is Dolma's attribute layout.
        assert!(
            line.starts_with(&format!("{{\"id\":{id},\"attributes\":")),
            "{line}"
        );
        let value: Value = serde_json::from_str(line).unwrap();
        let spans = &value["attributes"]["dups"];
        assert_eq!(
            apply_spans(text, spans),
            *Deduper::builder()
                .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
                .build()
                .dedup(text)
                .text()
        );
        if spans.as_array().unwrap().iter().any(|s| {
            let end = s[1].as_u64().unwrap() as usize;
            text.char_indices().nth(end).map(|(byte, _)| byte) != Some(end)
        }) {
            saw_wide_characters = true;
        }
    }
    // Offsets in bytes would have failed above: some spans follow non-ASCII characters.
    assert!(saw_wide_characters);
    assert!(read(fixture("fields.jsonl")).contains(r"\ud83d\ude00"));
}

#[test]
fn the_report_counts_everything() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-o",
            "-",
            "--report",
        ])
        .arg(&report)
        .arg(fixture("seeds.jsonl"))
        .assert()
        .success()
        .stderr(predicates::str::contains("removed 5 paragraphs"));
    let r: Value = serde_json::from_str(&read(&report)).unwrap();
    let kept_000 = without_lines(ARTICLE_000, &REPEATS_000);
    assert_eq!(r["mode"], "dedup");
    assert_eq!(r["inputs"], 1);
    assert_eq!(r["documents"], 2);
    assert_eq!(r["documents_written"], 2);
    assert_eq!(r["paragraphs"], 14 + 23);
    assert_eq!(r["removed_paragraphs"], 5);
    assert_eq!(r["text_bytes"], ARTICLE_000.len() + ARTICLE_001.len());
    assert_eq!(r["removed_bytes"], ARTICLE_000.len() - kept_000.len());
    assert_eq!(
        r["input_bytes"],
        fs::metadata(fixture("seeds.jsonl")).unwrap().len()
    );
    assert_eq!(r["bad_lines"], 0);
    assert_eq!(r["settings"]["normalize"], "standard");
    assert_eq!(r["per_input"][0]["removed_paragraphs"], 5);
    assert!(r["per_input"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("seeds.jsonl"));
    let top = r["most_repeated"].as_array().unwrap();
    assert_eq!(top.len(), 5);
    assert_eq!(top[0]["removed"], 1);
    let preview = top[0]["preview"].as_str().unwrap();
    assert!(preview.starts_with("\"Comme toujours, nous saluons"));
    assert_eq!(preview.chars().count(), 80);
    assert_eq!(top[0]["fingerprint"].as_str().unwrap().len(), 32);
    assert_eq!(r["most_repeated_exact"], true);
    assert!(r["elapsed_seconds"].as_f64().unwrap() >= 0.0);
    assert!(r["mb_per_second"].as_f64().is_some());
}

#[test]
fn stats_reports_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("seeds.jsonl"), dir.path().join("seeds.jsonl")).unwrap();
    paradedup()
        .current_dir(dir.path())
        .args(["stats", "seeds.jsonl"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "2 documents from 1 input, 37 paragraphs: would remove 5 paragraphs",
        ))
        .stdout(predicates::str::contains("Comme toujours"));
    let files: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1);
}

/// The two seed articles as `.txt` files in a fresh directory.
fn seed_texts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    fs::write(dir.path().join("in/000.txt"), ARTICLE_000).unwrap();
    fs::write(dir.path().join("in/001.txt"), ARTICLE_001).unwrap();
    dir
}

#[test]
fn text_files_become_json_lines_or_mirror_into_a_directory() {
    let dir = seed_texts();
    let out = paradedup()
        .current_dir(dir.path())
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "in",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let docs = json_lines(std::str::from_utf8(&out).unwrap());
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], "in/000.txt");
    assert_eq!(docs[0]["text"], without_lines(ARTICLE_000, &REPEATS_000));
    assert_eq!(docs[1]["id"], "in/001.txt");
    assert_eq!(docs[1]["text"], ARTICLE_001);

    paradedup()
        .current_dir(dir.path())
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "in",
            "-o",
            "out/",
        ])
        .assert()
        .success();
    assert_eq!(
        read(dir.path().join("out/000.txt")),
        without_lines(ARTICLE_000, &REPEATS_000)
    );
    assert_eq!(read(dir.path().join("out/001.txt")), ARTICLE_001);
}

#[test]
fn a_directory_of_shards_is_read_in_name_order_and_mirrored() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    fs::create_dir_all(shards.join("b")).unwrap();
    // Names chosen so that creation order, length order and name order all differ.
    fs::write(shards.join("b/x.jsonl"), "{\"text\":\"shared\\nthird\"}\n").unwrap();
    fs::write(shards.join("a.jsonl"), "{\"text\":\"shared\\nfirst\"}\n").unwrap();
    fs::write(
        shards.join("a2.jsonl.gz"),
        gzip(b"{\"text\":\"shared\\nsecond\"}\n"),
    )
    .unwrap();
    fs::write(shards.join("notes.md"), "not a corpus file").unwrap();
    fs::write(shards.join(".hidden.jsonl"), "not json").unwrap();
    paradedup()
        .current_dir(dir.path())
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--scope",
            "corpus",
            "shards",
            "-o",
            "clean/",
        ])
        .assert()
        .success();
    assert_eq!(
        read(dir.path().join("clean/a.jsonl")),
        "{\"text\":\"shared\\nfirst\"}\n"
    );
    let mut second = String::new();
    flate2::read::GzDecoder::new(fs::File::open(dir.path().join("clean/a2.jsonl.gz")).unwrap())
        .read_to_string(&mut second)
        .unwrap();
    assert_eq!(second, "{\"text\":\"second\"}\n");
    assert_eq!(
        read(dir.path().join("clean/b/x.jsonl")),
        "{\"text\":\"third\"}\n"
    );
    assert!(!dir.path().join("clean/notes.md").exists());
}

#[test]
fn corpus_scope_and_drop_empty() {
    let seeds = fixture("seeds.jsonl");
    // The corpus twice: every paragraph of the second copy is a repeat.
    let out = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--scope",
            "corpus",
        ])
        .arg(&seeds)
        .arg(&seeds)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let docs = json_lines(std::str::from_utf8(&out).unwrap());
    assert_eq!(docs.len(), 4);
    assert!(docs[2]["text"].as_str().unwrap().trim().is_empty());
    assert!(docs[3]["text"].as_str().unwrap().trim().is_empty());
    assert_eq!(docs[3]["id"], "001_4cd9e05293a17eb6");

    let out = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--scope",
            "corpus",
            "--drop-empty",
        ])
        .arg(&seeds)
        .arg(&seeds)
        .assert()
        .success()
        .stderr(predicates::str::contains("2 documents left empty dropped"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        read(fixture("seeds.expected.jsonl"))
    );
}

#[test]
fn options_reach_the_library() {
    let line = "{\"text\":\"12 Commentaires\\nBody\\n3 commentaires\\nBODY\"}\n";
    let run = |args: &[&str]| {
        let out = paradedup()
            .args(["dedup", "--short-paragraphs", "remove-every-repeat", "-q"])
            .args(args)
            .write_stdin(line)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let doc: Value = serde_json::from_slice(&out).unwrap();
        doc["text"].as_str().unwrap().to_owned()
    };
    assert_eq!(run(&[]), "12 Commentaires\nBody\n3 commentaires\n");
    assert_eq!(run(&["--fold-digits"]), "12 Commentaires\nBody\n");
    assert_eq!(run(&["--normalize", "exact"]), line_text(line));
    assert_eq!(
        run(&["--normalize", "exact", "--lowercase"]),
        "12 Commentaires\nBody\n3 commentaires\n"
    );
    assert_eq!(
        run(&["--min-chars", "5"]),
        "12 Commentaires\nBody\n3 commentaires\nBODY"
    );
    assert_eq!(run(&["--unit", "blank-lines"]), line_text(line));
    let custom = "{\"body\":\"a\\na\",\"text\":5}\n";
    let out = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--text-field",
            "body",
        ])
        .write_stdin(custom)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"body\":\"a\\n\",\"text\":5}\n"
    );
}

fn line_text(line: &str) -> String {
    let doc: Value = serde_json::from_str(line).unwrap();
    doc["text"].as_str().unwrap().to_owned()
}

#[test]
fn with_nothing_to_do_it_explains_itself() {
    for args in [
        &[][..],
        &["dedup", "--short-paragraphs", "remove-every-repeat"],
        &["stats"],
    ] {
        // Standard input is /dev/null: no input at all. (assert_cmd's own Command always gives
        // a pipe, so std's is used.)
        std::process::Command::cargo_bin("paradedup")
            .unwrap()
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
            .assert()
            .code(2)
            .stderr(predicates::str::contains("Usage: paradedup dedup"))
            .stderr(predicates::str::contains("Example:"));
    }
}

#[test]
fn help_says_offsets_are_code_points() {
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--help",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("Unicode code points"))
        .stdout(predicates::str::contains("--skip-bad-lines"));
}

#[test]
fn a_saved_seen_set_carries_over_to_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = fixture("seeds.jsonl");
    let seen = dir.path().join("seen.pds");
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--scope",
            "corpus",
            "-o",
            "-",
            "--seen-out",
        ])
        .arg(&seen)
        .arg(&seeds)
        .assert()
        .success()
        .stdout(read(fixture("seeds.expected.jsonl")));
    // Next month's batch is the same corpus: everything in it was seen.
    let report = dir.path().join("report.json");
    let out = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--scope",
            "corpus",
            "--seen-in",
        ])
        .arg(&seen)
        .arg("--report")
        .arg(&report)
        .arg(&seeds)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    for doc in json_lines(std::str::from_utf8(&out).unwrap()) {
        assert_eq!(doc["text"], "");
    }
    let r: Value = serde_json::from_str(&read(&report)).unwrap();
    assert_eq!(r["removed_paragraphs"], 37);
    assert_eq!(r["seen_set"]["kind"], "exact");
    assert_eq!(r["seen_set"]["fingerprints"], 32);

    // Fingerprints made under other settings would not match: refused.
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--scope",
            "corpus",
            "--normalize",
            "exact",
            "--seen-in",
        ])
        .arg(&seen)
        .arg(&seeds)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("other settings"));
    // In document scope nothing is remembered, so there is nothing to load or save.
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--seen-in",
        ])
        .arg(&seen)
        .arg(&seeds)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("needs --scope corpus"));
}

#[test]
fn a_bloom_filter_finds_the_same_repeats() {
    let seeds = fixture("seeds.jsonl");
    let exact = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--scope",
            "corpus",
        ])
        .arg(&seeds)
        .arg(&seeds)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--scope",
            "corpus",
            "--bloom",
            "1e-6",
            "--expected",
            "1000",
        ])
        .arg(&seeds)
        .arg(&seeds)
        .assert()
        .success()
        .stdout(String::from_utf8(exact).unwrap());
    for args in [
        &["--bloom", "0.01"][..],
        &["--scope", "corpus", "--bloom", "1.5", "--expected", "10"],
    ] {
        paradedup()
            .arg("dedup")
            .args(args)
            .arg(&seeds)
            .assert()
            .code(2);
    }
}

#[test]
fn off_a_terminal_stderr_gets_the_summary_alone() {
    let seeds = fixture("seeds.jsonl");
    let out = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-o",
            "-",
        ])
        .arg(&seeds)
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    // No progress bar drawing (carriage returns, escapes): the summary and the top repeats.
    assert!(stderr.starts_with("paradedup: 2 documents from 1 input, 37 paragraphs: removed 5"));
    assert!(!stderr.contains('\r') && !stderr.contains('\u{1b}'));
    assert_eq!(stderr.lines().count(), 2 + 5);
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--quiet",
            "-o",
            "-",
        ])
        .arg(&seeds)
        .assert()
        .success()
        .stderr("");
}

use paradedup_corpus as corpus;

/// A generated corpus of a few thousand short documents (several batches: the generator's
/// documents cut into pieces of 3 lines), with a malformed line and a CRLF line in it.
fn generated_corpus(dir: &Path) -> PathBuf {
    let docs = corpus::generate_bytes(&corpus::CorpusSpec::web(), 2 << 20);
    let mut lines = Vec::new();
    for doc in &docs {
        let doc_lines: Vec<&str> = doc.text.split_inclusive('\n').collect();
        for (i, piece) in doc_lines.chunks(3).enumerate() {
            let id = format!("{}-{i}", doc.id);
            let text: String = piece.concat();
            lines.push(serde_json::json!({"id": id, "text": text, "n": i}).to_string());
        }
    }
    assert!(lines.len() > 2500, "{}", lines.len());
    lines.insert(1500, "{\"text\": \"unterminated".to_owned());
    lines[700].push('\r');
    let path = dir.join("generated.jsonl");
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// A report without its timings, which differ from run to run.
fn timeless(report: &Path) -> Value {
    let mut r: Value = serde_json::from_str(&read(report)).unwrap();
    let r = r.as_object_mut().unwrap();
    r.remove("elapsed_seconds");
    r.remove("mb_per_second");
    r.remove("peak_memory_bytes");
    Value::Object(r.clone())
}

#[test]
fn every_thread_count_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = generated_corpus(dir.path());
    let runs: [&[&str]; 8] = [
        &["dedup", "--short-paragraphs", "remove-every-repeat"],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--near-dup",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--scope",
            "corpus",
            "--near-dup",
            "--near-shingles",
            "chars:6",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--scope",
            "corpus",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--scope",
            "corpus",
            "--annotate",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--unit",
            "blank-lines",
            "--drop-empty",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--scope",
            "corpus",
            "--boilerplate",
            "20",
        ],
        &[
            "stats",
            "--boilerplate",
            "5",
            "--boilerplate-policy",
            "keep-first",
        ],
    ];
    for args in runs {
        let mut outputs = Vec::new();
        for threads in ["1", "2", "3"] {
            let out = dir.path().join(format!("out-{threads}.jsonl"));
            let report = dir.path().join(format!("report-{threads}.json"));
            let rejects = dir.path().join(format!("rejects-{threads}.jsonl"));
            let mut cmd = paradedup();
            cmd.args(args)
                .args(["-q", "--skip-bad-lines", "--threads", threads, "--report"])
                .arg(&report)
                .arg("--rejects")
                .arg(&rejects)
                .arg(&input);
            if args[0] == "dedup" {
                cmd.arg("-o").arg(&out);
            }
            let stdout = cmd.assert().success().get_output().stdout.clone();
            let written = if args[0] == "dedup" {
                fs::read(&out).unwrap()
            } else {
                Vec::new()
            };
            outputs.push((
                written,
                stdout,
                fs::read(&rejects).unwrap(),
                timeless(&report),
            ));
        }
        let r = &outputs[0].3;
        assert_eq!(r["bad_lines"], 1, "{args:?}");
        assert!(r["removed_paragraphs"].as_u64().unwrap() > 0, "{args:?}");
        for other in &outputs[1..] {
            assert!(outputs[0].0 == other.0, "{args:?}: outputs differ");
            assert_eq!(outputs[0].2, other.2, "{args:?}: rejects differ");
            assert_eq!(outputs[0].3, other.3, "{args:?}: reports differ");
            if args[0] == "stats" {
                // The summary ends with the timing; the totals and the top repeats come first.
                let first = String::from_utf8_lossy(&outputs[0].1).into_owned();
                let second = String::from_utf8_lossy(&other.1).into_owned();
                assert_eq!(
                    first.lines().skip(1).collect::<Vec<_>>(),
                    second.lines().skip(1).collect::<Vec<_>>()
                );
            }
        }
    }
}

/// `text` of each line of the boilerplate fixture once deduplicated with `args`.
fn boilerplate_run(args: &[&str]) -> (Vec<String>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--report",
        ])
        .arg(&report)
        .args(args)
        .arg(fixture("boilerplate.jsonl"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let texts = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(line_text)
        .collect();
    (texts, serde_json::from_str(&read(&report)).unwrap())
}

#[test]
fn boilerplate_in_k_documents_is_dropped() {
    let originals: Vec<String> = read(fixture("boilerplate.jsonl"))
        .lines()
        .map(line_text)
        .collect();
    // "Share this" stands on 3 documents (once normalized), "Comments" on 2.
    let (texts, report) = boilerplate_run(&["--boilerplate", "3"]);
    assert_eq!(
        texts,
        [
            "Article one.\nComments",
            "Article two.\n",
            "Article three.\nComments\n",
            "Article four."
        ]
    );
    assert_eq!(report["boilerplate_paragraphs"], 3);
    assert_eq!(report["removed_paragraphs"], 3);
    assert_eq!(report["settings"]["boilerplate"], 3);
    assert_eq!(report["settings"]["boilerplate_policy"], "drop-all");

    let (texts, report) = boilerplate_run(&["--boilerplate", "4"]);
    assert_eq!(texts, originals);
    assert_eq!(report["boilerplate_paragraphs"], 0);

    let (texts, report) =
        boilerplate_run(&["--boilerplate", "3", "--boilerplate-policy", "keep-first"]);
    assert_eq!(
        texts,
        [
            "Article one.\nShare this\nComments",
            "Article two.\n",
            "Article three.\nComments\n",
            "Article four."
        ]
    );
    assert_eq!(report["boilerplate_paragraphs"], 2);
    assert_eq!(report["settings"]["boilerplate_policy"], "keep-first");

    // The other fields and their bytes are kept.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--boilerplate",
            "3",
            "-o",
        ])
        .arg(&out)
        .arg(fixture("boilerplate.jsonl"))
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "boilerplate (--boilerplate): 3 paragraphs",
        ));
    assert!(read(&out)
        .starts_with("{\"id\": 1, \"text\": \"Article one.\\nComments\", \"lang\": \"en\"}\n"));
}

#[test]
fn boilerplate_with_annotate_marks_the_same_spans() {
    let out = paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--annotate",
            "--boilerplate",
            "3",
        ])
        .arg(fixture("boilerplate.jsonl"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&String::from_utf8(out).unwrap());
    let spans = &lines[0]["attributes"]["paradedup__duplicate_paragraphs"];
    assert_eq!(spans, &serde_json::json!([[13, 24, 1.0]]));
}

#[test]
fn blank_lines_are_counted_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("blank.jsonl");
    fs::write(
        &input,
        "{\"id\":1,\"text\":\"a\\na\"}\n\n   \n{\"id\":2,\"text\":\"b\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out.jsonl");
    let report = dir.path().join("report.json");
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "-o",
        ])
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .arg(&input)
        .assert()
        .success();
    assert_eq!(
        read(&out),
        "{\"id\":1,\"text\":\"a\\n\"}\n{\"id\":2,\"text\":\"b\"}\n"
    );
    let report: Value = serde_json::from_str(&read(&report)).unwrap();
    assert_eq!(report["blank_lines"], 2);
    assert_eq!(report["documents"], 2);
    assert_eq!(report["per_input"][0]["blank_lines"], 2);
}

#[test]
fn near_dup_removes_the_sputnik_caption_of_the_seed() {
    let dir = seed_texts();
    let out = dir.path().join("clean.jsonl");
    let report = dir.path().join("report.json");
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--near-dup",
            "--report",
        ])
        .arg(&report)
        .arg("-o")
        .arg(&out)
        .arg(dir.path().join("in/000.txt"))
        .arg(dir.path().join("in/001.txt"))
        .assert()
        .success();
    let docs = json_lines(&read(&out));
    assert_eq!(docs[0]["text"], without_lines(ARTICLE_000, &REPEATS_000));
    // Line 4 of 001: "SE Alexandre Orlov, … en France - Sputnik Afrique".
    assert_eq!(docs[1]["text"], without_lines(ARTICLE_001, &[4]));
    let r: Value = serde_json::from_str(&read(&report)).unwrap();
    assert_eq!(r["removed_paragraphs"], 6);
    assert_eq!(r["near_duplicate_paragraphs"], 1);
    assert_eq!(r["settings"]["near_dup"]["shingles"], "words:3");
    assert_eq!(r["settings"]["near_dup"]["threshold"], 0.6);
    // Without --near-dup, neither the count nor the settings appear as near-duplicates.
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--report",
        ])
        .arg(&report)
        .arg("-o")
        .arg(&out)
        .arg(dir.path().join("in/001.txt"))
        .assert()
        .success();
    let r: Value = serde_json::from_str(&read(&report)).unwrap();
    assert_eq!(r["near_duplicate_paragraphs"], 0);
    assert!(r["settings"].get("near_dup").is_none());
}

/// `--short-paragraphs`: by default a table's repeated cells stay; `remove-every-repeat`
/// removes every repeat; an unknown rule is a usage error that says what is expected.
#[test]
fn short_paragraphs_option_reaches_the_library() {
    let input = "{\"text\":\"Les offres\\nSauvegarde\\nOui\\nPartage\\nOui\\nUn texte neuf ici.\\nLa fin du texte.\"}\n";
    paradedup()
        .args(["dedup", "-q"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(input);
    paradedup()
        .args(["dedup", "-q", "--short-paragraphs", "remove-every-repeat"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("{\"text\":\"Les offres\\nSauvegarde\\nOui\\nPartage\\nUn texte neuf ici.\\nLa fin du texte.\"}\n");
    let out = paradedup()
        .args(["dedup", "-q", "--short-paragraphs", "keep-all"])
        .write_stdin(input)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("remove-every-repeat"), "{err}");
}
