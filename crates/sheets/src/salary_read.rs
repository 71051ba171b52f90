//! Reads a filled-in "Invullijst salarissen" with the same hardened streaming reader as the
//! overview ([`crate::read::read_workbook`]): the sheet and header row found by name in any
//! language of the catalog, columns in any order, one [`SalaryUploadRow`] per row that holds
//! a key, a salary or a fraction. The values are read by the domain's rules; whether the
//! key is an affiliation of the scope is for the check that knows the stored rows.

use std::sync::OnceLock;

use calamine::DataRef;
use ebdesk_domain::insured_sheet::normalize_header;
use ebdesk_domain::premium::{Cents, Fraction};
use ebdesk_domain::salary_list::{
    SalaryColumn, SalaryError, annual_from_number, check_annual, fraction_from_number,
    parse_annual, parse_fraction,
};
use ebdesk_i18n::{Message, languages};
use serde::{Deserialize, Serialize};

use crate::errors::FileRejection;
use crate::limits::UploadLimits;
use crate::normalize::text_of_cell;
use crate::read::{CellRecord, HeaderCheck, RowReader, read_workbook};

/// Why one cell of a salary row is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SalaryCellError {
    /// A rule of the salary list, with the cell's value as read (cut at 200 characters).
    Rule { error: SalaryError, value: String },
    /// A formula where a value belongs (its text, to show).
    Formula(String),
}

/// What of a cell's text an error keeps: enough to recognise it.
const SHOWN_CHARS: usize = 200;

impl SalaryCellError {
    /// The catalogue key of the message.
    pub fn code(&self) -> &'static str {
        match self {
            SalaryCellError::Rule { error, .. } => error.code(),
            SalaryCellError::Formula(_) => "row-formula",
        }
    }

    /// The cell's value as read, or the formula.
    pub fn value(&self) -> &str {
        match self {
            SalaryCellError::Rule { value, .. } | SalaryCellError::Formula(value) => value,
        }
    }

    /// A rule's error with `value` as the cell's value.
    pub fn rule(error: SalaryError, value: &str) -> Self {
        SalaryCellError::Rule {
            error,
            value: value.chars().take(SHOWN_CHARS).collect(),
        }
    }
}

/// A cell read: `Ok(None)` when blank.
pub type Cell<T> = Result<Option<T>, SalaryCellError>;

/// One data row of a salary list upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalaryUploadRow {
    /// 1-based row number in the sheet, as the user sees it.
    pub row: u32,
    /// The affiliation's id as written in the key column.
    pub affiliation: Cell<i64>,
    pub annual: Cell<Cents>,
    pub fraction: Cell<Fraction>,
}

/// What the reader found before the data rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalaryHeader {
    pub sheet_name: String,
    /// 1-based row number of the header row.
    pub header_row: u32,
    pub columns: Vec<SalaryColumn>,
}

/// Takes a salary upload as it is read (see [`crate::UploadSink`]).
pub trait SalarySink {
    fn header(&mut self, header: SalaryHeader);
    fn row(&mut self, row: SalaryUploadRow);
}

/// Collects a salary upload.
#[derive(Debug, Default)]
pub struct CollectSalaries {
    pub header: Option<SalaryHeader>,
    pub rows: Vec<SalaryUploadRow>,
}

impl SalarySink for CollectSalaries {
    fn header(&mut self, header: SalaryHeader) {
        self.header = Some(header);
    }

    fn row(&mut self, row: SalaryUploadRow) {
        self.rows.push(row);
    }
}

/// Reads a salary list upload into `sink` (see [`crate::read_insured_upload_into`]).
pub fn read_salary_upload_into(
    bytes: &[u8],
    limits: &UploadLimits,
    sink: &mut dyn SalarySink,
) -> Result<(), FileRejection> {
    let mut rows = SalaryRows { header: None, sink };
    read_workbook(bytes, limits, is_salary_sheet, &mut rows).map_err(|missing| {
        missing.map_or_else(
            |r| match r {
                FileRejection::NoHeaderSheet => FileRejection::NoSalaryHeaderSheet,
                other => other,
            },
            |m| FileRejection::MissingSalaryColumns { missing: m },
        )
    })
}

/// Normalized header → column, for every language of the catalog.
fn headers() -> &'static [(String, SalaryColumn)] {
    static HEADERS: OnceLock<Vec<(String, SalaryColumn)>> = OnceLock::new();
    HEADERS.get_or_init(|| {
        languages()
            .iter()
            .flat_map(|lang| {
                SalaryColumn::ALL
                    .into_iter()
                    .map(|c| (normalize_header(&Message::new(c.key()).render(lang)), c))
            })
            .collect()
    })
}

fn column_of_header(text: &str) -> Option<SalaryColumn> {
    let wanted = normalize_header(text);
    headers()
        .iter()
        .find(|(header, _)| !wanted.is_empty() && *header == wanted)
        .map(|(_, c)| *c)
}

