//! `--signals` and `--max-removed-fraction`: the values against a computation by hand on a
//! small file, the documents left out counted in the report and copied to `--rejects`, and
//! every document read accounted for (read = written + dropped). The hand computation counts
//! every repeat as removed, so the runs ask for `--short-paragraphs remove-every-repeat`.
use std::fs;
use std::path::Path;

mod cli_support;
use cli_support::*;

use serde_json::{json, Value};

/// Three documents, each worked out by hand below.
///
/// - `a`, "Menu\nA story.\nMenu\n": paragraphs Menu, A story., Menu (16 code points); the
///   second Menu (4) removed. 19 code points, 3 `\n`. Gopher's lines (split at runs of `\n`)
///   are Menu, A story., Menu and "" (1 duplicate of 4, 4 code points); one Gopher paragraph.
///   FineWeb: Menu repeated, 4 code points of 19 - 3.
/// - `b`, "Spam\n\nSpam\nété": paragraphs Spam, Spam, été (11 code points); one Spam removed.
///   14 code points, 3 `\n`. Gopher's lines Spam, Spam, été (1 duplicate of 3); its paragraphs
///   "Spam" and "Spam\nété" (no duplicate). FineWeb: 4 of 14 - 3.
/// - `c`, "x y z\nx y z\nx y z": 3 paragraphs of 5, 2 removed.
fn documents() -> Vec<Value> {
    vec![
        json!({"id": "a", "text": "Menu\nA story.\nMenu\n"}),
        json!({"id": "b", "text": "Spam\n\nSpam\nété"}),
        json!({"id": 3, "text": "x y z\nx y z\nx y z"}),
    ]
}

fn write_input(dir: &Path, docs: &[Value], extra: &str) -> std::path::PathBuf {
    let mut text: String = docs.iter().map(|d| format!("{d}\n")).collect();
    text.push_str(extra);
    let path = dir.join("in.jsonl");
    fs::write(&path, text).unwrap();
    path
}

fn json_lines(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The attribute `name`'s one span of the signals line `line`: (start, end, value).
fn signal(line: &Value, name: &str) -> (u64, u64, f64) {
    let span = &line["attributes"][format!("paradedup__signals__{name}")][0];
    (
        span[0].as_u64().unwrap(),
        span[1].as_u64().unwrap(),
        span[2].as_f64().unwrap(),
    )
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-12, "{what}: {got} != {want}");
}

#[test]
fn signals_match_a_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &documents(), "");
    let signals = dir.path().join("signals.jsonl");
    for threads in ["1", "2"] {
        paradedup()
            .args([
                "dedup",
                "-q",
                "--short-paragraphs",
                "remove-every-repeat",
                "--threads",
                threads,
                "-o",
            ])
            .arg(dir.path().join("out.jsonl"))
            .arg("--signals")
            .arg(&signals)
            .arg(&input)
            .assert()
            .success();
        let lines = json_lines(&signals);
        assert_eq!(lines.len(), 3, "one line per document");
        assert_eq!(lines[0]["id"], "a");
        assert_eq!(lines[2]["id"], 3);

        let a = &lines[0];
        assert_eq!(signal(a, "removed_paragraph_fraction").1, 19);
        assert_close(
            signal(a, "removed_paragraph_fraction").2,
            1.0 / 3.0,
            "a removed",
        );
        assert_close(signal(a, "removed_char_fraction").2, 4.0 / 16.0, "a chars");
        assert_close(signal(a, "dup_line_frac").2, 1.0 / 4.0, "a lines");
        assert_close(
            signal(a, "dup_line_char_frac").2,
            4.0 / 19.0,
            "a line chars",
        );
        assert_close(signal(a, "dup_para_frac").2, 0.0, "a paragraphs");
        assert_close(signal(a, "dup_para_char_frac").2, 0.0, "a paragraph chars");
        assert_close(signal(a, "char_dup_ratio").2, 4.0 / 16.0, "a fineweb");
        assert_eq!(signal(a, "original_nlines").2, 4.0);
        assert_eq!(signal(a, "original_length").2, 19.0);

        let b = &lines[1];
        assert_eq!(signal(b, "original_length"), (0, 14, 14.0));
        assert_close(signal(b, "removed_char_fraction").2, 4.0 / 11.0, "b chars");
        assert_close(signal(b, "dup_line_frac").2, 1.0 / 3.0, "b lines");
        assert_close(
            signal(b, "dup_line_char_frac").2,
            4.0 / 14.0,
            "b line chars",
        );
        assert_close(signal(b, "dup_para_frac").2, 0.0, "b paragraphs");
        assert_close(signal(b, "char_dup_ratio").2, 4.0 / 11.0, "b fineweb");

        let c = &lines[2];
        assert_close(signal(c, "removed_char_fraction").2, 10.0 / 15.0, "c chars");
        assert_eq!(signal(c, "removed_paragraphs").2, 2.0);
    }
}

