//! The meaning guard: a pair that passed the containment test but differs in a word that
//! changes what it says ("entier pair" / "entier impair", "vers le haut" / "vers le bas",
//! "page 4" / "page 1", an added "not") is not a near-duplicate.
//!
//! Containment counts shared shingles, so one changed word in a paragraph of ten costs at most
//! three of its eight shingles and passes 0.6; but on help pages and manuals the one word is
//! often the whole difference between two statements. The guard looks at the words only in
//! one of the two paragraphs, as the near-duplicate stage sees them (normalized), and refuses
//! the pair when those include a word that flips or names something.
//!
//! Each indexed paragraph keeps its distinct words as 32-bit hashes (4 bytes a word), with two
//! low bits telling whether the word has a digit and whether it was capitalized inside a
//! sentence in the text (a name or an identifier).

use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Flag bit: the word holds a digit.
const DIGIT: u32 = 1;
/// Flag bit: the word was capitalized where a sentence does not start (a name).
const CAPITAL: u32 = 2;
const FLAGS: u32 = DIGIT | CAPITAL;

/// Paragraphs of fewer words than this are never removed as near-duplicates when the guard
/// is on: one changed word is then a large part of what they say.
pub(super) const MIN_WORDS: usize = 8;

/// Words whose presence on one side only negates the statement. After the standard normalizer
/// an apostrophe is a space, so "n't" leaves a word "t" and French "n'" a word "n".
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nor", "t", "cannot", "ne", "n", "pas", "non", "jamais", "aucun",
    "aucune", "sans", "nicht", "kein", "keine", "keinen", "nie", "ohne", "sin", "nunca", "ni",
    "nada", "nessuno", "mai", "senza", "nao", "não", "nem", "niet", "geen", "nooit",
];

/// Words of opposite meaning: either one on one side only refuses the pair.
const OPPOSITES: &[&str] = &[
    "haut",
    "bas",
    "up",
    "down",
    "left",
    "right",
    "gauche",
    "droite",
    "before",
    "after",
    "avant",
    "après",
    "min",
    "max",
    "minimum",
    "maximum",
    "first",
    "last",
    "premier",
    "dernier",
    "open",
    "close",
    "ouvrir",
    "fermer",
    "enable",
    "disable",
    "enabled",
    "disabled",
    "activer",
    "désactiver",
    "show",
    "hide",
    "afficher",
    "masquer",
    "import",
    "export",
    "importer",
    "exporter",
    "true",
    "false",
    "vrai",
    "faux",
    "oui",
    "yes",
    "add",
    "remove",
    "ajouter",
    "supprimer",
    "start",
    "end",
    "début",
    "fin",
    "increase",
    "decrease",
    "above",
    "below",
    "dessus",
    "dessous",
    "inside",
    "outside",
    "input",
    "output",
    "entrée",
    "sortie",
    "read",
    "write",
    "lecture",
    "écriture",
    "upper",
    "lower",
    "top",
    "bottom",
    "next",
    "previous",
    "suivant",
    "précédent",
    "plus",
    "moins",
    "more",
    "less",
    "allow",
    "deny",
    "accept",
    "reject",
    "on",
    "off",
    "in",
    "out",
    "oben",
    "unten",
    "links",
    "rechts",
    "ja",
    "nein",
];

/// The most words added or removed on one side that can still flip a statement with a
/// negation or an opposite ("does not format", "vers le haut").
const MAX_FLIP_WORDS: usize = 3;

/// Prefixes that turn a word into its opposite: "pair" / "impair", "possible" / "impossible".
const PREFIXES: &[&str] = &[
    "im", "in", "il", "ir", "un", "non", "dé", "dés", "de", "dis", "anti", "mis", "a",
];

/// A word's hash with its flag bits cleared.
fn hash(word: &str) -> u32 {
    (xxh3_64_with_seed(word.as_bytes(), 0x6d65_616e) as u32) & !FLAGS
}

fn in_list(list: &[&str], word: u32) -> bool {
    list.iter().any(|w| hash(w) == word)
}

/// Whether `text` (a paragraph before normalization) is too short or too code-like to be
/// judged a near-duplicate at all.
pub(super) fn too_risky(text: &str, words: usize, word_shingles: bool) -> bool {
    (word_shingles && words < MIN_WORDS)
        || crate::dedup::looks_like_code(text)
        || (words < MAX_LINE_WORDS && names_a_path(text))
}

/// A line this short that holds a URL or a path is a line of a listing, a configuration file
/// or a link list ("deb https://deb.debian.org/debian bullseye main", "/usr/share/doc/…"):
/// another line like it names another thing.
const MAX_LINE_WORDS: usize = 16;

