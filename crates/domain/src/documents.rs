//! The documents an employer finds under "Documenten": their kinds, in the order of the
//! seeds' menu, and the rules a publication's title must meet.

use serde::Serialize;

use crate::names::is_refused;

/// A section of "Documenten". Stored as [`DocumentKind::as_str`]: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// "Correspondentie": letters of the insurer.
    Correspondence,
    /// "Juridische documenten": the pension and group-insurance regulations.
    Legal,
    /// "Categorieën": the description of the personnel categories.
    Categories,
    /// "Documenten premiebetaling": statements, reminders, payment documents.
    PremiumPayment,
}

impl DocumentKind {
    /// Every kind, in the order the page shows them.
    pub const ALL: [DocumentKind; 4] = [
        DocumentKind::Correspondence,
        DocumentKind::Legal,
        DocumentKind::Categories,
        DocumentKind::PremiumPayment,
    ];

    /// The stored code, also the form's value and the catalogue key's end.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Correspondence => "correspondence",
            DocumentKind::Legal => "legal",
            DocumentKind::Categories => "categories",
            DocumentKind::PremiumPayment => "premium_payment",
        }
    }

    /// The kind stored or posted as `value`.
    pub fn parse(value: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 150;

/// Why a title is refused; the code is a catalogue key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleError {
    Empty,
    TooLong,
    /// Control, invisible or direction characters.
    Refused,
}

impl TitleError {
    pub fn code(self) -> &'static str {
        match self {
            TitleError::Empty => "document-title-required",
            TitleError::TooLong => "document-title-too-long",
            TitleError::Refused => "document-title-refused",
        }
    }
}

/// The title as typed, trimmed, when it can be shown as it is.
pub fn check_title(title: &str) -> Result<String, TitleError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(TitleError::Empty);
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(TitleError::TooLong);
    }
    if title.chars().any(is_refused) {
        return Err(TitleError::Refused);
    }
    Ok(title.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_codes_and_nothing_else() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DocumentKind::parse("contracts"), None);
        assert_eq!(DocumentKind::parse(""), None);
    }

    #[test]
    fn titles_are_trimmed_and_refused_when_empty_long_or_hidden() {
        assert_eq!(check_title("  Brief 2026 "), Ok("Brief 2026".to_owned()));
        assert_eq!(check_title("   "), Err(TitleError::Empty));
        assert_eq!(check_title(&"a".repeat(151)), Err(TitleError::TooLong));
        assert_eq!(
            check_title("Brief\u{202E}fdp.exe"),
            Err(TitleError::Refused)
        );
        assert!(check_title(&"é".repeat(150)).is_ok());
    }

    #[test]
    fn every_title_error_has_a_message() {
        for error in [TitleError::Empty, TitleError::TooLong, TitleError::Refused] {
            assert!(
                crate::test_catalog::in_catalog(error.code()),
                "{}",
                error.code()
            );
        }
    }
}
