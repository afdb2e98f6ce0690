//! Hostile input for the command: each case states what must happen, and asserts it.
//!
//! The library cases (a 100 MB line, 10 million empty lines, only U+2029, NUL bytes, mixed line
//! endings, a million copies of one paragraph) are in `tests/hostile.rs`; these are the same and
//! more through JSON Lines, gzip and the command line. The binary under test is the test
//! profile's (unoptimized), so sizes are chosen to run in seconds there.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod cli_support;
use cli_support::*;

use serde_json::Value;

fn run(args: &[&str], paths: &[&Path]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args).args(paths);
    cmd.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A clean failure: exit code 1, one line on stderr naming what went wrong, no panic.
fn assert_clean_error(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for needle in needles {
        assert!(err.contains(needle), "{needle:?} not in {err}");
    }
}

fn report(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// A gzip file that inflates to `mib` MiB of one repeated byte: one small member, repeated
/// (gzip readers read concatenated members as one stream, as `gzip -d` does).
fn gzip_bomb(path: &Path, byte: u8, mib: usize) {
    let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    member.write_all(&vec![byte; 1 << 20]).unwrap();
    let member = member.finish().unwrap();
    let mut file = fs::File::create(path).unwrap();
    for _ in 0..mib {
        file.write_all(&member).unwrap();
    }
}

/// A 1 GiB gzip bomb of one repeated byte (1 MB on disk) is stopped by the document-size limit
/// (default 64 MiB) with an error naming the file, the line, the limit and the field, not by
/// running out of memory: the run is capped at 1 GiB of address space (`ulimit -v`), so a tool
/// that tried to hold the line whole would die of a failed allocation instead. No output file
/// and no temporary file is left.
#[cfg(unix)]
#[test]
fn a_gigabyte_gzip_bomb_is_stopped_by_the_document_limit() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.jsonl.gz");
    gzip_bomb(&bomb, b'x', 1024);
    assert!(fs::metadata(&bomb).unwrap().len() < 2 << 20);
    let out_path = dir.path().join("out.jsonl");
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
        .arg(bin())
        .args([
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "-o",
        ])
        .arg(&out_path)
        .arg(&bomb)
        .output()
        .unwrap();
    assert_clean_error(
        &out,
        &[
            "bomb.jsonl.gz: line 1:",
            "longer than the document limit of 67108864 bytes",
            "--max-document-bytes",
            "\"text\" field",
        ],
    );
    assert_eq!(names(dir.path()), ["bomb.jsonl.gz"]);
}

/// With `--skip-bad-lines`, a line over the limit is a bad line like any other: counted,
/// copied verbatim to `--rejects` (streamed through, never held whole), and the lines around it
/// are deduplicated as usual. Every input byte is accounted for in the report.
#[test]
fn an_over_long_line_is_skipped_and_kept_verbatim_with_skip_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let long = format!("{{\"text\":\"{}\"}}", "y".repeat(5 << 20));
    let lines = [
        r#"{"id":1,"text":"a\na"}"#.to_owned(),
        long.clone(),
        r#"{"id":2,"text":"b\nb"}"#.to_owned(),
    ];
    let content = lines.join("\n") + "\n";
    fs::write(&input, &content).unwrap();
    let (out, rejects, rep) = (
        dir.path().join("out.jsonl"),
        dir.path().join("rejects.jsonl"),
        dir.path().join("report.json"),
    );
    let o = run(
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--max-document-bytes",
            "1M",
            "--skip-bad-lines",
        ],
        &[
            Path::new("-o"),
            &out,
            Path::new("--rejects"),
            &rejects,
            Path::new("--report"),
            &rep,
            &input,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "{\"id\":1,\"text\":\"a\\n\"}\n{\"id\":2,\"text\":\"b\\n\"}\n"
    );
    assert_eq!(fs::read_to_string(&rejects).unwrap(), long + "\n");
    let r = report(&rep);
    assert_eq!(r["bad_lines"], 1);
    assert_eq!(r["documents"], 2);
    assert_eq!(r["input_bytes"], content.len());
    // Without the flag it is an error naming the line.
    let o = run(
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--max-document-bytes",
            "1M",
        ],
        &[&input],
    );
    assert_clean_error(&o, &["in.jsonl: line 2:", "limit of 1048576 bytes"]);
    // The counting pass of --boilerplate passes over it the same way.
    let o = run(
        &[
            "stats",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--max-document-bytes",
            "1M",
            "--skip-bad-lines",
        ],
        &[
            Path::new("--boilerplate"),
            Path::new("2"),
            Path::new("--report"),
            &rep,
            &input,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&rep);
    assert_eq!(
        (r["bad_lines"].as_u64(), r["documents"].as_u64()),
        (Some(1), Some(2))
    );
    // No paragraph stands in two documents; each document's repeat goes.
    assert_eq!(r["removed_paragraphs"], 2);
    assert_eq!(r["boilerplate_paragraphs"], 0);
}

