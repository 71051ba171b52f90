//! `ebdesk sheets-parse`: the real binary parses an upload in a limited child process, and a
//! bad file comes back as a rejection, not as a crash of the caller.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use ebdesk_sheets::FileRejection;
use ebdesk_sheets::child::{IsolatedError, IsolationLimits, parse_isolated};

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_ebdesk"))
}

#[test]
fn the_ebdesk_binary_parses_a_filled_in_download_in_a_child() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/download_filled.xlsx"
    );
    let bytes = std::fs::read(path).unwrap();
    let parsed = parse_isolated(
        exe(),
        &["sheets-parse"],
        &bytes,
        &IsolationLimits::default(),
    )
    .unwrap();
    assert!(!parsed.rows.is_empty());
    assert!(parsed.rows.iter().all(|row| row.national_number.is_ok()));
}

#[test]
fn a_file_that_is_no_workbook_is_refused_by_the_child() {
    let refused = parse_isolated(
        exe(),
        &["sheets-parse"],
        b"Naam;Voornaam\nPeeters;Jan\n",
        &IsolationLimits::default(),
    )
    .unwrap_err();
    let IsolatedError::Refused(refused) = refused else {
        panic!("{refused:?}");
    };
    assert!(
        matches!(refused, FileRejection::NotAWorkbook),
        "{refused:?}"
    );
    assert!(!refused.message().render(&dutch()).is_empty());
}

/// Dutch, the language the texts are checked in.
fn dutch() -> ebdesk_i18n::LanguageIdentifier {
    ebdesk_i18n::default_language()
}
