//! The column schema of the "Overzicht verzekerden" sheet: one row per affiliation, the
//! columns in order, which column an employer may edit, and the values of each cell.
//!
//! No text a user reads lives here: a column's header and a value's label (gender, status,
//! yes/no) are keys of the message catalog (web/locales/*/sheets.ftl), which the sheet crate
//! renders in the reader's language. The sheet crate writes and reads xlsx with this
//! schema; the store fills [`InsuredRow`].

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{AffiliationStatus, EmailAddress, Gender, Language, NationalNumber};

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
    /// A label of the catalog (gender, status, yes/no): text in the reader's language.
    Label,
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

    /// The catalog key of the column's header (`sheet-col-…`).
    pub fn key(self) -> &'static str {
        match self {
            InsuredColumn::ContractNumber => "sheet-col-contract-number",
            InsuredColumn::Category => "sheet-col-category",
            InsuredColumn::EmployeeNumber => "sheet-col-employee-number",
            InsuredColumn::NationalNumber => "sheet-col-national-number",
            InsuredColumn::LastName => "sheet-col-last-name",
            InsuredColumn::FirstName => "sheet-col-first-name",
            InsuredColumn::Gender => "sheet-col-gender",
            InsuredColumn::Language => "sheet-col-language",
            InsuredColumn::BirthDate => "sheet-col-birth-date",
            InsuredColumn::EmploymentStart => "sheet-col-employment-start",
            InsuredColumn::AffiliationStart => "sheet-col-affiliation-start",
            InsuredColumn::Status => "sheet-col-status",
            InsuredColumn::EndDate => "sheet-col-end-date",
            InsuredColumn::BusinessEmail => "sheet-col-business-email",
            InsuredColumn::PrivateEmailKnown => "sheet-col-private-email-known",
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

    /// Text, date or label.
    pub fn kind(self) -> ColumnKind {
        match self {
            InsuredColumn::BirthDate
            | InsuredColumn::EmploymentStart
            | InsuredColumn::AffiliationStart
            | InsuredColumn::EndDate => ColumnKind::Date,
            InsuredColumn::Gender | InsuredColumn::Status | InsuredColumn::PrivateEmailKnown => {
                ColumnKind::Label
            }
            _ => ColumnKind::Text,
        }
    }
}

/// A header cell as it is compared with the headers of the catalog: whatever a tool did to
/// it, case, surrounding blanks, doubled or non-breaking spaces and a trailing `*` do not
/// matter.
pub fn normalize_header(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ").to_lowercase();
    joined.trim_end_matches('*').trim_end().to_owned()
}

/// The catalog key of a gender's label (`sheet-value-male`, `sheet-value-female`).
pub fn gender_key(gender: Gender) -> &'static str {
    match gender {
        Gender::Male => "sheet-value-male",
        Gender::Female => "sheet-value-female",
    }
}

/// The language code in capitals, as on the insurers' lists: NL, FR, DE, EN. A code, the
/// same in every language.
pub fn language_label(language: Language) -> &'static str {
    match language {
        Language::Dutch => "NL",
        Language::French => "FR",
        Language::German => "DE",
        Language::English => "EN",
    }
}

/// The catalog key of a status's label (`sheet-value-active`, …).
pub fn status_key(status: AffiliationStatus) -> &'static str {
    match status {
        AffiliationStatus::Active => "sheet-value-active",
        AffiliationStatus::Passive => "sheet-value-passive",
        AffiliationStatus::Terminated => "sheet-value-terminated",
    }
}

/// The catalog key of yes or no (`sheet-value-yes`, `sheet-value-no`).
pub fn yes_no_key(value: bool) -> &'static str {
    if value {
        "sheet-value-yes"
    } else {
        "sheet-value-no"
    }
}