/// A 100 MB single JSON line: refused under the default 64 MiB limit, read under a higher one,
/// where its repeated paragraph is removed.
#[test]
fn a_hundred_megabyte_json_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let half = "z".repeat(50_000_000);
    fs::write(&input, format!("{{\"text\":\"{half}\\n{half}\"}}\n")).unwrap();
    let o = run(
        &[
            "stats",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--normalize",
            "exact",
        ],
        &[&input],
    );
    assert_clean_error(&o, &["in.jsonl: line 1:", "67108864"]);
    let rep = dir.path().join("report.json");
    let o = run(
        &[
            "stats",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--normalize",
            "exact",
            "--max-document-bytes",
            "128M",
            "--report",
        ],
        &[&rep, &input],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&rep);
    assert_eq!(r["paragraphs"], 2);
    assert_eq!(r["removed_paragraphs"], 1);
    assert_eq!(r["removed_bytes"], 50_000_000);
}

/// A text input over the limit is an error naming the file (a text file is one document).
#[test]
fn a_text_file_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.txt");
    fs::write(&input, "w\n".repeat(600_000)).unwrap();
    let o = run(
        &[
            "stats",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--max-document-bytes",
            "1M",
        ],
        &[&input],
    );
    assert_clean_error(&o, &["big.txt: the file is longer than the document limit"]);
    let o = run(
        &[
            "stats",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--max-document-bytes",
            "2M",
        ],
        &[&input],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `--max-document-bytes` takes K, M and G and refuses nonsense as a usage error (code 2).
#[test]
fn the_document_limit_option_parses_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, "{\"text\":\"0123456789\"}\n").unwrap();
    for (limit, ok) in [("20", false), ("21", true), ("1K", true), ("1G", true)] {
        let o = run(
            &[
                "stats",
                "--short-paragraphs",
                "remove-every-repeat",
                "-q",
                "--max-document-bytes",
                limit,
            ],
            &[&input],
        );
        assert_eq!(o.status.success(), ok, "{limit}: {}", stderr(&o));
    }
    for bad in ["0", "-1", "1T", "lots", "99999999999999999999G"] {
        let o = run(
            &[
                "stats",
                "--short-paragraphs",
                "remove-every-repeat",
                "-q",
                "--max-document-bytes",
                bad,
            ],
            &[&input],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
    }
}

/// Nesting 100,000 deep is refused at depth 256 with an error (no stack overflow); 200 deep is
/// fine, and the nested value is written back byte for byte.
#[test]
fn deeply_nested_json() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.jsonl");
    let n = 100_000;
    fs::write(
        &deep,
        format!(
            "{{\"meta\":{}{},\"text\":\"a\"}}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
    )
    .unwrap();
    let o = run(
        &["dedup", "--short-paragraphs", "remove-every-repeat", "-q"],
        &[&deep],
    );
    assert_clean_error(&o, &["deep.jsonl: line 1:", "nested more than 256 deep"]);

    let ok = dir.path().join("ok.jsonl");
    let meta = format!("{}1{}", "[{\"k\":".repeat(100), "}]".repeat(100));
    let line = format!("{{\"meta\":{meta},\"text\":\"a\\na\"}}\n");
    fs::write(&ok, &line).unwrap();
    let o = run(
        &["dedup", "--short-paragraphs", "remove-every-repeat", "-q"],
        &[&ok],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        format!("{{\"meta\":{meta},\"text\":\"a\\n\"}}\n")
    );
}

