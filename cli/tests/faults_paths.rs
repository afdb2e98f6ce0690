//! End-to-end tests of the paths a run reads and writes: inputs that cannot be read twice or
//! change while read, outputs that would overwrite what the run reads, destinations checked
//! before any reading, names that are not UTF-8, special files in a directory walk, and
//! symbolic links. Each run that succeeds is reconciled from its report: documents in =
//! documents out + documents dropped, text bytes in = bytes kept + bytes removed.
#![cfg(unix)]

use std::fs;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_paradedup")
}

/// Waits for `child` at most `secs` seconds: a run that blocks or spins fails the test
/// instead of hanging it.
fn wait(mut child: Child, secs: u64) -> Output {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "paradedup still running after {secs} s (stderr: {})",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `paradedup` in `dir` with `args`, nothing on its standard input, at most 30 s.
fn run(dir: &Path, args: &[&str]) -> Output {
    let child = Command::new(bin())
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait(child, 30)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// JSON Lines of `texts`, one document each.
fn jsonl(texts: &[&str]) -> String {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": i, "text": t}).to_string() + "\n")
        .collect()
}

/// The documents of a JSON Lines output: their texts.
fn output_texts(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// Checks the report against what went in and what came out: every document read is written
/// or counted as dropped, every text byte is kept or counted as removed.
fn reconcile(report: &Path, texts_in: &[String], texts_out: &[String]) {
    let r: Value = serde_json::from_str(&fs::read_to_string(report).unwrap()).unwrap();
    let n = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}"));
    assert_eq!(n("documents"), texts_in.len() as u64, "documents in");
    assert_eq!(
        n("documents"),
        n("documents_written") + n("documents_dropped_empty") + n("bad_lines"),
        "documents in = out + dropped"
    );
    assert_eq!(
        n("documents_written"),
        texts_out.len() as u64,
        "documents out"
    );
    let bytes_in: u64 = texts_in.iter().map(|t| t.len() as u64).sum();
    let kept: u64 = texts_out.iter().map(|t| t.len() as u64).sum();
    assert_eq!(n("text_bytes"), bytes_in, "text bytes in");
    assert_eq!(
        bytes_in,
        kept + n("removed_bytes"),
        "bytes in = kept + removed"
    );
}

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| (*t).to_owned()).collect()
}

const TEXTS: [&str; 4] = [
    "Menu\nFirst story\n",
    "Menu\nSecond story\n",
    "Menu\nThird story\nThird story\n",
    "Menu\n",
];

// 1. Two-pass modes refuse inputs that cannot be read twice.

#[test]
fn boilerplate_refuses_a_pipe_named_as_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .current_dir(dir.path())
        .args([
            "dedup",
            "--boilerplate",
            "2",
            "/dev/stdin",
            "-o",
            "out.jsonl",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The run may refuse before reading: a closed pipe is fine.
    let _ = stdin.write_all(jsonl(&TEXTS).as_bytes());
    drop(stdin);
    let out = wait(child, 30);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("/dev/stdin") && err.contains("not a regular file"),
        "{err}"
    );
    assert!(err.contains("to a file first"), "{err}");
    assert!(!dir.path().join("out.jsonl").exists());
}

#[test]
fn boilerplate_refuses_a_named_pipe_instead_of_hanging() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.jsonl"));
    let out = run(
        dir.path(),
        &[
            "dedup",
            "--boilerplate",
            "2",
            "pipe.jsonl",
            "-o",
            "out.jsonl",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("pipe.jsonl"), "{}", stderr(&out));
    assert!(!dir.path().join("out.jsonl").exists());
}

#[test]
fn boilerplate_reads_a_regular_file_twice_and_reconciles() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("in.jsonl"), jsonl(&TEXTS)).unwrap();
    let run2 = run(
        dir.path(),
        &[
            "dedup",
            "-q",
            "--boilerplate",
            "3",
            "in.jsonl",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
        ],
    );
    assert!(run2.status.success(), "{}", stderr(&run2));
    let texts_out = output_texts(&dir.path().join("out.jsonl"));
    assert!(
        texts_out.iter().all(|t| !t.contains("Menu")),
        "{texts_out:?}"
    );
    reconcile(&dir.path().join("r.json"), &strings(&TEXTS), &texts_out);
}

