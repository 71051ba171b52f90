//! Reads an upload with calamine's streaming cell reader, one row in memory at a time.
//! `worksheet_range` is never used: it densifies the grid, so one cell at the far corner
//! costs gigabytes (calamine issue #693).

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxCellReader, XlsxError, XlsxFormulaMetadata};
use ebdesk_domain::insured_sheet::{ColumnKind, InsuredColumn};

use crate::errors::{FileRejection, RowError};
use crate::inspect::inspect;
use crate::limits::UploadLimits;
use crate::normalize::{email_from_cell, national_number_from_cell, push_read_only, text_of_cell};
use crate::texts::{column_of_header, is_insured_sheet};
use crate::upload::{
    CollectUpload, ParsedUpload, READ_ONLY, ReadOnlyValues, UploadHeader, UploadRow, UploadSink,
};

/// Reads an "Overzicht verzekerden" upload: checks the package, finds the sheet and its
/// header row by name (the headers of any language of the catalog, columns in any order,
/// extra columns ignored, a title row above is fine) and reads every non-blank row below it.
///
/// Row-level problems (a bad national number or e-mail, a formula) are in the rows; only a
/// file that cannot or must not be read is refused as a whole.
pub fn read_insured_upload(
    bytes: &[u8],
    limits: &UploadLimits,
) -> Result<ParsedUpload, FileRejection> {
    let mut collect = CollectUpload::default();
    read_insured_upload_into(bytes, limits, &mut collect)?;
    collect.finish().ok_or(FileRejection::NoHeaderSheet)
}

/// [`read_insured_upload`] that hands the header and then each row to `sink` as soon as it
/// is read, so the caller can work on the first rows while the last ones are still read.
/// What the sink got is void when this answers a refusal.
pub fn read_insured_upload_into(
    bytes: &[u8],
    limits: &UploadLimits,
    sink: &mut dyn UploadSink,
) -> Result<(), FileRejection> {
    let mut rows = InsuredRows {
        header: None,
        sink,
        buffer: String::new(),
    };
    read_workbook(bytes, limits, is_insured_sheet, &mut rows).map_err(|missing| {
        missing.map_or_else(|r| r, |m| FileRejection::MissingColumns { missing: m })
    })
}

/// Reads every sheet of a workbook, ours first (`is_own_sheet`), until `rows` finds a
/// header row and reads the rows below it. `Err(Ok(missing))` when the best candidate
/// header row lacked the columns `missing`; `Err(Err(_))` for any other refusal.
pub(crate) fn read_workbook<R: RowReader>(
    bytes: &[u8],
    limits: &UploadLimits,
    is_own_sheet: fn(&str) -> bool,
    rows: &mut R,
) -> Result<(), Result<R::Missing, FileRejection>> {
    inspect(bytes, limits).map_err(Err)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| Err(rejection_of(e)))?;
    let mut names = workbook.sheet_names();
    // The sheet we wrote (in any language) first, then the others in workbook order.
    names.sort_by_key(|name| !is_own_sheet(name));

    let mut cells_left = limits.max_cells;
    let mut partial: Option<R::Missing> = None;
    let mut any_cell = false;
    for name in names {
        let reader = match workbook.worksheet_cells_reader(&name) {
            Ok(reader) => reader,
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(Err(rejection_of(e))),
        };
        let mut sheet = SheetReader {
            reader,
            limits,
            cells_left: &mut cells_left,
            any_cell: false,
        };
        let outcome = sheet.read(&name, rows).map_err(Err)?;
        any_cell |= sheet.any_cell;
        match outcome {
            Outcome::Parsed => return Ok(()),
            Outcome::NoHeader { missing } => {
                if partial.is_none() {
                    partial = missing;
                }
            }
        }
    }
    Err(match partial {
        Some(missing) => Ok(missing),
        None if any_cell => Err(FileRejection::NoHeaderSheet),
        None => Err(FileRejection::Empty),
    })
}