/// Huge values in other fields (a 20 MB string, a 1 MB number, an array of 1 million numbers)
/// are carried through byte for byte while the text is deduplicated.
#[test]
fn huge_json_values_survive_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let big_string = format!("\"{}\\u00e9\"", "s".repeat(20_000_000));
    let big_number = format!("-{}.5e-300", "9".repeat(1_000_000));
    let big_array = format!("[{}0]", "1,".repeat(1_000_000));
    let before = format!("{{\"s\":{big_string},\"n\":{big_number},\"a\":{big_array},\"text\":\"");
    fs::write(&input, format!("{before}x\\ny\\nx\"}}\n")).unwrap();
    let o = run(
        &["dedup", "--short-paragraphs", "remove-every-repeat", "-q"],
        &[&input],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        format!("{before}x\\ny\\n\"}}\n")
    );
}

/// Overlong UTF-8 (`C0 AF`, `E0 80 AF`) and other invalid bytes are an error at their column,
/// or skipped lines with `--skip-bad-lines`; they never reach the text.
#[test]
fn overlong_utf8_is_refused_at_its_column() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bad) in [
        ("c0.jsonl", &b"\xc0\xaf"[..]),
        ("e0.jsonl", b"\xe0\x80\xaf"),
        ("ff.jsonl", b"\xff"),
    ] {
        let input = dir.path().join(name);
        let mut line = b"{\"id\":1,\"text\":\"ok\"}\n{\"text\":\"ab".to_vec();
        line.extend_from_slice(bad);
        line.extend_from_slice(b"\"}\n");
        fs::write(&input, &line).unwrap();
        let o = run(
            &["dedup", "--short-paragraphs", "remove-every-repeat", "-q"],
            &[&input],
        );
        assert_clean_error(
            &o,
            &[&format!("{name}: line 2:"), "invalid UTF-8", "column 12"],
        );
        let o = run(
            &[
                "dedup",
                "--short-paragraphs",
                "remove-every-repeat",
                "-q",
                "--skip-bad-lines",
            ],
            &[&input],
        );
        assert!(o.status.success());
        assert_eq!(o.stdout, b"{\"id\":1,\"text\":\"ok\"}\n");
    }
}

/// A lone surrogate escape in the text is an error at its column (no Rust string can hold it,
/// and no valid text contains it); in another field it is left alone, byte for byte, since
/// that field is never decoded; a proper pair decodes to its character.
#[test]
fn lone_surrogates_in_json_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    for (text, column) in [(r"a\ud800b", 11), (r"\udc00", 10), (r"\ud83d\u0041", 10)] {
        fs::write(&input, format!("{{\"text\":\"{text}\"}}\n")).unwrap();
        let o = run(
            &["dedup", "--short-paragraphs", "remove-every-repeat", "-q"],
            &[&input],
        );
        assert_clean_error(
            &o,
            &[
                "line 1:",
                "lone UTF-16 surrogate",
                &format!("column {column}"),
            ],
        );
    }
    let line = "{\"other\":\"\\ud800\",\"text\":\"\\ud83d\\ude00\\n\\ud83d\\ude00\"}\n";
    fs::write(&input, line).unwrap();
    let o = run(
        &["dedup", "--short-paragraphs", "remove-every-repeat", "-q"],
        &[&input],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "{\"other\":\"\\ud800\",\"text\":\"\\ud83d\\ude00\\n\"}\n"
    );
}

/// NUL: raw in a JSON string it is an error (JSON requires control characters escaped);
/// escaped, it is content, deduplicated like any other character and written back escaped.
#[test]
fn nul_bytes_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, b"{\"text\":\"a\x00b\"}\n").unwrap();
    let o = run(
        &["dedup", "--short-paragraphs", "remove-every-repeat", "-q"],
        &[&input],
    );
    assert_clean_error(&o, &["line 1:", "raw control character", "column 11"]);
    fs::write(
        &input,
        "{\"text\":\"a\\u0000b\\na\\u0000b\\na\\u0000c\\n\\u0000\\n\\u0000\"}\n",
    )
    .unwrap();
    let o = run(
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--normalize",
            "exact",
        ],
        &[&input],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "{\"text\":\"a\\u0000b\\na\\u0000c\\n\\u0000\\n\"}\n"
    );
}