/// Whether `name` is the data sheet's name ("Salarissen 2027") in some language.
fn is_salary_sheet(name: &str) -> bool {
    languages().iter().any(|lang| {
        let prefix = Message::new("salary-sheet-name")
            .with("year", "")
            .render(lang);
        let prefix = prefix.trim();
        !prefix.is_empty() && name.starts_with(prefix)
    })
}

struct Found {
    row: u32,
    /// Sheet column → list column.
    by_column: Vec<(u32, SalaryColumn)>,
}

struct SalaryRows<'s> {
    header: Option<Found>,
    sink: &'s mut dyn SalarySink,
}

impl RowReader for SalaryRows<'_> {
    type Missing = Vec<SalaryColumn>;
    type Row = SalaryUploadRow;

    fn has_header(&self) -> bool {
        self.header.is_some()
    }

    fn header(
        &mut self,
        sheet: &str,
        row: u32,
        cells: &[CellRecord<'_>],
        _max_columns: u32,
    ) -> Result<HeaderCheck<Self::Missing>, FileRejection> {
        let mut by_column: Vec<(u32, SalaryColumn)> = Vec::new();
        for (col, value, _) in cells {
            if let Some(column) = column_of_header(&text_of_cell(value)) {
                if by_column.iter().any(|(_, c)| *c == column) {
                    return Err(FileRejection::DuplicateSalaryColumn { column });
                }
                by_column.push((*col, column));
            }
        }
        let missing: Vec<SalaryColumn> = SalaryColumn::REQUIRED
            .into_iter()
            .filter(|r| !by_column.iter().any(|(_, c)| c == r))
            .collect();
        if !missing.is_empty() {
            return Ok(if by_column.len() >= 3 {
                HeaderCheck::Partial(missing)
            } else {
                HeaderCheck::No
            });
        }
        self.sink.header(SalaryHeader {
            sheet_name: sheet.to_owned(),
            header_row: row + 1,
            columns: by_column.iter().map(|(_, c)| *c).collect(),
        });
        self.header = Some(Found { row, by_column });
        Ok(HeaderCheck::Found)
    }

    fn data_row(&mut self, row: u32, cells: &[CellRecord<'_>]) -> Option<SalaryUploadRow> {
        let header = self.header.as_ref()?;
        debug_assert!(row > header.row);
        let cell = |wanted: SalaryColumn| {
            let col = header.by_column.iter().find(|(_, c)| *c == wanted)?.0;
            cells.iter().find(|(c, _, _)| *c == col)
        };
        let (key, annual, fraction) = (
            cell(SalaryColumn::Affiliation),
            cell(SalaryColumn::AnnualSalary),
            cell(SalaryColumn::Fraction),
        );
        if key.is_none() && annual.is_none() && fraction.is_none() {
            return None;
        }
        Some(SalaryUploadRow {
            row: row + 1,
            affiliation: read_cell(key, key_of),
            annual: read_cell(annual, annual_of),
            fraction: read_cell(fraction, fraction_of),
        })
    }

    fn emit(&mut self, row: SalaryUploadRow) {
        self.sink.row(row);
    }
}

/// A cell through `read`: a formula is refused whatever its cached value, blank is None.
fn read_cell<T>(
    cell: Option<&CellRecord<'_>>,
    read: fn(&DataRef<'_>) -> Result<T, SalaryError>,
) -> Cell<T> {
    let Some((_, value, formula)) = cell else {
        return Ok(None);
    };
    if let Some(formula) = formula {
        return Err(SalaryCellError::Formula(
            formula.chars().take(SHOWN_CHARS).collect(),
        ));
    }
    if crate::read::is_blank(value) {
        return Ok(None);
    }
    read(value)
        .map(Some)
        .map_err(|e| SalaryCellError::rule(e, &text_of_cell(value)))
}

fn key_of(value: &DataRef<'_>) -> Result<i64, SalaryError> {
    let id = match value {
        DataRef::Int(i) => Some(*i),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
        DataRef::String(_) | DataRef::SharedString(_) => text_of_cell(value).parse().ok(),
        _ => None,
    };
    id.filter(|id| *id > 0)
        .ok_or(SalaryError::UnknownAffiliation)
}

fn annual_of(value: &DataRef<'_>) -> Result<Cents, SalaryError> {
    let annual = match value {
        DataRef::Int(i) => annual_from_number(*i as f64),
        DataRef::Float(f) => annual_from_number(*f),
        DataRef::String(_) | DataRef::SharedString(_) => parse_annual(&text_of_cell(value)),
        _ => Err(SalaryError::SalaryNotAmount),
    }?;
    // Every affiliation on the list was active on its reference date.
    check_annual(annual, true)
}

fn fraction_of(value: &DataRef<'_>) -> Result<Fraction, SalaryError> {
    match value {
        DataRef::Int(i) => fraction_from_number(*i as f64),
        DataRef::Float(f) => fraction_from_number(*f),
        DataRef::String(_) | DataRef::SharedString(_) => parse_fraction(&text_of_cell(value)),
        _ => Err(SalaryError::FractionNotNumber),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use ebdesk_domain::NationalNumber;
    use ebdesk_domain::salary_list::{SalaryListRow, SalaryValues};
    use rust_xlsxwriter::{Formula, Workbook};

    use super::*;
    use crate::write_salary_list;

    fn read(bytes: &[u8]) -> Result<CollectSalaries, FileRejection> {
        let mut collect = CollectSalaries::default();
        read_salary_upload_into(bytes, &UploadLimits::default(), &mut collect)?;
        Ok(collect)
    }

    #[test]
    fn the_downloaded_list_reads_back_with_its_keys_and_values() {
        let row = SalaryListRow {
            affiliation_id: 7,
            contract_number: "530/000101".to_owned(),
            category: "Bedienden".to_owned(),
            employee_number: None,
            last_name: "Peeters".to_owned(),
            first_name: "Jan".to_owned(),
            national_number: NationalNumber::parse("85073003328").unwrap(),
            current: Some(SalaryValues {
                annual: Cents(4_800_050),
                fraction: Fraction::new(8_000).unwrap(),
            }),
        };
        let without = SalaryListRow {
            affiliation_id: 8,
            current: None,
            ..row.clone()
        };
        let french = ebdesk_i18n::language("fr");
        let bytes = write_salary_list(vec![row, without], 2027, &french).unwrap();
        let read = read(&bytes).unwrap();
        let header = read.header.unwrap();
        assert_eq!(header.sheet_name, "Salaires 2027");
        assert_eq!(header.columns, SalaryColumn::ALL);
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.rows[0].row, 2);
        assert_eq!(read.rows[0].affiliation, Ok(Some(7)));
        assert_eq!(read.rows[0].annual, Ok(Some(Cents(4_800_050))));
        assert_eq!(
            read.rows[0].fraction,
            Ok(Some(Fraction::new(8_000).unwrap()))
        );
        assert_eq!(read.rows[1].affiliation, Ok(Some(8)));
        assert_eq!(read.rows[1].annual, Ok(None));
    }

    #[test]
    fn typed_values_formulas_and_foreign_headers_are_judged_per_cell() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Blad1").unwrap();
        // English headers in another order, an extra column.
        for (col, text) in [
            "Work fraction (0-1 or %)",
            "Opmerking",
            "Affiliation (do not change)",
            "Pensionable annual salary (full time, €)",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, col as u16, *text).unwrap();
        }
        sheet.write_string(1, 0, "80 %").unwrap();
        sheet.write_string(1, 2, "12").unwrap();
        sheet.write_string(1, 3, "52.000,00").unwrap();
        sheet.write_string(2, 0, "1,5").unwrap();
        sheet.write_number(2, 2, 13.0).unwrap();
        sheet.write_number(2, 3, -5.0).unwrap();
        sheet.write_formula(3, 2, Formula::new("=12+1")).unwrap();
        sheet.write_number(3, 3, 0.0).unwrap();
        sheet.write_string(4, 1, "alleen een opmerking").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let read = read(&bytes).unwrap();
        assert_eq!(read.rows.len(), 3, "the note-only row is no data row");
        let first = &read.rows[0];
        assert_eq!(first.affiliation, Ok(Some(12)));
        assert_eq!(first.annual, Ok(Some(Cents(5_200_000))));
        assert_eq!(first.fraction, Ok(Some(Fraction::new(8_000).unwrap())));
        let second = &read.rows[1];
        let rule = SalaryCellError::rule;
        assert_eq!(second.annual, Err(rule(SalaryError::SalaryNegative, "-5")));
        assert_eq!(
            second.fraction,
            Err(rule(SalaryError::FractionOutOfRange, "1,5"))
        );
        let third = &read.rows[2];
        assert!(matches!(
            third.affiliation,
            Err(SalaryCellError::Formula(_))
        ));
        assert_eq!(third.annual, Err(rule(SalaryError::SalaryZero, "0")));
        assert_eq!(third.fraction, Ok(None));
    }

    #[test]
    fn a_sheet_without_the_key_column_is_refused_naming_it() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, text) in ["Contract", "Naam", "Pensioengevend jaarloon (voltijds, €)"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, col as u16, *text).unwrap();
        }
        sheet.write_string(1, 0, "530/000101").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let refused = read(&bytes).unwrap_err();
        assert_eq!(
            refused,
            FileRejection::MissingSalaryColumns {
                missing: vec![SalaryColumn::Affiliation, SalaryColumn::Fraction]
            }
        );
        let text = refused.message().render(&ebdesk_i18n::default_language());
        assert!(text.contains("Aansluiting (niet wijzigen)"), "{text}");
    }
}
