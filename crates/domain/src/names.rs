//! Names people type: display names of users and operators, employees' name parts, employer,
//! contract, category and contact names. They are shown to other people (lists, the audit
//! log, e-mails), so characters that hide text or reorder it are refused: controls (C0, DEL,
//! C1), bidirectional embeddings, overrides and isolates (a name with U+202E shows reversed
//! text after it), and invisible format characters (zero-width spaces and joiners, soft
//! hyphens, tags, variation selectors, fillers), besides private-use and noncharacters.

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Why a typed name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than {MAX_NAME_CHARS} characters")]
    TooLong,
    /// A control character (tab, new line, NUL, ESC, …).
    #[error("the name contains a control character")]
    Control,
    /// A character that is invisible or changes the direction of the text.
    #[error("the name contains an invisible or text-direction character")]
    Hidden,
}

impl NameError {
    /// Stable message key for the translation catalog.
    pub fn code(&self) -> &'static str {
        match self {
            NameError::Empty => "field-required",
            NameError::TooLong => "name-too-long",
            NameError::Control => "name-invalid",
            NameError::Hidden => "name-hidden-character",
        }
    }
}

/// The name as it is kept: `text` trimmed, when it is not empty, not too long, and holds no
/// character that [`is_refused`] names.
pub fn check_name(text: &str) -> Result<&str, NameError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NameError::Empty);
    }
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    if text.chars().any(char::is_control) {
        return Err(NameError::Control);
    }
    if text.chars().any(is_hidden) {
        return Err(NameError::Hidden);
    }
    Ok(text)
}

/// Whether a name may not hold `c`.
pub fn is_refused(c: char) -> bool {
    c.is_control() || is_hidden(c)
}

/// Invisible, direction-changing, private-use or noncharacter code points.
fn is_hidden(c: char) -> bool {
    let u = u32::from(c);
    matches!(
        u,
        0x00AD                       // soft hyphen
        | 0x034F                     // combining grapheme joiner
        | 0x061C                     // Arabic letter mark
        | 0x115F | 0x1160 | 0x3164 | 0xFFA0 // Hangul fillers
        | 0x17B4 | 0x17B5            // Khmer inherent vowels
        | 0x180B..=0x180F            // Mongolian selectors and vowel separator
        | 0x200B..=0x200F            // zero-width space, (non-)joiner, LRM, RLM
        | 0x2028..=0x202E            // line/paragraph separators, embeddings, overrides
        | 0x2060..=0x206F            // word joiner, invisible operators, isolates, …
        | 0xFE00..=0xFE0F            // variation selectors
        | 0xFEFF                     // byte order mark / zero-width no-break space
        | 0xFFF0..=0xFFFB            // specials, interlinear annotation
        | 0x1BCA0..=0x1BCA3          // shorthand format controls
        | 0x1D173..=0x1D17A          // musical format controls
        | 0xE0000..=0xE0FFF          // tags, variation selectors supplement
        | 0xE000..=0xF8FF            // private use
        | 0xF0000..=0x10FFFF         // supplementary private use
        | 0xFDD0..=0xFDEF            // noncharacters
    ) || u & 0xFFFE == 0xFFFE
}

/// How a list names its people: "Mertens, Anouk", and where the same name appears more than
/// once, the name with what tells them apart (the employee number, else the masked national
/// number): "Mertens, Anouk (1043)". `people` is (name, what tells apart), in list order.
pub fn told_apart(people: &[(String, String)]) -> Vec<String> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (name, _) in people {
        *seen.entry(name.as_str()).or_default() += 1;
    }
    people
        .iter()
        .map(|(name, apart)| match seen.get(name.as_str()) {
            Some(n) if *n > 1 => format!("{name} ({apart})"),
            _ => name.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_names_pass_trimmed() {
        for name in [
            "An Peeters",
            "Van den Broeck-Claes",
            "Çelik Nuñez",
            "D'Hondt",
            "Zoë O’Brien",
            "محمد",
            "Groot Bedrijf NV (530-900)",
        ] {
            assert_eq!(check_name(&format!("  {name} ")), Ok(name));
        }
    }

    #[test]
    fn hiding_and_reordering_characters_are_refused() {
        assert_eq!(check_name("Eva\u{0}"), Err(NameError::Control));
        assert_eq!(check_name("Eva\u{1b}[31m"), Err(NameError::Control));
        assert_eq!(check_name("Ev\u{85}a"), Err(NameError::Control));
        assert_eq!(check_name("Jan\nMaes"), Err(NameError::Control));
        for c in [
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{202E}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200B}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{2060}',
            '\u{E0041}',
            '\u{FE0F}',
            '\u{E000}',
            '\u{FFFF}',
        ] {
            assert_eq!(
                check_name(&format!("Eva{c}gnp.exe")),
                Err(NameError::Hidden),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn empty_and_too_long_names_are_refused() {
        assert_eq!(check_name(" \t "), Err(NameError::Empty));
        assert_eq!(check_name(&"a".repeat(MAX_NAME_CHARS)).unwrap().len(), 100);
        assert_eq!(
            check_name(&"é".repeat(MAX_NAME_CHARS + 1)),
            Err(NameError::TooLong)
        );
        assert_eq!(NameError::Hidden.code(), "name-hidden-character");
    }

    proptest! {
        #[test]
        fn no_accepted_name_holds_a_refused_character(text in any::<String>()) {
            if let Ok(name) = check_name(&text) {
                prop_assert!(!name.chars().any(is_refused));
                prop_assert!(!name.is_empty() && name.chars().count() <= MAX_NAME_CHARS);
                prop_assert_eq!(name, name.trim());
            }
        }

        #[test]
        fn a_refused_character_anywhere_refuses_the_name(
            before in "[A-Za-zÀ-ÿ' -]{0,20}",
            after in "[A-Za-zÀ-ÿ' -]{0,20}",
            c in prop_oneof![
                (0u32..0x20).prop_map(|u| char::from_u32(u).unwrap()),
                (0x7Fu32..0xA0).prop_map(|u| char::from_u32(u).unwrap()),
                (0x202Au32..=0x202E).prop_map(|u| char::from_u32(u).unwrap()),
                (0x2066u32..=0x2069).prop_map(|u| char::from_u32(u).unwrap()),
                (0x200Bu32..=0x200F).prop_map(|u| char::from_u32(u).unwrap()),
            ],
        ) {
            let text = format!("Eva{before}{c}{after}Maes");
            prop_assert!(check_name(&text).is_err());
        }
    }

    #[test]
    fn repeated_names_are_told_apart_and_others_left_alone() {
        let people = [
            ("Mertens, Anouk".to_owned(), "1043".to_owned()),
            ("Peeters, Jan".to_owned(), "7".to_owned()),
            ("Mertens, Anouk".to_owned(), "85.07.30-***.**".to_owned()),
        ];
        assert_eq!(
            told_apart(&people),
            [
                "Mertens, Anouk (1043)",
                "Peeters, Jan",
                "Mertens, Anouk (85.07.30-***.**)"
            ]
        );
    }
}
