//! Every message this crate can produce is in every catalog, and reads in Dutch exactly as
//! it did when the texts lived here.

use ebdesk_domain::email::EmailError;
use ebdesk_domain::insured_sheet::InsuredColumn;
use ebdesk_domain::national_number::NationalNumberError;
use ebdesk_i18n::{Message, default_language, languages};

use crate::error_book::{ERRORS_HEADER, FILE_NAME, UPLOAD_ROW_HEADER};
use crate::preview::{read_only_message, shared_held_elsewhere_message, shared_in_file_message};
use crate::{FileRejection, RowError, UploadLimits};

fn rejections() -> Vec<FileRejection> {
    let limits = UploadLimits::default();
    let all = vec![
        FileRejection::Empty,
        FileRejection::TooLarge {
            max_bytes: limits.max_file_bytes,
        },
        FileRejection::NotAWorkbook,
        FileRejection::OldExcelFormat,
        FileRejection::PasswordProtected,
        FileRejection::OpenDocument,
        FileRejection::BinaryWorkbook,
        FileRejection::Macros,
        FileRejection::Malformed,
        FileRejection::DtdOrEntity,
        FileRejection::SuspiciousCompression,
        FileRejection::TooManyParts {
            max: limits.max_parts,
        },
        FileRejection::UnsafePartName,
        FileRejection::NoHeaderSheet,
        FileRejection::MissingColumns {
            missing: vec![InsuredColumn::BusinessEmail],
        },
        FileRejection::MissingColumns {
            missing: vec![InsuredColumn::NationalNumber, InsuredColumn::BusinessEmail],
        },
        FileRejection::DuplicateColumn {
            column: InsuredColumn::BusinessEmail,
        },
        FileRejection::NoRows,
        FileRejection::TooManyRows {
            max: limits.max_rows,
        },
        FileRejection::TooManyColumns {
            max: limits.max_columns,
        },
        FileRejection::TooManyCells {
            max: limits.max_cells,
        },
    ];
    for rejection in &all {
        // A new variant does not compile here until it is listed above.
        match rejection {
            FileRejection::Empty
            | FileRejection::TooLarge { .. }
            | FileRejection::NotAWorkbook
            | FileRejection::OldExcelFormat
            | FileRejection::PasswordProtected
            | FileRejection::OpenDocument
            | FileRejection::BinaryWorkbook
            | FileRejection::Macros
            | FileRejection::Malformed
            | FileRejection::DtdOrEntity
            | FileRejection::SuspiciousCompression
            | FileRejection::TooManyParts { .. }
            | FileRejection::UnsafePartName
            | FileRejection::NoHeaderSheet
            | FileRejection::MissingColumns { .. }
            | FileRejection::DuplicateColumn { .. }
            | FileRejection::NoRows
            | FileRejection::TooManyRows { .. }
            | FileRejection::TooManyColumns { .. }
            | FileRejection::TooManyCells { .. } => {}
        }
    }
    all
}

fn row_errors() -> Vec<RowError> {
    let national_number = [
        NationalNumberError::Empty,
        NationalNumberError::WrongLength,
        NationalNumberError::NotDigits,
        NationalNumberError::CheckDigits,
        NationalNumberError::InvalidDate,
        NationalNumberError::InvalidSerial,
    ];
    let email = [
        EmailError::Empty,
        EmailError::TooLong,
        EmailError::MissingAt,
        EmailError::InvalidLocalPart,
        EmailError::InvalidDomain,
        EmailError::ContainsSpace,
    ];
    let mut all = vec![RowError::MissingNationalNumber];
    all.extend(
        national_number
            .into_iter()
            .map(|reason| RowError::InvalidNationalNumber {
                value: "1".into(),
                reason,
            }),
    );
    all.extend(email.into_iter().map(|reason| RowError::InvalidEmail {
        value: "x".into(),
        reason,
    }));
    all.extend([
        RowError::Formula {
            column: InsuredColumn::LastName,
            formula: "A1".into(),
        },
        RowError::UnknownEmployee { value: "1".into() },
        RowError::ConflictingEmail {
            value: "x".into(),
            other_row: 12_345,
        },
    ]);
    for error in &all {
        // A new variant (of the row's errors or of the domain's) does not compile here
        // until it is listed above.
        match error {
            RowError::MissingNationalNumber
            | RowError::Formula { .. }
            | RowError::UnknownEmployee { .. }
            | RowError::ConflictingEmail { .. } => {}
            RowError::InvalidNationalNumber { reason, .. } => match reason {
                NationalNumberError::Empty
                | NationalNumberError::WrongLength
                | NationalNumberError::NotDigits
                | NationalNumberError::CheckDigits
                | NationalNumberError::InvalidDate
                | NationalNumberError::InvalidSerial => {}
            },
            RowError::InvalidEmail { reason, .. } => match reason {
                EmailError::Empty
                | EmailError::TooLong
                | EmailError::MissingAt
                | EmailError::InvalidLocalPart
                | EmailError::InvalidDomain
                | EmailError::ContainsSpace => {}
            },
        }
    }
    all
}

/// Every message the crate produces (warnings too, and the error workbook's texts).
fn every_message() -> Vec<Message> {
    let mut all: Vec<Message> = rejections().iter().map(FileRejection::message).collect();
    all.extend(row_errors().iter().map(RowError::message));
    all.extend([
        read_only_message("Naam, Geboortedatum"),
        shared_in_file_message(2),
        shared_held_elsewhere_message("Renard, Lotte".into()),
        Message::new(UPLOAD_ROW_HEADER),
        Message::new(ERRORS_HEADER),
        Message::new(FILE_NAME),
    ]);
    all
}

