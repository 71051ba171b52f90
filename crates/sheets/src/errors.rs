//! What can go wrong: writing a workbook (ours to fix), a whole upload refused (the user's
//! file), one row of an upload (the user's data). Messages to users are Dutch and live here,
//! next to the causes, because the worker writes them into workbooks without the web
//! catalog; `code()` gives the stable key should a catalog take over.

use ebdesk_domain::email::EmailError;
use ebdesk_domain::insured_sheet::InsuredColumn;
use ebdesk_domain::national_number::NationalNumberError;
use serde::{Deserialize, Serialize};
use thiserror::Error;

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
    #[error("more than {max} data rows")]
    TooManyRows { max: u32 },
    #[error("a value beyond column {max}")]
    TooManyColumns { max: u32 },
    #[error("more than {max} cells")]
    TooManyCells { max: u64 },
}

/// 200000 as "200 000", the Dutch way.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

const ACCEPTED: &str = "Bewaar het als Excel-werkmap (.xlsx) en laad het opnieuw op.";

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
            FileRejection::TooManyRows { .. } => "upload-too-many-rows",
            FileRejection::TooManyColumns { .. } => "upload-too-many-columns",
            FileRejection::TooManyCells { .. } => "upload-too-many-cells",
        }
    }

    /// What the user reads: what is wrong and what to do about it.
    pub fn message_nl(&self) -> String {
        match self {
            FileRejection::Empty => "Het bestand is leeg.".into(),
            FileRejection::TooLarge { max_bytes } => format!(
                "Het bestand is groter dan {} MB. Laad alleen het overzicht verzekerden op, zonder extra bladen of afbeeldingen.",
                max_bytes / (1024 * 1024)
            ),
            FileRejection::NotAWorkbook => format!("Dit bestand is geen Excel-werkmap. {ACCEPTED}"),
            FileRejection::OldExcelFormat => {
                format!("Dit is een werkmap in het oude Excel-formaat (.xls). {ACCEPTED}")
            }
            FileRejection::PasswordProtected => "Deze werkmap is met een wachtwoord beveiligd. Verwijder het wachtwoord, bewaar het bestand als .xlsx en laad het opnieuw op.".into(),
            FileRejection::OpenDocument => {
                format!("Dit is een OpenDocument-rekenblad (.ods). {ACCEPTED}")
            }
            FileRejection::BinaryWorkbook => {
                format!("Dit is een binaire Excel-werkmap (.xlsb). {ACCEPTED}")
            }
            FileRejection::Macros => format!(
                "Deze werkmap bevat macro's (.xlsm). Werkmappen met macro's worden niet aanvaard. {ACCEPTED}"
            ),
            FileRejection::Malformed => {
                format!("Het bestand is beschadigd en kan niet gelezen worden. {ACCEPTED}")
            }
            FileRejection::DtdOrEntity => format!(
                "Het bestand bevat XML-declaraties (DOCTYPE of ENTITY) die een Excel-werkmap niet hoort te bevatten. {ACCEPTED}"
            ),
            FileRejection::SuspiciousCompression => format!(
                "Het bestand is ongewoon sterk gecomprimeerd of pakt uit tot een te groot geheel en wordt daarom niet geopend. {ACCEPTED}"
            ),
            FileRejection::TooManyParts { max } => format!(
                "De werkmap bestaat uit meer dan {max} onderdelen. Laad alleen het overzicht verzekerden op."
            ),
            FileRejection::UnsafePartName => {
                format!("De werkmap bevat onderdelen met ongeldige of dubbele namen. {ACCEPTED}")
            }
            FileRejection::NoHeaderSheet => format!(
                "Geen enkel blad bevat de kolommen \"{}\" en \"{}\". Gebruik het overzicht verzekerden dat u hier downloadde en wijzig de kolomtitels niet.",
                InsuredColumn::NationalNumber.header(),
                InsuredColumn::BusinessEmail.header()
            ),
            FileRejection::MissingColumns { missing } => {
                let names: Vec<String> = missing
                    .iter()
                    .map(|c| format!("\"{}\"", c.header()))
                    .collect();
                let what = if names.len() == 1 {
                    "deze kolom ontbreekt"
                } else {
                    "deze kolommen ontbreken"
                };
                format!(
                    "De kolomtitels zijn gevonden, maar {what}: {}. Voeg de kolomtitel opnieuw toe of download het overzicht opnieuw.",
                    names.join(", ")
                )
            }
            FileRejection::DuplicateColumn { column } => format!(
                "De kolom \"{}\" komt twee keer voor. Verwijder een van beide en laad het bestand opnieuw op.",
                column.header()
            ),
            FileRejection::NoRows => {
                "Het bestand bevat de kolomtitels, maar geen enkele rij met een verzekerde.".into()
            }
            FileRejection::TooManyRows { max } => format!(
                "Het bestand bevat meer dan {} rijen. Verdeel het over meerdere bestanden.",
                thousands(u64::from(*max))
            ),
            FileRejection::TooManyColumns { max } => format!(
                "Het bestand bevat gegevens voorbij kolom {max}. Verwijder de overbodige kolommen en laad het opnieuw op."
            ),
            FileRejection::TooManyCells { max } => format!(
                "Het bestand bevat meer dan {} cellen. Laad alleen het overzicht verzekerden op, zonder extra gegevens.",
                thousands(*max)
            ),
        }
    }
}

