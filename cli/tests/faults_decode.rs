//! Faults in decoding an input: text files that are bad documents, compressed streams cut short,
//! and compressed streams other tools write and accept (pzstd's skippable frames, `zstd
//! --long`'s large windows, gzip's trailing zero padding). Every run's report reconciles: the
//! documents read are the documents written plus those reported dropped, and the records of the
//! inputs are the documents plus the bad lines.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn paradedup(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paradedup"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn report(dir: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(dir.join("r.json")).unwrap()).unwrap()
}

/// `n` JSON lines with distinct, poorly compressible texts: nothing is a repeat, so every kept
/// line is written byte for byte.
fn lines(n: usize, tag: &str) -> Vec<String> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..n)
        .map(|i| {
            let words: Vec<String> = (0..12)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    format!("{:x}", state >> 20)
                })
                .collect();
            format!(
                "{{\"id\":\"{tag}{i}\",\"text\":\"{tag} {i} {}\"}}\n",
                words.join(" ")
            )
        })
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The totals agree with each other and with the output: documents read = documents written +
/// documents dropped; per-input counts add up to the totals.
fn reconcile(r: &Value, output: &str) {
    let n = |v: &Value| v.as_u64().unwrap();
    assert_eq!(
        n(&r["documents"]),
        n(&r["documents_written"]) + n(&r["documents_dropped_empty"]),
        "{r}"
    );
    assert_eq!(n(&r["documents_written"]), output.lines().count() as u64);
    let inputs = r["per_input"].as_array().unwrap();
    for field in ["documents", "bad_lines", "blank_lines", "dropped_empty"] {
        let sum: u64 = inputs.iter().map(|i| n(&i[field])).sum();
        assert_eq!(sum, n(&r[field_total(field)]), "{field}");
    }
}

fn field_total(field: &str) -> &str {
    match field {
        "dropped_empty" => "documents_dropped_empty",
        other => other,
    }
}

// 13. `--skip-bad-lines` and text inputs.

