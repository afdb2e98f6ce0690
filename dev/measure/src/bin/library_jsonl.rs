//! The library's side of the command benchmark (`benches/command.sh`): the texts of a JSON
//! Lines file, decoded up front, deduplicated in memory with the command's default settings
//! (document scope), best of several runs; the figure is MB/s of the file's bytes, so that the
//! command's MB/s over the same file divided by it is the share of the library's speed the
//! whole process keeps.
//!
//! ```text
//! cargo run --release -p paradedup-measure --bin library_jsonl -- FILE.jsonl [THREADS] [RUNS]
//! ```
//!
//! One thread runs `Deduper::dedup_into` over every document; more run `removals_batch` on a
//! pool of that many threads over groups of about 1 MB of text, as the command does.

use std::time::Instant;

use paradedup::Deduper;

/// Text given to one `removals_batch` call, about: the command's group size.
const GROUP_BYTES: usize = 1 << 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: library_jsonl FILE.jsonl [THREADS] [RUNS]");
        std::process::exit(2);
    };
    let threads: usize = args
        .get(1)
        .map_or(1, |s| s.parse().expect("a thread count"));
    let runs: usize = args
        .get(2)
        .map_or(3, |s| s.parse().expect("a number of runs"));
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let texts: Vec<String> = bytes
        .split(|&b| b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .map(|line| {
            let (_, text) = paradedup_jsonl::parse_line(line, "text", "id")
                .unwrap_or_else(|e| panic!("{path}: a malformed line: {}", e.what));
            text.into_owned()
        })
        .collect();
    let groups = groups(&texts);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let mut deduper = Deduper::builder().build();
        let start = Instant::now();
        if threads == 1 {
            let mut out = String::new();
            for text in &texts {
                deduper.dedup_into(text, &mut out);
            }
            std::hint::black_box(&out);
        } else {
            for group in &groups {
                std::hint::black_box(pool.install(|| deduper.removals_batch(group)));
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("{:.0}", bytes.len() as f64 / 1e6 / best);
}

/// The documents cut into consecutive groups of about [`GROUP_BYTES`] of text.
fn groups(texts: &[String]) -> Vec<&[String]> {
    let mut groups = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, text) in texts.iter().enumerate() {
        if size > 0 && size + text.len() > GROUP_BYTES {
            groups.push(&texts[start..i]);
            (start, size) = (i, 0);
        }
        size += text.len();
    }
    groups.push(&texts[start..]);
    groups
}
