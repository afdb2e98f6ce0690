//! Seen-set backends, files and merges: the promises of `SeenSet`, tested through the public
//! API.

use std::path::PathBuf;

use paradedup::{
    Deduper, ErrorKind, Fingerprint, Normalizer, Origin, Scope, Seen, SeenKind, SeenSet, Settings,
    Unit,
};
// These tests pin the exact-repeat semantics, so they ask for every repeat to be removed
// (the default keeps short repeats that look like structure: see tests/structure.rs).
use paradedup::ShortParagraphs;
use proptest::prelude::*;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("paradedup-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fp(i: u64) -> Fingerprint {
    Fingerprint::of_bytes(&i.to_le_bytes())
}

fn corpus_deduper(seen: SeenSet) -> Deduper {
    Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .scope(Scope::Corpus)
        .seen_set(seen)
        .build()
}

#[test]
fn bloom_false_positive_rate_is_within_one_and_a_half_times_the_target() {
    for target in [1e-2, 1e-3] {
        let n = 200_000u64;
        let mut bloom = SeenSet::bloom(n, target).unwrap();
        for i in 0..n {
            bloom.insert(fp(i), Origin::default());
        }
        // It never misses what it was given.
        assert!((0..n).all(|i| bloom.contains(fp(i))));
        let probes = 1_000_000u64;
        let false_positives = (n..n + probes).filter(|&i| bloom.contains(fp(i))).count();
        let rate = false_positives as f64 / probes as f64;
        assert!(
            rate <= 1.5 * target && rate >= target / 1.5,
            "target {target}, measured {rate}"
        );
    }
}

#[test]
fn bloom_memory_per_paragraph() {
    let per = |p: f64| SeenSet::bloom(1_000_000, p).unwrap().memory_usage() as f64 / 1e6;
    assert!((1.7..1.9).contains(&per(1e-3)), "{}", per(1e-3));
    assert!((3.5..3.7).contains(&per(1e-6)), "{}", per(1e-6));
}

