//! The workbook's own words, from the message catalog (web/locales/*/sheets.ftl): the sheet
//! names, the column headers and the labels of the cells, rendered once per language of the
//! catalog. The writer takes them in the requester's language; the reader recognises the
//! headers (and the comparison the labels) of every language, so a workbook downloaded in
//! one language reads back whatever the language of the one who uploads it.

use std::borrow::Cow;
use std::sync::OnceLock;

use ebdesk_domain::insured_sheet::{
    CellValue, ColumnKind, InsuredColumn, LABEL_KEYS, format_date, normalize_header,
};
use ebdesk_i18n::{LanguageIdentifier, default_language, languages, lookup};

use crate::preview::same_text;

/// Key of the data sheet's name.
pub(crate) const INSURED_SHEET_KEY: &str = "sheet-name-insured";
/// Key of the help sheet's name.
pub(crate) const HELP_SHEET_KEY: &str = "sheet-name-help";

/// The sheet names, headers and labels in one language.
#[derive(Debug)]
pub(crate) struct Texts {
    lang: LanguageIdentifier,
    /// The name of the data sheet.
    pub(crate) insured_sheet: String,
    /// The name of the help sheet.
    pub(crate) help_sheet: String,
    /// By [`InsuredColumn::index`].
    headers: Vec<String>,
    /// In [`LABEL_KEYS`] order.
    labels: Vec<String>,
}

impl Texts {
    fn new(lang: LanguageIdentifier) -> Self {
        let text = |key: &str| lookup(&lang, key, &[]);
        Texts {
            insured_sheet: text(INSURED_SHEET_KEY),
            help_sheet: text(HELP_SHEET_KEY),
            headers: InsuredColumn::ALL.iter().map(|c| text(c.key())).collect(),
            labels: LABEL_KEYS.iter().map(|key| text(key)).collect(),
            lang,
        }
    }

    /// The language of these texts.
    pub(crate) fn lang(&self) -> &LanguageIdentifier {
        &self.lang
    }

    /// A column's header.
    pub(crate) fn header(&self, column: InsuredColumn) -> &str {
        self.headers
            .get(column.index())
            .map_or(column.key(), String::as_str)
    }

    /// A label of [`LABEL_KEYS`]; any other key comes back as it is (visible, as the
    /// catalog shows a missing key).
    pub(crate) fn label<'a>(&'a self, key: &'a str) -> &'a str {
        LABEL_KEYS
            .iter()
            .position(|k| *k == key)
            .and_then(|i| self.labels.get(i))
            .map_or(key, String::as_str)
    }

    /// A cell as a person reads it: labels in this language, dates as dd/mm/yyyy, empty as "".
    pub(crate) fn display<'a>(&'a self, cell: &'a CellValue<'_>) -> Cow<'a, str> {
        match cell {
            CellValue::Empty => Cow::Borrowed(""),
            CellValue::Text(text) => Cow::Borrowed(text.as_ref()),
            CellValue::Date(date) => Cow::Owned(format_date(*date)),
            CellValue::Label(key) => Cow::Borrowed(self.label(key)),
        }
    }
}

/// Every language's texts, the default language first and then the others in the order of
/// their tags, so that a header two languages share always means the same column.
struct Catalog {
    by_lang: Vec<Texts>,
    /// Normalized header → column, in the order above; the first match wins.
    headers: Vec<(String, InsuredColumn)>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let default = default_language();
        let mut others: Vec<LanguageIdentifier> =
            languages().into_iter().filter(|l| *l != default).collect();
        others.sort_by_key(|l| l.to_string());
        let by_lang: Vec<Texts> = std::iter::once(default)
            .chain(others)
            .map(Texts::new)
            .collect();
        let headers = by_lang
            .iter()
            .flat_map(|texts| {
                InsuredColumn::ALL
                    .into_iter()
                    .map(|c| (normalize_header(texts.header(c)), c))
            })
            .collect();
        Catalog { by_lang, headers }
    })
}

/// The texts in `lang`; in the default language when the catalog lacks `lang` (as the
/// catalog itself falls back).
pub(crate) fn texts(lang: &LanguageIdentifier) -> &'static Texts {
    let by_lang = &catalog().by_lang;
    by_lang
        .iter()
        .find(|t| t.lang == *lang)
        .unwrap_or(&by_lang[0])
}

/// The column whose header, in any language of the catalog, a header cell holds (case,
/// blanks and a trailing `*` aside); `None` for an extra column.
pub(crate) fn column_of_header(text: &str) -> Option<InsuredColumn> {
    let wanted = normalize_header(text);
    if wanted.is_empty() {
        return None;
    }
    catalog()
        .headers
        .iter()
        .find(|(header, _)| *header == wanted)
        .map(|(_, column)| *column)
}

/// Whether `name` is the data sheet's name in some language.
pub(crate) fn is_insured_sheet(name: &str) -> bool {
    catalog().by_lang.iter().any(|t| t.insured_sheet == name)
}

