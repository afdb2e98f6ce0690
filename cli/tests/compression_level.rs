//! `--compression-level`: the same documents at every level, smaller files at higher ones, and
//! a level the output's format does not have refused before anything is read.

mod cli_support;

use std::fs;
use std::io::Read;

use cli_support::paradedup;

/// JSON Lines with repeats, compressible enough for the levels to differ.
fn corpus() -> String {
    let mut out = String::new();
    for i in 0..4000 {
        out.push_str(&format!(
            "{{\"id\":{i},\"text\":\"Paragraph {} of a long text about item {}.\\nS'abonner\"}}\n",
            i * 7919 % 1000,
            i % 37
        ));
    }
    out
}

fn gunzip(bytes: &[u8]) -> String {
    let mut out = String::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_string(&mut out)
        .unwrap();
    out
}

#[test]
fn every_level_gives_the_same_documents() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, corpus()).unwrap();
    let plain = dir.path().join("plain.jsonl");
    paradedup()
        .args(["dedup", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&plain)
        .assert()
        .success();
    let expected = fs::read_to_string(&plain).unwrap();
    let mut sizes = Vec::new();
    for level in [None, Some("0"), Some("1"), Some("9")] {
        let out = dir
            .path()
            .join(format!("out-{}.jsonl.gz", level.unwrap_or("default")));
        let mut command = paradedup();
        command
            .args(["dedup", "-q"])
            .arg(&input)
            .arg("-o")
            .arg(&out);
        if let Some(level) = level {
            command.args(["--compression-level", level]);
        }
        command.assert().success();
        let bytes = fs::read(&out).unwrap();
        assert_eq!(gunzip(&bytes), expected, "gzip level {level:?}");
        sizes.push(bytes.len());
    }
    // Level 0 stores, 9 compresses hardest, the default lies between.
    assert!(sizes[1] > sizes[0] && sizes[0] >= sizes[3], "{sizes:?}");
    for level in ["1", "19"] {
        let out = dir.path().join(format!("out-{level}.jsonl.zst"));
        paradedup()
            .args(["dedup", "-q", "--compression-level", level])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let text = zstd::decode_all(fs::read(&out).unwrap().as_slice()).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            expected,
            "zstd level {level}"
        );
    }
}

#[test]
fn a_level_the_format_lacks_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, corpus()).unwrap();
    for (level, name, format) in [
        ("12", "out.jsonl.gz", "gzip: 0 to 9"),
        ("0", "out.jsonl.zst", "zstd: 1 to 19"),
        ("20", "out.jsonl.zst", "zstd: 1 to 19"),
    ] {
        let out = dir.path().join(name);
        let assert = paradedup()
            .args(["dedup", "--compression-level", level])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .assert()
            .failure();
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!("--compression-level {level}")) && err.contains(name),
            "{err}"
        );
        assert!(err.contains(format), "{err}");
        assert!(!out.exists(), "nothing written for level {level}");
    }
    // A plain output takes any level: nothing is compressed.
    paradedup()
        .args(["dedup", "-q", "--compression-level", "12"])
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("plain.jsonl"))
        .assert()
        .success();
}