#[test]
fn boilerplate_still_names_a_text_input_over_the_document_limit() {
    // Its first pass stops reading the file at the limit: that is not a file cut short.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("big.txt"), "a".repeat(30 << 20)).unwrap();
    let out = run(
        dir.path(),
        &[
            "dedup",
            "--boilerplate",
            "2",
            "--max-document-bytes",
            "1K",
            "big.txt",
            "-o",
            "o.jsonl",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("big.txt: the file is longer than the document limit"),
        "{err}"
    );
}

// 3. What the run reads is protected from what it writes.

/// Saves a seen-set of `TEXTS` to `seen.bin` in `dir`.
fn save_seen(dir: &Path) -> Vec<u8> {
    fs::write(dir.join("in.jsonl"), jsonl(&TEXTS)).unwrap();
    let out = run(
        dir,
        &[
            "dedup",
            "-q",
            "--scope",
            "corpus",
            "in.jsonl",
            "-o",
            "first.jsonl",
            "--seen-out",
            "seen.bin",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    fs::read(dir.join("seen.bin")).unwrap()
}

#[test]
fn no_output_may_overwrite_the_seen_in_file() {
    let dir = tempfile::tempdir().unwrap();
    let saved = save_seen(dir.path());
    std::os::unix::fs::symlink("seen.bin", dir.path().join("link.bin")).unwrap();
    fs::hard_link(dir.path().join("seen.bin"), dir.path().join("hard.bin")).unwrap();
    let base = [
        "dedup",
        "-q",
        "--scope",
        "corpus",
        "--seen-in",
        "seen.bin",
        "in.jsonl",
    ];
    for extra in [
        &["-o", "seen.bin"][..],
        &["-o", "link.bin"],
        &["-o", "./hard.bin"],
        &["-o", "out.jsonl", "--report", "seen.bin"],
        &["-o", "out.jsonl", "--report", "link.bin"],
        &[
            "-o",
            "out.jsonl",
            "--skip-bad-lines",
            "--rejects",
            "seen.bin",
        ],
    ] {
        let args = [&base[..], extra].concat();
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("--seen-in"),
            "{extra:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            fs::read(dir.path().join("seen.bin")).unwrap(),
            saved,
            "{extra:?}"
        );
        assert!(!dir.path().join("out.jsonl").exists(), "{extra:?}");
    }
    // Saving the set back where it was loaded from is the documented way to go on.
    let args = [
        &base[..],
        &[
            "-o",
            "out.jsonl",
            "--seen-out",
            "seen.bin",
            "--report",
            "r.json",
        ],
    ]
    .concat();
    let out = run(dir.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let texts_out = output_texts(&dir.path().join("out.jsonl"));
    reconcile(&dir.path().join("r.json"), &strings(&TEXTS), &texts_out);
}

#[test]
fn an_input_reached_through_a_link_is_protected() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("in.jsonl"), jsonl(&TEXTS)).unwrap();
    std::os::unix::fs::symlink("in.jsonl", dir.path().join("alias.jsonl")).unwrap();
    fs::hard_link(dir.path().join("in.jsonl"), dir.path().join("same.jsonl")).unwrap();
    for output in ["alias.jsonl", "same.jsonl"] {
        let out = run(
            dir.path(),
            &["dedup", "in.jsonl", "-o", "out.jsonl", "--report", output],
        );
        assert_eq!(out.status.code(), Some(2), "{output}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("refusing to write over the input"),
            "{output}"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("in.jsonl")).unwrap(),
            jsonl(&TEXTS)
        );
    }
}

#[test]
fn standard_input_redirected_from_a_file_is_protected() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, jsonl(&TEXTS)).unwrap();
    let child = Command::new(bin())
        .current_dir(dir.path())
        .args(["dedup", "-", "-o", "in.jsonl"])
        .stdin(fs::File::open(&input).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait(child, 30);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("refusing to write over the input"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&input).unwrap(), jsonl(&TEXTS));
}

// 16. Every destination is checked before anything is read.

#[test]
fn unwritable_destinations_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    // Reading would stop at line 2: an error naming the destination shows it was checked first.
    fs::write(
        dir.path().join("in.jsonl"),
        jsonl(&TEXTS[..1]) + "{\"text\": broken}\n",
    )
    .unwrap();
    fs::write(dir.path().join("plain"), "a file, not a directory").unwrap();
    fs::create_dir(dir.path().join("adir")).unwrap();
    for (extra, named) in [
        (&["--report", "plain/r.json"][..], "plain/r.json"),
        (&["--report", "missing/r.json"], "missing/r.json"),
        (&["--report", "adir"], "adir"),
        (
            &["--scope", "corpus", "--seen-out", "plain/s.bin"],
            "plain/s.bin",
        ),
        (&["--scope", "corpus", "--seen-out", "adir"], "adir"),
        (
            &["--skip-bad-lines", "--rejects", "missing/x.jsonl"],
            "missing/x.jsonl",
        ),
    ] {
        let args = [&["dedup", "in.jsonl", "-o", "out.jsonl"][..], extra].concat();
        let out = run(dir.path(), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {err}");
        assert!(err.contains(named), "{extra:?}: {err}");
        assert!(
            !err.contains("line 2"),
            "{extra:?} read before checking: {err}"
        );
        assert!(!dir.path().join("out.jsonl").exists());
    }
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["adir", "in.jsonl", "plain"], "nothing left behind");
}

