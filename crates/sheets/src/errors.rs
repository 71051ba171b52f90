//! What can go wrong: writing a workbook (ours to fix), a whole upload refused (the user's
//! file), one row of an upload (the user's data). What the user reads is a [`Message`]: a
//! key of the catalog (web/locales/*/sheets.ftl) and its arguments, rendered in the reader's
//! language by whoever shows it.

use ebdesk_domain::email::EmailError;
use ebdesk_domain::insured_sheet::InsuredColumn;
use ebdesk_domain::national_number::NationalNumberError;
use ebdesk_domain::salary_list::SalaryColumn;
use ebdesk_i18n::{LanguageIdentifier, Message, default_language};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::texts::texts;

/// Writing a workbook failed: a bug or a full disk, never the user's doing.
#[derive(Debug, Error)]
pub enum SheetError {
    #[error("xlsx writer: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Why a whole upload is refused: always the file's fault (a parser that did not finish is
/// `child::IsolatedError::Incomplete`, not a rejection). Carries no personal data, so it is
/// safe to log.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum FileRejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: u64 },
    #[error("not a workbook")]
    NotAWorkbook,
    #[error("old .xls format")]
    OldExcelFormat,
    #[error("password-protected workbook")]
    PasswordProtected,
    #[error("OpenDocument spreadsheet")]
    OpenDocument,
    #[error("binary workbook (.xlsb)")]
    BinaryWorkbook,
    #[error("workbook with macros")]
    Macros,
    #[error("damaged zip or XML")]
    Malformed,
    #[error("DTD or entity declaration")]
    DtdOrEntity,
    #[error("suspicious compression")]
    SuspiciousCompression,
    #[error("more than {max} parts in the package")]
    TooManyParts { max: usize },
    #[error("unsafe or duplicate part name")]
    UnsafePartName,
    #[error("no sheet with the expected headers")]
    NoHeaderSheet,
    #[error("header row lacks required columns")]
    MissingColumns { missing: Vec<InsuredColumn> },
    #[error("a column appears twice in the header row")]
    DuplicateColumn { column: InsuredColumn },
    #[error("header row but no data rows")]
    NoRows,
    #[error("no sheet with the salary list's headers")]
    NoSalaryHeaderSheet,
    #[error("the salary list's header row lacks required columns")]
    MissingSalaryColumns { missing: Vec<SalaryColumn> },
    #[error("a salary list's column appears twice in the header row")]
    DuplicateSalaryColumn { column: SalaryColumn },
    #[error("more than {max} data rows")]
    TooManyRows { max: u32 },
    #[error("a value beyond column {max}")]
    TooManyColumns { max: u32 },
    #[error("more than {max} cells")]
    TooManyCells { max: u64 },
}

impl FileRejection {
    /// Stable key of the cause.
    pub fn code(&self) -> &'static str {
        match self {
            FileRejection::Empty => "upload-empty",
            FileRejection::TooLarge { .. } => "upload-too-large",
            FileRejection::NotAWorkbook => "upload-not-a-workbook",
            FileRejection::OldExcelFormat => "upload-old-excel-format",
            FileRejection::PasswordProtected => "upload-password-protected",
            FileRejection::OpenDocument => "upload-open-document",
            FileRejection::BinaryWorkbook => "upload-binary-workbook",
            FileRejection::Macros => "upload-macros",
            FileRejection::Malformed => "upload-malformed",
            FileRejection::DtdOrEntity => "upload-dtd-or-entity",
            FileRejection::SuspiciousCompression => "upload-suspicious-compression",
            FileRejection::TooManyParts { .. } => "upload-too-many-parts",
            FileRejection::UnsafePartName => "upload-unsafe-part-name",
            FileRejection::NoHeaderSheet => "upload-no-header-sheet",
            FileRejection::MissingColumns { .. } => "upload-missing-columns",
            FileRejection::DuplicateColumn { .. } => "upload-duplicate-column",
            FileRejection::NoRows => "upload-no-rows",
            FileRejection::NoSalaryHeaderSheet => "upload-no-salary-header-sheet",
            FileRejection::MissingSalaryColumns { .. } => "upload-missing-columns",
            FileRejection::DuplicateSalaryColumn { .. } => "upload-duplicate-column",
            FileRejection::TooManyRows { .. } => "upload-too-many-rows",
            FileRejection::TooManyColumns { .. } => "upload-too-many-columns",
            FileRejection::TooManyCells { .. } => "upload-too-many-cells",
        }
    }

    /// What the user reads: what is wrong and what to do about it. The key is
    /// [`FileRejection::code`]. The columns it names, if any, are named in the default
    /// language: where the reader's language is known, use [`FileRejection::message_in`].
    pub fn message(&self) -> Message {
        self.message_in(&default_language())
    }

    /// [`FileRejection::message`] naming the columns by their headers in `lang`, the
    /// language of the user who uploaded the file (the rest of the message is rendered in
    /// the reader's language when shown).
    pub fn message_in(&self, lang: &LanguageIdentifier) -> Message {
        let texts = texts(lang);
        let message = Message::new(self.code());
        match self {
            FileRejection::TooLarge { max_bytes } => message.with("mb", max_bytes / (1024 * 1024)),
            // Limits that read as labels, never grouped ("1000 onderdelen", "kolom 256").
            FileRejection::TooManyParts { max } => message.with("max", max.to_string()),
            FileRejection::TooManyColumns { max } => message.with("max", max.to_string()),
            FileRejection::TooManyRows { max } => message.with("max", *max),
            FileRejection::TooManyCells { max } => message.with("max", *max),
            FileRejection::NoHeaderSheet => message
                .with(
                    "national-number",
                    texts.header(InsuredColumn::NationalNumber),
                )
                .with("business-email", texts.header(InsuredColumn::BusinessEmail)),
            FileRejection::MissingColumns { missing } => {
                // The sheet's own titles, quoted as the file has them.
                let names: Vec<String> = missing
                    .iter()
                    .map(|c| format!("\"{}\"", texts.header(*c)))
                    .collect();
                message
                    .with("count", names.len())
                    .with("columns", names.join(", "))
            }
            FileRejection::DuplicateColumn { column } => {
                message.with("column", texts.header(*column))
            }
            FileRejection::NoSalaryHeaderSheet => message
                .with(
                    "affiliation",
                    Message::new(SalaryColumn::Affiliation.key()).render(lang),
                )
                .with(
                    "salary",
                    Message::new(SalaryColumn::AnnualSalary.key()).render(lang),
                ),
            FileRejection::MissingSalaryColumns { missing } => {
                let names: Vec<String> = missing
                    .iter()
                    .map(|c| format!("\"{}\"", Message::new(c.key()).render(lang)))
                    .collect();
                message
                    .with("count", names.len())
                    .with("columns", names.join(", "))
            }
            FileRejection::DuplicateSalaryColumn { column } => {
                message.with("column", Message::new(column.key()).render(lang))
            }
            FileRejection::Empty
            | FileRejection::NotAWorkbook
            | FileRejection::OldExcelFormat
            | FileRejection::PasswordProtected
            | FileRejection::OpenDocument
            | FileRejection::BinaryWorkbook
            | FileRejection::Macros
            | FileRejection::Malformed
            | FileRejection::DtdOrEntity
            | FileRejection::SuspiciousCompression
            | FileRejection::UnsafePartName
            | FileRejection::NoRows => message,
        }
    }
}

