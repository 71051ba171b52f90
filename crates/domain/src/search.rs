//! Search keys and the interpretation of what is typed in the search box.
//!
//! Names are matched on a normalized form (no accents, lower case, single spaces) so that
//! "Çelik" is found by typing "celik", and prefix searches run as a range scan
//! `key >= prefix AND key < prefix_upper_bound(prefix)` on an indexed column.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::NationalNumber;

/// Normalizes a name for searching and sorting: Unicode NFD, combining marks removed, lower case, every run of non-alphanumeric characters becomes one space, trimmed. "Ça-Vá  DE Smet" -> "ca va de smet".
pub fn normalize_name(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut gap = false;
    // Lower-case before decomposing: a few capitals lower-case into a letter plus a
    // combining mark (İ), which the decomposition then lets us drop.
    let letters = input
        .chars()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c));
    for c in letters {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// The search key of a person: normalize_name(last_name + " " + first_name).
pub fn person_search_key(last_name: &str, first_name: &str) -> String {
    normalize_name(&format!("{last_name} {first_name}"))
}

/// The words of a search key ([`person_search_key`]) as the word table of the store holds
/// them: split at its single spaces, each once, in the order of the key. The store's
/// migration that fills the table for existing employees splits the stored key the same way
/// in SQL, so the two must agree: words are exactly the space-separated parts.
pub fn name_words(search_key: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in search_key.split(' ').filter(|w| !w.is_empty()) {
        if !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
    }
    words
}

/// The most words a name search looks for; the shortest of any further ones are dropped.
pub const MAX_SEARCH_WORDS: usize = 6;

/// The words of a name search (normalized with [`normalize_name`]), each of which must be the
/// start of some word of the name: each once, without a word that is the start of another one
/// typed (any name word that starts with "jans" starts with "jan"), longest (most selective)
/// first, at most [`MAX_SEARCH_WORDS`].
pub fn search_words(name: &str) -> Vec<String> {
    let typed = name_words(name);
    let mut words: Vec<String> = typed
        .iter()
        .filter(|w| !typed.iter().any(|o| o != *w && o.starts_with(w.as_str())))
        .cloned()
        .collect();
    // Stable: equally long words keep the order they were typed in.
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.truncate(MAX_SEARCH_WORDS);
    words
}

/// Exclusive upper bound for a prefix range search on normalized text: prefix + '\u{10FFFF}'. None for an empty prefix.
///
/// Holds under byte-wise (code point) ordering, as Rust strings and SQLite's default BINARY
/// collation compare, for text without U+10FFFF, which [`normalize_name`] never produces.
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    if prefix.is_empty() {
        return None;
    }
    let mut bound = String::with_capacity(prefix.len() + 4);
    bound.push_str(prefix);
    bound.push(char::MAX);
    Some(bound)
}

/// What a search box input looks like: a national number (parses), digits/employee-number-ish token, or a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    /// A complete, valid national or BIS number: look it up exactly.
    NationalNumber(NationalNumber),
    /// Something with digits in it, trimmed as typed: an employee number or part of one.
    Number(String),
    /// A (partial) name, already normalized with [`normalize_name`].
    Name(String),
}

/// Classifies trimmed input: empty -> None; parses as a national number -> NationalNumber; otherwise if it contains any digit -> Number(trimmed original); otherwise Name(normalize_name(input)).
///
/// Input with nothing to search for once normalized (only punctuation, say) is None too.
pub fn classify(input: &str) -> Option<SearchTerm> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return None;
    }
    if let Ok(number) = NationalNumber::parse(trimmed) {
        return Some(SearchTerm::NationalNumber(number));
    }
    if trimmed.chars().any(|c| c.is_ascii_digit()) {
        return Some(SearchTerm::Number(trimmed.to_owned()));
    }
    let name = normalize_name(trimmed);
    if name.is_empty() {
        None
    } else {
        Some(SearchTerm::Name(name))
    }
}

/// Width numeric employee numbers are padded to.
const NUMERIC_WIDTH: usize = 20;

