//! Crash safety: `paradedup` is killed (SIGKILL) at random moments of runs over a large
//! input, again and again. After each kill the output file holds the previous complete file or
//! the new complete one, never a torn one; the seen-set file is the old one or the new one and
//! loads; the report is the old one or a complete new one; and the seen-set is never newer than
//! the output (it is put in place last), so rerunning is always safe. What a kill may leave is
//! a hidden temporary file (`.paradedup-*.tmp`) beside an output, which nothing reads and
//! which is safe to delete; nothing else.
#![cfg(unix)]

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

mod cli_support;
use cli_support::*;

use paradedup::{Normalizer, SeenSet, Settings};

/// About `mb` MB of JSONL with plenty of repeats.
fn corpus(path: &Path, mb: usize) {
    let mut text = String::new();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut id = 0u64;
    while text.len() < mb * 1_000_000 {
        text.push_str(&format!("{{\"id\":{id},\"text\":\""));
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if state.is_multiple_of(4) {
                text.push_str(&format!("Ligne commune {}\\n", state % 500));
            } else {
                text.push_str(&format!("Texte propre au document {id}, {state:x}.\\n"));
            }
        }
        text.push_str("\"}\n");
        id += 1;
    }
    fs::write(path, text).unwrap();
}

/// The command of a run: the new run folds digits, the old one does not, so their outputs
/// differ (every "Ligne commune N" is one paragraph to the new run).
fn command(dir: &Path, new: bool) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(["dedup", "-q", "--scope", "corpus"]);
    if new {
        cmd.arg("--fold-digits");
    }
    cmd.arg("-o")
        .arg(dir.join("out.jsonl"))
        .arg("--report")
        .arg(dir.join("report.json"))
        .arg("--seen-out")
        .arg(dir.join("seen.pds"))
        .arg(dir.join("in.jsonl"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

struct Files {
    out: Vec<u8>,
    seen: Vec<u8>,
    report: Vec<u8>,
}

fn files(dir: &Path) -> Files {
    Files {
        out: fs::read(dir.join("out.jsonl")).unwrap(),
        seen: fs::read(dir.join("seen.pds")).unwrap(),
        report: fs::read(dir.join("report.json")).unwrap(),
    }
}

#[test]
fn killed_runs_leave_the_old_files_or_the_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    corpus(&dir.join("in.jsonl"), 6);

    // The new run's files, complete, and how long it takes.
    let started = Instant::now();
    assert!(command(dir, true).status().unwrap().success());
    let full = started.elapsed();
    let new = files(dir);
    // The old run's files: what a killed new run must leave, if not the new ones.
    assert!(command(dir, false).status().unwrap().success());
    let old = files(dir);
    assert_ne!(old.out, new.out);
    assert_ne!(old.seen, new.seen);

    let settings = |n: Normalizer| Settings {
        normalizer: n,
        ..Settings::default()
    };
    let mut state = u64::from(std::process::id()) | 1;
    let (mut old_left, mut new_left) = (0, 0);
    for round in 0..12 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // Anywhere from the start to a little past the end of a whole run.
        let delay = full.mul_f64((state % 1000) as f64 / 900.0);
        let mut child = command(dir, true).spawn().unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let now = files(dir);
        let out_is_new = now.out == new.out;
        assert!(
            out_is_new || now.out == old.out,
            "round {round}: torn output"
        );
        let seen_is_new = now.seen == new.seen;
        assert!(
            seen_is_new || now.seen == old.seen,
            "round {round}: torn seen-set"
        );
        let report_is_old = now.report == old.report;
        if !report_is_old {
            let report: serde_json::Value = serde_json::from_slice(&now.report)
                .unwrap_or_else(|e| panic!("round {round}: torn report: {e}"));
            assert_eq!(
                report["settings"]["normalize_switches"]["fold_digits"],
                true
            );
        }
        assert!(
            !seen_is_new || out_is_new,
            "round {round}: seen-set newer than output"
        );
        let normalizer = Normalizer::standard().fold_digits(seen_is_new);
        SeenSet::load(dir.join("seen.pds"), settings(normalizer)).unwrap();
        if out_is_new {
            new_left += 1;
        } else {
            old_left += 1;
        }
        // Nothing else was left but hidden temporary files, which are safe to delete.
        for entry in fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let expected = ["in.jsonl", "out.jsonl", "report.json", "seen.pds"];
            if !expected.contains(&name.as_str()) {
                assert!(
                    name.starts_with(".paradedup-") && name.ends_with(".tmp"),
                    "round {round}: {name} left behind"
                );
                fs::remove_file(dir.join(&name)).unwrap();
            }
        }
        // Back to the old files for the next round.
        for (name, bytes) in [
            ("out.jsonl", &old.out),
            ("seen.pds", &old.seen),
            ("report.json", &old.report),
        ] {
            fs::write(dir.join(name), bytes).unwrap();
        }
    }
    eprintln!(
        "12 kills over runs of {:?}: {old_left} left the old files, {new_left} the new ones",
        full
    );
    assert!(old_left > 0, "no kill landed before the end of a run");
    // A run after all those kills still completes and gives the new files.
    assert!(command(dir, true).status().unwrap().success());
    let last = files(dir);
    assert_eq!(last.out, new.out);
    assert_eq!(last.seen, new.seen);
}
