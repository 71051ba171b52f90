//! Every message and every text of the workbooks this crate can produce is in every
//! catalog, and reads in Dutch exactly as it did when the texts lived here; no such text is
//! left in the code.

use chrono::NaiveDate;
use ebdesk_domain::email::EmailError;
use ebdesk_domain::insured_sheet::{InsuredColumn, LABEL_KEYS};
use ebdesk_domain::national_number::NationalNumberError;
use ebdesk_domain::salary_list::SalaryColumn;
use ebdesk_i18n::{Arg, Message, default_language, languages, lookup};

use crate::error_book::{ERRORS_HEADER, FILE_NAME, UPLOAD_ROW_HEADER};
use crate::preview::{read_only_message, shared_held_elsewhere_message, shared_in_file_message};
use crate::texts::{HELP_SHEET_KEY, INSURED_SHEET_KEY};
use crate::write::{FILE_NAME_KEY, HELP_KEYS, HELP_TITLE_KEY};
use crate::{FileRejection, RowError, UploadLimits, insured_overview_name};

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
        FileRejection::NoSalaryHeaderSheet,
        FileRejection::MissingSalaryColumns {
            missing: vec![SalaryColumn::Affiliation, SalaryColumn::Fraction],
        },
        FileRejection::DuplicateSalaryColumn {
            column: SalaryColumn::AnnualSalary,
        },
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
            | FileRejection::NoSalaryHeaderSheet
            | FileRejection::MissingSalaryColumns { .. }
            | FileRejection::DuplicateSalaryColumn { .. }
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

/// The texts of the download: sheet names, headers, labels, help, file name; the help's
/// points with the arguments the writer gives them.
fn workbook_texts() -> Vec<Message> {
    let limits = UploadLimits::default();
    let mut all = vec![
        Message::new(INSURED_SHEET_KEY),
        Message::new(HELP_SHEET_KEY),
        Message::new(HELP_TITLE_KEY),
        Message::new(FILE_NAME_KEY)
            .with("employer", "530-1")
            .with("date", "2024-05-06"),
    ];
    all.extend(InsuredColumn::ALL.map(|c| Message::new(c.key())));
    all.extend(LABEL_KEYS.map(Message::new));
    all.extend(HELP_KEYS.map(|key| {
        Message::new(key)
            .with("rows", limits.max_rows)
            .with("mb", limits.max_file_bytes / (1024 * 1024))
    }));
    all
}

/// Every message the crate produces (warnings too, and the workbooks' texts).
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
    all.extend(workbook_texts());
    all.extend(crate::DocumentRejection::ALL.map(crate::DocumentRejection::message));
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
        "Geen enkel blad bevat de kolommen \"Aansluiting (niet wijzigen)\" en \"Pensioengevend jaarloon (voltijds, €)\". Gebruik de invullijst salarissen die u hier downloadde en wijzig de kolomtitels niet.".into(),
        "De kolomtitels zijn gevonden, maar deze kolommen ontbreken: \"Aansluiting (niet wijzigen)\", \"Arbeidsbreuk (0-1 of %)\". Voeg de kolomtitel opnieuw toe of download het overzicht opnieuw.".into(),
        "De kolom \"Pensioengevend jaarloon (voltijds, €)\" komt twee keer voor. Verwijder een van beide en laad het bestand opnieuw op.".into(),
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

