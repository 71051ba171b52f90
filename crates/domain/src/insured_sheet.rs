//! The column schema of the "Overzicht verzekerden" sheet: one row per affiliation, the
//! column headers in order, which column an employer may edit, and the Dutch display values.
//!
//! The sheet crate writes and reads xlsx with this schema; the store fills [`InsuredRow`].

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{AffiliationStatus, EmailAddress, Gender, Language, NationalNumber};

/// Name of the data sheet in the workbook.
pub const SHEET_NAME: &str = "Verzekerden";

/// Name of the sheet that explains how to fill the workbook in.
pub const HELP_SHEET_NAME: &str = "Uitleg";

/// How dates are shown in the sheet (and typed back by people).
pub const DATE_DISPLAY: &str = "%d/%m/%Y";

/// A column of the sheet, in sheet order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InsuredColumn {
    ContractNumber,
    Category,
    EmployeeNumber,
    NationalNumber,
    LastName,
    FirstName,
    Gender,
    Language,
    BirthDate,
    EmploymentStart,
    AffiliationStart,
    Status,
    EndDate,
    BusinessEmail,
    PrivateEmailKnown,
}

/// What kind of value a column holds, so writers and readers treat it alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Always text, even when it looks like a number (national and employee numbers).
    Text,
    /// A calendar date.
    Date,
}

impl InsuredColumn {
    /// Every column, in sheet order.
    pub const ALL: [InsuredColumn; 15] = [
        InsuredColumn::ContractNumber,
        InsuredColumn::Category,
        InsuredColumn::EmployeeNumber,
        InsuredColumn::NationalNumber,
        InsuredColumn::LastName,
        InsuredColumn::FirstName,
        InsuredColumn::Gender,
        InsuredColumn::Language,
        InsuredColumn::BirthDate,
        InsuredColumn::EmploymentStart,
        InsuredColumn::AffiliationStart,
        InsuredColumn::Status,
        InsuredColumn::EndDate,
        InsuredColumn::BusinessEmail,
        InsuredColumn::PrivateEmailKnown,
    ];

    /// The header text in the sheet (Dutch, as the users know it).
    pub fn header(self) -> &'static str {
        match self {
            InsuredColumn::ContractNumber => "Contractnummer",
            InsuredColumn::Category => "Categorie",
            InsuredColumn::EmployeeNumber => "Werknemersnummer",
            InsuredColumn::NationalNumber => "Rijksregisternummer",
            InsuredColumn::LastName => "Naam",
            InsuredColumn::FirstName => "Voornaam",
            InsuredColumn::Gender => "Geslacht",
            InsuredColumn::Language => "Taal",
            InsuredColumn::BirthDate => "Geboortedatum",
            InsuredColumn::EmploymentStart => "Datum in dienst",
            InsuredColumn::AffiliationStart => "Datum aansluiting",
            InsuredColumn::Status => "Status",
            InsuredColumn::EndDate => "Datum uittreding",
            InsuredColumn::BusinessEmail => "Zakelijk e-mailadres",
            InsuredColumn::PrivateEmailKnown => "Privé e-mailadres gekend",
        }
    }

    /// Position in the sheet, 0-based.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Only the business e-mail may be changed by the employer through the sheet.
    pub fn is_editable(self) -> bool {
        self == InsuredColumn::BusinessEmail
    }

    /// The national number identifies the row; it is neither editable nor "read-only data".
    pub fn is_key(self) -> bool {
        self == InsuredColumn::NationalNumber
    }

    /// Columns shown for information only: edits there are ignored on upload.
    pub fn is_read_only(self) -> bool {
        !self.is_editable() && !self.is_key()
    }

    /// Text or date.
    pub fn kind(self) -> ColumnKind {
        match self {
            InsuredColumn::BirthDate
            | InsuredColumn::EmploymentStart
            | InsuredColumn::AffiliationStart
            | InsuredColumn::EndDate => ColumnKind::Date,
            _ => ColumnKind::Text,
        }
    }

    /// Recognises a header cell typed or re-saved by any tool: case, surrounding blanks,
    /// doubled or non-breaking spaces and a trailing `*` do not matter.
    pub fn from_header(text: &str) -> Option<Self> {
        let wanted = normalize_header(text);
        Self::ALL
            .into_iter()
            .find(|c| normalize_header(c.header()) == wanted)
    }
}

