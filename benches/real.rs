//! Criterion benchmarks on real text: the corpora `benches/corpora/fetch.sh` builds from
//! Debian's documentation packages, whole and per script, for splitting, normalizing per preset
//! and deduplicating per preset (document scope), each beside the naive reference
//! (`to_lowercase` + `HashSet<String>` over the same lines) in the same group.
//!
//! ```text
//! benches/corpora/fetch.sh                       # once; into $PARADEDUP_CORPORA or target/corpora
//! cargo bench --bench real
//! cargo bench --bench real -- gnome-user-docs    # one corpus
//! ```
//!
//! At the end it prints, per group, the throughput of each preset and its ratio to the naive
//! reference and to `exact`, from criterion's own estimates. Without the corpora it says how to
//! fetch them and measures the generated corpus instead.

use std::collections::{BTreeMap, HashSet};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use paradedup::{paragraphs_of, Deduper, Fingerprint, Normalizer, Scope, ShortParagraphs, Unit};
use paradedup_corpus as corpus;

/// Bytes of text per benchmarked input: enough to leave the caches, small enough that the
/// whole run stays within minutes on two cores. Documents are taken round-robin over the
/// languages of the group, so a corpus's own input mixes them as the corpus does.
const INPUT_BYTES: usize = 4 << 20;

/// The corpora, each with the script groups measured on their own.
const CORPORA: &[(&str, &[Script])] = &[
    (
        "debian-handbook",
        &[
            Script::Latin,
            Script::Cyrillic,
            Script::Greek,
            Script::Cjk,
            Script::Arabic,
        ],
    ),
    (
        "gnome-user-docs",
        &[
            Script::Latin,
            Script::Cyrillic,
            Script::Greek,
            Script::Cjk,
            Script::Arabic,
            Script::Hebrew,
            Script::Indic,
        ],
    ),
    (
        "installation-guide",
        &[Script::Latin, Script::Cyrillic, Script::Greek, Script::Cjk],
    ),
    ("python-docs", &[]),
];

/// The writing systems the languages of the corpora fall into.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Cjk,
    Arabic,
    Hebrew,
    Indic,
}

impl Script {
    fn name(self) -> &'static str {
        match self {
            Script::Latin => "latin",
            Script::Cyrillic => "cyrillic",
            Script::Greek => "greek",
            Script::Cjk => "cjk",
            Script::Arabic => "arabic",
            Script::Hebrew => "hebrew",
            Script::Indic => "indic",
        }
    }

    /// The script of a language tag as the corpora spell them (`ru-RU`, `pt_BR`, `sr@latin`).
    fn of(lang: &str) -> Script {
        if lang.contains("@latin") {
            return Script::Latin;
        }
        let base = lang.split(['-', '_', '@']).next().unwrap_or(lang);
        match base {
            "ru" | "uk" | "sr" | "bg" | "be" | "mk" => Script::Cyrillic,
            "el" => Script::Greek,
            "ja" | "ko" | "zh" => Script::Cjk,
            "ar" | "fa" | "ur" => Script::Arabic,
            "he" => Script::Hebrew,
            "hi" | "mr" | "gu" | "ta" | "te" | "kn" | "pa" | "as" | "bn" | "ml" | "or" => {
                Script::Indic
            }
            _ => Script::Latin,
        }
    }
}

/// One benchmarked input: its group name and its documents.
struct Input {
    group: String,
    docs: Vec<String>,
    bytes: u64,
}

impl Input {
    fn new(group: String, docs: Vec<String>) -> Input {
        Input {
            group,
            bytes: docs.iter().map(|d| d.len() as u64).sum(),
            docs,
        }
    }
}

/// Where fetch.sh puts the corpora: `$PARADEDUP_CORPORA`, else `target/corpora` at the top of
/// the repository.
fn corpora_dir() -> PathBuf {
    std::env::var_os("PARADEDUP_CORPORA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/corpora"),
        PathBuf::from,
    )
}

