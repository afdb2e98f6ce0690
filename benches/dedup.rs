//! Criterion benchmarks of the hot path: split, normalize, fingerprint, seen-set insert,
//! end-to-end dedup and near-duplicate detection on vs off, each with `Throughput::Bytes` and beside the naive reference
//! (`to_lowercase` + `HashSet<String>`) measured in the same run.
//!
//! ```text
//! cargo bench --bench dedup
//! cargo bench --bench dedup -- end_to_end    # one group
//! ```

use paradedup_corpus as corpus;
// The command's JSON Lines scanner, benchmarked too.
use paradedup_jsonl as json;

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use paradedup::{
    paragraphs_of, Deduper, Fingerprint, NearDup, Normalizer, Origin, Scope, SeenSet, Unit,
};

/// About 8 MB of generated web-like documents: enough to leave the caches, quick to run.
const CORPUS_BYTES: usize = 8 << 20;

struct Input {
    name: &'static str,
    docs: Vec<String>,
    bytes: u64,
}

fn inputs() -> Vec<Input> {
    let seeds = vec![
        include_str!("../tests/data/000_34751d3a37f48367.txt").to_owned(),
        include_str!("../tests/data/001_4cd9e05293a17eb6.txt").to_owned(),
    ];
    let web: Vec<String> = corpus::generate_bytes(&corpus::CorpusSpec::web(), CORPUS_BYTES)
        .into_iter()
        .map(|d| d.text)
        .collect();
    let non_latin: Vec<String> =
        corpus::generate_bytes(&corpus::CorpusSpec::non_latin(), CORPUS_BYTES)
            .into_iter()
            .map(|d| d.text)
            .collect();
    [("seeds", seeds), ("web", web), ("cyrillic_cjk", non_latin)]
        .into_iter()
        .map(|(name, docs)| Input {
            name,
            bytes: docs.iter().map(|d| d.len() as u64).sum(),
            docs,
        })
        .collect()
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

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn split(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("split");
    for input in inputs {
        group.throughput(Throughput::Bytes(input.bytes));
        for unit in [Unit::Lines, Unit::BlankLines] {
            group.bench_with_input(
                BenchmarkId::new(format!("{unit:?}"), input.name),
                input,
                |b, input| {
                    b.iter(|| {
                        let n: usize = input
                            .docs
                            .iter()
                            .map(|d| paragraphs_of(d, unit).count())
                            .sum();
                        black_box(n)
                    })
                },
            );
        }
        group.bench_with_input(
            BenchmarkId::new("naive_lines", input.name),
            input,
            |b, input| {
                b.iter(|| {
                    let n: usize = input
                        .docs
                        .iter()
                        .map(|d| d.lines().filter(|l| !l.trim().is_empty()).count())
                        .sum();
                    black_box(n)
                })
            },
        );
    }
    group.finish();
}

fn normalize_and_fingerprint(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("normalize");
    for input in inputs {
        group.throughput(Throughput::Bytes(input.bytes));
        let presets = [
            ("exact", Normalizer::exact()),
            ("standard", Normalizer::standard()),
            ("ccnet", Normalizer::ccnet()),
            (
                "standard_all_options",
                Normalizer::standard()
                    .strip_accents(true)
                    .fold_digits(true)
                    .drop_symbols(true),
            ),
        ];
        for (name, normalizer) in presets {
            group.bench_with_input(BenchmarkId::new(name, input.name), input, |b, input| {
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
        group.bench_with_input(
            BenchmarkId::new("naive_to_lowercase", input.name),
            input,
            |b, input| {
                b.iter(|| {
                    for doc in &input.docs {
                        for line in doc.lines() {
                            black_box(line.trim().to_lowercase());
                        }
                    }
                })
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("fingerprint");
    for input in inputs {
        group.throughput(Throughput::Bytes(input.bytes));
        group.bench_with_input(
            BenchmarkId::new("xxh3_128", input.name),
            input,
            |b, input| {
                b.iter(|| {
                    for doc in &input.docs {
                        for p in paragraphs_of(doc, Unit::Lines) {
                            black_box(Fingerprint::of(p.as_str()));
                        }
                    }
                })
            },
        );
        // The naive choice: std's SipHash (64-bit) over each line.
        group.bench_with_input(
            BenchmarkId::new("naive_siphash", input.name),
            input,
            |b, input| {
                b.iter(|| {
                    for doc in &input.docs {
                        for line in doc.lines() {
                            let mut hasher = std::hash::DefaultHasher::new();
                            std::hash::Hash::hash(line.trim(), &mut hasher);
                            black_box(std::hash::Hasher::finish(&hasher));
                        }
                    }
                })
            },
        );
    }
    group.finish();
}

/// One way of deduplicating a batch on the current rayon pool (feature `rayon`).
#[cfg(feature = "rayon")]
type BatchRun = fn(&mut Deduper, &[String]) -> usize;

/// Makes an empty seen-set of one backend.
type MakeSet = fn() -> SeenSet;

fn seen_insert(c: &mut Criterion) {
    let mut group = c.benchmark_group("seen_insert");
    for (label, n) in [("1M", 1_000_000u64), ("10M", 10_000_000)] {
        let fps: Vec<Fingerprint> = (0..n)
            .map(|i| Fingerprint::of_bytes(&i.to_le_bytes()))
            .collect();
        group.throughput(Throughput::Elements(n));
        let backends: [(&str, MakeSet); 3] = [
            ("origins", SeenSet::new),
            ("exact", SeenSet::exact),
            ("bloom_1e-3", || {
                SeenSet::bloom(10_000_000, 1e-3).expect("valid")
            }),
        ];
        for (name, make) in backends {
            group.bench_function(BenchmarkId::new(name, label), |b| {
                b.iter(|| {
                    let mut seen = make();
                    for &fp in &fps {
                        seen.insert(fp, Origin::default());
                    }
                    black_box(seen.len())
                })
            });
        }
        group.bench_function(BenchmarkId::new("naive_hashset_u128", label), |b| {
            b.iter(|| {
                let mut seen = HashSet::new();
                for &fp in &fps {
                    seen.insert(fp);
                }
                black_box(seen.len())
            })
        });
    }
    group.finish();
}

/// Corpus scope when the exact seen-set already holds 10 million paragraphs (a table of about
/// 200 MB, far out of cache), beside document scope and the naive reference on the same text.
fn corpus_at_scale(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("corpus_10M");
    let input = inputs.iter().find(|i| i.name == "web").expect("web corpus");
    group.throughput(Throughput::Bytes(input.bytes));
    let mut full = SeenSet::exact();
    for i in 0..10_000_000u64 {
        full.insert(Fingerprint::of_bytes(&i.to_le_bytes()), Origin::default());
    }
    group.bench_function("document_standard", |b| {
        let mut out = String::new();
        b.iter(|| {
            let mut deduper = Deduper::new();
            for doc in &input.docs {
                deduper.dedup_into(doc, &mut out);
            }
            black_box(deduper.stats())
        })
    });
    // Made for each sample outside the timing (the copy of the 200 MB table too), and passed
    // by reference, so it is freed outside the timing as well.
    let with_full_set = || {
        Deduper::builder()
            .scope(Scope::Corpus)
            .seen_set(full.clone())
            .build()
    };
    group.bench_function("corpus_standard_exact_10M", |b| {
        let mut out = String::new();
        b.iter_batched_ref(
            with_full_set,
            |deduper| {
                for doc in &input.docs {
                    deduper.dedup_into(doc, &mut out);
                }
                black_box(deduper.stats())
            },
            criterion::BatchSize::PerIteration,
        )
    });
    // The batch path on one thread: every fingerprint is known before the first decision, so
    // its lookups are prefetched across document boundaries.
    #[cfg(feature = "rayon")]
    {
        let one_thread = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("thread pool");
        group.bench_function("document_standard_batch", |b| {
            let mut deduper = Deduper::new();
            b.iter(|| black_box(one_thread.install(|| deduper.removals_batch(&input.docs).len())))
        });
        group.bench_function("corpus_standard_exact_10M_batch", |b| {
            b.iter_batched_ref(
                with_full_set,
                |deduper| {
                    black_box(one_thread.install(|| deduper.removals_batch(&input.docs).len()))
                },
                criterion::BatchSize::PerIteration,
            )
        });
    }
    group.bench_function("naive_reference", |b| {
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

fn end_to_end(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("end_to_end");
    for input in inputs {
        group.throughput(Throughput::Bytes(input.bytes));
        let runs = [
            (
                "document_standard",
                Scope::Document,
                Normalizer::standard(),
                false,
            ),
            (
                "document_exact",
                Scope::Document,
                Normalizer::exact(),
                false,
            ),
            (
                "corpus_standard_exact_set",
                Scope::Corpus,
                Normalizer::standard(),
                true,
            ),
        ];
        for (name, scope, normalizer, compact) in runs {
            group.bench_with_input(BenchmarkId::new(name, input.name), input, |b, input| {
                let mut out = String::new();
                b.iter(|| {
                    let mut builder = Deduper::builder();
                    builder.scope(scope).normalizer(normalizer);
                    if compact {
                        builder.seen_set(SeenSet::exact());
                    }
                    let mut deduper = builder.build();
                    for doc in &input.docs {
                        deduper.dedup_into(doc, &mut out);
                        black_box(out.len());
                    }
                })
            });
        }
        group.bench_with_input(
            BenchmarkId::new("naive_reference", input.name),
            input,
            |b, input| {
                let mut out = String::new();
                b.iter(|| {
                    for doc in &input.docs {
                        naive_dedup(doc, &mut out);
                        black_box(out.len());
                    }
                })
            },
        );
    }
    group.finish();
}

/// Near-duplicate detection at its defaults against exact dedup alone, end to end, in both
/// scopes, on the corpus with near-duplicates and hard negatives and on the web corpus.
fn near_dup(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("near_dup");
    let near_corpus: Vec<String> =
        corpus::generate_bytes(&corpus::CorpusSpec::near_duplicates(), CORPUS_BYTES)
            .into_iter()
            .map(|d| d.text)
            .collect();
    let web = inputs.iter().find(|i| i.name == "web").expect("web corpus");
    for (name, docs) in [("near_corpus", &near_corpus), ("web", &web.docs)] {
        group.throughput(Throughput::Bytes(docs.iter().map(|d| d.len() as u64).sum()));
        for scope in [Scope::Document, Scope::Corpus] {
            for near in [false, true] {
                let id = format!("{scope:?}_{}", if near { "near" } else { "exact_only" });
                group.bench_with_input(BenchmarkId::new(id, name), docs, |b, docs| {
                    let mut out = String::new();
                    b.iter(|| {
                        let mut builder = Deduper::builder();
                        builder.scope(scope).seen_set(SeenSet::exact());
                        if near {
                            builder.near_duplicates(NearDup::new());
                        }
                        let mut deduper = builder.build();
                        for doc in docs {
                            deduper.dedup_into(doc, &mut out);
                            black_box(out.len());
                        }
                    })
                });
            }
        }
        group.bench_with_input(
            BenchmarkId::new("naive_reference", name),
            docs,
            |b, docs| {
                let mut out = String::new();
                b.iter(|| {
                    for doc in docs {
                        naive_dedup(doc, &mut out);
                        black_box(out.len());
                    }
                })
            },
        );
    }
    group.finish();
}

/// Finding and decoding the text of each JSON line, as the command does (no tree, other fields
/// only checked), beside `serde_json::Value` (a tree per line) in the same run.
fn jsonl_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("jsonl_parse");
    let docs = corpus::generate_bytes(&corpus::CorpusSpec::web(), CORPUS_BYTES);
    let jsonl = corpus::to_jsonl(&docs);
    let lines: Vec<&[u8]> = jsonl.as_bytes().split(|&b| b == b'\n').collect();
    group.throughput(Throughput::Bytes(jsonl.len() as u64));
    group.bench_function("scanner", |b| {
        b.iter(|| {
            let mut total = 0;
            for line in &lines {
                if let Ok((_, text)) = json::parse_line(line, "text", "id") {
                    total += text.len();
                }
            }
            black_box(total)
        })
    });
    group.bench_function("naive_serde_json_value", |b| {
        b.iter(|| {
            let mut total = 0;
            for line in &lines {
                if let Ok(value) = serde_json::from_slice::<serde_json::Value>(line) {
                    total += value["text"].as_str().map_or(0, str::len);
                }
            }
            black_box(total)
        })
    });
    group.finish();
}

/// `dedup_batch` on one thread and on every thread, beside the serial loop (feature `rayon`):
/// `cargo bench --features rayon --bench dedup -- parallel`.
#[cfg(feature = "rayon")]
fn parallel(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("parallel");
    let input = inputs.iter().find(|i| i.name == "web").expect("web corpus");
    group.throughput(Throughput::Bytes(input.bytes));
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    for scope in [Scope::Document, Scope::Corpus] {
        let make = || {
            Deduper::builder()
                .scope(scope)
                .seen_set(SeenSet::exact())
                .build()
        };
        group.bench_function(BenchmarkId::new(format!("{scope:?}"), "serial"), |b| {
            let mut out = String::new();
            b.iter(|| {
                let mut deduper = make();
                for doc in &input.docs {
                    deduper.dedup_into(doc, &mut out);
                }
                black_box(deduper.stats())
            })
        });
        for n in [1, threads] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("thread pool");
            // `removals`: the decisions alone, as the command takes them (it splices the text
            // itself); `batch`: with each document's kept text built too.
            let runs: [(&str, BatchRun); 2] = [
                ("batch", |d, docs| d.dedup_batch(docs).len()),
                ("removals", |d, docs| d.removals_batch(docs).len()),
            ];
            for (name, run) in runs {
                group.bench_function(
                    BenchmarkId::new(format!("{scope:?}"), format!("{name}_{n}_threads")),
                    |b| {
                        b.iter(|| {
                            let mut deduper = make();
                            pool.install(|| {
                                for batch in input.docs.chunks(1024) {
                                    black_box(run(&mut deduper, batch));
                                }
                            });
                            black_box(deduper.stats())
                        })
                    },
                );
            }
        }
    }
    group.bench_function("naive_reference", |b| {
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

fn benches(c: &mut Criterion) {
    let inputs = inputs();
    split(c, &inputs);
    normalize_and_fingerprint(c, &inputs);
    seen_insert(c);
    end_to_end(c, &inputs);
    corpus_at_scale(c, &inputs);
    near_dup(c, &inputs);
    jsonl_parse(c);
    #[cfg(feature = "rayon")]
    parallel(c, &inputs);
}

criterion_group! {
    name = dedup;
    config = config();
    targets = benches
}
criterion_main!(dedup);