/// A `.txt` input that is not UTF-8, or over `--max-document-bytes`, is with
/// `--skip-bad-lines` a skipped document: counted, named on stderr, in the report and in
/// `--rejects`, and the inputs after it are read.
#[test]
fn bad_text_files_are_skipped_with_skip_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("a.txt"), "first paragraph\nsecond paragraph\n").unwrap();
    fs::write(d.join("b.txt"), b"fine line\ncaf\xe9 au lait\n").unwrap();
    let big = "a long line of text\n".repeat(1000);
    fs::write(d.join("c.txt"), &big).unwrap();
    fs::write(d.join("d.txt"), "last paragraph\n").unwrap();
    let args = [
        "dedup",
        "--skip-bad-lines",
        "--max-document-bytes",
        "10K",
        "--rejects",
        "rejects.jsonl",
        "-o",
        "out.jsonl",
        "--report",
        "r.json",
        "a.txt",
        "b.txt",
        "c.txt",
        "d.txt",
    ];
    let o = paradedup(d, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("b.txt: line 2: invalid UTF-8 (column 4) (skipped)"),
        "{err}"
    );
    assert!(
        err.contains("c.txt: the file is longer than the document limit of 10240 bytes"),
        "{err}"
    );
    let out = fs::read_to_string(d.join("out.jsonl")).unwrap();
    let ids: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"a.txt\"", "\"d.txt\""]);
    let r = report(d);
    reconcile(&r, &out);
    // Four documents in: two written, two reported bad.
    assert_eq!(r["documents"], 2);
    assert_eq!(r["bad_lines"], 2);
    let per: Vec<(String, u64)> = r["per_input"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap().to_owned(),
                i["bad_lines"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        per,
        [
            ("a.txt".into(), 0),
            ("b.txt".into(), 1),
            ("c.txt".into(), 1),
            ("d.txt".into(), 0)
        ]
    );
    // Bytes: every byte of every file was read, and is either text or in a bad document.
    let size = |name: &str| fs::metadata(d.join(name)).unwrap().len();
    let all = size("a.txt") + size("b.txt") + size("c.txt") + size("d.txt");
    assert_eq!(r["input_bytes"], all);
    assert_eq!(r["text_bytes"], size("a.txt") + size("d.txt"));
    // The rejects file names each bad document and why, one JSON line each.
    let rejects = fs::read_to_string(d.join("rejects.jsonl")).unwrap();
    let rejected: Vec<Value> = rejects
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rejected.len(), 2, "{rejects}");
    assert_eq!(rejected[0]["path"], "b.txt");
    assert!(rejected[0]["error"]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
    assert_eq!(rejected[1]["path"], "c.txt");
    assert!(rejected[1]["error"]
        .as_str()
        .unwrap()
        .contains("--max-document-bytes"));

    // Without --skip-bad-lines the first bad file ends the run, naming it.
    let o = paradedup(d, &["dedup", "-o", "out2.jsonl", "a.txt", "b.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("b.txt: line 2: invalid UTF-8"));
    assert!(!d.join("out2.jsonl").exists());
}

// 14. Truncated compressed inputs.

/// A `.gz` or `.zst` input cut short is, with `--skip-bad-lines`, counted in the report (its
/// `truncated`), the lines read before the cut kept, the cut line counted as a bad line and
/// copied to the rejects, and the next input read; without it the run fails naming the file
/// and saying that it is truncated.
#[test]
fn truncated_inputs_keep_what_was_read_and_the_run_goes_on() {
    let content = lines(20_000, "t").concat();
    let zst = zstd::encode_all(content.as_bytes(), 3).unwrap();
    let gz = gzip(content.as_bytes());
    for (name, compressed) in [("cut.jsonl.gz", &gz), ("cut.jsonl.zst", &zst)] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join(name), &compressed[..compressed.len() / 2]).unwrap();
        let after = lines(3, "after").concat();
        fs::write(d.join("next.jsonl"), &after).unwrap();
        let o = paradedup(
            d,
            &[
                "dedup",
                "--skip-bad-lines",
                "--rejects",
                "rejects.jsonl",
                "-o",
                "out.jsonl",
                "--report",
                "r.json",
                name,
                "next.jsonl",
            ],
        );
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("{name}: ")), "{err}");
        assert!(err.contains("stream is truncated"), "{err}");
        let out = fs::read_to_string(d.join("out.jsonl")).unwrap();
        let rejects = fs::read_to_string(d.join("rejects.jsonl")).unwrap();
        // What was read before the cut, then the next input whole.
        let kept = out.strip_suffix(&after).expect("the next input is read");
        assert!(content.starts_with(kept));
        let whole = kept.lines().count();
        assert!(whole > 1000, "{name}: {whole} lines kept");
        assert!(whole < 20_000);
        // The line the cut fell in, if any of it was read, is a bad line, copied to the rejects.
        let partial = rejects.lines().count();
        assert!(partial <= 1);
        if partial == 1 {
            assert!(content[kept.len()..].starts_with(rejects.trim_end_matches('\n')));
        }
        let r = report(d);
        reconcile(&r, &out);
        let first = &r["per_input"][0];
        assert_eq!(first["path"], name);
        assert_eq!(first["truncated"], true, "{r}");
        assert_eq!(r["per_input"][1]["truncated"], false);
        assert_eq!(r["truncated_inputs"], 1);
        // Records in: the whole lines before the cut, the cut one, the next input's three.
        assert_eq!(first["documents"], whole as u64);
        assert_eq!(first["bad_lines"], partial as u64);
        assert_eq!(r["documents"], whole as u64 + 3);
        // Bytes: every byte decompressed is in the output or the rejects (which end the cut
        // line with a line break of their own).
        assert_eq!(
            r["input_bytes"],
            (out.len() + rejects.len() - partial) as u64,
            "{name}"
        );

        // The first pass of --boilerplate reads the same inputs, the cut one as far as it goes.
        let o = paradedup(
            d,
            &[
                "dedup",
                "--skip-bad-lines",
                "--boilerplate",
                "1000",
                "-o",
                "outb.jsonl",
                name,
                "next.jsonl",
            ],
        );
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert_eq!(fs::read_to_string(d.join("outb.jsonl")).unwrap(), out);

        // Without --skip-bad-lines: an error naming the file and the truncation, no output.
        let o = paradedup(d, &["dedup", "-o", "out2.jsonl", name, "next.jsonl"]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.starts_with(&format!("paradedup: {name}: ")), "{err}");
        assert!(err.contains("stream is truncated"), "{err}");
        assert!(!err.contains("or corrupt"), "{err}");
        assert!(!d.join("out2.jsonl").exists());
    }
}

