//! Table-driven edge cases: each row is an input, the normalizer, and the exact kept text.

use paradedup::{dedup, Deduper, Normalizer, Unit};
// These tests pin the exact-repeat semantics, so they ask for every repeat to be removed
// (the default keeps short repeats that look like structure: see tests/structure.rs).
use paradedup::ShortParagraphs;

struct Case {
    name: &'static str,
    input: &'static str,
    unit: Unit,
    normalizer: Normalizer,
    kept: &'static str,
}

const STD: Normalizer = Normalizer::standard();

macro_rules! t {
    ($name:expr, $input:expr, $kept:expr) => {
        t!($name, $input, Unit::Lines, STD, $kept)
    };
    ($name:expr, $input:expr, $unit:expr, $normalizer:expr, $kept:expr) => {
        Case {
            name: $name,
            input: $input,
            unit: $unit,
            normalizer: $normalizer,
            kept: $kept,
        }
    };
}

const CASES: &[Case] = &[
    t!("empty", "", ""),
    t!(
        "only separators",
        "\n\r\n\r\u{2028}\u{2029}\u{85}",
        "\n\r\n\r\u{2028}\u{2029}\u{85}"
    ),
    t!(
        "only whitespace",
        " \t\n\u{A0}\u{3000}\n",
        " \t\n\u{A0}\u{3000}\n"
    ),
    t!("crlf", "a\r\nb\r\na\r\n", "a\r\nb\r\n"),
    t!("lone cr", "a\rb\ra", "a\rb\r"),
    t!("mixed line endings", "a\r\nb\na\rb\u{85}c", "a\r\nb\nc"),
    t!(
        "line separator",
        "a\u{2028}b\u{2028}A",
        "a\u{2028}b\u{2028}"
    ),
    t!("paragraph separator", "a\u{2029}a\u{2029}", "a\u{2029}"),
    t!(
        "paragraph separator ends a block",
        "a\nb\u{2029}a\nb",
        Unit::BlankLines,
        STD,
        "a\nb\u{2029}"
    ),
    t!(
        "blocks with blank lines",
        "x\ny\n\n \n\nz\n\nX\nY!\n\nz",
        Unit::BlankLines,
        STD,
        "x\ny\n\n \n\nz\n\n"
    ),
    t!(
        "bom is not content",
        "\u{FEFF}Hello\nhello",
        "\u{FEFF}Hello\n"
    ),
    t!("nbsp is a space", "a\u{A0}b\na b\n", "a\u{A0}b\n"),
    t!(
        "surrounding whitespace kept, ignored",
        "  a \n\ta\t\n",
        "  a \n"
    ),
    t!(
        "combining vs precomposed",
        "caf\u{E9}\ncafe\u{301}\n",
        "caf\u{E9}\n"
    ),
    t!(
        "combining differ when exact",
        "caf\u{E9}\ncafe\u{301}\n",
        Unit::Lines,
        Normalizer::exact(),
        "caf\u{E9}\ncafe\u{301}\n"
    ),
    t!(
        "full-width letters",
        "\u{FF21}\u{FF22}\u{FF23}\nabc\n",
        "\u{FF21}\u{FF22}\u{FF23}\n"
    ),
    t!(
        "turkish dotted capital I",
        "\u{130}stanbul\ni\u{307}stanbul\n",
        "\u{130}stanbul\n"
    ),
    t!(
        "dotted I is not plain i",
        "\u{130}stanbul\nistanbul\n",
        "\u{130}stanbul\nistanbul\n"
    ),
    t!(
        "final sigma",
        "\u{39F}\u{394}\u{39F}\u{3A3}\n\u{3BF}\u{3B4}\u{3BF}\u{3C2}\n",
        "\u{39F}\u{394}\u{39F}\u{3A3}\n"
    ),
    t!(
        "emoji kept by default",
        "\u{1F44D} great\ngreat\n\u{1F44D} GREAT!\n",
        "\u{1F44D} great\ngreat\n"
    ),
    t!(
        "emoji dropped as symbols",
        "\u{1F44D}\u{1F3FD} great\ngreat\n",
        Unit::Lines,
        STD.drop_symbols(true),
        "\u{1F44D}\u{1F3FD} great\n"
    ),
    t!(
        "rtl",
        "\u{645}\u{631}\u{62D}\u{628}\u{627}\n\u{645}\u{631}\u{62D}\u{628}\u{627}!\n",
        "\u{645}\u{631}\u{62D}\u{628}\u{627}\n"
    ),
    t!(
        "cjk full-width punctuation",
        "\u{4F60}\u{597D}\u{FF0C}\u{4E16}\u{754C}\u{3002}\n\u{4F60}\u{597D}, \u{4E16}\u{754C}.\n",
        "\u{4F60}\u{597D}\u{FF0C}\u{4E16}\u{754C}\u{3002}\n"
    ),
    t!(
        "cjk punctuation separates words",
        "\u{4F60}\u{597D}\u{FF0C}\u{4E16}\u{754C}\n\u{4F60}\u{597D}\u{4E16}\u{754C}\n",
        "\u{4F60}\u{597D}\u{FF0C}\u{4E16}\u{754C}\n\u{4F60}\u{597D}\u{4E16}\u{754C}\n"
    ),
    t!(
        "punctuation-only lines are never duplicates",
        "***\n***\n\u{2014}\n\u{2014}\n",
        "***\n***\n\u{2014}\n\u{2014}\n"
    ),
    t!("nul bytes are content", "a\0b\na\0b\n", "a\0b\n"),
    t!(
        "guillemets and ellipsis",
        "\u{AB} Comme toujours\u{2026} \u{BB}\n\"comme   toujours...\"\nComme toujours,\n",
        "\u{AB} Comme toujours\u{2026} \u{BB}\n"
    ),
    t!(
        "comma glued",
        "Hello,world\nHello, world\n",
        "Hello,world\n"
    ),
    t!(
        "digits differ by default",
        "12 Commentaires\n0 Commentaires\n",
        "12 Commentaires\n0 Commentaires\n"
    ),
    t!(
        "digits folded",
        "12 Commentaires\n0 Commentaires\n",
        Unit::Lines,
        STD.fold_digits(true),
        "12 Commentaires\n"
    ),
    t!(
        "accents stripped",
        "F\u{E9}d\u{E9}ration\nFederation\n",
        Unit::Lines,
        STD.strip_accents(true),
        "F\u{E9}d\u{E9}ration\n"
    ),
    t!(
        "accents kept by default",
        "F\u{E9}d\u{E9}ration\nFederation\n",
        "F\u{E9}d\u{E9}ration\nFederation\n"
    ),
    t!(
        "last paragraph removed keeps the break before it",
        "a\nb\na",
        "a\nb\n"
    ),
];