#[test]
fn the_dutch_workbook_reads_as_before() {
    let nl = default_language();
    let text = |key: &str| lookup(&nl, key, &[]);
    assert_eq!(text(INSURED_SHEET_KEY), "Verzekerden");
    assert_eq!(text(HELP_SHEET_KEY), "Uitleg");
    assert_eq!(
        text(HELP_TITLE_KEY),
        "Overzicht verzekerden: zo vult u het in"
    );
    let help: Vec<String> = workbook_texts()
        .iter()
        .filter(|m| m.key.starts_with("sheet-help-") && m.key != HELP_TITLE_KEY)
        .map(|m| m.render(&nl))
        .collect();
    assert_eq!(
        help,
        [
            "Vul in het blad \"Verzekerden\" de kolom \"Zakelijk e-mailadres\" in: het e-mailadres op het werk van elke werknemer, bijvoorbeeld voornaam.naam@bedrijf.be.",
            "Alleen die kolom kan gewijzigd worden. De andere kolommen zijn beveiligd en dienen ter informatie: wijzigingen daarin worden bij het opladen genegeerd.",
            "Laat de cel leeg als de werknemer geen zakelijk e-mailadres heeft. Een gekend adres dat u leegmaakt, wordt pas verwijderd nadat u dat bij het opladen bevestigt.",
            "Een werknemer met meer dan één aansluiting staat op meer dan één rij: vul op elke rij hetzelfde adres in.",
            "Wijzig het rijksregisternummer en de kolomtitels niet: elke rij wordt via het rijksregisternummer aan een verzekerde gekoppeld. De volgorde van rijen en kolommen mag u wijzigen; extra kolommen worden genegeerd.",
            "Typ of plak de adressen als waarden. Formules worden niet aanvaard.",
            "\"Privé e-mailadres gekend\" is Ja als de werknemer zelf een privé-adres opgaf. Dat adres ziet u niet en hoeft u niet in te vullen.",
            "Bewaar het bestand als Excel-werkmap (.xlsx; ook vanuit LibreOffice) en laad het op bij Downloads en uploads. U ziet eerst een overzicht van de wijzigingen en de fouten; er verandert niets tot u bevestigt.",
            "Een bestand mag maximaal 200 000 rijen tellen en 25 MB groot zijn.",
        ]
    );
    // The headers and value labels: texts.rs, which renders them for the workbooks.
}

#[test]
fn the_file_name_has_no_invisible_characters() {
    let date = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap_or_default();
    for lang in languages() {
        let name = insured_overview_name("530-1", date, &lang);
        assert!(name.ends_with(".xlsx"), "{lang}: {name:?}");
        assert!(name.contains(" 530-1 2024-05-06"), "{lang}: {name:?}");
        // Fluent's isolation marks (U+2068, U+2069) or any other control or format
        // character would end up in the name the browser saves.
        assert!(
            name.chars().all(|c| c == ' '
                || !(c.is_control()
                    || c.is_whitespace()
                    || ('\u{200b}'..='\u{200f}').contains(&c)
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c))),
            "{lang}: {name:?}"
        );
    }
    assert_eq!(
        insured_overview_name("530-1", date, &default_language()),
        "Overzicht verzekerden 530-1 2024-05-06.xlsx"
    );
    // A number that looks like a quantity stays as it is: never grouped.
    assert_eq!(
        insured_overview_name("1234567", date, &default_language()),
        "Overzicht verzekerden 1234567 2024-05-06.xlsx"
    );
}

/// The code of a file, without its tests and comments.
fn code_of(source: &str) -> String {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_text_of_the_catalog_is_left_in_the_code() {
    let sources = [
        ("write.rs", code_of(include_str!("write.rs"))),
        ("read.rs", code_of(include_str!("read.rs"))),
        ("errors.rs", code_of(include_str!("errors.rs"))),
        ("error_book.rs", code_of(include_str!("error_book.rs"))),
        ("preview.rs", code_of(include_str!("preview.rs"))),
        ("upload.rs", code_of(include_str!("upload.rs"))),
        ("texts.rs", code_of(include_str!("texts.rs"))),
        (
            "insured_sheet.rs",
            code_of(include_str!("../../domain/src/insured_sheet.rs")),
        ),
        (
            "download.rs",
            code_of(include_str!("../../jobs/src/kinds/download.rs")),
        ),
    ];
    let nl = default_language();
    for message in workbook_texts() {
        // As shown, and as a `format!` string would have it.
        let template = Message {
            key: message.key.clone(),
            args: message
                .args
                .keys()
                .map(|name| (name.clone(), Arg::Text("{}".into())))
                .collect(),
        };
        let shown = [message.render(&nl), template.render(&nl)];
        // And as a string literal escapes its quotes.
        let escaped = shown.clone().map(|t| t.replace('"', "\\\""));
        for text in shown.into_iter().chain(escaped) {
            // A sentence anywhere, a word as a string literal of its own.
            let sentence = text.split(' ').count() > 3;
            for (file, code) in &sources {
                let quoted = format!("\"{text}\"");
                let found = code.contains(&quoted) || (sentence && code.contains(&text));
                assert!(!found, "{file} still holds {text:?} ({})", message.key);
            }
        }
    }
}