// 4. An input that changes while it is read is an error, not fewer documents.

#[test]
fn an_input_truncated_while_read_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let texts: Vec<String> = (0..2000)
        .map(|i| format!("paragraph {i}\nshared\n"))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let content = jsonl(&refs);
    let big = dir.path().join("big.jsonl");
    fs::write(&big, &content).unwrap();
    let fifo = dir.path().join("first.jsonl");
    mkfifo(&fifo);
    let child = Command::new(bin())
        .current_dir(dir.path())
        .args(["dedup", "-q", "first.jsonl", "big.jsonl", "-o", "out.jsonl"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The pipe opens once the run has planned (and measured big.jsonl) and starts reading.
    let mut writer = open_writer(&fifo);
    // Cut big.jsonl at a line boundary, as a job rewriting it would, before it is read.
    let cut = content[..content.len() / 2].rfind('\n').unwrap() + 1;
    fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(cut as u64)
        .unwrap();
    writer
        .write_all(jsonl(&["from the pipe\n"]).as_bytes())
        .unwrap();
    drop(writer);
    let out = wait(child, 30);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("big.jsonl") && err.contains("changed"),
        "{err}"
    );
    assert!(!dir.path().join("out.jsonl").exists());
}

/// Opens the named pipe `fifo` for writing once the run opened it for reading (at most 30 s).
fn open_writer(fifo: &Path) -> fs::File {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        // Without a reader, a non-blocking open fails at once instead of waiting for one.
        const O_NONBLOCK: i32 = 0o4000;
        match fs::OpenOptions::new()
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(fifo)
        {
            Ok(w) => return w,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => panic!("the run never opened its input: {e}"),
        }
    }
}

// 6. Text inputs' ids are unique and reversible, whatever their names' bytes.

/// Reverses the escaping of ids: `%XX` is the byte XX.
fn unescape(id: &str) -> Vec<u8> {
    let b = id.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&id[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn text_ids_of_names_that_are_not_utf8_are_unique_and_reversible() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let names: [&[u8]; 4] = [b"a\xff.txt", b"a\xfe.txt", b"a%FF.txt", b"plain.txt"];
    let mut texts_in = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let text = format!("Shared line\nonly in {i}\n");
        fs::write(docs.join(std::ffi::OsStr::from_bytes(name)), &text).unwrap();
        texts_in.push(text);
    }
    let out = run(
        dir.path(),
        &[
            "dedup",
            "-q",
            "docs",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = fs::read_to_string(dir.path().join("out.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<String> = lines
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{ids:?}");
    // Each id gives back the path's bytes exactly.
    let mut back: Vec<Vec<u8>> = ids.iter().map(|id| unescape(id)).collect();
    back.sort();
    let mut want: Vec<Vec<u8>> = names.iter().map(|n| [b"docs/", *n].concat()).collect();
    want.sort();
    assert_eq!(back, want, "{ids:?}");
    // In the walk's order (by name bytes), as the report counts them.
    let mut sorted = names.to_vec();
    sorted.sort();
    let texts_in: Vec<String> = sorted
        .iter()
        .map(|n| texts_in[names.iter().position(|m| m == n).unwrap()].clone())
        .collect();
    let texts_out: Vec<String> = lines
        .iter()
        .map(|v| v["text"].as_str().unwrap().to_owned())
        .collect();
    reconcile(&dir.path().join("r.json"), &texts_in, &texts_out);
}

// 12. A directory walk reads regular files only; the thread count has a bound.

#[test]
fn a_named_pipe_in_a_walked_directory_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    fs::create_dir(&shards).unwrap();
    fs::write(shards.join("a.jsonl"), jsonl(&TEXTS)).unwrap();
    mkfifo(&shards.join("b.jsonl"));
    let out = run(
        dir.path(),
        &["dedup", "shards", "-o", "out.jsonl", "--report", "r.json"],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("b.jsonl") && err.contains("not a regular file"),
        "{err}"
    );
    let r: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let skipped = r["skipped_files"]
        .as_array()
        .expect("skipped files in the report");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].as_str().unwrap().contains("b.jsonl"),
        "{skipped:?}"
    );
    let texts_out = output_texts(&dir.path().join("out.jsonl"));
    reconcile(&dir.path().join("r.json"), &strings(&TEXTS), &texts_out);
}

#[test]
fn an_absurd_thread_count_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("in.jsonl"), jsonl(&TEXTS)).unwrap();
    let out = run(
        dir.path(),
        &[
            "dedup",
            "--threads",
            "4000000000",
            "in.jsonl",
            "-o",
            "out.jsonl",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("1024"), "{err}");
    assert!(!dir.path().join("out.jsonl").exists());
}

