//! Normalization presets against outside references: CCNet's Python function and the xxh3
//! reference implementation.

use paradedup::{Fingerprint, Normalizer, SEED};

/// Outputs of CCNet's `normalize_for_dedup` (cc_net/text_normalizer.py), computed with CPython
/// 3.11 from the function's source.
const CCNET: &[(&str, &str)] = &[
    ("S'abonner", "s'abonner"),
    ("S\u{2019}abonner", "sabonner"),
    ("\u{AB} Comme toujours\u{2026} \u{BB}", " comme toujours "),
    ("12 Commentaires", "00 commentaires"),
    (
        "F\u{E9}d\u{E9}ration de Russie",
        "f\u{E9}d\u{E9}ration de russie",
    ),
    (
        "\u{39F}\u{394}\u{39F}\u{3A3} \u{3A3}\u{391}\u{3A3}",
        "\u{3BF}\u{3B4}\u{3BF}\u{3C2} \u{3C3}\u{3B1}\u{3C2}",
    ),
    ("\u{130}stanbul", "i\u{307}stanbul"),
    (
        "\u{FF26}\u{FF55}\u{FF4C}\u{FF4C}\u{FF11}\u{FF12}\u{FF13}",
        "\u{FF46}\u{FF55}\u{FF4C}\u{FF4C}000",
    ),
    (
        "\u{663} \u{623}\u{64A}\u{627}\u{645}",
        "0 \u{623}\u{64A}\u{627}\u{645}",
    ),
    ("a\tb\u{1}c\u{85}d", "abcd"),
    ("\u{1C} hello \u{1F}", "hello"),
    ("Hello,  World!", "hello,  world!"),
    (
        "\u{DC}n\u{EF}c\u{F6}d\u{E9} \u{2014} test \u{2013} x",
        "\u{FC}n\u{EF}c\u{F6}d\u{E9}  test  x",
    ),
    ("\u{1C5}", "\u{1C6}"),
    ("\u{1E9E}", "\u{DF}"),
    ("\u{BD} \u{B2} \u{2460}", "\u{BD} \u{B2} \u{2460}"),
    ("a \u{200B}b", "a \u{200B}b"),
];

#[test]
fn ccnet_preset_reproduces_normalize_for_dedup() {
    for (input, expected) in CCNET {
        assert_eq!(
            Normalizer::ccnet().normalize(input),
            *expected,
            "input {input:?}"
        );
    }
}

#[test]
fn ccnet_quirks() {
    let n = Normalizer::ccnet();
    // The typographic apostrophe is deleted, the ASCII one kept: the two spellings differ.
    assert_ne!(n.normalize("S'abonner"), n.normalize("S\u{2019}abonner"));
    // Accents are kept.
    assert_ne!(n.normalize("d\u{E9}j\u{E0}"), n.normalize("deja"));
    // Each digit becomes 0 (not each run), so lengths still differ.
    assert_ne!(
        n.normalize("12 Commentaires"),
        n.normalize("0 Commentaires")
    );
    // ASCII punctuation stays.
    assert_ne!(n.normalize("Hello, world"), n.normalize("Hello world"));
}

/// Values from the reference implementation (the Python `xxhash` package, `xxh3_128` with
/// seed 0x7061726164656475). A change here changes every saved seen-set: it must fail loudly.
#[test]
fn golden_fingerprints() {
    assert_eq!(SEED, 0x7061_7261_6465_6475);
    let golden = [
        ("", "9fec02068655cf7c1152ea4d415fb2fb"),
        ("hello world", "3fb0f2de1bab5274905b340e870fa6eb"),
        ("comme toujours", "37eeb60ce3544767316daa2d57697cf3"),
        ("s abonner", "874e313cad7450be5c06304fa2cf7cd3"),
        (
            "\u{437}\u{430}\u{433}\u{43E}\u{43B}\u{43E}\u{432}\u{43E}\u{43A} \u{43E}\u{442}\u{43A}\u{440}\u{44B}\u{432}\u{430}\u{435}\u{43C}\u{43E}\u{433}\u{43E} \u{43C}\u{430}\u{442}\u{435}\u{440}\u{438}\u{430}\u{43B}\u{430}",
            "e6aad164d0f7e0ad25f6597ea311b540",
        ),
        ("0 commentaires", "0b50fd6297057a2d70d7ca0f1c3238eb"),
    ];
    for (text, hex) in golden {
        assert_eq!(Fingerprint::of(text).to_string(), hex, "{text:?}");
    }
    // The default normalization leads to the same value from the raw paragraph.
    let n = Normalizer::standard();
    assert_eq!(
        Fingerprint::of(&n.normalize("S'abonner")).to_string(),
        "874e313cad7450be5c06304fa2cf7cd3"
    );
}

#[test]
fn standard_examples() {
    let n = Normalizer::standard();
    for variant in [
        "\u{AB} Comme toujours\u{2026} \u{BB}",
        "\"comme   toujours...\"",
        "Comme toujours,",
        "COMME\u{A0}TOUJOURS",
        "\u{FF23}omme toujours",
    ] {
        assert_eq!(n.normalize(variant), "comme toujours", "{variant:?}");
    }
    assert_eq!(n.normalize("S\u{2019}abonner"), n.normalize("S'abonner"));
    assert_eq!(n.normalize("***"), "");
    assert_eq!(n.normalize("\u{2014}"), "");
}

#[test]
fn options_compose() {
    let n = Normalizer::standard()
        .strip_accents(true)
        .fold_digits(true)
        .drop_symbols(true);
    assert_eq!(
        n.normalize("\u{C9}t\u{E9} 2015 : 12\u{A0}000 \u{20AC} \u{1F600}!"),
        "ete 0 0 0"
    );
}
