//! The command's answer can be reproduced with the library and `paradedup-jsonl` alone, by the
//! recipe of docs/library-and-command.md: walk directories in byte order of the entry names,
//! skip hidden entries, read a `.txt` file as one document and every other file line by line as
//! JSON Lines, give the texts to one corpus-scope deduper in that order, and splice each kept
//! text back into its line. This test follows the recipe and compares with the command, byte
//! for byte, file by file.

mod cli_support;

use std::fs;
use std::path::{Path, PathBuf};

use cli_support::paradedup;
use paradedup::{Deduper, Scope};

/// A corpus whose order matters: the same paragraphs in several files and subdirectories, so
/// any other walk order keeps different first occurrences.
fn corpus(root: &Path) {
    let shared = ["Tous droits réservés.", "S'abonner", "Partager cet article"];
    let line = |id: &str, text: &str| {
        let mut out = Vec::new();
        paradedup_jsonl::push_string(text, &mut out);
        format!(
            "{{\"id\":\"{id}\",\"text\":{},\"n\":1.50}}\n",
            String::from_utf8(out).unwrap()
        )
    };
    let doc = |i: usize| {
        format!(
            "Article {i}, with a body of its own that no other document holds.\n{}\n\n{}",
            shared[i % 3],
            shared[(i + 1) % 3]
        )
    };
    fs::create_dir_all(root.join("b/inner")).unwrap();
    fs::create_dir_all(root.join("a")).unwrap();
    fs::write(
        root.join("b/inner/z.jsonl"),
        line("z1", &doc(1)) + &line("z2", &doc(2)),
    )
    .unwrap();
    fs::write(root.join("a/m.txt"), doc(3) + "\nAlone in m.\n").unwrap();
    fs::write(
        root.join("B.jsonl"),
        line("B1", &doc(4)) + &line("B2", &doc(4)),
    )
    .unwrap();
    // A blank line is no document, and is not written.
    fs::write(root.join("a.jsonl"), line("a1", &doc(5)) + "  \n").unwrap();
    // Hidden: skipped by the walk, so its paragraphs never count as seen.
    fs::write(root.join(".hidden.jsonl"), line("h", "Article 5, hidden")).unwrap();
}

/// The recipe's walk: every corpus file under `dir`, entries sorted by their name's bytes,
/// hidden entries skipped, directories entered where they sort.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The recipe's reading and writing: the output bytes of `path`, judged by `deduper`.
fn dedup_file(deduper: &mut Deduper, path: &Path) -> Vec<u8> {
    let bytes = fs::read(path).unwrap();
    if path.extension().is_some_and(|e| e == "txt") {
        let text = std::str::from_utf8(&bytes).unwrap();
        return deduper.dedup(text).text().as_bytes().to_vec();
    }
    let mut out = Vec::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let (content, terminator) = paradedup_jsonl::split_terminator(line);
        if content.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (parsed, text) = paradedup_jsonl::parse_line(content, "text", "id").unwrap();
        let kept = deduper.dedup(&text);
        let cuts = kept.removed().iter().map(|r| r.extent().into());
        paradedup_jsonl::splice_text(content, &parsed.text, &text, cuts, &mut out);
        out.extend_from_slice(terminator);
    }
    out
}

#[test]
fn the_library_reproduces_the_commands_corpus_answer() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    corpus(&input);
    let output = dir.path().join("out");
    paradedup()
        .arg("dedup")
        .arg("--scope")
        .arg("corpus")
        .arg(&input)
        .arg("-o")
        // A path ending in `/` is a directory to mirror the inputs into.
        .arg(format!("{}/", output.display()))
        .arg("--quiet")
        .assert()
        .success();

    let mut files = Vec::new();
    walk(&input, &mut files);
    let names: Vec<_> = files
        .iter()
        .map(|f| {
            f.strip_prefix(&input)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    // Byte order of the names: uppercase before lowercase, and the directory `a` (a prefix)
    // before `a.jsonl`.
    assert_eq!(names, ["B.jsonl", "a/m.txt", "a.jsonl", "b/inner/z.jsonl"]);

    let mut deduper = Deduper::builder().scope(Scope::Corpus).build();
    let mut removed_any = false;
    for (file, name) in files.iter().zip(&names) {
        let ours = dedup_file(&mut deduper, file);
        let theirs = fs::read(output.join(name)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "{name}"
        );
        removed_any |= ours.len() < fs::metadata(file).unwrap().len() as usize;
    }
    assert!(removed_any, "the corpus must exercise removals");
    assert!(!output.join(".hidden.jsonl").exists());
}
