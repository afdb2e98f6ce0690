//! Nothing is lost: over generated corpora, for both units, every normalization and both
//! scopes, every input byte is either in the output or in a removed paragraph that was
//! reported, with its first occurrence; and the command's report reconciles exactly with the
//! input's bytes, lines and paragraphs.

mod strategies;

use std::collections::HashMap;

use paradedup::{paragraphs_of, Deduper, Normalizer, Origin, Scope, SeenSet, Status, Unit};
use proptest::prelude::*;

fn normalizers() -> impl Strategy<Value = Normalizer> {
    prop_oneof![
        Just(Normalizer::exact()),
        Just(Normalizer::standard()),
        Just(Normalizer::ccnet()),
        Just(Normalizer::standard().fold_digits(true).strip_accents(true)),
        Just(Normalizer::standard().drop_symbols(true).fold_digits(true)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn every_byte_is_kept_or_reported_removed_with_its_first_occurrence(
        corpus in prop::collection::vec(strategies::document(), 1..6),
        unit in prop_oneof![Just(Unit::Lines), Just(Unit::BlankLines)],
        normalizer in normalizers(),
        corpus_scope: bool,
        min_chars in 0usize..4,
    ) {
        let scope = if corpus_scope { Scope::Corpus } else { Scope::Document };
        let mut deduper = Deduper::builder()
            .unit(unit)
            .normalizer(normalizer)
            .min_chars(min_chars)
            .scope(scope)
            .seen_set(SeenSet::new())
            .build();
        // Every kept (recorded) paragraph, by where it is: its normalized text.
        let mut kept_at: HashMap<Origin, String> = HashMap::new();
        for (d, doc) in corpus.iter().enumerate() {
            let out = deduper.dedup(doc);
            let removed = out.removed();
            // Interleave kept text and removed extents: they rebuild the input exactly.
            let (mut rebuilt, mut kept_pos, mut from) = (String::new(), 0, 0);
            for r in removed {
                let gap = r.extent().start - from;
                rebuilt.push_str(&out.text()[kept_pos..kept_pos + gap]);
                kept_pos += gap;
                rebuilt.push_str(&doc.as_str()[r.extent()]);
                from = r.extent().end;
            }
            rebuilt.push_str(&out.text()[kept_pos..]);
            prop_assert_eq!(&rebuilt, doc, "the output and the removed extents are not the input");
            prop_assert_eq!(
                out.text().len() + removed.iter().map(|r| r.extent().len()).sum::<usize>(),
                doc.len()
            );
            // Record this document's kept, fingerprinted paragraphs (a repeat may be of one of
            // them).
            let mut judge = Deduper::builder()
                .unit(unit)
                .normalizer(normalizer)
                .min_chars(min_chars)
                .build();
            for v in judge.verdicts(doc) {
                if let Status::Kept { .. } = v.status() {
                    if !removed.iter().any(|r| r.index() == v.index()) {
                        kept_at.insert(
                            Origin { document: d as u64, paragraph: v.index() },
                            normalizer.normalize(v.paragraph().as_str()).into_owned(),
                        );
                    }
                }
            }
            // Each removal names its first occurrence: an earlier kept paragraph, same identity.
            let paragraphs: Vec<_> = paragraphs_of(doc, unit).collect();
            for r in removed {
                let first = r.first().expect("the default seen-set keeps origins");
                let here = Origin { document: d as u64, paragraph: r.index() };
                prop_assert!(first < here);
                if scope == Scope::Document {
                    prop_assert_eq!(first.document, d as u64);
                }
                let identity = normalizer.normalize(paragraphs[r.index() as usize].as_str());
                prop_assert_eq!(kept_at.get(&first).map(String::as_str), Some(&*identity));
            }
            // The kept text's paragraphs are the input's minus the removed ones. (One quirk:
            // a U+FEFF paragraph that the removals bring to the very start of the kept text is
            // then read as a byte-order mark, which belongs to no paragraph; its bytes are kept,
            // so it is counted here as the content it was.)
            let kept = if doc.starts_with('\u{FEFF}') {
                out.text().to_owned()
            } else {
                format!("\n{}", out.text())
            };
            prop_assert_eq!(
                paragraphs_of(&kept, unit).count(),
                paragraphs.len() - removed.len()
            );
        }
    }
}

#[cfg(feature = "cli")]
mod command {
    use std::fs;
    use std::process::Command;

    use paradedup::{paragraphs_of, Unit};
    use serde_json::Value;

    /// A JSONL corpus with repeats across and within documents, escapes, CRLF line ends,
    /// blank lines and malformed lines.
    fn corpus() -> String {
        let pool = [
            "Comme toujours",
            "« comme TOUJOURS »",
            "S'abonner",
            "12 Commentaires",
            "0 Commentaires",
            "***",
            "Le texte de l'article",
            "ΟΔΟΣ",
            "\u{2029}",
            "é\te",
        ];
        let mut state = 7u64;
        let mut lines = Vec::new();
        for id in 0..400 {
            let mut text = String::new();
            for _ in 0..(id % 9) {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let line = pool[(state >> 33) as usize % pool.len()];
                let sep = ["\n", "\r\n", "\n\n", "\u{2028}"][(state >> 20) as usize % 4];
                text.push_str(line);
                text.push_str(sep);
                if state.is_multiple_of(5) {
                    text.push_str(&format!("unique {id} {state}\n"));
                }
            }
            let mut line = serde_json::json!({"id": id, "text": text}).to_string();
            match id % 50 {
                7 => line.push('\r'),
                13 => line = String::new(),
                29 => line = "{\"text\": oops}".to_owned(),
                _ => {}
            }
            lines.push(line);
        }
        lines.join("\n") + "\n"
    }

    /// The report's totals are exactly what the input and output say, for every unit,
    /// normalization and scope; `--annotate`'s spans are exactly the removed paragraphs.
    #[test]
    fn the_report_reconciles_with_the_input_and_output() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        let content = corpus();
        fs::write(&input, &content).unwrap();
        let lines: Vec<&str> = content.split_inclusive('\n').collect();
        let texts: Vec<String> = lines
            .iter()
            .filter_map(|l| serde_json::from_str::<Value>(l.trim_end()).ok())
            .map(|v| v["text"].as_str().unwrap().to_owned())
            .collect();
        let blank = lines.iter().filter(|l| l.trim().is_empty()).count();
        let bad = lines.len() - blank - texts.len();
        assert!(bad > 0 && blank > 0);
        for (unit_name, unit) in [("lines", Unit::Lines), ("blank-lines", Unit::BlankLines)] {
            for normalize in ["exact", "standard", "ccnet"] {
                for scope in ["document", "corpus"] {
                    let (out, rep) = (dir.path().join("out.jsonl"), dir.path().join("r.json"));
                    let o = Command::new(env!("CARGO_BIN_EXE_paradedup"))
                        .args(["dedup", "-q", "--skip-bad-lines", "--unit", unit_name])
                        .args(["--normalize", normalize, "--scope", scope, "-o"])
                        .arg(&out)
                        .arg("--report")
                        .arg(&rep)
                        .arg(&input)
                        .output()
                        .unwrap();
                    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                    let r: Value =
                        serde_json::from_str(&fs::read_to_string(&rep).unwrap()).unwrap();
                    let kept: Vec<String> = fs::read_to_string(&out)
                        .unwrap()
                        .lines()
                        .map(|l| {
                            serde_json::from_str::<Value>(l).unwrap()["text"]
                                .as_str()
                                .unwrap()
                                .to_owned()
                        })
                        .collect();
                    assert_eq!(kept.len(), texts.len());
                    let count = |ts: &[String]| -> usize {
                        ts.iter().map(|t| paragraphs_of(t, unit).count()).sum()
                    };
                    let bytes = |ts: &[String]| -> usize { ts.iter().map(String::len).sum() };
                    let at = format!("{unit_name} {normalize} {scope}");
                    assert_eq!(r["input_bytes"], content.len(), "{at}");
                    assert_eq!(r["documents"], texts.len(), "{at}");
                    assert_eq!(r["blank_lines"], blank, "{at}");
                    assert_eq!(r["bad_lines"], bad, "{at}");
                    assert_eq!(r["paragraphs"], count(&texts), "{at}");
                    assert_eq!(r["text_bytes"], bytes(&texts), "{at}");
                    assert_eq!(r["removed_bytes"], bytes(&texts) - bytes(&kept), "{at}");
                    assert_eq!(
                        r["removed_paragraphs"],
                        count(&texts) - count(&kept),
                        "{at}"
                    );
                    assert!(r["removed_paragraphs"].as_u64().unwrap() > 0, "{at}");
                }
            }
        }
    }
}