#[test]
fn max_removed_fraction_drops_counts_and_rejects() {
    let dir = tempfile::tempdir().unwrap();
    // A malformed line too, skipped: it is no document, and must not upset the counts.
    let input = write_input(dir.path(), &documents(), "{not json\n");
    let (out, report, rejects, signals) = (
        dir.path().join("out.jsonl"),
        dir.path().join("report.json"),
        dir.path().join("rejects.jsonl"),
        dir.path().join("signals.jsonl"),
    );
    for threads in ["1", "2"] {
        paradedup()
            .args([
                "dedup",
                "-q",
                "--short-paragraphs",
                "remove-every-repeat",
                "--skip-bad-lines",
                "--threads",
                threads,
            ])
            .args(["--max-removed-fraction", "0.3", "-o"])
            .arg(&out)
            .arg("--report")
            .arg(&report)
            .arg("--rejects")
            .arg(&rejects)
            .arg("--signals")
            .arg(&signals)
            .arg(&input)
            .assert()
            .success();
        // a lost 0.25 of its characters: kept; b 4/11 and c 2/3: dropped.
        let written = json_lines(&out);
        assert_eq!(written.len(), 1);
        assert_eq!(written[0]["id"], "a");
        let r: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
        assert_eq!(r["documents"], 3);
        assert_eq!(r["documents_written"], 1);
        assert_eq!(r["documents_dropped_removed"], 2);
        assert_eq!(r["per_input"][0]["dropped_removed"], 2);
        assert_eq!(r["bad_lines"], 1);
        let read = r["documents"].as_u64().unwrap();
        let accounted = r["documents_written"].as_u64().unwrap()
            + r["documents_dropped_empty"].as_u64().unwrap()
            + r["documents_dropped_removed"].as_u64().unwrap();
        assert_eq!(read, accounted, "documents in = out + dropped");
        // The dropped documents, verbatim, beside the malformed line.
        let rejected = fs::read_to_string(&rejects).unwrap();
        let docs = documents();
        assert!(rejected.contains(&format!("{}\n", docs[1])), "{rejected}");
        assert!(rejected.contains(&format!("{}\n", docs[2])), "{rejected}");
        assert!(rejected.contains("{not json\n"));
        assert_eq!(rejected.lines().count(), 3);
        // The signals cover every document, the dropped ones too.
        assert_eq!(json_lines(&signals).len(), 3);
    }
}