/// Whether a read value and a known one are the same, case and blanks aside, a label
/// counting as the same in every language ("Man" read for a "Homme" written). `known` is
/// the value as [`Texts::display`] showed it, in any language.
pub(crate) fn same_value(column: InsuredColumn, read: &str, known: &str) -> bool {
    if same_text(read, known) {
        return true;
    }
    if column.kind() != ColumnKind::Label {
        return false;
    }
    let by_lang = &catalog().by_lang;
    let renderings = |i: usize| by_lang.iter().filter_map(move |t| t.labels.get(i));
    (0..LABEL_KEYS.len()).any(|i| {
        renderings(i).any(|t| same_text(t, known)) && renderings(i).any(|t| same_text(t, read))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_whatever_the_tool_did_to_blanks_and_case() {
        assert_eq!(
            column_of_header("  zakelijk\u{a0}E-MAILADRES * "),
            Some(InsuredColumn::BusinessEmail)
        );
        assert_eq!(
            column_of_header("Datum  in dienst"),
            Some(InsuredColumn::EmploymentStart)
        );
        assert_eq!(
            column_of_header("PRIVÉ E-MAILADRES GEKEND"),
            Some(InsuredColumn::PrivateEmailKnown)
        );
        assert_eq!(column_of_header("E-mailadres"), None);
        assert_eq!(column_of_header(""), None);
    }

    #[test]
    fn every_header_of_every_language_is_recognised_and_means_one_column() {
        for lang in languages() {
            let texts = texts(&lang);
            assert_eq!(texts.lang(), &lang);
            for column in InsuredColumn::ALL {
                let header = lookup(&lang, column.key(), &[]);
                assert_eq!(texts.header(column), header);
                assert_eq!(column_of_header(&header), Some(column), "{lang}: {header}");
                assert_eq!(
                    column_of_header(&header.to_uppercase()),
                    Some(column),
                    "{lang}: {header}"
                );
            }
            assert!(is_insured_sheet(&texts.insured_sheet));
        }
        // A language without a catalog gets the default one's texts.
        let none: LanguageIdentifier = "tlh".parse().unwrap();
        assert_eq!(texts(&none).lang(), &default_language());
    }

    #[test]
    fn the_dutch_texts_read_as_before() {
        let nl = texts(&default_language());
        let headers: Vec<&str> = InsuredColumn::ALL.iter().map(|c| nl.header(*c)).collect();
        assert_eq!(
            headers.join("|"),
            "Contractnummer|Categorie|Werknemersnummer|Rijksregisternummer|Naam|Voornaam|\
             Geslacht|Taal|Geboortedatum|Datum in dienst|Datum aansluiting|Status|\
             Datum uittreding|Zakelijk e-mailadres|Privé e-mailadres gekend"
        );
        let labels: Vec<&str> = LABEL_KEYS.iter().map(|k| nl.label(k)).collect();
        assert_eq!(
            labels,
            [
                "Man",
                "Vrouw",
                "Actief",
                "Passief",
                "Beëindigd",
                "Ja",
                "Nee"
            ]
        );
        assert_eq!(nl.insured_sheet, "Verzekerden");
        assert_eq!(nl.help_sheet, "Uitleg");
        for text in headers.iter().chain(&labels) {
            assert!(
                text.chars()
                    .all(|c| !c.is_control() && !('\u{2066}'..='\u{2069}').contains(&c)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn cells_show_their_labels_in_the_language_and_compare_in_any() {
        let nl = texts(&default_language());
        assert_eq!(nl.display(&CellValue::Label("sheet-value-male")), "Man");
        assert_eq!(
            nl.display(&CellValue::Label("sheet-value-terminated")),
            "Beëindigd"
        );
        assert_eq!(nl.display(&CellValue::Label("sheet-value-no")), "Nee");
        assert_eq!(
            nl.display(&CellValue::Label("no-such-label")),
            "no-such-label"
        );
        assert_eq!(nl.display(&CellValue::Empty), "");
        assert_eq!(
            nl.display(&CellValue::Date(
                chrono::NaiveDate::from_ymd_opt(1985, 7, 30).unwrap()
            )),
            "30/07/1985"
        );
        assert!(same_value(InsuredColumn::Status, " actief ", "Actief"));
        assert!(!same_value(InsuredColumn::Status, "Passief", "Actief"));
        assert!(!same_value(
            InsuredColumn::Status,
            "Actief (gewijzigd)",
            "Actief"
        ));
        // Only label columns compare labels across languages.
        assert!(!same_value(InsuredColumn::Category, "Ja", "Nee"));
        for lang in languages() {
            let texts = texts(&lang);
            for key in LABEL_KEYS {
                assert!(same_value(
                    InsuredColumn::Gender,
                    texts.label(key),
                    nl.label(key)
                ));
            }
        }
    }
}
