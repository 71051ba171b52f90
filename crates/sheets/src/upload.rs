//! What reading an upload gives the caller: one [`UploadRow`] per non-blank data row.

use std::collections::HashMap;

use ebdesk_domain::insured_sheet::{InsuredColumn, InsuredRow};
use ebdesk_domain::{EmailAddress, NationalNumber};
use ebdesk_i18n::default_language;
use serde::{Deserialize, Serialize};

use crate::errors::RowError;
use crate::texts::{same_value, texts};

/// A workbook read by [`crate::read_insured_upload`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedUpload {
    /// The sheet whose header row was found.
    pub sheet_name: String,
    /// 1-based row number of the header row.
    pub header_row: u32,
    /// The schema's columns found in the header row, in sheet order.
    pub columns: Vec<InsuredColumn>,
    /// Headers of extra columns, which are ignored.
    pub ignored_headers: Vec<String>,
    /// Non-blank data rows, in sheet order.
    pub rows: Vec<UploadRow>,
}

/// What the reader found before the data rows: the sheet and its header row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadHeader {
    pub sheet_name: String,
    /// 1-based row number of the header row.
    pub header_row: u32,
    /// The schema's columns found in the header row, in sheet order.
    pub columns: Vec<InsuredColumn>,
    /// Headers of extra columns, which are ignored.
    pub ignored_headers: Vec<String>,
}

impl UploadHeader {
    /// Whether the upload has this column at all (an absent read-only column is not an edit).
    pub fn has_column(&self, column: InsuredColumn) -> bool {
        self.columns.contains(&column)
    }
}

/// Takes an upload as it is read: the header once, then every data row in sheet order. The
/// reader stops early on a refusal, so what a sink got counts only once the read succeeded.
pub trait UploadSink {
    fn header(&mut self, header: UploadHeader);
    fn row(&mut self, row: UploadRow);
}

/// Collects what the reader sends into a [`ParsedUpload`].
#[derive(Debug, Default)]
pub struct CollectUpload {
    header: Option<UploadHeader>,
    rows: Vec<UploadRow>,
}

impl UploadSink for CollectUpload {
    fn header(&mut self, header: UploadHeader) {
        self.header = Some(header);
    }

    fn row(&mut self, row: UploadRow) {
        self.rows.push(row);
    }
}

impl CollectUpload {
    /// The upload, once a header came.
    pub fn finish(self) -> Option<ParsedUpload> {
        Some(ParsedUpload::new(self.header?, self.rows))
    }
}

impl ParsedUpload {
    /// An upload from its header and rows.
    pub fn new(header: UploadHeader, rows: Vec<UploadRow>) -> Self {
        ParsedUpload {
            sheet_name: header.sheet_name,
            header_row: header.header_row,
            columns: header.columns,
            ignored_headers: header.ignored_headers,
            rows,
        }
    }

    /// The header, without the rows.
    pub fn header(&self) -> UploadHeader {
        UploadHeader {
            sheet_name: self.sheet_name.clone(),
            header_row: self.header_row,
            columns: self.columns.clone(),
            ignored_headers: self.ignored_headers.clone(),
        }
    }

    /// Whether the upload has this column at all (an absent read-only column is not an edit).
    pub fn has_column(&self, column: InsuredColumn) -> bool {
        self.columns.contains(&column)
    }

    /// Every error of every row, with the 1-based sheet row number.
    pub fn row_errors(&self) -> impl Iterator<Item = (u32, &RowError)> {
        self.rows
            .iter()
            .flat_map(|r| r.errors().map(move |e| (r.row, e)))
    }

    /// One e-mail per employee: a row whose valid address (or blank) differs from the one
    /// on an earlier row of the same national number gets [`RowError::ConflictingEmail`].
    /// Rows whose key or e-mail is already in error take no part.
    pub fn conflicting_emails(&self) -> Vec<(u32, RowError)> {
        let mut first: HashMap<&NationalNumber, (u32, Option<&EmailAddress>)> = HashMap::new();
        let mut out = Vec::new();
        for row in &self.rows {
            let (Ok(key), Ok(email)) = (&row.national_number, &row.business_email) else {
                continue;
            };
            let (first_row, first_email) = *first.entry(key).or_insert((row.row, email.as_ref()));
            if first_email != email.as_ref() {
                out.push((
                    row.row,
                    RowError::ConflictingEmail {
                        value: email
                            .as_ref()
                            .map(|e| e.as_str().to_owned())
                            .unwrap_or_default(),
                        other_row: first_row,
                    },
                ));
            }
        }
        out
    }

    /// The read-only columns whose value differs from what the database holds, so the
    /// preview can say that those edits are ignored. Case and surrounding blanks do not
    /// count as an edit, nor does a label in another language of the catalog; neither do
    /// columns missing from the upload.
    pub fn read_only_edits(&self, row: &UploadRow, original: &InsuredRow) -> Vec<InsuredColumn> {
        let shown = texts(&default_language());
        READ_ONLY
            .iter()
            .copied()
            .filter(|c| self.has_column(*c))
            .filter(|c| {
                let read = row.read_only(*c).unwrap_or("");
                let expected = original.cell(*c);
                !same_value(*c, read, &shown.display(&expected))
            })
            .collect()
    }
}