/// What one kind of upload makes of the rows the streaming reader finds: a header row
/// first, then data rows under it.
pub(crate) trait RowReader {
    /// The required columns a header row lacked.
    type Missing;
    /// One data row as the kind reads it.
    type Row;
    /// Whether the header row was found.
    fn has_header(&self) -> bool;
    /// Looks at a row (0-based) of `sheet` while no header was found; on `Found` the reader
    /// keeps the header.
    fn header(
        &mut self,
        sheet: &str,
        row: u32,
        cells: &[CellRecord<'_>],
        max_columns: u32,
    ) -> Result<HeaderCheck<Self::Missing>, FileRejection>;
    /// A data row (0-based) under the header; `None` when none of its cells is ours.
    fn data_row(&mut self, row: u32, cells: &[CellRecord<'_>]) -> Option<Self::Row>;
    /// Hands a counted data row on.
    fn emit(&mut self, row: Self::Row);
}

/// The rows of "Overzicht verzekerden", handed to an [`UploadSink`].
struct InsuredRows<'s> {
    header: Option<Header>,
    sink: &'s mut dyn UploadSink,
    buffer: String,
}

impl RowReader for InsuredRows<'_> {
    type Missing = Vec<InsuredColumn>;
    type Row = UploadRow;

    fn has_header(&self) -> bool {
        self.header.is_some()
    }

    fn header(
        &mut self,
        sheet: &str,
        row: u32,
        cells: &[CellRecord<'_>],
        max_columns: u32,
    ) -> Result<HeaderCheck<Self::Missing>, FileRejection> {
        Ok(match header_of(row, cells, max_columns)? {
            InsuredHeader::Found(h) => {
                self.sink.header(UploadHeader {
                    sheet_name: sheet.to_owned(),
                    header_row: h.row + 1,
                    columns: h.columns.clone(),
                    ignored_headers: h.ignored.clone(),
                });
                self.header = Some(h);
                HeaderCheck::Found
            }
            InsuredHeader::Partial(m) => HeaderCheck::Partial(m),
            InsuredHeader::No => HeaderCheck::No,
        })
    }

    fn data_row(&mut self, row: u32, cells: &[CellRecord<'_>]) -> Option<UploadRow> {
        data_row(self.header.as_ref()?, row, cells, &mut self.buffer)
    }

    fn emit(&mut self, row: UploadRow) {
        self.sink.row(row);
    }
}

fn rejection_of(error: XlsxError) -> FileRejection {
    match error {
        XlsxError::Password => FileRejection::PasswordProtected,
        _ => FileRejection::Malformed,
    }
}

enum Outcome<M> {
    /// The header and every row went to the sink.
    Parsed,
    /// No header row; `missing` is set when a row looked like one but lacked columns.
    NoHeader { missing: Option<M> },
}

/// What a row told about the header.
pub(crate) enum HeaderCheck<M> {
    /// It is the header row.
    Found,
    /// It looks like one but lacks these required columns.
    Partial(M),
    No,
}

/// One non-empty cell: column, value and, for a formula cell, its text.
pub(crate) type CellRecord<'a> = (u32, DataRef<'a>, Option<String>);
/// A cell with its (row, column) position.
type Positioned<'a> = ((u32, u32), CellRecord<'a>);

struct SheetReader<'a, 'b, 'l> {
    reader: XlsxCellReader<'a, Cursor<&'b [u8]>>,
    limits: &'l UploadLimits,
    cells_left: &'l mut u64,
    any_cell: bool,
}

/// Which schema column each sheet column holds, once the header row is known.
struct Header {
    row: u32,
    by_column: Vec<Option<InsuredColumn>>,
    columns: Vec<InsuredColumn>,
    ignored: Vec<String>,
}

impl<'a> SheetReader<'a, '_, '_> {
    fn next(&mut self) -> Result<Option<Positioned<'a>>, FileRejection> {
        loop {
            let Some(record) = self
                .reader
                .next_cell_with_formula_metadata()
                .map_err(rejection_of)?
            else {
                return Ok(None);
            };
            *self.cells_left =
                self.cells_left
                    .checked_sub(1)
                    .ok_or(FileRejection::TooManyCells {
                        max: self.limits.max_cells,
                    })?;
            let formula = record.formula.map(|f| match f {
                XlsxFormulaMetadata::Normal { formula }
                | XlsxFormulaMetadata::Shared { formula, .. } => formula,
                _ => String::new(),
            });
            if formula.is_none() && is_blank(&record.value) {
                continue;
            }
            let (row, col) = record.pos;
            if col >= self.limits.max_columns {
                return Err(FileRejection::TooManyColumns {
                    max: self.limits.max_columns,
                });
            }
            self.any_cell = true;
            return Ok(Some(((row, col), (col, record.value, formula))));
        }
    }

    fn read<R: RowReader>(
        &mut self,
        sheet_name: &str,
        reader: &mut R,
    ) -> Result<Outcome<R::Missing>, FileRejection> {
        let mut missing: Option<R::Missing> = None;
        let mut rows: u32 = 0;
        let mut current_row: Option<u32> = None;
        let mut cells: Vec<CellRecord<'a>> = Vec::new();
        loop {
            let next = self.next()?;
            let next_row = next.as_ref().map(|((row, _), _)| *row);
            if next_row != current_row {
                if let Some(row) = current_row {
                    if next_row.is_some_and(|next| next < row) {
                        // Rows must come in ascending order (ECMA-376); anything else is
                        // crafted or broken.
                        return Err(FileRejection::Malformed);
                    }
                    if reader.has_header() {
                        if let Some(data) = reader.data_row(row, &cells) {
                            if rows >= self.limits.max_rows {
                                return Err(FileRejection::TooManyRows {
                                    max: self.limits.max_rows,
                                });
                            }
                            rows += 1;
                            reader.emit(data);
                        }
                    } else {
                        match reader.header(sheet_name, row, &cells, self.limits.max_columns)? {
                            HeaderCheck::Found | HeaderCheck::No => {}
                            HeaderCheck::Partial(m) => missing = missing.or(Some(m)),
                        }
                    }
                }
                cells.clear();
                current_row = next_row;
                let searched_enough =
                    next_row.is_some_and(|row| row >= self.limits.header_search_rows);
                if !reader.has_header() && searched_enough {
                    break;
                }
            }
            match next {
                Some((_, cell)) => cells.push(cell),
                None => break,
            }
        }
        if !reader.has_header() {
            return Ok(Outcome::NoHeader { missing });
        }
        if rows == 0 {
            return Err(FileRejection::NoRows);
        }
        Ok(Outcome::Parsed)
    }
}

