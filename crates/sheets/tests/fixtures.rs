//! Every workbook in fixtures/ (made by fixtures/make_fixtures.py with our writer, openpyxl
//! and LibreOffice) read as an upload, with what a user should get from it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;

use ebdesk_domain::insured_sheet::{InsuredColumn, format_date};
use ebdesk_domain::{Gender, NationalNumber};
use ebdesk_sheets::{FileRejection, ParsedUpload, UploadLimits, read_insured_upload};
use support::sample_rows;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn read(name: &str) -> Result<ParsedUpload, FileRejection> {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    read_insured_upload(&bytes, &UploadLimits::default())
}

/// Each fixture and the test that covers it: a new file must come with its expectations.
const COVERED: [&str; 9] = [
    "download_filled.xlsx",
    "download_libreoffice.xlsx",
    "download_edited_openpyxl.xlsx",
    "openpyxl_written.xlsx",
    "numeric_national_numbers.xlsx",
    "errors_of_every_kind.xlsx",
    "download.ods",
    "download.xls",
    "make_fixtures.py",
];

#[test]
fn every_fixture_has_expectations() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut covered: Vec<&str> = COVERED.to_vec();
    covered.sort();
    assert_eq!(names, covered);
}

/// The download and its re-save by LibreOffice both give back exactly what was written.
#[test]
fn our_download_and_its_libreoffice_resave_read_back_unchanged() {
    let rows = sample_rows(24);
    for name in ["download_filled.xlsx", "download_libreoffice.xlsx"] {
        let upload = read(name).unwrap();
        assert_eq!(upload.columns, InsuredColumn::ALL, "{name}");
        assert_eq!(upload.rows.len(), rows.len(), "{name}");
        for (read, original) in upload.rows.iter().zip(&rows) {
            assert!(read.is_valid(), "{name}: {read:?}");
            assert_eq!(
                read.national_number.as_ref().unwrap(),
                &original.national_number
            );
            assert_eq!(
                read.business_email.as_ref().unwrap(),
                &original.business_email
            );
            assert_eq!(
                upload.read_only_edits(read, original),
                [],
                "{name} row {}",
                read.row
            );
        }
        assert!(upload.conflicting_emails().is_empty(), "{name}");
    }
}

#[test]
fn the_download_edited_by_openpyxl_has_its_new_addresses_normalized() {
    let rows = sample_rows(24);
    let upload = read("download_edited_openpyxl.xlsx").unwrap();
    assert_eq!(upload.rows.len(), rows.len());
    for (read, original) in upload.rows.iter().zip(&rows) {
        // The script emptied every third row and wrote "  First.Nieuw<row>@Voorbeeld-Bedrijf.BE ".
        if read.row % 3 == 0 {
            assert_eq!(read.business_email, Ok(None), "row {}", read.row);
        } else if original.first_name.is_ascii() {
            let expected = format!(
                "{}.nieuw{}@voorbeeld-bedrijf.be",
                original.first_name.to_lowercase(),
                read.row
            );
            assert_eq!(
                read.business_email
                    .as_ref()
                    .unwrap()
                    .as_ref()
                    .unwrap()
                    .as_str(),
                expected
            );
        } else {
            // "Zoë" in an address: accents are not allowed before the @.
            assert_eq!(
                read.business_email.as_ref().unwrap_err().code(),
                "email-invalid-local-part",
                "row {}",
                read.row
            );
        }
        assert_eq!(
            upload.read_only_edits(read, original),
            [],
            "row {}",
            read.row
        );
    }
    // The script gave the two affiliations of one person two different addresses.
    let conflicts = upload.conflicting_emails();
    assert!(!conflicts.is_empty());
    for (row, error) in conflicts {
        let ebdesk_sheets::RowError::ConflictingEmail { other_row, .. } = error else {
            panic!("{error:?}");
        };
        assert_eq!(other_row, row - 1, "second affiliations follow the first");
    }
}

#[test]
fn a_list_written_by_openpyxl_with_a_title_and_extra_columns_is_read() {
    let upload = read("openpyxl_written.xlsx").unwrap();
    assert_eq!(upload.sheet_name, "Export HR");
    assert_eq!(upload.header_row, 3);
    assert_eq!(upload.ignored_headers, ["Afdeling"]);
    assert_eq!(upload.rows.len(), 8);
    for row in &upload.rows {
        assert!(row.is_valid(), "{row:?}");
        let nn = row.national_number.as_ref().unwrap();
        let birth = row.read_only(InsuredColumn::BirthDate).unwrap();
        assert_eq!(
            Some(birth.to_owned()),
            nn.birth_date().map(format_date),
            "row {}",
            row.row
        );
        let email = row.business_email.as_ref().unwrap().as_ref().unwrap();
        let first = row
            .read_only(InsuredColumn::FirstName)
            .unwrap()
            .to_lowercase();
        assert!(email.as_str().starts_with(&format!("{first}.")), "{email}");
    }
}

#[test]
fn numeric_national_numbers_are_restored_and_match_birth_date_and_gender() {
    let upload = read("numeric_national_numbers.xlsx").unwrap();
    assert_eq!(upload.rows.len(), 8);
    let mut restored_zero = false;
    for row in &upload.rows {
        let nn: &NationalNumber = row.national_number.as_ref().unwrap();
        restored_zero |= nn.as_str().starts_with('0');
        let birth = row.read_only(InsuredColumn::BirthDate).unwrap();
        let birth = chrono::NaiveDate::parse_from_str(birth, "%d/%m/%Y").unwrap();
        let gender = match row.read_only(InsuredColumn::Gender).unwrap() {
            "Man" => Gender::Male,
            _ => Gender::Female,
        };
        assert_eq!(nn.check_against(birth, gender), Ok(()), "row {}", row.row);
    }
    assert!(
        restored_zero,
        "people born in 2000-2009 lost their leading zero in Excel"
    );
}

#[test]
fn a_file_with_errors_of_every_kind_reports_each_one() {
    let upload = read("errors_of_every_kind.xlsx").unwrap();
    let found: Vec<(u32, InsuredColumn, &str)> = upload
        .row_errors()
        .map(|(row, e)| (row, e.column(), e.code()))
        .collect();
    use InsuredColumn::{BusinessEmail as Email, LastName, NationalNumber as Nn};
    assert_eq!(
        found,
        [
            (3, Nn, "row-missing-national-number"),
            (4, Nn, "national-number-wrong-length"),
            (5, Nn, "national-number-not-digits"),
            (6, Nn, "national-number-check-digits"),
            (7, Nn, "national-number-invalid-date"),
            (8, Nn, "national-number-invalid-serial"),
            (9, Email, "email-missing-at"),
            (10, Email, "email-contains-space"),
            (11, Email, "email-invalid-local-part"),
            (12, Email, "email-invalid-domain"),
            (13, Email, "email-too-long"),
            (14, Email, "row-formula"),
            (15, LastName, "row-formula"),
        ]
    );
    let conflicts = upload.conflicting_emails();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].0, 16);
    assert_eq!(conflicts[0].1.code(), "row-conflicting-email");
    assert!(upload.rows[0].is_valid());
}

#[test]
fn the_same_download_saved_as_ods_or_xls_is_refused_by_name() {
    assert_eq!(read("download.ods"), Err(FileRejection::OpenDocument));
    assert_eq!(read("download.xls"), Err(FileRejection::OldExcelFormat));
}