fn normalize_header(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ").to_lowercase();
    joined.trim_end_matches('*').trim_end().to_owned()
}

/// "Man" or "Vrouw".
pub fn gender_label(gender: Gender) -> &'static str {
    match gender {
        Gender::Male => "Man",
        Gender::Female => "Vrouw",
    }
}

/// The language code in capitals, as on the insurers' lists: NL, FR, DE, EN.
pub fn language_label(language: Language) -> &'static str {
    match language {
        Language::Dutch => "NL",
        Language::French => "FR",
        Language::German => "DE",
        Language::English => "EN",
    }
}

/// "Actief", "Passief" or "Beëindigd".
pub fn status_label(status: AffiliationStatus) -> &'static str {
    match status {
        AffiliationStatus::Active => "Actief",
        AffiliationStatus::Passive => "Passief",
        AffiliationStatus::Terminated => "Beëindigd",
    }
}

/// "Ja" or "Nee".
pub fn yes_no(value: bool) -> &'static str {
    if value { "Ja" } else { "Nee" }
}

/// A date as shown in the sheet: dd/mm/yyyy.
pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_DISPLAY).to_string()
}

/// One affiliation as a row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsuredRow {
    /// `530/NNNNNN`.
    pub contract_number: String,
    /// The personnel category's name within the contract.
    pub category: String,
    /// The employer's own staff number, when it has one.
    pub employee_number: Option<String>,
    pub national_number: NationalNumber,
    pub last_name: String,
    pub first_name: String,
    pub gender: Gender,
    pub language: Language,
    pub birth_date: NaiveDate,
    /// Datum in dienst.
    pub employment_start: NaiveDate,
    /// Datum aansluiting.
    pub affiliation_start: NaiveDate,
    pub status: AffiliationStatus,
    /// Datum uittreding, inclusive.
    pub end_date: Option<NaiveDate>,
    pub business_email: Option<EmailAddress>,
    /// The employee gave a private address on the employee site (the address itself is
    /// not the employer's to see).
    pub private_email_known: bool,
}

/// A cell's value as the sheet shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue<'a> {
    Empty,
    Text(Cow<'a, str>),
    Date(NaiveDate),
}

impl CellValue<'_> {
    /// The value as a person reads it: dates as dd/mm/yyyy, empty as "".
    pub fn display(&self) -> Cow<'_, str> {
        match self {
            CellValue::Empty => Cow::Borrowed(""),
            CellValue::Text(text) => Cow::Borrowed(text.as_ref()),
            CellValue::Date(date) => Cow::Owned(format_date(*date)),
        }
    }
}