/// Mirror of the domain's error so that row errors cross the process boundary as JSON.
#[derive(Serialize, Deserialize)]
#[serde(remote = "NationalNumberError")]
enum NationalNumberErrorDef {
    Empty,
    WrongLength,
    NotDigits,
    CheckDigits,
    InvalidDate,
    InvalidSerial,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "EmailError")]
enum EmailErrorDef {
    Empty,
    TooLong,
    MissingAt,
    InvalidLocalPart,
    InvalidDomain,
    ContainsSpace,
}

/// Why one row of an upload cannot be applied. Holds the value as typed: show it to the
/// user, never log it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowError {
    /// The row has data but no national number.
    MissingNationalNumber,
    InvalidNationalNumber {
        value: String,
        #[serde(with = "NationalNumberErrorDef")]
        reason: NationalNumberError,
    },
    InvalidEmail {
        value: String,
        #[serde(with = "EmailErrorDef")]
        reason: EmailError,
    },
    /// A formula in one of the sheet's columns: its cached value cannot be trusted.
    Formula {
        column: InsuredColumn,
        formula: String,
    },
    /// Set by the caller: no affiliate with this number in the user's contracts.
    UnknownEmployee { value: String },
    /// Set by the caller: the same employee on another row with another address.
    ConflictingEmail { value: String, other_row: u32 },
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

    /// The reason, in Dutch, for the preview and the comment in the error workbook.
    pub fn message_nl(&self) -> String {
        match self {
            RowError::MissingNationalNumber => {
                "Het rijksregisternummer ontbreekt: zonder nummer kan de rij niet aan een verzekerde gekoppeld worden.".into()
            }
            RowError::InvalidNationalNumber { reason, .. } => national_number_reason(*reason).into(),
            RowError::InvalidEmail { reason, .. } => email_reason(*reason).into(),
            RowError::Formula { .. } => "Deze cel bevat een formule. Typ de waarde zelf in: de uitkomst van een formule kan niet gecontroleerd worden.".into(),
            RowError::UnknownEmployee { .. } => {
                "Er is geen verzekerde met dit rijksregisternummer in de contracten die u beheert.".into()
            }
            RowError::ConflictingEmail { other_row, .. } => format!(
                "Dezelfde werknemer staat ook op rij {other_row} met een ander zakelijk e-mailadres. Een werknemer heeft één zakelijk e-mailadres."
            ),
        }
    }
}

fn national_number_reason(reason: NationalNumberError) -> &'static str {
    match reason {
        NationalNumberError::Empty => "Het rijksregisternummer ontbreekt.",
        NationalNumberError::WrongLength => {
            "Een rijksregisternummer telt 11 cijfers. Controleer het nummer."
        }
        NationalNumberError::NotDigits => {
            "Een rijksregisternummer bevat alleen cijfers (punten, streepjes en spaties mogen)."
        }
        NationalNumberError::CheckDigits => {
            "De controlecijfers van dit rijksregisternummer kloppen niet. Controleer het nummer."
        }
        NationalNumberError::InvalidDate => {
            "De eerste zes cijfers van dit rijksregisternummer vormen geen geldige geboortedatum."
        }
        NationalNumberError::InvalidSerial => {
            "Het volgnummer (7e tot 9e cijfer) van een rijksregisternummer kan niet 000 of 999 zijn."
        }
    }
}

fn email_reason(reason: EmailError) -> &'static str {
    match reason {
        EmailError::Empty => "Het e-mailadres is leeg.",
        EmailError::TooLong => "Dit e-mailadres is te lang (maximaal 254 tekens).",
        EmailError::MissingAt => "Een e-mailadres bevat een @, bijvoorbeeld naam@bedrijf.be.",
        EmailError::InvalidLocalPart => {
            "Het deel vóór de @ is ongeldig: alleen letters zonder accenten, cijfers en . _ % + - ', zonder punt aan het begin of einde of twee punten na elkaar."
        }
        EmailError::InvalidDomain => {
            "Het deel na de @ is geen geldig domein, bijvoorbeeld bedrijf.be."
        }
        EmailError::ContainsSpace => "Een e-mailadres mag geen spaties bevatten.",
    }
}
