//! Writes the download used by `fixtures/make_fixtures.py`: invented affiliates, e-mails
//! filled in where the sample has one, as a user returns it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let out = std::env::args()
        .nth(1)
        .expect("usage: fixture_download FILE");
    let lang = ebdesk_i18n::default_language();
    let bytes = ebdesk_sheets::write_insured_overview(support::sample_rows(24), &lang).unwrap();
    std::fs::write(out, bytes).unwrap();
}
