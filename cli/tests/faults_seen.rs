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

const MIB: u64 = 1 << 20;

/// The documented bound (docs/reliability.md, "Memory"), with the terms for `--boilerplate`'s
/// counts and the near-duplicate index: 2 × (seen-set + document counts + near index) +
/// 64 MiB + 16 × (8 MiB + L), L the longest document read.
fn bound(report: &Value, longest: u64) -> u64 {
    let seen = report["seen_set"]["memory_bytes"].as_u64().unwrap_or(0)
        + report["near_index_bytes"].as_u64().unwrap_or(0);
    let counts = report["boilerplate_counts"]["memory_bytes"]
        .as_u64()
        .unwrap_or(0);
    2 * seen + 2 * counts + 64 * MIB + 16 * (8 * MIB + longest)
}

/// Runs `paradedup dedup` with `args` on `input`: its report, with its peak memory checked
/// against the bound, and the documents reconciled.
fn within_bound(name: &str, input: &Path, longest: u64, args: &[&str]) -> Value {
    let dir = input.parent().unwrap();
    let (out, rep) = (dir.join("out.jsonl"), dir.join("report.json"));
    let _ = fs::remove_file(&rep);
    paradedup()
        .args(["dedup", "-q", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .args(args)
        .arg(input)
        .assert()
        .success();
    let report = report(&rep);
    if !args.contains(&"--annotate") {
        reconciles(&report, &out);
    }
    let peak = report["peak_memory_bytes"].as_u64().expect("Linux");
    let bound = bound(&report, longest);
    eprintln!("{name}: peak {} MiB, bound {} MiB", peak / MIB, bound / MIB);
    assert!(peak <= bound, "{name}: peak {peak} over the bound {bound}");
    report
}

/// One JSON line whose text is `unit` repeated to about `bytes`: its length.
fn one_line(path: &Path, unit: &str, bytes: usize) -> u64 {
    let line = format!(
        "{{\"id\":\"long\",\"text\":\"{}\"}}\n",
        unit.repeat(bytes / unit.len())
    );
    fs::write(path, &line).unwrap();
    line.len() as u64
}

/// Every mode stays within the documented bound on its worst input: a document of tiny
/// repeated lines (many removals) judged on threads, and annotated; a first pass over many
/// distinct paragraphs; and near-duplicates on a paragraph NFKC makes eleven times longer.
#[cfg(target_os = "linux")]
#[test]
fn every_mode_stays_within_the_memory_bound() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = dir.path().join("tiny.jsonl");
    let longest = one_line(&tiny, "ab\\n", 24 << 20);
    for args in [
        &["--threads", "2"][..],
        &["--threads", "2", "--scope", "corpus"],
        &["--threads", "2", "--annotate"],
        &["--threads", "1", "--annotate"],
    ] {
        let report = within_bound(&format!("tiny {args:?}"), &tiny, longest, args);
        assert!(report["removed_paragraphs"].as_u64().unwrap() > 1_000_000);
    }

    let distinct = dir.path().join("distinct.jsonl");
    let mut text = String::new();
    for d in 0..10_000 {
        let paragraphs: Vec<String> = (0..100).map(|i| format!("p {d} {i}")).collect();
        text.push_str(&format!(
            "{{\"id\":{d},\"text\":\"{}\"}}\n",
            paragraphs.join("\\n")
        ));
    }
    fs::write(&distinct, &text).unwrap();
    let longest = text.lines().map(|l| l.len() as u64 + 1).max().unwrap();
    let args = ["--threads", "2", "--boilerplate", "2"];
    let report = within_bound("boilerplate", &distinct, longest, &args);
    assert_eq!(report["boilerplate_counts"]["paragraphs"], 1_000_000);

    // NFKC makes each U+FDFA (3 bytes) 33 bytes of four words, and normalizing it is slow: a
    // small paragraph shows the near-duplicate stage's own cost, which must be bounded too.
    let fdfa = dir.path().join("fdfa.jsonl");
    let longest = one_line(&fdfa, "\u{FDFA}", 2 << 20);
    let exact = within_bound("exact only", &fdfa, longest, &["--threads", "2"]);
    let near = within_bound(
        "near-dup",
        &fdfa,
        longest,
        &["--threads", "2", "--near-dup"],
    );
    let peak = |report: &Value| report["peak_memory_bytes"].as_u64().unwrap();
    assert!(
        peak(&near) <= peak(&exact) + 16 * MIB,
        "near-duplicates cost {} over exact dedup alone",
        peak(&near) - peak(&exact)
    );
}

/// A thread count no machine has is refused at once, not spent minutes starting threads.
#[test]
fn an_absurd_thread_count_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    distinct_documents(&input, 10);
    paradedup()
        .args(["dedup", "--threads", "100000"])
        .arg(&input)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--threads"));
}

/// A Bloom filter saved by one run and loaded by the next is watched the same way: the second
/// run, past twice what the filter was sized for, stops unless told to go on.
#[test]
fn a_loaded_bloom_filter_is_watched_too() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    let seen = dir.path().join("seen.bin");
    distinct_documents(&first, 500);
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "{{\"id\":{i},\"text\":\"another paragraph, {i}\"}}\n"
        ));
    }
    fs::write(&second, text).unwrap();
    paradedup()
        .args(["dedup", "-q", "--scope", "corpus", "--bloom", "0.001"])
        .args(["--expected", "1000", "-o"])
        .arg(dir.path().join("out-a.jsonl"))
        .arg("--seen-out")
        .arg(&seen)
        .arg(&first)
        .assert()
        .success();
    let load = || {
        let mut command = paradedup();
        command
            .args(["dedup", "-q", "--scope", "corpus", "--seen-in"])
            .arg(&seen)
            .arg("-o")
            .arg(dir.path().join("out-b.jsonl"))
            .arg(&second);
        command
    };
    load()
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--allow-bloom-overfill"));
    load().arg("--allow-bloom-overfill").assert().success();
}