#[test]
fn edge_cases() {
    for case in CASES {
        let mut deduper = Deduper::builder()
            .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
            .unit(case.unit)
            .normalizer(case.normalizer)
            .build();
        let out = deduper.dedup(case.input);
        assert_eq!(out.text(), case.kept, "case {:?}", case.name);
        let stats = out.stats();
        assert_eq!(
            stats.bytes_in,
            case.input.len() as u64,
            "case {:?}",
            case.name
        );
        assert_eq!(
            stats.bytes_out,
            case.kept.len() as u64,
            "case {:?}",
            case.name
        );
        let removed: usize = out.removed().iter().map(|r| r.extent().len()).sum();
        assert_eq!(
            removed + case.kept.len(),
            case.input.len(),
            "case {:?}",
            case.name
        );
    }
}

#[test]
fn nothing_removed_borrows_the_input() {
    let text = "one\ntwo\n";
    assert!(matches!(dedup(text), std::borrow::Cow::Borrowed(t) if t.as_ptr() == text.as_ptr()));
}

#[test]
fn ten_megabyte_single_line() {
    let line = "Lorem ipsum dolor sit amet, \u{E9}t\u{E9} consectetur. ".repeat((10 << 20) / 40);
    assert!(line.len() >= 10 << 20);
    let doc = format!("{line}\nshort\n{line}\n");
    let out = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .build()
        .dedup(&doc);
    assert_eq!(out.text(), format!("{line}\nshort\n"));
    assert_eq!(out.removed().len(), 1);
}

#[test]
fn min_chars_exempts_short_paragraphs() {
    let mut deduper = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .min_chars(4)
        .build();
    // "Oui!" normalizes to "oui": 3 characters, exempt; "Merci" has 5.
    let out = deduper.dedup("Oui!\noui\nMerci\nmerci\n");
    assert_eq!(out.text(), "Oui!\noui\nMerci\n");
    assert_eq!(out.stats().exempt, 2);
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<paradedup::Deduper>();
    assert_send_sync::<paradedup::DeduperBuilder>();
    assert_send_sync::<paradedup::SeenSet>();
    assert_send_sync::<paradedup::Paragraphs<'static>>();
    assert_send_sync::<paradedup::Verdicts<'static, 'static>>();
    assert_send_sync::<paradedup::Deduplicated<'static>>();
    assert_send_sync::<paradedup::Normalizer>();
    assert_send_sync::<paradedup::Stats>();
}