/// One data row of the upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadRow {
    /// 1-based row number in the sheet, as the user sees it.
    pub row: u32,
    /// The key, or why the cell is not a national number.
    #[serde(with = "national_number_result")]
    pub national_number: Result<NationalNumber, RowError>,
    /// `Ok(None)` for an empty cell: the employee has no known business address.
    #[serde(with = "email_result")]
    pub business_email: Result<Option<EmailAddress>, RowError>,
    /// Formulas found in the read-only columns (those in the key or e-mail column are
    /// reported in the fields above).
    pub formula_errors: Vec<RowError>,
    pub(crate) read_only: ReadOnlyValues,
}

impl UploadRow {
    /// Every error of this row.
    pub fn errors(&self) -> impl Iterator<Item = &RowError> {
        self.national_number
            .as_ref()
            .err()
            .into_iter()
            .chain(self.business_email.as_ref().err())
            .chain(self.formula_errors.iter())
    }

    /// True when the row can be applied.
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// A read-only column's value as read: text trimmed, numbers without a useless `.0`,
    /// dates as dd/mm/yyyy. `""` for an empty cell; `None` for a column that is not
    /// read-only.
    pub fn read_only(&self, column: InsuredColumn) -> Option<&str> {
        self.read_only.get(column)
    }
}

/// The 13 read-only columns, in sheet order.
pub(crate) const READ_ONLY: [InsuredColumn; 13] = {
    let mut out = [InsuredColumn::ContractNumber; 13];
    let mut i = 0;
    let mut j = 0;
    while i < InsuredColumn::ALL.len() {
        let c = InsuredColumn::ALL[i];
        if !matches!(
            c,
            InsuredColumn::NationalNumber | InsuredColumn::BusinessEmail
        ) {
            out[j] = c;
            j += 1;
        }
        i += 1;
    }
    out
};

/// ASCII unit separator: no keyboard types it, and it is stripped from values.
const SEPARATOR: char = '\u{1f}';

/// The read-only values of a row joined in one allocation: 100 000 rows of 13 separate
/// strings would cost more memory than the whole parse may use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct ReadOnlyValues(Box<str>);

impl ReadOnlyValues {
    /// One read-only column's value; `None` for a column that is not read-only.
    pub(crate) fn get(&self, column: InsuredColumn) -> Option<&str> {
        let index = READ_ONLY.iter().position(|c| *c == column)?;
        self.0.split(SEPARATOR).nth(index)
    }

    /// The values joined by the separator.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Values as the parser child sent them: empty, or all 13 columns.
    pub(crate) fn from_wire(text: &str) -> Option<Self> {
        let separators = text.matches(SEPARATOR).count();
        (text.is_empty() || separators == READ_ONLY.len() - 1).then(|| ReadOnlyValues(text.into()))
    }

    /// Builds the values in [`READ_ONLY`] order: `push` appends one column's value to the
    /// buffer, which is reused from row to row.
    pub(crate) fn build(
        buffer: &mut String,
        mut push: impl FnMut(&mut String, InsuredColumn),
    ) -> Self {
        buffer.clear();
        for (i, column) in READ_ONLY.iter().enumerate() {
            if i > 0 {
                buffer.push(SEPARATOR);
            }
            let start = buffer.len();
            push(buffer, *column);
            if buffer[start..].contains(SEPARATOR) {
                let cleaned = buffer[start..].replace(SEPARATOR, " ");
                buffer.truncate(start);
                buffer.push_str(&cleaned);
            }
        }
        ReadOnlyValues(buffer.as_str().into())
    }
}

/// The national number crosses the process boundary as its 11 digits and is parsed again.
mod national_number_result {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Result<NationalNumber, RowError>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.as_ref().map(|n| n.as_str()).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Result<NationalNumber, RowError>, D::Error> {
        let wire: Result<String, RowError> = Deserialize::deserialize(deserializer)?;
        match wire {
            Ok(digits) => NationalNumber::parse(&digits)
                .map(Ok)
                .map_err(serde::de::Error::custom),
            Err(e) => Ok(Err(e)),
        }
    }
}

mod email_result {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Result<Option<EmailAddress>, RowError>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value
            .as_ref()
            .map(|e| e.as_ref().map(|e| e.as_str()))
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Result<Option<EmailAddress>, RowError>, D::Error> {
        let wire: Result<Option<String>, RowError> = Deserialize::deserialize(deserializer)?;
        match wire {
            Ok(Some(text)) => EmailAddress::parse(&text)
                .map(|e| Ok(Some(e)))
                .map_err(serde::de::Error::custom),
            Ok(None) => Ok(Ok(None)),
            Err(e) => Ok(Err(e)),
        }
    }
}