/// Why one row of an upload cannot be applied. Holds the value as typed: show it to the
/// user, never log it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowError {
    /// The row has data but no national number.
    MissingNationalNumber,
    InvalidNationalNumber {
        value: String,
        reason: NationalNumberError,
    },
    InvalidEmail {
        value: String,
        reason: EmailError,
    },
    /// A formula in one of the sheet's columns: its cached value cannot be trusted.
    Formula {
        column: InsuredColumn,
        formula: String,
    },
    /// Set by the caller: no affiliate with this number in the user's contracts.
    UnknownEmployee {
        value: String,
    },
    /// Set by the caller: the same employee on another row with another address.
    ConflictingEmail {
        value: String,
        other_row: u32,
    },
}

impl RowError {
    /// The column whose cell is wrong.
    pub fn column(&self) -> InsuredColumn {
        match self {
            RowError::MissingNationalNumber
            | RowError::InvalidNationalNumber { .. }
            | RowError::UnknownEmployee { .. } => InsuredColumn::NationalNumber,
            RowError::InvalidEmail { .. } | RowError::ConflictingEmail { .. } => {
                InsuredColumn::BusinessEmail
            }
            RowError::Formula { column, .. } => *column,
        }
    }

    /// The cell's value as read (a formula's text for a formula).
    pub fn value(&self) -> &str {
        match self {
            RowError::MissingNationalNumber => "",
            RowError::InvalidNationalNumber { value, .. }
            | RowError::InvalidEmail { value, .. }
            | RowError::UnknownEmployee { value }
            | RowError::ConflictingEmail { value, .. } => value,
            RowError::Formula { formula, .. } => formula,
        }
    }

    /// Stable key of the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            RowError::MissingNationalNumber => "row-missing-national-number",
            RowError::InvalidNationalNumber { reason, .. } => reason.code(),
            RowError::InvalidEmail { reason, .. } => reason.code(),
            RowError::Formula { .. } => "row-formula",
            RowError::UnknownEmployee { .. } => "row-unknown-employee",
            RowError::ConflictingEmail { .. } => "row-conflicting-email",
        }
    }

    /// The reason, for the preview and the comment in the error workbook. The key is not
    /// always [`RowError::code`]: a reason of the domain reads differently in a sheet than
    /// next to a form field.
    pub fn message(&self) -> Message {
        match self {
            RowError::MissingNationalNumber => Message::new("row-missing-national-number"),
            RowError::InvalidNationalNumber { reason, .. } => {
                Message::new(national_number_reason(*reason))
            }
            RowError::InvalidEmail { reason, .. } => Message::new(email_reason(*reason)),
            RowError::Formula { .. } => Message::new("row-formula"),
            RowError::UnknownEmployee { .. } => Message::new("row-unknown-employee"),
            RowError::ConflictingEmail { other_row, .. } => {
                // A row number is a label: never grouped.
                Message::new("row-conflicting-email").with("row", other_row.to_string())
            }
        }
    }
}

fn national_number_reason(reason: NationalNumberError) -> &'static str {
    match reason {
        NationalNumberError::Empty => "row-national-number-empty",
        NationalNumberError::WrongLength => "row-national-number-wrong-length",
        NationalNumberError::NotDigits => "row-national-number-not-digits",
        NationalNumberError::CheckDigits => "row-national-number-check-digits",
        NationalNumberError::InvalidDate => "row-national-number-invalid-date",
        NationalNumberError::InvalidSerial => "row-national-number-invalid-serial",
    }
}

fn email_reason(reason: EmailError) -> &'static str {
    match reason {
        EmailError::Empty => "row-email-empty",
        EmailError::TooLong => "row-email-too-long",
        EmailError::MissingAt => "row-email-missing-at",
        EmailError::InvalidLocalPart => "row-email-invalid-local-part",
        EmailError::InvalidDomain => "row-email-invalid-domain",
        EmailError::ContainsSpace => "row-email-contains-space",
    }
}