impl InsuredRow {
    /// The value of one column, with the Dutch display values; the national number in its
    /// usual presentation `YY.MM.DD-SSS.CC`.
    pub fn cell(&self, column: InsuredColumn) -> CellValue<'_> {
        let text = |s: &'static str| CellValue::Text(Cow::Borrowed(s));
        let owned = |s: &str| {
            if s.is_empty() {
                CellValue::Empty
            } else {
                CellValue::Text(Cow::Owned(s.to_owned()))
            }
        };
        match column {
            InsuredColumn::ContractNumber => owned(&self.contract_number),
            InsuredColumn::Category => owned(&self.category),
            InsuredColumn::EmployeeNumber => self
                .employee_number
                .as_deref()
                .map_or(CellValue::Empty, owned),
            InsuredColumn::NationalNumber => {
                CellValue::Text(Cow::Owned(self.national_number.formatted()))
            }
            InsuredColumn::LastName => owned(&self.last_name),
            InsuredColumn::FirstName => owned(&self.first_name),
            InsuredColumn::Gender => text(gender_label(self.gender)),
            InsuredColumn::Language => text(language_label(self.language)),
            InsuredColumn::BirthDate => CellValue::Date(self.birth_date),
            InsuredColumn::EmploymentStart => CellValue::Date(self.employment_start),
            InsuredColumn::AffiliationStart => CellValue::Date(self.affiliation_start),
            InsuredColumn::Status => text(status_label(self.status)),
            InsuredColumn::EndDate => self.end_date.map_or(CellValue::Empty, CellValue::Date),
            InsuredColumn::BusinessEmail => self
                .business_email
                .as_ref()
                .map_or(CellValue::Empty, |e| owned(e.as_str())),
            InsuredColumn::PrivateEmailKnown => text(yes_no(self.private_email_known)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn row() -> InsuredRow {
        InsuredRow {
            contract_number: "530/000101".into(),
            category: "Bedienden".into(),
            employee_number: None,
            national_number: NationalNumber::parse("85073003328").unwrap(),
            last_name: "Peeters".into(),
            first_name: "Jan".into(),
            gender: Gender::Male,
            language: Language::Dutch,
            birth_date: date(1985, 7, 30),
            employment_start: date(2010, 9, 1),
            affiliation_start: date(2010, 9, 1),
            status: AffiliationStatus::Active,
            end_date: None,
            business_email: None,
            private_email_known: true,
        }
    }

    #[test]
    fn the_headers_are_in_the_agreed_order_and_only_the_email_is_editable() {
        let headers: Vec<&str> = InsuredColumn::ALL.iter().map(|c| c.header()).collect();
        assert_eq!(
            headers.join("|"),
            "Contractnummer|Categorie|Werknemersnummer|Rijksregisternummer|Naam|Voornaam|\
             Geslacht|Taal|Geboortedatum|Datum in dienst|Datum aansluiting|Status|\
             Datum uittreding|Zakelijk e-mailadres|Privé e-mailadres gekend"
        );
        let editable: Vec<_> = InsuredColumn::ALL
            .into_iter()
            .filter(|c| c.is_editable())
            .collect();
        assert_eq!(editable, [InsuredColumn::BusinessEmail]);
        for (i, c) in InsuredColumn::ALL.into_iter().enumerate() {
            assert_eq!(c.index(), i);
        }
        assert_eq!(
            InsuredColumn::ALL
                .into_iter()
                .filter(|c| c.is_read_only())
                .count(),
            13
        );
    }

    #[test]
    fn headers_are_recognised_whatever_the_tool_did_to_blanks_and_case() {
        assert_eq!(
            InsuredColumn::from_header("  zakelijk\u{a0}E-MAILADRES * "),
            Some(InsuredColumn::BusinessEmail)
        );
        assert_eq!(
            InsuredColumn::from_header("Datum  in dienst"),
            Some(InsuredColumn::EmploymentStart)
        );
        assert_eq!(
            InsuredColumn::from_header("PRIVÉ E-MAILADRES GEKEND"),
            Some(InsuredColumn::PrivateEmailKnown)
        );
        assert_eq!(InsuredColumn::from_header("E-mailadres"), None);
        assert_eq!(InsuredColumn::from_header(""), None);
    }

    #[test]
    fn cells_use_the_dutch_display_values() {
        let mut r = row();
        assert_eq!(r.cell(InsuredColumn::Gender).display(), "Man");
        assert_eq!(r.cell(InsuredColumn::Language).display(), "NL");
        assert_eq!(r.cell(InsuredColumn::Status).display(), "Actief");
        assert_eq!(r.cell(InsuredColumn::PrivateEmailKnown).display(), "Ja");
        assert_eq!(
            r.cell(InsuredColumn::NationalNumber).display(),
            "85.07.30-033.28"
        );
        assert_eq!(
            r.cell(InsuredColumn::BirthDate),
            CellValue::Date(date(1985, 7, 30))
        );
        assert_eq!(r.cell(InsuredColumn::BirthDate).display(), "30/07/1985");
        assert_eq!(r.cell(InsuredColumn::EndDate), CellValue::Empty);
        assert_eq!(r.cell(InsuredColumn::EmployeeNumber), CellValue::Empty);
        r.status = AffiliationStatus::Terminated;
        r.gender = Gender::Female;
        r.language = Language::French;
        r.private_email_known = false;
        r.business_email = Some(EmailAddress::parse("Jan@Bedrijf.be").unwrap());
        assert_eq!(r.cell(InsuredColumn::Status).display(), "Beëindigd");
        assert_eq!(r.cell(InsuredColumn::Gender).display(), "Vrouw");
        assert_eq!(r.cell(InsuredColumn::Language).display(), "FR");
        assert_eq!(r.cell(InsuredColumn::PrivateEmailKnown).display(), "Nee");
        assert_eq!(
            r.cell(InsuredColumn::BusinessEmail).display(),
            "jan@bedrijf.be"
        );
        assert_eq!(status_label(AffiliationStatus::Passive), "Passief");
        assert_eq!(language_label(Language::German), "DE");
        assert_eq!(language_label(Language::English), "EN");
    }
}
