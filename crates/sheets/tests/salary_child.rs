//! The salary list through the parser child: the same rows as in process, and the
//! hostile files of the overview refused the same way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use ebdesk_domain::NationalNumber;
use ebdesk_domain::premium::{Cents, Fraction};
use ebdesk_domain::salary_list::{SalaryColumn, SalaryListRow, SalaryValues};
use ebdesk_sheets::child::{IsolatedError, IsolationLimits, parse_salary_isolated_into};
use ebdesk_sheets::{
    CollectSalaries, FileRejection, UploadLimits, read_salary_upload_into, write_insured_overview,
    write_salary_list,
};

const CHILD: &str = env!("CARGO_BIN_EXE_sheets-parse-test");

fn limits() -> IsolationLimits {
    support::child_limits()
}

fn rows(n: i64) -> Vec<SalaryListRow> {
    (1..=n)
        .map(|id| SalaryListRow {
            affiliation_id: id,
            contract_number: "530/000101".to_owned(),
            category: "Bedienden".to_owned(),
            employee_number: Some(format!("{id}")),
            last_name: format!("Naam{id}"),
            first_name: "Test".to_owned(),
            national_number: NationalNumber::parse("85073003328").unwrap(),
            current: (id % 2 == 0).then(|| SalaryValues {
                annual: Cents(id * 100_000),
                fraction: Fraction::new(8_000).unwrap(),
            }),
        })
        .collect()
}

fn isolated(bytes: &[u8]) -> Result<CollectSalaries, IsolatedError> {
    let mut collect = CollectSalaries::default();
    parse_salary_isolated_into(Path::new(CHILD), &[], bytes, &limits(), &mut collect)?;
    Ok(collect)
}

#[test]
fn the_child_reads_the_salary_list_as_the_reader_in_process() {
    let bytes = write_salary_list(rows(500), 2027, &ebdesk_i18n::default_language()).unwrap();
    let child = isolated(&bytes).unwrap();
    let mut direct = CollectSalaries::default();
    read_salary_upload_into(&bytes, &UploadLimits::default(), &mut direct).unwrap();
    assert_eq!(child.rows, direct.rows);
    assert_eq!(child.header, direct.header);
    assert_eq!(child.rows.len(), 500);
    assert_eq!(child.rows[1].annual, Ok(Some(Cents(200_000))));
}

#[test]
fn an_overview_or_garbage_is_refused_as_a_salary_list() {
    let overview = write_insured_overview(Vec::new(), &ebdesk_i18n::default_language()).unwrap();
    // Its contract, category and number headers are the list's: the three to fill are
    // named as missing.
    let missing = FileRejection::MissingSalaryColumns {
        missing: SalaryColumn::REQUIRED.to_vec(),
    };
    assert_eq!(
        isolated(&overview).err(),
        Some(IsolatedError::Refused(missing))
    );
    assert_eq!(
        isolated(b"not a zip at all").err(),
        Some(IsolatedError::Refused(FileRejection::NotAWorkbook))
    );
}
