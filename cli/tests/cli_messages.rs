//! What the command tells its user: the error for a `.json` file holding one JSON array, that
//! `stats -q` is quiet, and that `--annotate`'s summary speaks of marks throughout.

use std::fs;

mod cli_support;
use cli_support::*;

#[test]
fn a_json_array_input_says_that_json_is_read_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        (
            "pretty.json",
            &b"[\n  {\"text\": \"a\"},\n  {\"text\": \"b\"}\n]\n"[..],
        ),
        ("one-line.json", b"[{\"text\": \"a\"}, {\"text\": \"b\"}]\n"),
    ] {
        fs::write(dir.path().join(name), bytes).unwrap();
        let out = paradedup()
            .current_dir(dir.path())
            .args(["dedup", name, "-o", "out.jsonl"])
            .assert()
            .failure()
            .code(1)
            .get_output()
            .clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("paradedup: "), "{stderr}");
        assert!(
            stderr.contains(name) && stderr.contains("line 1"),
            "{stderr}"
        );
        assert!(
            stderr.contains("found an array")
                && stderr.contains(".json files too, is read as JSON Lines, one object per line"),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!dir.path().join("out.jsonl").exists());
    }
}

#[test]
fn stats_quiet_prints_nothing_and_still_writes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("seeds.jsonl"), dir.path().join("seeds.jsonl")).unwrap();
    let loud = paradedup()
        .current_dir(dir.path())
        .args(["stats", "seeds.jsonl"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(String::from_utf8(loud.stdout)
        .unwrap()
        .contains("would remove 5 paragraphs"));
    for quiet in ["-q", "--quiet"] {
        paradedup()
            .current_dir(dir.path())
            .args(["stats", quiet, "--report", "report.json", "seeds.jsonl"])
            .assert()
            .success()
            .stdout("")
            .stderr("");
        let report: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("report.json")).unwrap())
                .unwrap();
        assert_eq!(report["removed_paragraphs"], 5);
        fs::remove_file(dir.path().join("report.json")).unwrap();
    }
}

#[test]
fn annotate_summary_says_marked_in_the_totals_and_the_table() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("seeds.jsonl"), dir.path().join("seeds.jsonl")).unwrap();
    let summary = |args: &[&str]| {
        let out = paradedup()
            .current_dir(dir.path())
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stderr).unwrap()
    };
    let marked = summary(&["dedup", "--annotate", "seeds.jsonl", "-o", "marked.jsonl"]);
    assert!(marked.contains(": marked 5 paragraphs"), "{marked}");
    assert!(
        marked.contains("most repeated paragraphs (times marked):"),
        "{marked}"
    );
    assert!(!marked.contains("removed"), "{marked}");
    // Without --annotate both say removed.
    let removed = summary(&["dedup", "seeds.jsonl", "-o", "clean.jsonl"]);
    assert!(removed.contains(": removed 5 paragraphs"), "{removed}");
    assert!(
        removed.contains("most repeated paragraphs (times removed):"),
        "{removed}"
    );
}