#[test]
fn every_message_of_the_sheets_is_in_every_catalog() {
    let languages = languages();
    assert!(languages.contains(&default_language()));
    for lang in &languages {
        for message in every_message() {
            let text = message.try_render_in(lang);
            let text = text.unwrap_or_else(|| panic!("{lang}: {message:?} is missing"));
            assert!(
                !text.trim().is_empty() && !text.contains('{') && !text.contains('$'),
                "{lang}: {message:?} reads {text:?}"
            );
        }
    }
}

#[test]
fn the_dutch_texts_read_as_before() {
    let nl = default_language();
    let accepted = "Bewaar het als Excel-werkmap (.xlsx) en laad het opnieuw op.";
    let rejections: Vec<String> = rejections()
        .iter()
        .map(|r| r.message().render(&nl))
        .collect();
    let expected = [
        "Het bestand is leeg.".to_owned(),
        "Het bestand is groter dan 25 MB. Laad alleen het overzicht verzekerden op, zonder extra bladen of afbeeldingen.".into(),
        format!("Dit bestand is geen Excel-werkmap. {accepted}"),
        format!("Dit is een werkmap in het oude Excel-formaat (.xls). {accepted}"),
        "Deze werkmap is met een wachtwoord beveiligd. Verwijder het wachtwoord, bewaar het bestand als .xlsx en laad het opnieuw op.".into(),
        format!("Dit is een OpenDocument-rekenblad (.ods). {accepted}"),
        format!("Dit is een binaire Excel-werkmap (.xlsb). {accepted}"),
        format!("Deze werkmap bevat macro's (.xlsm). Werkmappen met macro's worden niet aanvaard. {accepted}"),
        format!("Het bestand is beschadigd en kan niet gelezen worden. {accepted}"),
        format!("Het bestand bevat XML-declaraties (DOCTYPE of ENTITY) die een Excel-werkmap niet hoort te bevatten. {accepted}"),
        format!("Het bestand is ongewoon sterk gecomprimeerd of pakt uit tot een te groot geheel en wordt daarom niet geopend. {accepted}"),
        "De werkmap bestaat uit meer dan 1000 onderdelen. Laad alleen het overzicht verzekerden op.".into(),
        format!("De werkmap bevat onderdelen met ongeldige of dubbele namen. {accepted}"),
        "Geen enkel blad bevat de kolommen \"Rijksregisternummer\" en \"Zakelijk e-mailadres\". Gebruik het overzicht verzekerden dat u hier downloadde en wijzig de kolomtitels niet.".into(),
        "De kolomtitels zijn gevonden, maar deze kolom ontbreekt: \"Zakelijk e-mailadres\". Voeg de kolomtitel opnieuw toe of download het overzicht opnieuw.".into(),
        "De kolomtitels zijn gevonden, maar deze kolommen ontbreken: \"Rijksregisternummer\", \"Zakelijk e-mailadres\". Voeg de kolomtitel opnieuw toe of download het overzicht opnieuw.".into(),
        "De kolom \"Zakelijk e-mailadres\" komt twee keer voor. Verwijder een van beide en laad het bestand opnieuw op.".into(),
        "Het bestand bevat de kolomtitels, maar geen enkele rij met een verzekerde.".into(),
        "Het bestand bevat meer dan 200 000 rijen. Verdeel het over meerdere bestanden.".into(),
        "Het bestand bevat gegevens voorbij kolom 256. Verwijder de overbodige kolommen en laad het opnieuw op.".into(),
        "Het bestand bevat meer dan 8 000 000 cellen. Laad alleen het overzicht verzekerden op, zonder extra gegevens.".into(),
    ];
    assert_eq!(rejections, expected);

    let rows: Vec<String> = row_errors()
        .iter()
        .map(|e| e.message().render(&nl))
        .collect();
    let expected = [
        "Het rijksregisternummer ontbreekt: zonder nummer kan de rij niet aan een verzekerde gekoppeld worden.",
        "Het rijksregisternummer ontbreekt.",
        "Een rijksregisternummer telt 11 cijfers. Controleer het nummer.",
        "Een rijksregisternummer bevat alleen cijfers (punten, streepjes en spaties mogen).",
        "De controlecijfers van dit rijksregisternummer kloppen niet. Controleer het nummer.",
        "De eerste zes cijfers van dit rijksregisternummer vormen geen geldige geboortedatum.",
        "Het volgnummer (7e tot 9e cijfer) van een rijksregisternummer kan niet 000 of 999 zijn.",
        "Het e-mailadres is leeg.",
        "Dit e-mailadres is te lang (maximaal 254 tekens).",
        "Een e-mailadres bevat een @, bijvoorbeeld naam@bedrijf.be.",
        "Het deel vóór de @ is ongeldig: alleen letters zonder accenten, cijfers en . _ % + - ', zonder punt aan het begin of einde of twee punten na elkaar.",
        "Het deel na de @ is geen geldig domein, bijvoorbeeld bedrijf.be.",
        "Een e-mailadres mag geen spaties bevatten.",
        "Deze cel bevat een formule. Typ de waarde zelf in: de uitkomst van een formule kan niet gecontroleerd worden.",
        "Er is geen verzekerde met dit rijksregisternummer in de contracten die u beheert.",
        "Dezelfde werknemer staat ook op rij 12345 met een ander zakelijk e-mailadres. Een werknemer heeft één zakelijk e-mailadres.",
    ];
    assert_eq!(rows, expected);

    assert_eq!(
        crate::error_workbook_name(&nl),
        "Fouten overzicht verzekerden.xlsx"
    );
}