/// JSON lines ended by `\n`, `\r\n` and nothing (the last) all read; each written line keeps
/// its own terminator (the last gets `\n`); texts with every line break dedup as in the
/// library.
#[test]
fn mixed_line_endings_in_jsonl_and_in_texts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let text = r"x\r\ny\rx\nz\u0085y\u2028z\u2029x\r\r\n";
    fs::write(
        &input,
        format!("{{\"text\":\"{text}\"}}\r\n{{\"text\":\"q\\rq\"}}\n{{\"text\":\"e\"}}"),
    )
    .unwrap();
    let o = run(
        &["dedup", "--short-paragraphs", "remove-every-repeat", "-q"],
        &[&input],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "{\"text\":\"x\\r\\ny\\rz\\u0085\"}\r\n{\"text\":\"q\\r\"}\n{\"text\":\"e\"}\n"
    );
}

/// A document of only U+2029 (escaped, as Python writes it, and raw) has no paragraph and comes
/// back untouched.
#[test]
fn a_document_of_only_paragraph_separators() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let escaped = format!("{{\"text\":\"{}\"}}", r"\u2029".repeat(100_000));
    let raw = format!("{{\"text\":\"{}\"}}", "\u{2029}".repeat(100_000));
    fs::write(&input, format!("{escaped}\n{raw}\n")).unwrap();
    for unit in ["lines", "blank-lines"] {
        let rep = dir.path().join("r.json");
        let o = run(
            &[
                "dedup",
                "--short-paragraphs",
                "remove-every-repeat",
                "-q",
                "--unit",
                unit,
                "--report",
            ],
            &[&rep, &input],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(o.stdout, fs::read(&input).unwrap());
        assert_eq!(report(&rep)["paragraphs"], 0);
    }
}

/// Ten million empty lines in a JSONL file: no document, every one counted as a blank line,
/// nothing written.
#[test]
fn ten_million_empty_lines_of_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("empty.jsonl");
    fs::write(&input, "\n".repeat(10_000_000)).unwrap();
    let rep = dir.path().join("r.json");
    let o = run(
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--report",
        ],
        &[&rep, &input],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let r = report(&rep);
    assert_eq!(r["blank_lines"], 10_000_000);
    assert_eq!(r["documents"], 0);
    assert_eq!(r["input_bytes"], 10_000_000);
}

/// One million distinct documents (distinct ids) that are all the same paragraph, spelled two
/// ways: in corpus scope the first keeps it and every other is emptied (or dropped with
/// `--drop-empty`); the seen-set holds one fingerprint.
#[test]
fn a_million_documents_of_one_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("same.jsonl");
    let mut content = String::with_capacity(40_000_000);
    for i in 0..1_000_000 {
        let text = if i % 2 == 0 {
            "S'abonner"
        } else {
            "S’ABONNER !"
        };
        content.push_str(&format!("{{\"id\":{i},\"text\":\"{text}\"}}\n"));
    }
    fs::write(&input, &content).unwrap();
    let (out, rep) = (dir.path().join("out.jsonl"), dir.path().join("r.json"));
    let o = run(
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "--scope",
            "corpus",
            "--drop-empty",
            "-o",
        ],
        &[&out, Path::new("--report"), &rep, &input],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "{\"id\":0,\"text\":\"S'abonner\"}\n"
    );
    let r = report(&rep);
    assert_eq!(r["documents"], 1_000_000);
    assert_eq!(r["removed_paragraphs"], 999_999);
    assert_eq!(r["documents_dropped_empty"], 999_999);
    assert_eq!(r["seen_set"]["fingerprints"], 1);
    assert_eq!(r["most_repeated"][0]["removed"], 999_999);
}

/// Where a run writes nothing but an error, it leaves nothing: no output, no temporary file.
#[test]
fn a_failed_run_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let input: PathBuf = dir.path().join("in.jsonl");
    let mut content = "{\"text\":\"fine\"}\n".repeat(5000);
    content.push_str("{\"text\": nope}\n");
    fs::write(&input, content).unwrap();
    let out = dir.path().join("out.jsonl.zst");
    let o = run(
        &[
            "dedup",
            "--short-paragraphs",
            "remove-every-repeat",
            "-q",
            "-o",
        ],
        &[&out, &input],
    );
    assert_clean_error(&o, &["in.jsonl: line 5001:"]);
    assert_eq!(names(dir.path()), ["in.jsonl"]);
}