#[test]
fn every_backend_finds_the_same_repeats_without_false_positives_here() {
    let docs = [
        "S'abonner\nArticle one.\n0 Commentaires",
        "S\u{2019}abonner\nArticle two.\n0 commentaires",
        "Article one.\nArticle three.",
    ];
    let backends = [
        SeenSet::new(),
        SeenSet::exact(),
        SeenSet::bloom(1000, 1e-9).unwrap(),
    ];
    let outputs: Vec<Vec<String>> = backends
        .into_iter()
        .map(|seen| {
            let mut d = corpus_deduper(seen);
            docs.iter()
                .map(|doc| d.dedup(doc).text().to_owned())
                .collect()
        })
        .collect();
    assert_eq!(
        outputs[0],
        [
            "S'abonner\nArticle one.\n0 Commentaires",
            "Article two.\n",
            "Article three."
        ]
    );
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn save_then_load_gives_the_same_decisions_for_every_backend() {
    let dir = temp_dir("roundtrip");
    let first = "Old paragraph.\nS'abonner\nShared line";
    let second = "S'abonner\nNew paragraph.\nshared line!";
    for (name, seen) in [
        ("origins", SeenSet::new()),
        ("exact", SeenSet::exact()),
        ("bloom", SeenSet::bloom(1000, 1e-6).unwrap()),
    ] {
        let mut one_pass = corpus_deduper(seen.clone());
        one_pass.dedup(first);
        let expected = one_pass.dedup(second).text().to_owned();

        let mut run = corpus_deduper(seen);
        run.dedup(first);
        let path = dir.join(format!("{name}.pds"));
        run.seen().save(&path, run.settings()).unwrap();
        let loaded = SeenSet::load(&path, run.settings()).unwrap();
        assert_eq!(loaded.kind(), run.seen().kind());
        assert_eq!(loaded.len(), run.seen().len());
        let mut next = corpus_deduper(loaded);
        assert_eq!(next.dedup(second).text(), expected, "{name}");
        assert_eq!(expected, "New paragraph.\n");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn files_do_not_depend_on_insertion_order() {
    let settings = Settings::default();
    let mut a = SeenSet::exact();
    let mut b = SeenSet::exact();
    for i in 0..1000 {
        a.insert(fp(i), Origin::default());
        b.insert(fp(999 - i), Origin::default());
    }
    let (mut bytes_a, mut bytes_b) = (Vec::new(), Vec::new());
    a.write_to(&mut bytes_a, settings).unwrap();
    b.write_to(&mut bytes_b, settings).unwrap();
    assert_eq!(bytes_a, bytes_b);
}

/// A valid file's bytes, to damage in each test.
fn saved_bytes(settings: Settings) -> Vec<u8> {
    let mut seen = SeenSet::exact();
    for i in 0..100 {
        seen.insert(fp(i), Origin::default());
    }
    let mut bytes = Vec::new();
    seen.write_to(&mut bytes, settings).unwrap();
    bytes
}

#[test]
fn each_bad_file_gets_its_own_error() {
    let settings = Settings::default();
    let good = saved_bytes(settings);
    let load = |bytes: &[u8]| SeenSet::read_from(bytes, settings).unwrap_err();

    let mut magic = good.clone();
    magic[1] = b'X';
    let err = load(&magic);
    assert_eq!(err.kind(), ErrorKind::NotASeenSet);
    assert!(err.to_string().contains("magic"), "{err}");

    let mut version = good.clone();
    version[8] = 9;
    let err = load(&version);
    assert_eq!(err.kind(), ErrorKind::UnsupportedVersion);
    assert!(err.to_string().contains("version 9"), "{err}");

    let err = load(&good[..good.len() - 100]);
    assert_eq!(err.kind(), ErrorKind::Truncated);
    assert!(err.to_string().contains("truncated"), "{err}");

    let mut flipped = good.clone();
    flipped[100] ^= 1;
    let err = load(&flipped);
    assert_eq!(err.kind(), ErrorKind::Corrupt);
    assert!(err.to_string().contains("checksum"), "{err}");

    for other in [
        Settings {
            normalizer: Normalizer::exact(),
            ..settings
        },
        Settings {
            unit: Unit::BlankLines,
            ..settings
        },
        Settings {
            min_chars: 20,
            ..settings
        },
        Settings {
            normalizer: Normalizer::standard().fold_digits(true),
            ..settings
        },
    ] {
        let err = SeenSet::read_from(&good[..], other).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::SettingsMismatch, "{other:?}");
        assert!(err.to_string().contains("other settings"), "{err}");
    }
    assert!(SeenSet::read_from(&good[..], settings).is_ok());
}

#[test]
fn load_errors_name_the_file() {
    let dir = temp_dir("names");
    let path = dir.join("broken.pds");
    std::fs::write(&path, b"definitely not a seen-set").unwrap();
    let err = SeenSet::load(&path, Settings::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotASeenSet);
    assert!(
        err.to_string().starts_with(&path.display().to_string()),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_save_leaves_the_old_file() {
    let dir = temp_dir("atomic");
    let path = dir.join("seen.pds");
    let settings = Settings::default();
    let mut seen = SeenSet::exact();
    seen.insert(fp(1), Origin::default());
    seen.save(&path, settings).unwrap();
    let before = std::fs::read(&path).unwrap();
    // Saving into a directory that does not exist fails before anything is renamed.
    let err = seen
        .save(dir.join("missing/seen.pds"), settings)
        .unwrap_err();
    assert!(err.is_io());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bloom_filters_merge_only_with_their_own_size() {
    let mut a = SeenSet::bloom(1000, 1e-3).unwrap();
    let b = SeenSet::bloom(2000, 1e-3).unwrap();
    assert_eq!(a.merge(&b).unwrap_err().kind(), ErrorKind::Incompatible);
    let mut exact = SeenSet::exact();
    assert_eq!(exact.merge(&a).unwrap_err().kind(), ErrorKind::Incompatible);
    exact.insert(fp(7), Origin::default());
    a.merge(&exact).unwrap();
    assert!(a.contains(fp(7)));
    assert_eq!(a.kind(), SeenKind::Bloom);
}

#[test]
fn records_report_origins_only_where_kept() {
    let mut with = SeenSet::new();
    let mut without = SeenSet::exact();
    let here = Origin {
        document: 3,
        paragraph: 4,
    };
    assert_eq!(with.record(fp(1), here), Seen::New);
    assert_eq!(
        with.record(fp(1), Origin::default()),
        Seen::Before(Some(here))
    );
    assert_eq!(without.record(fp(1), here), Seen::New);
    assert_eq!(without.record(fp(1), here), Seen::Before(None));
}

/// Documents drawn from a small pool of lines, so shards share paragraphs.
fn shard() -> impl Strategy<Value = Vec<String>> {
    let line = prop_oneof![
        Just("S'abonner"),
        Just("0 Commentaires"),
        Just("Article text."),
        Just("Other text"),
        Just("article TEXT"),
        Just("Lire aussi"),
    ];
    prop::collection::vec(
        prop::collection::vec(line, 0..6).prop_map(|l| l.join("\n")),
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Fingerprinting shards apart and merging their sets, then deduplicating a new batch,
    /// decides as one pass over A, then B, then the batch.
    #[test]
    fn merged_shards_equal_one_pass(a in shard(), b in shard(), batch in shard(), exact in any::<bool>()) {
        let make = || if exact { SeenSet::exact() } else { SeenSet::new() };
        let mut one_pass = corpus_deduper(make());
        for doc in a.iter().chain(&b) {
            one_pass.dedup(doc);
        }
        let expected: Vec<String> = batch.iter().map(|d| one_pass.dedup(d).text().to_owned()).collect();

        let mut shard_a = corpus_deduper(make());
        let mut shard_b = corpus_deduper(make());
        a.iter().for_each(|d| { shard_a.dedup(d); });
        b.iter().for_each(|d| { shard_b.dedup(d); });
        let mut merged = shard_a.into_seen();
        merged.merge(shard_b.seen()).unwrap();
        let mut incremental = corpus_deduper(merged);
        let got: Vec<String> = batch.iter().map(|d| incremental.dedup(d).text().to_owned()).collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn bloom_never_reports_a_given_fingerprint_as_unseen(values in prop::collection::vec(any::<u128>(), 0..2000)) {
        let mut bloom = SeenSet::bloom(500, 0.05).unwrap();
        for &v in &values {
            bloom.insert(Fingerprint::from_u128(v), Origin::default());
        }
        for &v in &values {
            prop_assert!(bloom.contains(Fingerprint::from_u128(v)));
        }
    }

    #[test]
    fn loading_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = SeenSet::read_from(&bytes[..], Settings::default());
    }
}

/// A file `save` could not have written is refused even with a valid checksum: fingerprints
/// out of order or repeated, or a reserved field that is not 0. So a loaded set is always
/// exactly the one that was saved.
#[test]
fn only_the_one_encoding_of_a_set_loads() {
    let settings = Settings::default();
    let mut set = SeenSet::exact();
    set.insert(fp(1), Origin::default());
    set.insert(fp(2), Origin::default());
    let mut saved = Vec::new();
    set.write_to(&mut saved, settings).unwrap();
    let reseal = |mut bytes: Vec<u8>| {
        let body = bytes.len() - 8;
        let sum = xxhash_rust::xxh3::xxh3_64(&bytes[..body]);
        bytes[body..].copy_from_slice(&sum.to_le_bytes());
        bytes
    };
    assert!(SeenSet::read_from(&reseal(saved.clone())[..], settings).is_ok());
    // The two 16-byte fingerprints start at byte 40: swapped, then repeated.
    let mut swapped = saved.clone();
    let (a, b) = (saved[40..56].to_vec(), saved[56..72].to_vec());
    swapped[40..56].copy_from_slice(&b);
    swapped[56..72].copy_from_slice(&a);
    let mut repeated = saved.clone();
    repeated[56..72].copy_from_slice(&a);
    let mut reserved = saved.clone();
    reserved[14] = 1;
    for bad in [swapped, repeated, reserved] {
        let err = SeenSet::read_from(&reseal(bad)[..], settings).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    }
}

/// The short-paragraph rule is not part of a seen-set's settings: it changes which repeats go,
/// not what is remembered, so runs under different rules save the same file, and a set saved
/// under one rule loads under another and decides as a set built under that rule.
#[test]
fn the_short_paragraph_rule_does_not_change_what_a_seen_set_holds() {
    let docs = [
        "Home\nContact\nA long first paragraph of the first page, with enough words in it.\nHome\nContact\n",
        "Home\nContact\nSpeed\nOui\nSize\nOui\nThe second page says something else entirely here.\n",
    ];
    let rules = [
        ShortParagraphs::RemoveEveryRepeat,
        ShortParagraphs::default(),
        "in-boilerplate-blocks:words=3,edge=0,block=0,documents=2"
            .parse()
            .unwrap(),
    ];
    let build = |rule: ShortParagraphs, seen: SeenSet| {
        Deduper::builder()
            .scope(Scope::Corpus)
            .short_paragraphs(rule)
            .seen_set(seen)
            .build()
    };
    let mut files = Vec::new();
    let mut kept = Vec::new();
    for rule in rules {
        let mut d = build(rule, SeenSet::exact());
        kept.push(docs.map(|doc| d.dedup(doc).text().to_owned()));
        let mut bytes = Vec::new();
        d.seen().write_to(&mut bytes, d.settings()).unwrap();
        files.push(bytes);
    }
    // The rules do decide differently on these documents, so the check below means something.
    assert_ne!(kept[0], kept[1]);
    assert!(files.windows(2).all(|w| w[0] == w[1]));
    let next = "Home\nA new page.\nOui\n";
    // Without the many-documents evidence, whose counts no file carries, a loaded set decides
    // as the set built in the same run would.
    let without_counts: ShortParagraphs = "in-boilerplate-blocks:documents=0".parse().unwrap();
    for rule in [ShortParagraphs::RemoveEveryRepeat, without_counts] {
        let loaded = SeenSet::read_from(files[0].as_slice(), Settings::default()).unwrap();
        let mut from_file = build(rule, loaded);
        let mut built = build(rule, SeenSet::exact());
        for doc in docs {
            built.dedup(doc);
        }
        assert_eq!(
            from_file.dedup(next).text(),
            built.dedup(next).text(),
            "{rule}"
        );
    }
}
