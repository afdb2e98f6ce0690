//! Faults of the corpus memory and of memory use: a Bloom filter filled past what it was sized
//! for, allocations sized from a user's number, near-duplicates in a split run, and the peak
//! memory of every mode against the documented bound.

mod cli_support;

use std::fs;
use std::path::Path;

use cli_support::paradedup;
use serde_json::Value;

/// `n` JSON lines, each a document of one paragraph of its own and one shared by all.
fn distinct_documents(path: &Path, n: usize) {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "{{\"id\":{i},\"text\":\"paragraph of its own, number {i}\\nthe shared line\"}}\n"
        ));
    }
    fs::write(path, text).unwrap();
}

fn report(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// Documents in = documents out + documents reported dropped, from the report and the output.
fn reconciles(report: &Value, out: &Path) {
    let written = fs::read_to_string(out).unwrap().lines().count() as u64;
    let documents = report["documents"].as_u64().unwrap();
    let dropped = report["dropped_empty"].as_u64().unwrap_or(0);
    assert_eq!(documents, written + dropped, "{report}");
}

#[test]
fn bloom_expected_zero_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    distinct_documents(&input, 10);
    paradedup()
        .args([
            "dedup",
            "--scope",
            "corpus",
            "--bloom",
            "0.001",
            "--expected",
            "0",
        ])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--expected"));
}

/// Three times `--expected`: the run stops with an error that says why and how to go on, and
/// writes nothing; a warning came first, when the fill passed `--expected`.
#[test]
fn bloom_past_twice_expected_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let out = dir.path().join("out.jsonl");
    distinct_documents(&input, 3000);
    let assert = paradedup()
        .args(["dedup", "-q", "--scope", "corpus", "--bloom", "0.001"])
        .args(["--expected", "1000", "--threads", "1", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("WARNING"), "{stderr}");
    assert!(stderr.contains("--allow-bloom-overfill"), "{stderr}");
    assert!(!out.exists(), "a stopped run must leave no output");
}

/// With `--allow-bloom-overfill` the run goes on, warns, and its report says how full the
/// filter ended and the false-positive rate that fill gives.
#[test]
fn bloom_overfill_allowed_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let (out, rep) = (dir.path().join("out.jsonl"), dir.path().join("r.json"));
    distinct_documents(&input, 3000);
    let assert = paradedup()
        .args(["dedup", "--scope", "corpus", "--bloom", "0.001"])
        .args(["--expected", "1000", "--allow-bloom-overfill", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .arg(&input)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(stderr.matches("WARNING").count(), 1, "{stderr}");
    let report = report(&rep);
    reconciles(&report, &out);
    let bloom = &report["seen_set"]["bloom"];
    assert_eq!(bloom["expected"], 1000);
    assert_eq!(bloom["overfilled"], true);
    assert!(bloom["fill_ratio"].as_f64().unwrap() > 2.5, "{bloom}");
    // 3,000 paragraphs in a filter for 1,000 at 1e-3: the rate is far above the one asked for.
    assert!(
        bloom["estimated_fp_rate"].as_f64().unwrap() > 0.05,
        "{bloom}"
    );
}

/// Within `--expected`, no warning, and the report shows the fill.
#[test]
fn bloom_within_expected_is_quiet_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let (out, rep) = (dir.path().join("out.jsonl"), dir.path().join("r.json"));
    distinct_documents(&input, 500);
    let assert = paradedup()
        .args(["dedup", "--scope", "corpus", "--bloom", "0.001"])
        .args(["--expected", "10000", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .arg(&input)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!stderr.contains("WARNING"), "{stderr}");
    let report = report(&rep);
    reconciles(&report, &out);
    let bloom = &report["seen_set"]["bloom"];
    assert_eq!(bloom["overfilled"], false);
    assert!(bloom["fill_ratio"].as_f64().unwrap() < 0.06, "{bloom}");
    assert!(
        bloom["estimated_fp_rate"].as_f64().unwrap() < 1e-3,
        "{bloom}"
    );
}

/// A filter larger than the machine's memory is refused before anything is read, with its
/// size, instead of aborting on the allocation.
#[test]
fn bloom_larger_than_memory_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    distinct_documents(&input, 10);
    // 2e12 paragraphs at 1e-3: about 3.6 TB, more than the machine has, under the library's
    // own 8 TiB limit, so the check against memory is what refuses it.
    let assert = paradedup()
        .args(["dedup", "--scope", "corpus", "--bloom", "0.001"])
        .args(["--expected", "2000000000000"])
        .arg(&input)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("bytes"), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "{stderr}"
    );
}

/// `--near-dup` with a seen-set file would keep, over a split run, the near-duplicates one
/// run removes: refused with the reason.
#[test]
fn near_dup_refuses_seen_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let seen = dir.path().join("seen.bin");
    distinct_documents(&input, 10);
    let assert = paradedup()
        .args(["dedup", "--scope", "corpus", "--near-dup", "--seen-out"])
        .arg(&seen)
        .arg("-o")
        .arg(dir.path().join("out.jsonl"))
        .arg(&input)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("near-duplicate index"), "{stderr}");
    assert!(!seen.exists());
    // A seen-set made without --near-dup cannot be used with it either.
    paradedup()
        .args(["dedup", "-q", "--scope", "corpus", "--seen-out"])
        .arg(&seen)
        .arg("-o")
        .arg(dir.path().join("out.jsonl"))
        .arg(&input)
        .assert()
        .success();
    let assert = paradedup()
        .args(["dedup", "--scope", "corpus", "--near-dup", "--seen-in"])
        .arg(&seen)
        .arg(&input)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("near-duplicate index"), "{stderr}");
}
