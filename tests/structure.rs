//! The default keeps short repeats that are structure (headings, table cells, code) and removes
//! the ones that are boilerplate (a footer block, navigation at a document's edges); the
//! explicit `RemoveEveryRepeat` removes every repeat, as before.

use paradedup::{Deduper, Scope, ShortParagraphs};

fn kept(deduper: &mut Deduper, doc: &str) -> String {
    deduper.dedup(doc).text().to_owned()
}

fn every_repeat() -> Deduper {
    Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .build()
}

/// A manual page: the same section title heads two sections.
const MANUAL: &str = "Installing the printer driver on a new computer\n\
    Options\n\
    The driver asks which paper size to use and whether to print on both sides.\n\
    Troubleshooting\n\
    If nothing prints, check that the printer is on and that its cable is plugged in.\n\
    Options\n\
    The troubleshooter can also reset the queue when a job is stuck.\n\
    This manual was last updated in May.\n";

#[test]
fn a_heading_after_a_unique_paragraph_stays() {
    assert_eq!(kept(&mut Deduper::new(), MANUAL), MANUAL);
    // The old behaviour removes it.
    assert_eq!(
        kept(&mut every_repeat(), MANUAL),
        MANUAL.replacen("Options\nThe troubleshooter", "The troubleshooter", 1)
    );
}

/// Two articles of a site: each ends with the same footer block, and the first starts with
/// the site's navigation.
const FOOTER: &str = "Share on Facebook\nShare on Twitter\nSubscribe to the newsletter\n\
    © 2024 Example News. All rights reserved.\n";

#[test]
fn a_footer_block_goes() {
    // In one document: the footer repeats the header block, at the document's tail.
    let doc = format!(
        "{FOOTER}The council voted on Tuesday to extend the tram line to the airport.\n\
         Work is to begin next spring and to last three years.\n{FOOTER}"
    );
    let out = Deduper::new().dedup(&doc);
    assert_eq!(out.text(), &doc[..doc.len() - FOOTER.len()]);
    assert_eq!(out.removed().len(), 4);

    // In a corpus: the second article loses the whole footer block.
    let mut corpus = Deduper::builder().scope(Scope::Corpus).build();
    let first = format!("The council voted on Tuesday to extend the tram line.\n{FOOTER}");
    let second = format!("The new library opens its doors on Saturday morning.\n{FOOTER}");
    assert_eq!(kept(&mut corpus, &first), first);
    assert_eq!(
        kept(&mut corpus, &second),
        "The new library opens its doors on Saturday morning.\n"
    );
}

/// A feature table, one cell a line: `Oui` and `Non` repeat because the table says so.
const TABLE: &str = "Les offres comparées\n\
    Fonction\nBasique\nPro\n\
    Sauvegarde\nOui\nOui\n\
    Partage\nNon\nOui\n\
    Chiffrement\nNon\nOui\n\
    Assistance\nNon\nOui\n\
    Les prix sont donnés hors taxes et peuvent changer sans préavis.\n\
    Pour toute question, écrivez au service commercial.\n";

#[test]
fn a_table_of_oui_and_non_stays() {
    assert_eq!(kept(&mut Deduper::new(), TABLE), TABLE);
    // In corpus scope too, when a second document has a table with other rows: its repeated
    // cells stand among kept lines. (A table repeated whole, four cells or more in a row, is
    // a repeated block and goes.)
    let mut corpus = Deduper::builder().scope(Scope::Corpus).build();
    assert_eq!(kept(&mut corpus, TABLE), TABLE);
    let other = "Une autre offre\nUn premier paragraphe tout neuf.\nFonction\nOui\nStockage\nNon\nArchivage\nOui\n\
                 Un texte neuf ici, et assez long.\n\
                 Et une dernière ligne qui n'a jamais été vue.\n";
    assert_eq!(kept(&mut corpus, other), other);
}

#[test]
fn code_lines_stay_even_in_a_block() {
    let doc = "Two loops do the work:\n\
        for (i = 0; i < n; i++) {\n\
        }\n\
        and later, the same loop again:\n\
        for (i = 0; i < n; i++) {\n\
        }\n\
        That is all the program needs to run.\n\
        It compiles with any C compiler.\n";
    assert_eq!(kept(&mut Deduper::new(), doc), doc);
}

#[test]
fn remove_every_repeat_removes_every_repeat() {
    let mut old = every_repeat();
    let out = old.dedup(TABLE);
    // Every repeated cell goes: Oui five times after its first, Non twice after its first.
    let removed: Vec<&str> = out.removed().iter().map(|r| &TABLE[r.span()]).collect();
    assert_eq!(removed, ["Oui", "Oui", "Non", "Oui", "Non", "Oui"]);
    assert_eq!(out.stats().duplicates, 6);
    // The same as a naive set of normalized lines would say, on every test document here.
    for doc in [MANUAL, TABLE, FOOTER] {
        let mut seen = std::collections::HashSet::new();
        let expected: String = doc
            .split_inclusive('\n')
            .filter(|line| seen.insert(line.trim().to_lowercase()))
            .collect();
        assert_eq!(kept(&mut every_repeat(), doc), expected, "{doc}");
    }
}

#[test]
fn the_rule_has_names() {
    let rule: ShortParagraphs = "in-boilerplate-blocks:words=5,documents=3".parse().unwrap();
    assert_eq!(
        rule.to_string(),
        "in-boilerplate-blocks:words=5,edge=1,block=4,documents=3"
    );
    assert_eq!(
        "remove-every-repeat".parse::<ShortParagraphs>().unwrap(),
        ShortParagraphs::RemoveEveryRepeat
    );
    let err = "keep-all".parse::<ShortParagraphs>().unwrap_err();
    assert!(err.to_string().contains("remove-every-repeat"), "{err}");
    assert!("in-boilerplate-blocks:words=x"
        .parse::<ShortParagraphs>()
        .is_err());
}

/// A document of more paragraphs than the rule settles together (two windows here): only the
/// first window has a head and only the last a tail, so the footer block at the end, in the
/// last window, still goes, and the streamed and whole results agree.
#[test]
fn a_very_long_document_is_settled_by_windows() {
    let mut doc = String::from(FOOTER);
    for i in 0..150_000 {
        doc.push_str(&format!("Line {i} of a long log that nothing repeats.\n"));
        doc.push_str(&format!("Entry {i} has its own words too.\n"));
    }
    doc.push_str(FOOTER);
    let out = Deduper::new().dedup(&doc);
    assert!(out.text().starts_with(FOOTER));
    assert!(
        !out.text().ends_with(FOOTER),
        "the footer at the tail stays"
    );
    let streamed: String = {
        let mut deduper = Deduper::new();
        let mut kept = String::new();
        deduper.dedup_into(&doc, &mut kept);
        kept
    };
    assert_eq!(streamed, out.text());
    assert_eq!(
        out.removed().len() as u64,
        out.stats().duplicates,
        "every removal counted once"
    );
}
