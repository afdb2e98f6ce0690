//! End-to-end tests of how `paradedup` fails: every bad input gets a one-line error naming the
//! file, the line and what is wrong; `--skip-bad-lines` loses nothing; a failed run leaves no
//! output behind; no failure panics.
use std::fs;
use std::io::{Read, Write};
use std::process::Stdio;

mod cli_support;
use cli_support::*;

use assert_cmd::cargo::CommandCargoExt;
use predicates::prelude::*;
use serde_json::Value;

/// Stderr is one line, starting `paradedup: `, with no trace of a panic.
fn one_line_error() -> impl Predicate<str> {
    predicate::function(|stderr: &str| {
        stderr.starts_with("paradedup: ")
            && stderr.lines().count() == 1
            && !stderr.contains("panicked")
            && !stderr.contains("RUST_BACKTRACE")
    })
}

/// Bad lines, each with what the error must say about it. Line 1 is always good.
const BAD_LINES: [(&str, &[u8], &str); 6] = [
    (
        "malformed.jsonl",
        b"{\"text\": \"a\", }\n",
        "line 2: expected a field name",
    ),
    (
        "no-text.jsonl",
        b"{\"id\": 1, \"body\": \"a\"}\n",
        "line 2: no \"text\" field",
    ),
    (
        "number.jsonl",
        b"{\"text\": 42}\n",
        "line 2: the field \"text\" is a number, not a string",
    ),
    (
        "utf8.jsonl",
        b"{\"text\": \"caf\xe9\"}\n",
        "line 2: invalid UTF-8 (column 14)",
    ),
    (
        "truncated-line.jsonl",
        b"{\"text\": \"cut sh",
        "line 2: a string is not closed",
    ),
    (
        "surrogate.jsonl",
        b"{\"text\": \"\\ud83d!\"}\n",
        "line 2: a lone UTF-16 surrogate",
    ),
];
const GOOD_LINE: &[u8] = b"{\"id\": 0, \"text\": \"fine\\nfine\"}\n";

#[test]
fn each_bad_line_stops_the_run_with_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bad, message) in BAD_LINES {
        let path = dir.path().join(name);
        fs::write(&path, [GOOD_LINE, bad].concat()).unwrap();
        paradedup()
            .current_dir(dir.path())
            .args([
                "dedup",
                "--short-paragraphs",
                "remove-every-repeat",
                name,
                "-o",
                "out.jsonl",
            ])
            .assert()
            .code(1)
            .stderr(one_line_error())
            .stderr(predicate::str::contains(format!("{name}: {message}")));
        assert!(!dir.path().join("out.jsonl").exists(), "{name}");
    }
    // Nothing but the inputs: no output, no temporary file.
    assert_eq!(names(dir.path()).len(), BAD_LINES.len());
}

#[test]
fn skipped_bad_lines_are_counted_and_kept_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let mut corpus = Vec::new();
    let mut bad_lines = Vec::new();
    for (_, bad, _) in BAD_LINES {
        corpus.extend_from_slice(GOOD_LINE);
        corpus.extend_from_slice(bad);
        bad_lines.extend_from_slice(bad);
        if !bad.ends_with(b"\n") {
            // The unclosed line runs on into the next good line: one bad line of both.
            bad_lines.extend_from_slice(GOOD_LINE);
        }
    }
    fs::write(dir.path().join("corpus.jsonl"), &corpus).unwrap();
    paradedup()
        .current_dir(dir.path())
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "corpus.jsonl",
            "-o",
            "out.jsonl",
            "--skip-bad-lines",
        ])
        .args(["--rejects", "rejects.jsonl", "--report", "report.json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "corpus.jsonl: line 2: expected a field name",
        ))
        .stderr(predicate::str::contains("(skipped)"))
        .stderr(predicate::str::contains("6 malformed lines skipped"));
    // Rejects hold the bad lines byte for byte (the unclosed string swallowed the good line
    // that followed it, so that one went too, as part of the same bad line).
    assert_eq!(
        fs::read(dir.path().join("rejects.jsonl")).unwrap(),
        bad_lines
    );
    let report: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["bad_lines"], 6);
    assert_eq!(report["per_input"][0]["bad_lines"], 6);
    let out = fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(
        out.lines().count(),
        report["documents"].as_u64().unwrap() as usize
    );
    assert!(out
        .lines()
        .all(|l| l == "{\"id\": 0, \"text\": \"fine\\n\"}"));
}

/// A corpus big enough that a compressed copy cut in half ends well inside the stream.
fn big_corpus(documents: usize) -> Vec<u8> {
    let mut corpus = Vec::new();
    for i in 0..documents {
        writeln!(
            corpus,
            "{{\"id\": {i}, \"text\": \"Document {i} with a body of its own, {}.\\nSubscribe!\\nSubscribe!\"}}",
            i * 7919 % 10007
        )
        .unwrap();
    }
    corpus
}