/// Sort key for employee numbers so that "2" < "10": numeric ones first, in numeric order,
/// then the others alphabetically, then employees without a number.
///
/// Digits-only numbers become `"0"` followed by the number without leading zeros,
/// left-padded with `'0'` to 20 digits; other numbers (and absurdly long digit strings)
/// become `"1"` + the lower-cased number; no number (or a blank one) is `"2"`. Numbers
/// that differ only in leading zeros ("007", "7") get the same key.
pub fn employee_number_sort_key(number: Option<&str>) -> String {
    let Some(number) = number.map(str::trim).filter(|n| !n.is_empty()) else {
        return "2".to_owned();
    };
    if number.bytes().all(|b| b.is_ascii_digit()) {
        let significant = number.trim_start_matches('0');
        if significant.len() <= NUMERIC_WIDTH {
            return format!("0{significant:0>NUMERIC_WIDTH$}");
        }
    }
    format!("1{}", number.to_lowercase())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accents_case_and_punctuation_are_normalized_away() {
        assert_eq!(normalize_name("Ça-Vá  DE Smet"), "ca va de smet");
        assert_eq!(
            normalize_name("  Van den Bossche-Ölçer "),
            "van den bossche olcer"
        );
        assert_eq!(normalize_name("D'Hondt"), "d hondt");
        assert_eq!(normalize_name("İnci"), "inci");
        assert_eq!(normalize_name("Müller (jr.)"), "muller jr");
        assert_eq!(normalize_name("--"), "");
        assert_eq!(normalize_name(""), "");
    }

    #[test]
    fn the_person_key_puts_the_last_name_first() {
        assert_eq!(person_search_key("De Smet", "Élodie"), "de smet elodie");
        assert_eq!(person_search_key("Peeters", ""), "peeters");
    }

    #[test]
    fn a_name_has_each_of_its_words_once() {
        assert_eq!(
            name_words(&person_search_key("Van den Broeck", "Jan-Jan Élodie")),
            vec!["van", "den", "broeck", "jan", "elodie"]
        );
        assert_eq!(name_words(""), Vec::<String>::new());
    }

    #[test]
    fn search_words_drop_repeats_and_words_implied_by_longer_ones() {
        assert_eq!(search_words("lien aerts"), vec!["aerts", "lien"]);
        assert_eq!(search_words("jan jans jan"), vec!["jans"]);
        assert_eq!(
            search_words("a b c d e f g h"),
            vec!["a", "b", "c", "d", "e", "f"]
        );
        assert_eq!(search_words(""), Vec::<String>::new());
    }

    #[test]
    fn the_upper_bound_is_only_given_for_a_prefix() {
        assert_eq!(prefix_upper_bound(""), None);
        assert_eq!(
            prefix_upper_bound("de s"),
            Some("de s\u{10FFFF}".to_owned())
        );
    }

    #[test]
    fn search_input_is_classified_by_what_it_looks_like() {
        assert_eq!(classify("   "), None);
        assert_eq!(classify(" -- "), None);
        assert_eq!(
            classify(" 85.07.30-033.28 "),
            Some(SearchTerm::NationalNumber(
                NationalNumber::parse("85073003328").unwrap()
            ))
        );
        assert_eq!(
            classify(" E-1024 "),
            Some(SearchTerm::Number("E-1024".into()))
        );
        // A national number with a typo is still searched as a number, not as a name.
        assert_eq!(
            classify("85.07.30-033.29"),
            Some(SearchTerm::Number("85.07.30-033.29".into()))
        );
        assert_eq!(
            classify("Van Dáele"),
            Some(SearchTerm::Name("van daele".into()))
        );
    }

    #[test]
    fn employee_numbers_sort_numerically_then_alphabetically_then_missing() {
        let mut numbers = vec![
            Some("10"),
            None,
            Some("b7"),
            Some("2"),
            Some("A12"),
            Some("007"),
            Some(" "),
        ];
        numbers.sort_by_key(|n| employee_number_sort_key(*n));
        assert_eq!(
            numbers,
            vec![
                Some("2"),
                Some("007"),
                Some("10"),
                Some("A12"),
                Some("b7"),
                None,
                Some(" ")
            ]
        );
        assert_eq!(
            employee_number_sort_key(Some("7")),
            employee_number_sort_key(Some("007"))
        );
        assert_eq!(employee_number_sort_key(None), "2");
    }

    proptest! {
        #[test]
        fn normalize_name_is_idempotent(input in any::<String>()) {
            let once = normalize_name(&input);
            prop_assert_eq!(normalize_name(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }

        #[test]
        fn normalize_name_is_idempotent_on_latin_names(input in "[a-zA-Z\u{c0}-\u{17f} '.-]{0,30}") {
            let once = normalize_name(&input);
            prop_assert_eq!(normalize_name(&once), once.clone());
        }

        #[test]
        fn every_string_with_the_prefix_lies_within_the_range(
            prefix in any::<String>().prop_filter("non-empty", |p| !p.is_empty()),
            rest in any::<String>(),
        ) {
            let rest: String = rest.chars().filter(|c| *c != char::MAX).collect();
            let upper = prefix_upper_bound(&prefix).unwrap();
            let text = format!("{prefix}{rest}");
            prop_assert!(prefix.as_str() <= text.as_str());
            prop_assert!(text < upper);
        }

        #[test]
        fn normalized_names_with_a_normalized_prefix_lie_within_the_range(
            prefix in "[a-zé][a-zé ]{0,4}",
            rest in any::<String>(),
        ) {
            let prefix = normalize_name(&prefix);
            let text = normalize_name(&format!("{prefix}{rest}"));
            if text.starts_with(&prefix) {
                let upper = prefix_upper_bound(&prefix).unwrap();
                prop_assert!(prefix <= text && text < upper);
            }
        }

        #[test]
        fn numeric_employee_numbers_sort_like_their_values(a in 0u64..1_000_000_000, b in 0u64..1_000_000_000) {
            let ka = employee_number_sort_key(Some(&a.to_string()));
            let kb = employee_number_sort_key(Some(&b.to_string()));
            prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
        }

        #[test]
        fn every_name_word_is_found_by_each_of_its_prefixes(
            last in "[a-zA-Z\u{c0}-\u{17f} '.-]{0,20}",
            first in "[a-zA-Z\u{c0}-\u{17f} '.-]{0,20}",
            cut in 1usize..6,
        ) {
            let words = name_words(&person_search_key(&last, &first));
            for word in &words {
                let prefix: String = word.chars().take(cut).collect();
                let typed = search_words(&normalize_name(&prefix));
                prop_assert!(typed.iter().all(|t| words.iter().any(|w| w.starts_with(t.as_str()))));
                prop_assert!(!typed.is_empty());
            }
        }

        #[test]
        fn classify_never_panics(input in any::<String>()) {
            let _ = classify(&input);
        }
    }
}