/// Every key a cell's [`CellValue::Label`] can hold.
pub const LABEL_KEYS: [&str; 7] = [
    "sheet-value-male",
    "sheet-value-female",
    "sheet-value-active",
    "sheet-value-passive",
    "sheet-value-terminated",
    "sheet-value-yes",
    "sheet-value-no",
];

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
    /// Shown as it is (names, numbers, codes, addresses).
    Text(Cow<'a, str>),
    Date(NaiveDate),
    /// A label of the catalog (see [`LABEL_KEYS`]), shown in the reader's language.
    Label(&'static str),
}

impl InsuredRow {
    /// The value of one column: labels as catalog keys, the national number in its usual
    /// presentation `YY.MM.DD-SSS.CC`.
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
            InsuredColumn::Gender => CellValue::Label(gender_key(self.gender)),
            InsuredColumn::Language => text(language_label(self.language)),
            InsuredColumn::BirthDate => CellValue::Date(self.birth_date),
            InsuredColumn::EmploymentStart => CellValue::Date(self.employment_start),
            InsuredColumn::AffiliationStart => CellValue::Date(self.affiliation_start),
            InsuredColumn::Status => CellValue::Label(status_key(self.status)),
            InsuredColumn::EndDate => self.end_date.map_or(CellValue::Empty, CellValue::Date),
            InsuredColumn::BusinessEmail => self
                .business_email
                .as_ref()
                .map_or(CellValue::Empty, |e| owned(e.as_str())),
            InsuredColumn::PrivateEmailKnown => {
                CellValue::Label(yes_no_key(self.private_email_known))
            }
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
    fn the_columns_are_in_the_agreed_order_and_only_the_email_is_editable() {
        let keys: Vec<&str> = InsuredColumn::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(
            keys.join("|"),
            "sheet-col-contract-number|sheet-col-category|sheet-col-employee-number|\
             sheet-col-national-number|sheet-col-last-name|sheet-col-first-name|\
             sheet-col-gender|sheet-col-language|sheet-col-birth-date|\
             sheet-col-employment-start|sheet-col-affiliation-start|sheet-col-status|\
             sheet-col-end-date|sheet-col-business-email|sheet-col-private-email-known"
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
    fn exactly_the_label_columns_hold_labels() {
        let r = row();
        for column in InsuredColumn::ALL {
            let is_label = matches!(r.cell(column), CellValue::Label(_));
            assert_eq!(column.kind() == ColumnKind::Label, is_label, "{column:?}");
        }
    }

    #[test]
    fn headers_are_normalized_whatever_the_tool_did_to_blanks_and_case() {
        assert_eq!(
            normalize_header("  zakelijk\u{a0}E-MAILADRES * "),
            "zakelijk e-mailadres"
        );
        assert_eq!(normalize_header("Datum  in dienst"), "datum in dienst");
        assert_eq!(
            normalize_header("PRIVÉ E-MAILADRES GEKEND"),
            "privé e-mailadres gekend"
        );
        assert_eq!(normalize_header(""), "");
    }

    #[test]
    fn cells_hold_the_catalog_keys_of_their_labels() {
        let mut r = row();
        assert_eq!(
            r.cell(InsuredColumn::Gender),
            CellValue::Label("sheet-value-male")
        );
        assert_eq!(
            r.cell(InsuredColumn::Language),
            CellValue::Text(Cow::Borrowed("NL"))
        );
        assert_eq!(
            r.cell(InsuredColumn::Status),
            CellValue::Label("sheet-value-active")
        );
        assert_eq!(
            r.cell(InsuredColumn::PrivateEmailKnown),
            CellValue::Label("sheet-value-yes")
        );
        assert_eq!(
            r.cell(InsuredColumn::NationalNumber),
            CellValue::Text(Cow::Borrowed("85.07.30-033.28"))
        );
        assert_eq!(
            r.cell(InsuredColumn::BirthDate),
            CellValue::Date(date(1985, 7, 30))
        );
        assert_eq!(format_date(date(1985, 7, 30)), "30/07/1985");
        assert_eq!(r.cell(InsuredColumn::EndDate), CellValue::Empty);
        assert_eq!(r.cell(InsuredColumn::EmployeeNumber), CellValue::Empty);
        r.status = AffiliationStatus::Terminated;
        r.gender = Gender::Female;
        r.language = Language::French;
        r.private_email_known = false;
        r.business_email = Some(EmailAddress::parse("Jan@Bedrijf.be").unwrap());
        assert_eq!(
            r.cell(InsuredColumn::Status),
            CellValue::Label("sheet-value-terminated")
        );
        assert_eq!(
            r.cell(InsuredColumn::Gender),
            CellValue::Label("sheet-value-female")
        );
        assert_eq!(
            r.cell(InsuredColumn::Language),
            CellValue::Text(Cow::Borrowed("FR"))
        );
        assert_eq!(
            r.cell(InsuredColumn::PrivateEmailKnown),
            CellValue::Label("sheet-value-no")
        );
        assert_eq!(
            r.cell(InsuredColumn::BusinessEmail),
            CellValue::Text(Cow::Borrowed("jan@bedrijf.be"))
        );
        assert_eq!(
            status_key(AffiliationStatus::Passive),
            "sheet-value-passive"
        );
        assert_eq!(language_label(Language::German), "DE");
        assert_eq!(language_label(Language::English), "EN");
        // Every label a cell can hold is listed.
        let mut keys: Vec<&str> = [Gender::Male, Gender::Female]
            .map(gender_key)
            .into_iter()
            .chain(
                [
                    AffiliationStatus::Active,
                    AffiliationStatus::Passive,
                    AffiliationStatus::Terminated,
                ]
                .map(status_key),
            )
            .chain([true, false].map(yes_no_key))
            .collect();
        keys.sort_unstable();
        let mut listed = LABEL_KEYS;
        listed.sort_unstable();
        assert_eq!(keys, listed);
    }
}