#[test]
fn reconciliation_holds_with_drop_empty_in_corpus_scope() {
    let dir = tempfile::tempdir().unwrap();
    let mut docs = documents();
    // Left empty in corpus scope (every paragraph met before): removed fraction 1.
    docs.push(json!({"id": "d", "text": "Menu\nA story."}));
    docs.push(json!({"id": "e", "text": "Fresh text.\nMenu"}));
    let input = write_input(dir.path(), &docs, "");
    let report = dir.path().join("report.json");
    paradedup()
        .args([
            "dedup",
            "-q",
            "--short-paragraphs",
            "remove-every-repeat",
            "--scope",
            "corpus",
            "--drop-empty",
        ])
        .args(["--max-removed-fraction", "0.5", "-o"])
        .arg(dir.path().join("out.jsonl"))
        .arg("--report")
        .arg(&report)
        .arg(&input)
        .assert()
        .success();
    let r: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    // a (0.25) and e (4 of 15 removed) stay; b keeps 4/11 removed, under 0.5; c and d go.
    assert_eq!(r["documents"], 5);
    assert_eq!(r["documents_written"], 3);
    assert_eq!(r["documents_dropped_removed"], 2);
    let accounted = r["documents_written"].as_u64().unwrap()
        + r["documents_dropped_empty"].as_u64().unwrap()
        + r["documents_dropped_removed"].as_u64().unwrap();
    assert_eq!(accounted, 5);
}

#[test]
fn a_text_input_gets_one_signals_line_and_can_be_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("page.txt");
    fs::write(&input, "x y z\nx y z\nx y z").unwrap();
    let (signals, report) = (dir.path().join("s.jsonl"), dir.path().join("r.json"));
    paradedup()
        .args([
            "dedup",
            "-q",
            "--short-paragraphs",
            "remove-every-repeat",
            "--max-removed-fraction",
            "0.5",
            "-o",
        ])
        .arg(dir.path().join("out.jsonl"))
        .arg("--signals")
        .arg(&signals)
        .arg("--report")
        .arg(&report)
        .arg(&input)
        .assert()
        .success();
    let lines = json_lines(&signals);
    assert_eq!(lines.len(), 1);
    assert_close(
        signal(&lines[0], "removed_char_fraction").2,
        10.0 / 15.0,
        "text",
    );
    let r: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["documents_dropped_removed"], 1);
    assert_eq!(r["documents_written"], 0);
}

#[test]
fn a_fraction_outside_0_to_1_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path(), &documents(), "");
    let assert = paradedup()
        .args(["dedup", "--max-removed-fraction", "1.5"])
        .arg(&input)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("not a fraction from 0 to 1"), "{stderr}");
}

#[test]
fn with_a_first_pass_each_kept_paragraph_gets_its_document_count() {
    let dir = tempfile::tempdir().unwrap();
    let docs = [
        json!({"id": "p", "text": "Menu\nOne."}),
        json!({"id": "q", "text": "Menu\nTwo.\nété"}),
        json!({"id": "r", "text": "Three.\nété"}),
    ];
    let input = write_input(dir.path(), &docs, "");
    let signals = dir.path().join("signals.jsonl");
    let run = |extra: &[&str]| {
        paradedup()
            .args([
                "dedup",
                "-q",
                "--short-paragraphs",
                "remove-every-repeat",
                "-o",
            ])
            .arg(dir.path().join("out.jsonl"))
            .arg("--signals")
            .arg(&signals)
            .args(extra)
            .arg(&input)
            .assert()
            .success();
        json_lines(&signals)
    };
    // Menu and été stand in 2 documents each, under the 3 that would make them boilerplate;
    // spans in code points.
    let lines = run(&["--boilerplate", "3"]);
    let name = "paradedup__signals__kept_document_count";
    assert_eq!(lines[0]["attributes"][name], json!([[0, 4, 2], [5, 9, 1]]));
    assert_eq!(
        lines[1]["attributes"][name],
        json!([[0, 4, 2], [5, 9, 1], [10, 13, 2]])
    );
    assert_eq!(lines[2]["attributes"][name], json!([[0, 6, 1], [7, 10, 2]]));
    // Without a first pass the counts are not known, and not written.
    let lines = run(&[]);
    assert!(lines[0]["attributes"].get(name).is_none());
}