/// The documents of one corpus file, with their language; `None` when the file is absent.
fn read_corpus(path: &Path) -> Option<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut docs = Vec::new();
    for (at, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: not JSON: {e}", path.display(), at + 1));
        let Some(body) = value["text"].as_str() else {
            panic!("{}:{}: no string field \"text\"", path.display(), at + 1);
        };
        // The language: the "lang" field, else the id's second path component.
        let lang = value["lang"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| {
                value["id"]
                    .as_str()
                    .and_then(|id| id.split('/').nth(1))
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        docs.push((lang, body.to_owned()));
    }
    Some(docs)
}

/// Up to [`INPUT_BYTES`] of `docs`, one document of each language in turn.
fn round_robin(docs: &[&(String, String)]) -> Vec<String> {
    let mut by_lang: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (lang, text) in docs {
        by_lang.entry(lang).or_default().push(text);
    }
    let mut queues: Vec<std::vec::IntoIter<&str>> =
        by_lang.into_values().map(Vec::into_iter).collect();
    let mut out = Vec::new();
    let mut bytes = 0;
    while bytes < INPUT_BYTES {
        let mut took = false;
        for queue in &mut queues {
            if let Some(doc) = queue.next() {
                bytes += doc.len();
                out.push(doc.to_owned());
                took = true;
            }
        }
        if !took {
            break;
        }
    }
    out
}

fn inputs() -> Vec<Input> {
    let dir = corpora_dir();
    let mut inputs = Vec::new();
    for &(name, scripts) in CORPORA {
        let path = dir.join(format!("{name}.jsonl"));
        let Some(docs) = read_corpus(&path) else {
            eprintln!("real: {} is missing", path.display());
            continue;
        };
        let all: Vec<&(String, String)> = docs.iter().collect();
        inputs.push(Input::new(name.to_owned(), round_robin(&all)));
        for &script in scripts {
            let some: Vec<&(String, String)> = docs
                .iter()
                .filter(|(l, _)| Script::of(l) == script)
                .collect();
            if !some.is_empty() {
                inputs.push(Input::new(
                    format!("{name}/{}", script.name()),
                    round_robin(&some),
                ));
            }
        }
    }
    if inputs.is_empty() {
        eprintln!(
            "\nreal: no corpus found in {}.\n\
             Fetch them with `benches/corpora/fetch.sh` (needs apt-get and dpkg-deb), or point\n\
             PARADEDUP_CORPORA at a folder holding them. Measuring the generated corpus instead.\n",
            dir.display()
        );
        for (name, spec) in [
            ("generated-web", corpus::CorpusSpec::web()),
            ("generated-non-latin", corpus::CorpusSpec::non_latin()),
        ] {
            let docs = corpus::generate_bytes(&spec, INPUT_BYTES)
                .into_iter()
                .map(|d| d.text)
                .collect();
            inputs.push(Input::new(name.to_owned(), docs));
        }
    }
    inputs
}

/// The naive reference: a `String` per line, `to_lowercase`, a `HashSet<String>` per document.
fn naive_dedup(doc: &str, out: &mut String) {
    out.clear();
    let mut seen = HashSet::new();
    for line in doc.split_inclusive('\n') {
        let key = line.trim().to_lowercase();
        if key.is_empty() || seen.insert(key) {
            out.push_str(line);
        }
    }
}

const PRESETS: [(&str, Normalizer); 3] = [
    ("exact", Normalizer::exact()),
    ("standard", Normalizer::standard()),
    ("ccnet", Normalizer::ccnet()),
];

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
}

