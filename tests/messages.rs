//! What the library's messages and predicates tell a user: that a verdict says whether its
//! paragraph is removed for any reason, and that a seen-set's settings mismatch names the
//! settings instead of showing their bits.

use std::path::PathBuf;

use paradedup::{
    BoilerplatePolicy, Deduper, DocumentFrequency, ErrorKind, NearDup, Normalizer, Scope, SeenSet,
    Settings,
};

fn temp_file(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("paradedup-messages-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("seen.bin")
}

#[test]
fn is_removed_covers_near_duplicates_and_boilerplate_and_agrees_with_dedup() {
    let doc = "one two three four five six\n\
               one two three four five seven\n\
               one two three four five six\n\
               footer line\n\
               ***";
    let mut counts = DocumentFrequency::new(Settings::default());
    for d in ["footer line\nfirst", "footer line\nsecond", doc] {
        counts.count(d);
    }
    let build = || {
        Deduper::builder()
            // Six-word lines: below the meaning guard's minimum; this is about `is_removed`.
            .near_duplicates(NearDup::new().meaning_guard(false))
            .boilerplate(
                std::sync::Arc::new(counts.clone()),
                2,
                BoilerplatePolicy::DropAll,
            )
            .build()
    };
    let verdicts: Vec<_> = build().verdicts(doc).collect();
    let removed: Vec<bool> = verdicts.iter().map(|v| v.is_removed()).collect();
    let exact: Vec<bool> = verdicts.iter().map(|v| v.is_duplicate()).collect();
    assert_eq!(removed, [false, true, true, true, false]);
    assert_eq!(exact, [false, false, true, false, false]);
    // What `dedup` leaves out is exactly what `is_removed` says.
    let out = build().dedup(doc);
    let left_out: Vec<u64> = out.removed().iter().map(|r| r.index()).collect();
    let said: Vec<u64> = verdicts
        .iter()
        .filter(|v| v.is_removed())
        .map(|v| v.index())
        .collect();
    assert_eq!(left_out, said);
}

#[test]
fn seen_set_settings_mismatch_names_the_normalization() {
    let path = temp_file("preset");
    let mut d = Deduper::builder().scope(Scope::Corpus).build();
    d.dedup("a paragraph\nanother");
    d.seen().save(&path, Settings::default()).unwrap();

    let exact = Settings {
        normalizer: Normalizer::exact(),
        ..Settings::default()
    };
    let err = SeenSet::load(&path, exact).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SettingsMismatch);
    let message = err.to_string();
    assert!(
        message.contains("normalization standard,") && message.contains("normalization exact,"),
        "{message}"
    );
    assert!(!message.contains("0x00"), "{message}");

    // A switch set otherwise than its preset sets it is named too.
    let lowercase = Settings {
        normalizer: Normalizer::exact().with_switch("lowercase", true).unwrap(),
        ..Settings::default()
    };
    let no_punctuation = Settings {
        normalizer: Normalizer::standard()
            .with_switch("punctuation", false)
            .unwrap(),
        ..Settings::default()
    };
    d.seen().save(&path, lowercase).unwrap();
    let message = SeenSet::load(&path, no_punctuation)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("normalization exact, lowercase on,")
            && message.contains("normalization standard, punctuation off,"),
        "{message}"
    );
    // The same settings still load.
    assert!(SeenSet::load(&path, lowercase).is_ok());
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
