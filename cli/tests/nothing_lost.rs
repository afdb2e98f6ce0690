//! Nothing is lost through the command: its report reconciles exactly with the input's bytes,
//! lines and paragraphs, and with the output, for every unit, normalization and scope.

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
                    .args([
                        "dedup",
                        "--short-paragraphs",
                        "remove-every-repeat",
                        "-q",
                        "--skip-bad-lines",
                        "--unit",
                        unit_name,
                    ])
                    .args(["--normalize", normalize, "--scope", scope, "-o"])
                    .arg(&out)
                    .arg("--report")
                    .arg(&rep)
                    .arg(&input)
                    .output()
                    .unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                let r: Value = serde_json::from_str(&fs::read_to_string(&rep).unwrap()).unwrap();
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
