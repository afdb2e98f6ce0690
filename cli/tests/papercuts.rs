//! Small promises of the command: no directory is made for a run that is refused (and none at
//! all for a file output), and the report records the short-paragraph rule.

mod cli_support;

use std::fs;
use std::path::Path;
use std::process::Output;

use cli_support::{bin, names};
use serde_json::Value;

fn run(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(bin())
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A directory holding `in.jsonl`: two documents sharing a long paragraph, then a malformed
/// line, so that an error naming line 3 shows the input was read before the refusal.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("in.jsonl"),
        "{\"text\": \"A paragraph long enough to be a repeat on its own, with more than twelve words.\\nOne.\"}\n\
         {\"text\": \"A paragraph long enough to be a repeat on its own, with more than twelve words.\\nTwo.\"}\n\
         {\"text\": broken}\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_file_output_in_a_missing_directory_is_refused_and_nothing_is_made() {
    let dir = corpus();
    let out = run(dir.path(), &["dedup", "in.jsonl", "-o", "missing/x.jsonl"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("missing/x.jsonl"), "{err}");
    assert!(err.contains("does not exist"), "{err}");
    assert!(!err.contains("line 3"), "read before checking: {err}");
    assert_eq!(names(dir.path()), ["in.jsonl"]);
}

#[test]
fn a_refused_mirrored_run_makes_no_directory() {
    let dir = corpus();
    for (extra, why) in [
        // Refused by the checks on the destinations.
        (
            &["--report", "in.jsonl"][..],
            "refusing to write over the input",
        ),
        // Refused while planning, after -o was read.
        (
            &["--seen-out", "s.bin"][..],
            "--seen-out needs --scope corpus",
        ),
        // An output in a directory that does not exist, beside a mirrored one.
        (
            &["--report", "r.json", "--signals", "missing/s.jsonl"][..],
            "does not exist",
        ),
    ] {
        let args = [&["dedup", "in.jsonl", "-o", "new/sub/"][..], extra].concat();
        let out = run(dir.path(), &args);
        let err = stderr(&out);
        assert_ne!(out.status.code(), Some(0), "{extra:?}: {err}");
        assert!(err.contains(why), "{extra:?}: {err}");
        assert!(
            !err.contains("line 3"),
            "{extra:?} read before checking: {err}"
        );
        assert_eq!(names(dir.path()), ["in.jsonl"], "{extra:?}: {err}");
    }
}

#[test]
fn a_mirrored_directory_is_made_once_the_checks_passed() {
    let dir = corpus();
    let out = run(
        dir.path(),
        &[
            "dedup",
            "in.jsonl",
            "--skip-bad-lines",
            "--scope",
            "corpus",
            "-o",
            "new/sub/",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let written = fs::read_to_string(dir.path().join("new/sub/in.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
    assert!(!written.lines().nth(1).unwrap().contains("long enough"));
}

#[test]
fn the_report_may_go_into_the_new_mirrored_directory() {
    let dir = corpus();
    let out = run(
        dir.path(),
        &[
            "dedup",
            "in.jsonl",
            "--skip-bad-lines",
            "-o",
            "new/",
            "--report",
            "new/r.json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(names(&dir.path().join("new")), ["in.jsonl", "r.json"]);
}

#[test]
fn an_output_named_twice_under_a_new_mirrored_directory_is_refused() {
    let dir = corpus();
    let out = run(
        dir.path(),
        &[
            "dedup",
            "in.jsonl",
            "-o",
            "new/",
            "--report",
            "new/in.jsonl",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("named as two different outputs"), "{err}");
    assert_eq!(names(dir.path()), ["in.jsonl"]);
}

#[test]
fn the_report_records_the_short_paragraph_rule() {
    let dir = corpus();
    for (given, recorded) in [
        (None, "in-boilerplate-blocks"),
        (Some("remove-every-repeat"), "remove-every-repeat"),
        (
            Some("in-boilerplate-blocks:words=5"),
            "in-boilerplate-blocks:words=5,edge=1,block=4,documents=0",
        ),
    ] {
        let mut args = vec![
            "dedup",
            "in.jsonl",
            "--skip-bad-lines",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
        ];
        args.extend(given.iter().flat_map(|rule| ["--short-paragraphs", rule]));
        let out = run(dir.path(), &args);
        assert!(out.status.success(), "{given:?}: {}", stderr(&out));
        let report: Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
        assert_eq!(
            report["settings"]["short_paragraphs"], recorded,
            "{given:?}"
        );
        // What is recorded is a name the option takes back.
        let again = run(
            dir.path(),
            &[
                "stats",
                "in.jsonl",
                "--skip-bad-lines",
                "--short-paragraphs",
                recorded,
            ],
        );
        assert!(again.status.success(), "{recorded}: {}", stderr(&again));
    }
}