/// Whether a token of `text` is a URL or an absolute or home path.
fn names_a_path(text: &str) -> bool {
    text.split_whitespace().any(|token| {
        token.contains("://")
            || ((token.starts_with('/') || token.starts_with("~/"))
                && token[1..].contains(|c: char| c.is_alphanumeric()))
    })
}

/// Writes into `out` the distinct words of a paragraph, sorted, as flagged hashes: `normalized`
/// is what the near-duplicate stage sees, `text` the paragraph as written (for the capitals).
/// Returns the number of words (repeats included) of `normalized`.
pub(super) fn words_into(text: &str, normalized: &str, out: &mut Vec<u32>) -> usize {
    out.clear();
    // Words capitalized inside a sentence, as hashes of their lowercase and as-written forms,
    // so that they are found whether the normalizer lowercases or not.
    let mut capitals: Vec<u32> = Vec::new();
    let mut sentence_start = true;
    for (at, word) in text.unicode_word_indices() {
        let before = text[..at].trim_end();
        let starts = sentence_start
            || before.is_empty()
            || before.ends_with(['.', '!', '?', ':', '•', '-', '*', '"', '«', '(']);
        sentence_start = false;
        let mut chars = word.chars();
        let capitalized = chars.next().is_some_and(char::is_uppercase);
        // An identifier written in capitals or mixed case is a name wherever it stands.
        let inner_capital = chars.any(char::is_uppercase);
        if (capitalized && !starts) || inner_capital {
            capitals.push(hash(word));
            capitals.push(hash(&word.to_lowercase()));
        }
    }
    let mut count = 0;
    for word in normalized.unicode_words() {
        count += 1;
        let h = hash(word);
        let mut flags = 0;
        if word.bytes().any(|b| b.is_ascii_digit()) {
            flags |= DIGIT;
        }
        if capitals.contains(&h) {
            flags |= CAPITAL;
        }
        out.push(h | flags);
    }
    out.sort_unstable();
    out.dedup();
    // A word seen both capitalized and not keeps one entry, with the flags of all.
    let mut merged: Vec<u32> = Vec::with_capacity(out.len());
    for &w in out.iter() {
        match merged.last_mut() {
            Some(last) if *last & !FLAGS == w & !FLAGS => *last |= w,
            _ => merged.push(w),
        }
    }
    *out = merged;
    count
}

/// Whether two paragraphs, given as [`words_into`] left them, differ in a word that changes
/// the meaning: then the later is not a near-duplicate of the earlier.
///
/// - a number on each side that the other lacks ("page 4" / "page 1"), or a name or
///   identifier swapped for another (at most two words changed on either side); a number or
///   a name only added is a glued credit or a suffix;
/// - a negation on one side only;
/// - a word of opposite meaning ([`OPPOSITES`]) on one side only;
///
///   (these two unless more than [`MAX_FLIP_WORDS`] words were only added or only removed: a
///   sentence dropped or cut short, whose words they are);
/// - a word on one side that is a word of the other plus one of [`PREFIXES`].
pub(super) fn meaning_differs(later: &[u32], earlier: &[u32], later_text: &str) -> bool {
    let only_later = difference(later, earlier);
    let only_earlier = difference(earlier, later);
    let has = |words: &[u32], flag: u32| words.iter().any(|w| w & flag != 0);
    // A name for a name is a substitution of one or two words; more words changed on both
    // sides with names among them is a credit swapped for a site's suffix ("© Flickr / UMP
    // Photos" before a caption, "- Sputnik Afrique" after it).
    let swapped = only_later.len() <= 2 && only_earlier.len() <= 2;
    if (has(&only_later, DIGIT) && has(&only_earlier, DIGIT))
        || (swapped && has(&only_later, CAPITAL) && has(&only_earlier, CAPITAL))
    {
        return true;
    }
    // A sentence dropped or added, or a paragraph cut short, changes words on one side only
    // and more than a few: a "not" or an "up" among them belongs to the missing sentence, not
    // to a flipped statement.
    let phrase = (only_later.is_empty() || only_earlier.is_empty())
        && only_later.len() + only_earlier.len() > MAX_FLIP_WORDS;
    let listed = |w: &u32| in_list(NEGATIONS, w & !FLAGS) || in_list(OPPOSITES, w & !FLAGS);
    if !phrase && only_later.iter().chain(&only_earlier).any(listed) {
        return true;
    }
    if only_later.is_empty() && only_earlier.is_empty() {
        return false;
    }
    // The prefix test needs the words as text: those of the later paragraph are at hand.
    let earlier_has = |w: u32| earlier.binary_search_by(|e| (e & !FLAGS).cmp(&w)).is_ok();
    let later_has = |w: u32| later.binary_search_by(|e| (e & !FLAGS).cmp(&w)).is_ok();
    let mut seen = Vec::new();
    for word in later_text.unicode_words() {
        let h = hash(word);
        if seen.contains(&h) || earlier_has(h) {
            continue;
        }
        seen.push(h);
        for prefix in PREFIXES {
            // "impair" here, "pair" there.
            if let Some(stem) = word.strip_prefix(prefix) {
                if stem.chars().count() >= 3 && earlier_has(hash(stem)) && !later_has(hash(stem)) {
                    return true;
                }
            }
            // "pair" here, "impair" there.
            let longer = format!("{prefix}{word}");
            if word.chars().count() >= 3 && earlier_has(hash(&longer)) && !later_has(hash(&longer))
            {
                return true;
            }
        }
    }
    false
}