/// A cut that falls inside a line longer than `--max-document-bytes` (read through in pieces,
/// never held) ends the input the same way: the long line is a bad line, the run goes on.
#[test]
fn a_cut_inside_a_long_line_ends_the_input_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let short = lines(100, "s").concat();
    let long = lines(20_000, "l").concat().replace('\n', " ");
    let content = format!("{short}{{\"text\":\"{long}\"}}\n");
    let gz = gzip(content.as_bytes());
    fs::write(d.join("cut.jsonl.gz"), &gz[..gz.len() * 3 / 4]).unwrap();
    fs::write(d.join("next.jsonl"), lines(2, "n").concat()).unwrap();
    let o = paradedup(
        d,
        &[
            "dedup",
            "--skip-bad-lines",
            "--max-document-bytes",
            "64K",
            "--rejects",
            "rejects.jsonl",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
            "cut.jsonl.gz",
            "next.jsonl",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = fs::read_to_string(d.join("out.jsonl")).unwrap();
    assert_eq!(out, short.clone() + &lines(2, "n").concat());
    let rejects = fs::read(d.join("rejects.jsonl")).unwrap();
    assert!(content.as_bytes()[short.len()..].starts_with(&rejects[..rejects.len() - 1]));
    let r = report(d);
    reconcile(&r, &out);
    assert_eq!(r["per_input"][0]["truncated"], true, "{r}");
    assert_eq!(r["per_input"][0]["documents"], 100);
    assert_eq!(r["per_input"][0]["bad_lines"], 1);
    assert_eq!(r["documents"], 102);
    assert_eq!(r["input_bytes"], (out.len() + rejects.len() - 1) as u64);
}

/// A compressed text input cut short is, with `--skip-bad-lines`, a bad document (it is not
/// whole) and a truncated input; the run goes on.
#[test]
fn a_truncated_compressed_text_input_is_a_bad_document() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = lines(5000, "x").concat();
    let gz = gzip(text.as_bytes());
    fs::write(d.join("cut.txt.gz"), &gz[..gz.len() / 2]).unwrap();
    fs::write(d.join("next.txt"), "the next document\n").unwrap();
    let o = paradedup(
        d,
        &[
            "dedup",
            "--skip-bad-lines",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
            "cut.txt.gz",
            "next.txt",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("cut.txt.gz: the gzip stream is truncated"));
    let out = fs::read_to_string(d.join("out.jsonl")).unwrap();
    let r = report(d);
    reconcile(&r, &out);
    assert_eq!(r["documents"], 1);
    assert_eq!(r["bad_lines"], 1);
    assert_eq!(r["per_input"][0]["truncated"], true);
    assert_eq!(r["per_input"][0]["bad_lines"], 1);
    assert_eq!(r["per_input"][1]["documents"], 1);
}

// 15. Streams other tools write.

/// A skippable frame (magic `0x184D2A50..5F`, little-endian; `pzstd` starts its files with
/// one) before or between frames is passed over.
#[test]
fn zstd_with_skippable_frames_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let all = lines(300, "z");
    let (one, two) = all.split_at(150);
    let mut file = Vec::new();
    for (magic, part) in [(0x184D_2A50_u32, one), (0x184D_2A5F, two)] {
        let payload = [7u8; 12];
        file.extend_from_slice(&magic.to_le_bytes());
        file.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        file.extend_from_slice(&payload);
        file.extend(zstd::encode_all(part.concat().as_bytes(), 3).unwrap());
    }
    fs::write(d.join("p.jsonl.zst"), &file).unwrap();
    let o = paradedup(
        d,
        &[
            "dedup",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
            "p.jsonl.zst",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = fs::read_to_string(d.join("out.jsonl")).unwrap();
    assert_eq!(out, all.concat());
    let r = report(d);
    reconcile(&r, &out);
    assert_eq!(r["documents"], 300);
    assert_eq!(r["input_bytes"], out.len() as u64);
}

/// A frame whose window is larger than zstd's default limit (`zstd --long=30`) is refused
/// with a message naming the option that allows it, and read with that option.
#[test]
fn a_long_window_zstd_file_needs_and_names_the_window_option() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let content = lines(200, "w").concat();
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3).unwrap();
    encoder.window_log(30).unwrap();
    encoder.long_distance_matching(true).unwrap();
    encoder.include_checksum(true).unwrap();
    encoder.write_all(content.as_bytes()).unwrap();
    fs::write(d.join("long.jsonl.zst"), encoder.finish().unwrap()).unwrap();

    let o = paradedup(d, &["dedup", "-o", "out.jsonl", "long.jsonl.zst"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("long.jsonl.zst"), "{err}");
    assert!(err.contains("--zstd-window-log"), "{err}");
    assert!(!err.contains("truncated"), "{err}");
    assert!(!d.join("out.jsonl").exists());
    // A sound file that needs a setting is not damage: skipping it would lose it whole.
    let o = paradedup(
        d,
        &[
            "dedup",
            "--skip-bad-lines",
            "-o",
            "out.jsonl",
            "long.jsonl.zst",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--zstd-window-log"));

    let o = paradedup(
        d,
        &[
            "dedup",
            "--zstd-window-log",
            "30",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
            "long.jsonl.zst",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = fs::read_to_string(d.join("out.jsonl")).unwrap();
    assert_eq!(out, content);
    let r = report(d);
    reconcile(&r, &out);
    assert_eq!(r["documents"], 200);
    assert_eq!(r["input_bytes"], content.len() as u64);
}

/// Zero bytes after the last gzip member (padding, which `gzip -t` accepts) are passed over;
/// anything else there is "trailing data after the gzip stream", never "truncated".
#[test]
fn gzip_trailing_zeros_are_padding_and_other_trailing_bytes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let content = lines(100, "g").concat();
    let (one, two) = content.split_at(content.len() / 2);
    // Two members, then padding to a block.
    let mut padded = gzip(one.as_bytes());
    padded.extend(gzip(two.as_bytes()));
    padded.resize(padded.len().next_multiple_of(4096) + 512, 0);
    fs::write(d.join("padded.jsonl.gz"), &padded).unwrap();
    let o = paradedup(
        d,
        &[
            "dedup",
            "-o",
            "out.jsonl",
            "--report",
            "r.json",
            "padded.jsonl.gz",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = fs::read_to_string(d.join("out.jsonl")).unwrap();
    assert_eq!(out, content);
    let r = report(d);
    reconcile(&r, &out);
    assert_eq!(r["documents"], 100);
    assert_eq!(r["per_input"][0]["truncated"], false);

    let member = gzip(b"{\"text\":\"after the padding\"}\n");
    let padded_member = [&[0u8; 4][..], &member].concat();
    for garbage in [
        &b"junk"[..],
        b"\0\0\0\0x",
        b"\x1f\x8bnot a member at all",
        &padded_member,
    ] {
        let mut file = gzip(content.as_bytes());
        file.extend_from_slice(garbage);
        fs::write(d.join("trailing.jsonl.gz"), &file).unwrap();
        let o = paradedup(d, &["dedup", "-o", "out2.jsonl", "trailing.jsonl.gz"]);
        assert_eq!(o.status.code(), Some(1), "{garbage:?}");
        let err = stderr(&o);
        assert!(err.contains("trailing.jsonl.gz"), "{err}");
        assert!(
            err.contains("trailing data after the gzip stream"),
            "{garbage:?}: {err}"
        );
        assert!(!err.contains("truncated"), "{err}");
        assert!(!d.join("out2.jsonl").exists());

        // With --skip-bad-lines every line before the trailing data is kept, the input is
        // reported damaged (not truncated) and the run goes on.
        let o = paradedup(
            d,
            &[
                "dedup",
                "--skip-bad-lines",
                "-o",
                "out3.jsonl",
                "--report",
                "r.json",
                "trailing.jsonl.gz",
                "padded.jsonl.gz",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let out = fs::read_to_string(d.join("out3.jsonl")).unwrap();
        assert_eq!(out, content.clone() + &content);
        let r = report(d);
        reconcile(&r, &out);
        assert_eq!(r["documents"], 200);
        assert_eq!(r["per_input"][0]["truncated"], false);
        assert!(r["per_input"][0]["stream_error"]
            .as_str()
            .unwrap()
            .contains("trailing data after the gzip stream"));
        assert_eq!(r["damaged_inputs"], 1);
    }
}
