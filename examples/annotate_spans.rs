//! Mark what dedup would remove without changing the text: Dolma-style attribute spans in
//! Unicode code points, the offsets Python's `text[start:end]` takes.
//!
//! ```text
//! cargo run --release --example annotate_spans -- tests/data/000_34751d3a37f48367.txt
//! ```
//!
//! Prints one JSON line, `{"id": FILE, "attributes": {"paradedup__duplicate_paragraphs":
//! [[start, end, 1.0], ...]}}`, as `paradedup dedup --annotate` writes for each document.

use std::process::ExitCode;

use paradedup::{CodePoints, Deduper};

const USAGE: &str = "usage: annotate_spans FILE";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [flag] if flag == "--help" || flag == "-h" => {
            println!("{USAGE}\nPrints the code-point spans of the paragraphs dedup would remove.");
            return ExitCode::SUCCESS;
        }
        [path] => path,
        _ => {
            eprintln!("annotate_spans: {USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("annotate_spans: {path}: {err}");
            return ExitCode::from(1);
        }
    };
    let result = Deduper::new().dedup(&text);
    // One pass over the text converts every byte offset, in order, to a code-point offset.
    let mut code_points = CodePoints::new(&text);
    let spans: Vec<String> = result
        .removed()
        .iter()
        .map(|removed| {
            let range = code_points.span(removed.span());
            format!("[{}, {}, 1.0]", range.start, range.end)
        })
        .collect();
    println!(
        "{{\"id\": {path:?}, \"attributes\": {{\"paradedup__duplicate_paragraphs\": [{}]}}}}",
        spans.join(", ")
    );
    ExitCode::SUCCESS
}