/// The words of `a` (sorted, flagged) that `b` lacks, whatever their flags.
fn difference(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter()
        .copied()
        .filter(|w| {
            b.binary_search_by(|e| (e & !FLAGS).cmp(&(w & !FLAGS)))
                .is_err()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Normalizer;

    fn differs(later: &str, earlier: &str) -> bool {
        let n = Normalizer::standard();
        let (nl, ne) = (n.normalize(later), n.normalize(earlier));
        let (mut l, mut e) = (Vec::new(), Vec::new());
        words_into(later, &nl, &mut l);
        words_into(earlier, &ne, &mut e);
        meaning_differs(&l, &e, &nl)
    }

    #[test]
    fn a_prefix_that_flips_the_word_is_a_different_statement() {
        let pair = "Arrondit un nombre positif au nombre entier pair supérieur le plus proche.";
        let impair = "Arrondit un nombre positif au nombre entier impair supérieur le plus proche.";
        assert!(differs(impair, pair));
        assert!(differs(pair, impair));
        assert!(differs(
            "It is impossible to change this setting while the computer runs.",
            "It is possible to change this setting while the computer runs."
        ));
    }

    #[test]
    fn opposite_words_are_different_statements() {
        assert!(differs(
            "Arrondit un nombre vers le bas au multiple le plus proche de la précision.",
            "Arrondit un nombre vers le haut au multiple le plus proche de la précision."
        ));
        assert!(differs(
            "Cliquez sur Exporter pour enregistrer le classeur dans un autre format de fichier.",
            "Cliquez sur Importer pour enregistrer le classeur dans un autre format de fichier."
        ));
    }

    #[test]
    fn a_changed_number_is_a_different_statement_an_added_one_is_not() {
        assert!(differs(
            "See the instructions on page 4 of the manual for your model.",
            "See the instructions on page 1 of the manual for your model."
        ));
        // A credit glued to a caption adds a year and names: still the same caption.
        assert!(!differs(
            "Le président de la République lors de sa visite à Lyon Photo AFP 2019",
            "Le président de la République lors de sa visite à Lyon"
        ));
    }

    #[test]
    fn a_negation_on_one_side_is_a_different_statement() {
        assert!(differs(
            "The installer does not format the disk before copying the files.",
            "The installer does format the disk before copying the files."
        ));
        // A dropped sentence with a "not" in it is still a copy.
        assert!(!differs(
            "The installer formats the disk before copying the files to it.",
            "The installer formats the disk before copying the files to it. It does not ask for a confirmation."
        ));
        assert!(differs(
            "If the network doesn't come up, check the cable and the router again.",
            "If the network does come up, check the cable and the router again."
        ));
    }

    #[test]
    fn a_changed_name_is_a_different_statement() {
        assert!(differs(
            "To install it, open the Software application and search for Firefox here.",
            "To install it, open the Software application and search for Thunderbird here."
        ));
    }

    #[test]
    fn code_and_short_lines_are_too_risky() {
        assert!(too_risky("If x > 0 Then y = x * 2 Else y = 0", 10, true));
        assert!(too_risky("Dim total As Integer = count + 1", 7, true));
        assert!(too_risky(
            "deb https://deb.debian.org/debian bullseye-backports main contrib non-free",
            11,
            true
        ));
        assert!(too_risky("/usr/share/man/man8/update-passwd.8.gz", 8, true));
        // "Import et export de fichiers classeurs" / "... fichiers texte CSV": too short.
        assert!(too_risky("Import et export de fichiers classeurs", 6, true));
        assert!(!too_risky(
            "Ouvrir le menu Fichier puis choisir la commande Enregistrer sous",
            10,
            true
        ));
    }
}