pub(crate) fn is_blank(cell: &DataRef<'_>) -> bool {
    match cell {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

enum InsuredHeader {
    Found(Header),
    Partial(Vec<InsuredColumn>),
    No,
}

/// A header row names the key and the e-mail column; one that names at least three of our
/// columns but not both is reported as incomplete rather than ignored.
fn header_of(
    row: u32,
    cells: &[CellRecord<'_>],
    max_columns: u32,
) -> Result<InsuredHeader, FileRejection> {
    let mut by_column = vec![None; max_columns as usize];
    let mut columns: Vec<(u32, InsuredColumn)> = Vec::new();
    let mut ignored = Vec::new();
    let mut duplicate = None;
    for (col, value, _) in cells {
        let text = text_of_cell(value);
        match column_of_header(&text) {
            Some(column) => {
                if columns.iter().any(|(_, c)| *c == column) {
                    duplicate = Some(column);
                }
                columns.push((*col, column));
                if let Some(slot) = by_column.get_mut(*col as usize) {
                    *slot = Some(column);
                }
            }
            None if !text.is_empty() => ignored.push(text),
            None => {}
        }
    }
    let required = [InsuredColumn::NationalNumber, InsuredColumn::BusinessEmail];
    let missing: Vec<InsuredColumn> = required
        .into_iter()
        .filter(|r| !columns.iter().any(|(_, c)| c == r))
        .collect();
    if missing.is_empty() {
        if let Some(column) = duplicate {
            return Err(FileRejection::DuplicateColumn { column });
        }
        return Ok(InsuredHeader::Found(Header {
            row,
            by_column,
            columns: columns.into_iter().map(|(_, c)| c).collect(),
            ignored,
        }));
    }
    if columns.len() >= 3 {
        return Ok(InsuredHeader::Partial(missing));
    }
    Ok(InsuredHeader::No)
}

/// Builds one row from its non-empty cells; `None` when none of them is in our columns.
fn data_row(
    header: &Header,
    row: u32,
    cells: &[CellRecord<'_>],
    buffer: &mut String,
) -> Option<UploadRow> {
    let mut values: [Option<&DataRef<'_>>; 15] = [None; 15];
    let mut formulas: [Option<&str>; 15] = [None; 15];
    let mut any = false;
    for (col, value, formula) in cells {
        let Some(Some(column)) = header.by_column.get(*col as usize) else {
            continue;
        };
        values[column.index()] = Some(value);
        formulas[column.index()] = formula.as_deref();
        any = true;
    }
    if !any {
        return None;
    }
    let empty = DataRef::Empty;
    let value_of = |c: InsuredColumn| values[c.index()].unwrap_or(&empty);
    let formula_error = |c: InsuredColumn| {
        formulas[c.index()].map(|f| RowError::Formula {
            column: c,
            formula: f.to_owned(),
        })
    };
    let national_number = match formula_error(InsuredColumn::NationalNumber) {
        Some(e) => Err(e),
        None => national_number_from_cell(value_of(InsuredColumn::NationalNumber)),
    };
    let business_email = match formula_error(InsuredColumn::BusinessEmail) {
        Some(e) => Err(e),
        None => email_from_cell(value_of(InsuredColumn::BusinessEmail)),
    };
    let read_only = ReadOnlyValues::build(buffer, |out, c| {
        push_read_only(out, value_of(c), c.kind() == ColumnKind::Date);
    });
    Some(UploadRow {
        row: row + 1,
        national_number,
        business_email,
        formula_errors: READ_ONLY.iter().filter_map(|c| formula_error(*c)).collect(),
        read_only,
    })
}