fn bench_input(c: &mut Criterion, input: &Input) {
    let mut group = c.benchmark_group(format!("real/{}", input.group));
    group.throughput(Throughput::Bytes(input.bytes));
    group.bench_function("split", |b| {
        b.iter(|| {
            let n: usize = input
                .docs
                .iter()
                .map(|d| paragraphs_of(d, Unit::Lines).count())
                .sum();
            black_box(n)
        })
    });
    for (name, normalizer) in PRESETS {
        group.bench_function(format!("normalize_{name}"), |b| {
            let mut buf = String::new();
            b.iter(|| {
                for doc in &input.docs {
                    for p in paragraphs_of(doc, Unit::Lines) {
                        normalizer.normalize_into(p.as_str(), &mut buf);
                        black_box(Fingerprint::of(&buf));
                    }
                }
            })
        });
    }
    group.bench_function("normalize_naive", |b| {
        b.iter(|| {
            for doc in &input.docs {
                for line in doc.lines() {
                    black_box(line.trim().to_lowercase());
                }
            }
        })
    });
    for (name, normalizer) in PRESETS {
        group.bench_function(format!("dedup_{name}"), |b| {
            let mut out = String::new();
            b.iter(|| {
                let mut deduper = Deduper::builder()
                    .scope(Scope::Document)
                    .normalizer(normalizer)
                    .build();
                for doc in &input.docs {
                    deduper.dedup_into(doc, &mut out);
                    black_box(out.len());
                }
            })
        });
    }
    // The cost of the default short-paragraph rule: `exact` with every repeat removed.
    group.bench_function("dedup_exact_every_repeat", |b| {
        let mut out = String::new();
        b.iter(|| {
            let mut deduper = Deduper::builder()
                .scope(Scope::Document)
                .normalizer(Normalizer::exact())
                .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
                .build();
            for doc in &input.docs {
                deduper.dedup_into(doc, &mut out);
                black_box(out.len());
            }
        })
    });
    group.bench_function("dedup_naive", |b| {
        let mut out = String::new();
        b.iter(|| {
            for doc in &input.docs {
                naive_dedup(doc, &mut out);
                black_box(out.len());
            }
        })
    });
    group.finish();
}

/// Criterion's folder: beside the bench binary's `release/deps`, unless `CRITERION_HOME` says.
fn criterion_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(PathBuf::from(home));
    }
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.parent()?.join("criterion"))
}

/// MB/s of one benchmark of this run, from criterion's estimate of its mean.
fn throughput(
    dir: &Path,
    since: std::time::SystemTime,
    group: &str,
    id: &str,
    bytes: u64,
) -> Option<f64> {
    // Criterion writes a group `real/x` into the folder `real_x`.
    let path = dir
        .join(group.replace('/', "_"))
        .join(id)
        .join("new/estimates.json");
    // Only this run's figures: a filtered run leaves older ones in place.
    if std::fs::metadata(&path).ok()?.modified().ok()? < since {
        return None;
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let nanos = json["mean"]["point_estimate"].as_f64()?;
    Some(bytes as f64 / nanos * 1e3)
}

/// The table of throughputs and ratios, for the groups this run measured.
fn summary(inputs: &[Input], since: std::time::SystemTime) {
    let Some(dir) = criterion_dir() else {
        return;
    };
    for stage in ["normalize", "dedup"] {
        println!("\n{stage}, MB/s (one thread, in memory; ratios: to naive / to exact)");
        println!(
            "{:<32} {:>8} {:>8} {:>8} {:>8} {:>16} {:>16}",
            "group", "naive", "exact", "standard", "ccnet", "standard", "ccnet"
        );
        for input in inputs {
            let group = format!("real/{}", input.group);
            let get =
                |id: &str| throughput(&dir, since, &group, &format!("{stage}_{id}"), input.bytes);
            let (Some(naive), Some(exact), Some(standard), Some(ccnet)) =
                (get("naive"), get("exact"), get("standard"), get("ccnet"))
            else {
                continue;
            };
            println!(
                "{:<32} {naive:>8.0} {exact:>8.0} {standard:>8.0} {ccnet:>8.0} {:>7.2} / {:>5.0}% {:>7.2} / {:>5.0}%",
                input.group,
                standard / naive,
                100.0 * standard / exact,
                ccnet / naive,
                100.0 * ccnet / exact,
            );
        }
    }
}

fn benches(c: &mut Criterion) {
    let since = std::time::SystemTime::now();
    let inputs = inputs();
    for input in &inputs {
        bench_input(c, input);
    }
    summary(&inputs, since);
}

criterion_group! {
    name = real;
    config = config();
    targets = benches
}
criterion_main!(real);
