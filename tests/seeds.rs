//! The seed articles: two real scraped news pages. The expected output of each is written as
//! "the input minus these lines", so a reader can check it against the files by eye.

use paradedup::{paragraphs_of, Deduper, Normalizer, Origin, Scope, Unit};

const ARTICLE_000: &str = include_str!("data/000_34751d3a37f48367.txt");
const ARTICLE_001: &str = include_str!("data/001_4cd9e05293a17eb6.txt");

/// `text` without the given lines (1-based), each with its line break.
fn without_lines(text: &str, drop: &[usize]) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| !drop.contains(&(i + 1)))
        .map(|(_, line)| line)
        .collect()
}

fn dedupe(deduper: &mut Deduper, text: &str) -> String {
    deduper.dedup(text).text().to_owned()
}

/// Lines 4-5 repeat lines 2-3 and lines 10-12 repeat lines 7-9: the scraper caught two blocks
/// twice.
const REPEATS_000: [usize; 5] = [4, 5, 10, 11, 12];

#[test]
fn article_000_loses_exactly_its_five_repeated_lines() {
    let mut deduper = Deduper::new();
    let out = deduper.dedup(ARTICLE_000);
    assert_eq!(out.text(), without_lines(ARTICLE_000, &REPEATS_000));

    let removed: Vec<(u64, u64)> = out
        .removed()
        .iter()
        .map(|r| (r.index(), r.first().unwrap().paragraph))
        .collect();
    // Paragraph numbers from 0: 3 repeats 1, 4 repeats 2, 9-11 repeat 6-8.
    assert_eq!(removed, [(3, 1), (4, 2), (9, 6), (10, 7), (11, 8)]);
    let starts: Vec<String> = out
        .removed()
        .iter()
        .map(|r| ARTICLE_000[r.span()].chars().take(12).collect::<String>())
        .collect();
    assert_eq!(
        starts,
        [
            "\"Comme toujo",
            "Cependant, M",
            "Moscou appel",
            "Depuis le d\u{e9}",
            "Washington e"
        ]
    );
    let stats = out.stats();
    assert_eq!((stats.paragraphs, stats.duplicates), (14, 5));
    assert_eq!(
        stats.bytes_out,
        without_lines(ARTICLE_000, &REPEATS_000).len() as u64
    );
}

#[test]
fn article_001_loses_nothing_to_exact_dedup() {
    for normalizer in [Normalizer::exact(), Normalizer::standard()] {
        let mut deduper = Deduper::builder().normalizer(normalizer).build();
        let out = deduper.dedup(ARTICLE_001);
        assert!(out.removed().is_empty());
        assert_eq!(out.text(), ARTICLE_001);
        assert_eq!(out.stats().paragraphs, 23);
    }
}

#[test]
fn exact_normalization_finds_the_same_repeats_in_000() {
    let mut deduper = Deduper::builder().normalizer(Normalizer::exact()).build();
    assert_eq!(
        dedupe(&mut deduper, ARTICLE_000),
        without_lines(ARTICLE_000, &REPEATS_000)
    );
}

#[test]
fn blank_line_unit_sees_000_as_one_block() {
    // 000 has no blank line: with paragraphs as blocks, the whole article is one paragraph, so
    // there is nothing to repeat.
    assert_eq!(paragraphs_of(ARTICLE_000, Unit::BlankLines).count(), 1);
    let mut deduper = Deduper::builder().unit(Unit::BlankLines).build();
    let out = deduper.dedup(ARTICLE_000);
    assert_eq!(out.text(), ARTICLE_000);
}

#[test]
fn blank_line_unit_keeps_001_whole() {
    let mut deduper = Deduper::builder().unit(Unit::BlankLines).build();
    let out = deduper.dedup(ARTICLE_001);
    assert_eq!(out.text(), ARTICLE_001);
    // Blocks: the title, the caption block (5 lines), and so on.
    let blocks: Vec<&str> = paragraphs_of(ARTICLE_001, Unit::BlankLines)
        .map(|p| p.as_str())
        .collect();
    assert_eq!(blocks.len(), 11);
    assert!(blocks[1].starts_with("\u{a9} Flickr") && blocks[1].ends_with("Etat islamique."));
}

#[test]
fn blank_line_unit_removes_a_repeated_block() {
    // Doubling 001 as blocks: every block of the second copy goes, with its blank lines.
    let doubled = format!("{ARTICLE_001}\n\n{ARTICLE_001}");
    let mut deduper = Deduper::builder().unit(Unit::BlankLines).build();
    let out = deduper.dedup(&doubled);
    assert_eq!(out.removed().len(), 11);
    assert_eq!(out.text(), format!("{ARTICLE_001}\n\n"));
}

#[test]
fn corpus_scope_over_both_articles() {
    for unit in [Unit::Lines, Unit::BlankLines] {
        let mut deduper = Deduper::builder().scope(Scope::Corpus).unit(unit).build();
        let first = dedupe(&mut deduper, ARTICLE_000);
        let second = dedupe(&mut deduper, ARTICLE_001);
        let expected_000 = match unit {
            Unit::Lines => without_lines(ARTICLE_000, &REPEATS_000),
            _ => ARTICLE_000.to_owned(),
        };
        assert_eq!(first, expected_000);
        // The two articles share no paragraph.
        assert_eq!(second, ARTICLE_001);
        // Fed again, every paragraph of 001 is a repeat of its own first pass (document 1),
        // paragraph i of the new copy repeating paragraph i of the old one.
        let again = deduper.dedup(ARTICLE_001);
        assert!(again.text().trim().is_empty(), "{unit:?}");
        for removed in again.removed() {
            let expected = Origin {
                document: 1,
                paragraph: removed.index(),
            };
            assert_eq!(removed.first(), Some(expected));
        }
    }
}

#[test]
fn document_scope_forgets_between_documents() {
    let mut deduper = Deduper::new();
    assert_eq!(dedupe(&mut deduper, ARTICLE_001), ARTICLE_001);
    assert_eq!(dedupe(&mut deduper, ARTICLE_001), ARTICLE_001);
    assert_eq!(deduper.stats().documents, 2);
}