#[test]
fn truncated_compressed_streams_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = big_corpus(20_000);
    let gz = gzip(&corpus);
    let zst = zstd::encode_all(&corpus[..], 3).unwrap();
    fs::write(dir.path().join("cut.jsonl.gz"), &gz[..gz.len() / 2]).unwrap();
    fs::write(dir.path().join("cut.jsonl.zst"), &zst[..zst.len() / 2]).unwrap();
    fs::write(dir.path().join("not-gzip.jsonl.gz"), &corpus).unwrap();
    for (name, what) in [
        ("cut.jsonl.gz", "the gzip stream is truncated"),
        ("cut.jsonl.zst", "the zstd stream is truncated"),
        (
            "not-gzip.jsonl.gz",
            "named like a gzip file, but it does not start like one",
        ),
    ] {
        paradedup()
            .current_dir(dir.path())
            .args([
                "dedup",
                "--short-paragraphs",
                "remove-every-repeat",
                name,
                "-o",
                "out.jsonl",
            ])
            .assert()
            .code(1)
            .stderr(one_line_error())
            .stderr(predicate::str::contains(format!(
                "paradedup: {name}: line "
            )))
            .stderr(predicate::str::contains(what));
        assert!(!dir.path().join("out.jsonl").exists());
    }
}

#[test]
fn a_failure_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("seeds.jsonl"), dir.path().join("a.jsonl")).unwrap();
    fs::write(dir.path().join("b.jsonl"), "{\"text\": \"ok\"}\n{oops}\n").unwrap();
    fs::write(dir.path().join("out.jsonl"), "the previous output\n").unwrap();
    paradedup()
        .current_dir(dir.path())
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "a.jsonl",
            "b.jsonl",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("b.jsonl: line 2:"));
    assert_eq!(
        fs::read_to_string(dir.path().join("out.jsonl")).unwrap(),
        "the previous output\n"
    );
    assert_eq!(names(dir.path()), ["a.jsonl", "b.jsonl", "out.jsonl"]);
}

#[test]
fn it_refuses_to_write_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = fs::read(fixture("seeds.jsonl")).unwrap();
    fs::write(dir.path().join("in.jsonl"), &seeds).unwrap();
    for args in [
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "in.jsonl",
            "-o",
            "in.jsonl",
        ][..],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "in.jsonl",
            "-o",
            "./in.jsonl",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "in.jsonl",
            "--report",
            "in.jsonl",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            ".",
            "-o",
            ".",
        ],
    ] {
        paradedup()
            .current_dir(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(one_line_error())
            .stderr(predicate::str::contains("refusing to write over the input"));
    }
    assert_eq!(fs::read(dir.path().join("in.jsonl")).unwrap(), seeds);
}

#[test]
fn missing_and_unreadable_inputs() {
    let dir = tempfile::tempdir().unwrap();
    paradedup()
        .current_dir(dir.path())
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "missing.jsonl",
        ])
        .assert()
        .code(1)
        .stderr(one_line_error())
        .stderr(predicate::str::contains("missing.jsonl"));
    paradedup()
        .current_dir(dir.path())
        .args(["dedup", "--short-paragraphs", "remove-every-repeat", "."])
        .assert()
        .code(1)
        .stderr(one_line_error())
        .stderr(predicate::str::contains("no input files found"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked");
        fs::create_dir(&locked).unwrap();
        fs::write(locked.join("a.jsonl"), "{\"text\":\"a\"}\n").unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads any directory: the case cannot be made there.
        if fs::read_dir(&locked).is_err() {
            paradedup()
                .current_dir(dir.path())
                .args([
                    "dedup",
                    "--short-paragraphs",
                    "remove-every-repeat",
                    "locked",
                ])
                .assert()
                .code(1)
                .stderr(one_line_error())
                .stderr(predicate::str::contains("cannot read directory locked"));
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_is_a_one_line_error() {
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-o",
            "/dev/full",
        ])
        .arg(fixture("seeds.jsonl"))
        .assert()
        .code(1)
        .stderr(one_line_error())
        .stderr(predicate::str::contains(
            "cannot write /dev/full: No space left on device",
        ));
}

#[test]
fn a_closed_pipe_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("big.jsonl");
    fs::write(&corpus, big_corpus(50_000)).unwrap();
    let mut child = std::process::Command::cargo_bin("paradedup")
        .unwrap()
        .args(["dedup", "--short-paragraphs", "remove-every-repeat", "-q"])
        .arg(&corpus)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, as `head` would, then hang up.
    let mut start = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut start).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(one_line_error().eval(&stderr), "{stderr}");
    assert!(
        stderr.contains("the reader closed the pipe early"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_with_code_2() {
    for args in [
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--no-such-flag",
        ][..],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--normalize",
            "ccnet",
            "--fold-digits",
            "x.jsonl",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--unit",
            "words",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--rejects",
            "r.jsonl",
            "x.jsonl",
        ],
    ] {
        paradedup().args(args).assert().code(2);
    }
}

#[test]
fn boilerplate_cannot_read_standard_input() {
    for args in [
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--boilerplate",
            "3",
            "-",
        ][..],
        &["stats", "--boilerplate", "3"],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--threads",
            "0",
            "x.jsonl",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--boilerplate",
            "0",
            "x.jsonl",
        ],
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--boilerplate-policy",
            "keep-first",
            "x.jsonl",
        ],
    ] {
        paradedup()
            .args(args)
            .write_stdin("{\"text\": \"a\"}\n")
            .assert()
            .code(2);
    }
    paradedup()
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "--boilerplate",
            "3",
            "-",
        ])
        .write_stdin("{\"text\": \"a\"}\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("standard input"));
}