// 18. A byte order mark is named; -o through a symlink; metadata beside the shards.

#[test]
fn a_byte_order_mark_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let content = [&b"\xef\xbb\xbf"[..], jsonl(&TEXTS).as_bytes()].concat();
    fs::write(dir.path().join("bom.jsonl"), content).unwrap();
    let out = run(dir.path(), &["dedup", "bom.jsonl", "-o", "out.jsonl"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bom.jsonl: line 1") && err.contains("byte order mark"),
        "{err}"
    );
}

#[test]
fn output_through_a_symlink_is_written_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("in.jsonl"), jsonl(&TEXTS)).unwrap();
    fs::create_dir(dir.path().join("store")).unwrap();
    fs::write(dir.path().join("store/clean.jsonl"), "old\n").unwrap();
    std::os::unix::fs::symlink("store/clean.jsonl", dir.path().join("clean.jsonl")).unwrap();
    let out = run(
        dir.path(),
        &[
            "dedup",
            "-q",
            "in.jsonl",
            "-o",
            "clean.jsonl",
            "--report",
            "r.json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let link = dir.path().join("clean.jsonl");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is kept"
    );
    let texts_out = output_texts(&dir.path().join("store/clean.jsonl"));
    reconcile(&dir.path().join("r.json"), &strings(&TEXTS), &texts_out);
    assert_eq!(
        fs::read_dir(dir.path().join("store")).unwrap().count(),
        1,
        "no temporary left"
    );
}

#[test]
fn a_json_file_that_is_not_json_lines_is_skipped_in_a_walk() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    fs::create_dir(&shards).unwrap();
    fs::write(shards.join("data-00000.jsonl"), jsonl(&TEXTS[..2])).unwrap();
    // A JSON Lines file named .json is still read.
    fs::write(shards.join("data-00001.json"), jsonl(&TEXTS[2..])).unwrap();
    fs::write(
        shards.join("dataset_info.json"),
        "{\n  \"citation\": \"\",\n  \"features\": {}\n}\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["dedup", "shards", "-o", "out.jsonl", "--report", "r.json"],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("dataset_info.json"), "{err}");
    let texts_out = output_texts(&dir.path().join("out.jsonl"));
    reconcile(&dir.path().join("r.json"), &strings(&TEXTS), &texts_out);
}

#[test]
fn a_compressed_json_file_that_is_not_json_lines_is_skipped_in_a_walk() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    fs::create_dir(&shards).unwrap();
    fs::write(
        shards.join("data-00000.jsonl.gz"),
        gzip(jsonl(&TEXTS[..2]).as_bytes()),
    )
    .unwrap();
    fs::write(
        shards.join("data-00001.json.zst"),
        zstd::encode_all(jsonl(&TEXTS[2..]).as_bytes(), 3).unwrap(),
    )
    .unwrap();
    let metadata = b"{\n  \"citation\": \"\",\n  \"features\": {}\n}\n";
    fs::write(shards.join("dataset_info.json.gz"), gzip(metadata)).unwrap();
    fs::write(
        shards.join("state.json.zst"),
        zstd::encode_all(&metadata[..], 3).unwrap(),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["dedup", "shards", "-o", "out.jsonl", "--report", "r.json"],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("dataset_info.json.gz"), "{err}");
    assert!(err.contains("state.json.zst"), "{err}");
    let texts_out = output_texts(&dir.path().join("out.jsonl"));
    reconcile(&dir.path().join("r.json"), &strings(&TEXTS), &texts_out);
}

/// `bytes` gzip-compressed.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

// 17. An interrupted run leaves no temporary file behind.

#[test]
fn sigint_and_sigterm_remove_the_temporary_outputs() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("in.jsonl");
        mkfifo(&fifo);
        fs::create_dir(dir.path().join("out")).unwrap();
        let child = Command::new(bin())
            .current_dir(dir.path())
            .args([
                "dedup",
                "-q",
                "in.jsonl",
                "-o",
                "out/clean.jsonl",
                "--report",
                "out/r.json",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The input stays open: the run is in the middle of reading it, its output begun.
        let mut writer = open_writer(&fifo);
        writer.write_all(jsonl(&TEXTS).as_bytes()).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while fs::read_dir(dir.path().join("out")).unwrap().count() == 0 {
            assert!(Instant::now() < deadline, "no temporary output was made");
            std::thread::sleep(Duration::from_millis(10));
        }
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let out = wait(child, 30);
        drop(writer);
        assert_eq!(
            out.status.code(),
            Some(code),
            "SIG{signal}: {}",
            stderr(&out)
        );
        let left: Vec<_> = fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "SIG{signal} left {left:?}");
    }
}
