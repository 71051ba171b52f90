//! The preview of an "Overzicht verzekerden" upload: what confirming it would change.
//!
//! The caller (a job) loads what the database holds for the employees in the uploader's
//! scope as [`KnownEmployees`] and feeds the upload's rows to a [`PreviewBuilder`] as the
//! reader (in its child process) sends them, so comparing overlaps reading. The builder is
//! pure: it classifies every row as a new, changed or removed business address, an
//! unchanged employee, an error or a warning, and keeps only the rows with errors (for the
//! workbook of errors). [`build_preview`] does the same for an upload read whole.
//!
//! One e-mail per employee: an employee on several rows (one per affiliation) counts once,
//! and an employee with an error on any of its rows changes nothing, while the other
//! employees still do ("apply the valid rows, skip the rows with errors").

use std::collections::HashMap;

use ebdesk_domain::insured_sheet::{CellValue, InsuredColumn, InsuredRow};
use ebdesk_domain::{EmailAddress, NationalNumber};
use ebdesk_i18n::{LanguageIdentifier, Message};
use serde::{Deserialize, Serialize};

use crate::errors::RowError;
use crate::texts::{Texts, same_value, texts};
use crate::upload::{ParsedUpload, READ_ONLY, ReadOnlyValues, UploadHeader, UploadRow};

/// Code of the warning for an address that another employee has too.
pub const WARNING_SHARED_EMAIL: &str = "warning-shared-email";
/// Code of the warning for edits in columns that the upload does not change.
pub const WARNING_READ_ONLY_IGNORED: &str = "warning-read-only-ignored";

/// How many rows a [`PreviewBuilder`] handles between two calls of `progress`.
pub const PROGRESS_EVERY: usize = 5_000;

/// What the database holds for one employee inside the uploader's scope.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownEmployee {
    pub employee_id: i64,
    /// `employees.version`, for the optimistic apply later.
    pub version: i64,
    pub national_number: NationalNumber,
    pub last_name: String,
    pub first_name: String,
    pub business_email: Option<EmailAddress>,
    /// One per affiliation in scope (the rows the download contained), to detect edits in
    /// read-only columns.
    pub rows: Vec<KnownRow>,
}

/// The read-only cells of one affiliation as the download shows them, joined the way an
/// upload row keeps its own: comparing an untouched row is one string comparison, and 100 000
/// affiliations take one allocation each rather than a dozen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownRow(ReadOnlyValues);

impl KnownRow {
    /// The row as the download wrote it in `lang`: an upload of a download in that language
    /// compares in one go (labels of another language still count as unchanged, row by row).
    pub fn of(row: &InsuredRow, lang: &LanguageIdentifier) -> Self {
        let mut buffer = String::with_capacity(160);
        Self::with_buffer(row, lang, &mut buffer)
    }

    /// [`KnownRow::of`] reusing `buffer` from row to row.
    pub fn with_buffer(row: &InsuredRow, lang: &LanguageIdentifier, buffer: &mut String) -> Self {
        let texts = texts(lang);
        KnownRow(ReadOnlyValues::build(buffer, |out, column| {
            match row.cell(column) {
                CellValue::Empty => {}
                CellValue::Text(text) => out.push_str(&text),
                CellValue::Label(key) => out.push_str(texts.label(key)),
                CellValue::Date(date) => crate::normalize::push_date(out, date),
            }
        }))
    }

    fn value(&self, column: InsuredColumn) -> &str {
        self.0.get(column).unwrap_or("")
    }
}

/// The employees of a scope, indexed for the comparison.
#[derive(Debug, Clone, Default)]
pub struct KnownEmployees {
    /// By employee id.
    employees: Vec<KnownEmployee>,
    by_number: HashMap<NationalNumber, usize>,
    /// Stored address → the employees that have it, by id.
    by_email: HashMap<String, Vec<usize>>,
}

impl KnownEmployees {
    pub fn new(mut employees: Vec<KnownEmployee>) -> Self {
        employees.sort_by_key(|e| e.employee_id);
        let mut by_number = HashMap::with_capacity(employees.len());
        let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, employee) in employees.iter().enumerate() {
            by_number
                .entry(employee.national_number.clone())
                .or_insert(index);
            if let Some(email) = &employee.business_email {
                by_email
                    .entry(email.as_str().to_owned())
                    .or_default()
                    .push(index);
            }
        }
        KnownEmployees {
            employees,
            by_number,
            by_email,
        }
    }

    pub fn len(&self) -> usize {
        self.employees.len()
    }

    pub fn is_empty(&self) -> bool {
        self.employees.is_empty()
    }
}

/// What confirming an upload would do, row by row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadPreview {
    /// Non-blank data rows in the upload.
    pub rows_read: usize,
    /// The employee had no business address; the upload gives one.
    pub new: Vec<EmailChange>,
    /// The employee had a business address; the upload gives another one.
    pub changed: Vec<EmailChange>,
    /// The employee had a business address; the upload's cell is blank. Needs the user's
    /// explicit confirmation.
    pub removed: Vec<EmailChange>,
    /// Employees whose address stays the same (none included), counted once whatever the
    /// number of their rows.
    pub unchanged: usize,
    /// Never block: shared addresses, ignored edits in read-only columns. By row.
    pub warnings: Vec<PreviewWarning>,
    /// Every error, the reader's and those found against the database. By row.
    pub errors: Vec<PreviewError>,
    /// The errors found against the database ([`RowError::UnknownEmployee`],
    /// [`RowError::ConflictingEmail`]), for [`crate::write_error_workbook`] together with
    /// the upload, which holds the reader's own errors.
    pub extra_errors: Vec<(u32, RowError)>,
}

/// One employee's address as it is and as the upload would make it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailChange {
    /// The employee's first row in the upload (1-based, as the user sees it).
    pub row: u32,
    pub employee_id: i64,
    /// `employees.version` when the preview was made: the apply refuses a stale one.
    pub version: i64,
    /// "Last, First".
    pub name: String,
    /// `YY.MM.DD-SSS.CC`.
    pub national_number: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Something the user should know that does not stop the upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewWarning {
    pub row: u32,
    /// Header text of the column(s) concerned, in the uploader's language; several joined
    /// by ", ".
    pub column: String,
    /// [`WARNING_SHARED_EMAIL`] or [`WARNING_READ_ONLY_IGNORED`].
    pub code: String,
    /// Rendered in the reader's language when shown.
    pub message: Message,
}

/// A row that cannot be applied, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewError {
    pub row: u32,
    /// Header text of the faulty column in the uploader's language, e.g.
    /// "Rijksregisternummer".
    pub column: String,
    /// The cell's value as read.
    pub value: String,
    /// [`RowError::code`].
    pub code: String,
    /// [`RowError::message`], rendered in the reader's language when shown.
    pub message: Message,
}

impl PreviewError {
    fn of(row: u32, error: &RowError, texts: &Texts) -> Self {
        PreviewError {
            row,
            column: texts.header(error.column()).to_owned(),
            value: error.value().to_owned(),
            code: error.code().to_owned(),
            message: error.message(),
        }
    }
}

impl UploadPreview {
    /// True when at least one row cannot be applied.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// How many rows have at least one error.
    pub fn rows_with_errors(&self) -> usize {
        rows_with_errors(&self.errors)
    }

    /// Every change: new, then changed, then removed addresses.
    pub fn changes(&self) -> impl Iterator<Item = &EmailChange> {
        self.new
            .iter()
            .chain(self.changed.iter())
            .chain(self.removed.iter())
    }
}

/// Rows with at least one error; `errors` is ordered by row, so equal rows are adjacent.
pub(crate) fn rows_with_errors(errors: &[PreviewError]) -> usize {
    let mut rows = 0;
    let mut last = None;
    for e in errors {
        if last != Some(e.row) {
            rows += 1;
            last = Some(e.row);
        }
    }
    rows
}

/// One employee as met in the upload.
struct Seen {
    /// Index in [`KnownEmployees`].
    known: usize,
    first_row: u32,
    /// The first row whose e-mail cell is valid, with its address (`None`: blank).
    email: Option<(u32, Option<EmailAddress>)>,
    /// An error on any of the employee's rows.
    in_error: bool,
}

/// A warning, or a shared-address warning that depends on the whole upload: whether the
/// other holder of the address is in the file is known only at the end.
enum PendingWarning {
    Ready(PreviewWarning),
    HeldElsewhere { row: u32, email: String },
}

/// Compares an upload's rows, as they come, with what the database holds.
///
/// A valid national number that is not known is an [`RowError::UnknownEmployee`], whether
/// nobody has it or the employee is outside the scope: the message does not say which.
/// Known employees absent from the upload are left alone.
pub struct PreviewBuilder<'k> {
    known: &'k KnownEmployees,
    header: UploadHeader,
    /// The headers that name the columns of errors and warnings.
    texts: &'static Texts,
    matching: Matching,
    rows_read: usize,
    errors: Vec<PreviewError>,
    extra_errors: Vec<(u32, RowError)>,
    warnings: Vec<PendingWarning>,
    seen: Vec<Seen>,
    /// Per known employee: its index in `seen`, or `u32::MAX`.
    seen_index: Vec<u32>,
    /// Address → the first row that gives it, and to which known employee.
    first_with_email: HashMap<String, (u32, usize)>,
    /// The rows with an error, for the workbook of errors.
    error_rows: Vec<UploadRow>,
}

impl<'k> PreviewBuilder<'k> {
    /// A builder whose errors and warnings name columns by their headers in `lang`, the
    /// uploader's language (their messages are rendered in the reader's when shown).
    pub fn new(known: &'k KnownEmployees, header: UploadHeader, lang: &LanguageIdentifier) -> Self {
        PreviewBuilder {
            known,
            matching: Matching::of(&header),
            header,
            texts: texts(lang),
            rows_read: 0,
            errors: Vec::new(),
            extra_errors: Vec::new(),
            warnings: Vec::new(),
            seen: Vec::new(),
            seen_index: vec![u32::MAX; known.employees.len()],
            first_with_email: HashMap::new(),
            error_rows: Vec::new(),
        }
    }

    /// Rows handled so far.
    pub fn rows_read(&self) -> usize {
        self.rows_read
    }

    /// Classifies one row; rows come in sheet order.
    pub fn push(&mut self, row: UploadRow) {
        self.rows_read += 1;
        let errors_before = self.errors.len();
        let texts = self.texts;
        self.errors
            .extend(row.errors().map(|e| PreviewError::of(row.row, e, texts)));

        let index = match &row.national_number {
            Ok(number) => match self.known.by_number.get(number) {
                Some(index) => Some(*index),
                None => {
                    let error = RowError::UnknownEmployee {
                        value: number.formatted(),
                    };
                    self.errors
                        .push(PreviewError::of(row.row, &error, self.texts));
                    self.extra_errors.push((row.row, error));
                    None
                }
            },
            Err(_) => None,
        };

        if let Some(index) = index {
            self.known_row(index, &row);
        }
        if self.errors.len() > errors_before {
            self.error_rows.push(row);
        }
    }

    fn known_row(&mut self, index: usize, row: &UploadRow) {
        let known = self.known;
        let employee = &known.employees[index];
        let slot = &mut self.seen_index[index];
        if *slot == u32::MAX {
            *slot = u32::try_from(self.seen.len()).unwrap_or(u32::MAX - 1);
            self.seen.push(Seen {
                known: index,
                first_row: row.row,
                email: None,
                in_error: false,
            });
        }
        let Some(state) = self.seen.get_mut(*slot as usize) else {
            return;
        };
        // One address per employee: a valid address (or blank) other than the one on its
        // first row with a valid e-mail cell is an error.
        let mut conflicting = false;
        if let Ok(email) = &row.business_email {
            match &state.email {
                None => state.email = Some((row.row, email.clone())),
                Some((first_row, first)) if first != email => {
                    let error = RowError::ConflictingEmail {
                        value: email
                            .as_ref()
                            .map(|e| e.as_str().to_owned())
                            .unwrap_or_default(),
                        other_row: *first_row,
                    };
                    self.errors
                        .push(PreviewError::of(row.row, &error, self.texts));
                    self.extra_errors.push((row.row, error));
                    conflicting = true;
                }
                Some(_) => {}
            }
        }
        state.in_error |= conflicting || !row.is_valid();

        let texts = self.texts;
        if let Some(warning) = read_only_warning(&self.header, &self.matching, row, employee, texts)
        {
            self.warnings.push(PendingWarning::Ready(warning));
        }
        if let Ok(Some(email)) = &row.business_email {
            let (first_row, first_employee) = *self
                .first_with_email
                .entry(email.as_str().to_owned())
                .or_insert((row.row, index));
            if first_employee != index {
                self.warnings.push(PendingWarning::Ready(shared_warning(
                    row.row,
                    shared_in_file_message(first_row),
                    texts,
                )));
            } else if known
                .by_email
                .get(email.as_str())
                .is_some_and(|holders| holders.iter().any(|h| *h != index))
            {
                self.warnings.push(PendingWarning::HeldElsewhere {
                    row: row.row,
                    email: email.as_str().to_owned(),
                });
            }
        }
    }

    /// The preview, and the rows with errors (for [`crate::write_error_workbook`] with the
    /// preview's `extra_errors`).
    pub fn finish(self) -> (UploadPreview, ParsedUpload) {
        let known = self.known;
        let in_upload = |index: usize| self.seen_index[index] != u32::MAX;
        let warnings = self
            .warnings
            .into_iter()
            .filter_map(|w| match w {
                PendingWarning::Ready(w) => Some(w),
                PendingWarning::HeldElsewhere { row, email } => {
                    // The first holder, by id, that the upload leaves alone.
                    let holder = known
                        .by_email
                        .get(&email)?
                        .iter()
                        .find(|h| !in_upload(**h))?;
                    Some(shared_warning(
                        row,
                        shared_held_elsewhere_message(name_of(&known.employees[*holder])),
                        self.texts,
                    ))
                }
            })
            .collect();
        let mut preview = UploadPreview {
            rows_read: self.rows_read,
            new: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            unchanged: 0,
            warnings,
            errors: self.errors,
            extra_errors: self.extra_errors,
        };
        for state in self.seen {
            let Seen {
                known: index,
                first_row,
                email: Some((_, email)),
                in_error: false,
            } = state
            else {
                continue;
            };
            let employee = &known.employees[index];
            let old = employee.business_email.as_ref();
            let list = match (old, &email) {
                (None, None) => None,
                (None, Some(_)) => Some(&mut preview.new),
                (Some(_), None) => Some(&mut preview.removed),
                (Some(old), Some(new)) if old.as_str().eq_ignore_ascii_case(new.as_str()) => None,
                (Some(_), Some(_)) => Some(&mut preview.changed),
            };
            let Some(list) = list else {
                preview.unchanged += 1;
                continue;
            };
            list.push(EmailChange {
                row: first_row,
                employee_id: employee.employee_id,
                version: employee.version,
                name: name_of(employee),
                national_number: employee.national_number.formatted(),
                old: old.map(|e| e.as_str().to_owned()),
                new: email.map(|e| e.as_str().to_owned()),
            });
        }
        (preview, ParsedUpload::new(self.header, self.error_rows))
    }
}

/// Classifies every row of `upload` against what the database holds for the employees in
/// the uploader's scope (see [`PreviewBuilder`]; columns named in `lang`).
/// `progress(rows_done)` is called every [`PROGRESS_EVERY`] rows and once at the end.
pub fn build_preview(
    upload: &ParsedUpload,
    known: &[KnownEmployee],
    lang: &LanguageIdentifier,
    mut progress: impl FnMut(usize),
) -> UploadPreview {
    let known = KnownEmployees::new(known.to_vec());
    let mut builder = PreviewBuilder::new(&known, upload.header(), lang);
    for (done, row) in upload.rows.iter().enumerate() {
        builder.push(row.clone());
        let done = done + 1;
        if done.is_multiple_of(PROGRESS_EVERY) {
            progress(done);
        }
    }
    if !upload.rows.len().is_multiple_of(PROGRESS_EVERY) {
        progress(upload.rows.len());
    }
    builder.finish().0
}

/// Another row of the upload gives the address to another employee.
pub(crate) fn shared_in_file_message(first_row: u32) -> Message {
    // A row number is a label: never grouped.
    Message::new("warning-shared-email-in-file").with("row", first_row.to_string())
}

/// An employee outside the upload has the address.
pub(crate) fn shared_held_elsewhere_message(name: String) -> Message {
    Message::new("warning-shared-email-held-elsewhere").with("name", name)
}

/// `columns`: the headers of the ignored columns, joined by ", ".
pub(crate) fn read_only_message(columns: &str) -> Message {
    Message::new(WARNING_READ_ONLY_IGNORED).with("columns", columns)
}

fn shared_warning(row: u32, message: Message, texts: &Texts) -> PreviewWarning {
    PreviewWarning {
        row,
        column: texts.header(InsuredColumn::BusinessEmail).to_owned(),
        code: WARNING_SHARED_EMAIL.to_owned(),
        message,
    }
}

/// "Last, First".
fn name_of(employee: &KnownEmployee) -> String {
    format!("{}, {}", employee.last_name, employee.first_name)
}

/// Which of the upload's columns pick the affiliation a row stands for.
struct Matching {
    contract: bool,
    category: bool,
}

impl Matching {
    fn of(header: &UploadHeader) -> Self {
        Matching {
            contract: header.has_column(InsuredColumn::ContractNumber),
            category: header.has_column(InsuredColumn::Category),
        }
    }

    /// The affiliation with the row's contract number and category (those the upload
    /// has); the employee's first one when none matches or the upload has neither.
    fn original<'a>(&self, row: &UploadRow, employee: &'a KnownEmployee) -> Option<&'a KnownRow> {
        let same = |column: InsuredColumn, original: &KnownRow| {
            same_text(row.read_only(column).unwrap_or(""), original.value(column))
        };
        let found = (self.contract || self.category)
            .then(|| {
                employee.rows.iter().find(|original| {
                    (!self.contract || same(InsuredColumn::ContractNumber, original))
                        && (!self.category || same(InsuredColumn::Category, original))
                })
            })
            .flatten();
        found.or_else(|| employee.rows.first())
    }
}

/// Equal but for case and blanks, as [`ParsedUpload::read_only_edits`] judges edits.
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    fn normal(s: &str) -> impl Iterator<Item = char> + '_ {
        s.split_whitespace()
            .flat_map(|word| std::iter::once(' ').chain(word.chars()))
            .flat_map(char::to_lowercase)
    }
    normal(a).eq(normal(b))
}

/// One warning listing the read-only columns whose edits are ignored (columns the upload
/// has, case and blanks aside). A column with a formula is left out: that is an error of
/// its own.
fn read_only_warning(
    header: &UploadHeader,
    matching: &Matching,
    row: &UploadRow,
    employee: &KnownEmployee,
    texts: &Texts,
) -> Option<PreviewWarning> {
    let original = matching.original(row, employee)?;
    // The usual case: the row as downloaded.
    if row.read_only.as_str() == original.0.as_str() {
        return None;
    }
    let headers: Vec<&str> = READ_ONLY
        .iter()
        .copied()
        .filter(|c| header.has_column(*c))
        .filter(|c| !same_value(*c, row.read_only(*c).unwrap_or(""), original.value(*c)))
        .filter(|c| {
            !row.formula_errors
                .iter()
                .any(|e| matches!(e, RowError::Formula { column, .. } if column == c))
        })
        .map(|c| texts.header(c))
        .collect();
    if headers.is_empty() {
        return None;
    }
    let list = headers.join(", ");
    Some(PreviewWarning {
        row: row.row,
        message: read_only_message(&list),
        column: list,
        code: WARNING_READ_ONLY_IGNORED.to_owned(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::upload::ReadOnlyValues;
    use crate::{UploadLimits, read_insured_upload, write_error_workbook, write_insured_overview};
    use calamine::{Data, Reader, Xlsx};
    use chrono::{Days, NaiveDate};
    use ebdesk_domain::{AffiliationStatus, Gender, Language};
    use rust_xlsxwriter::Workbook;

    const NN: &str = "Rijksregisternummer";

    fn nl() -> LanguageIdentifier {
        ebdesk_i18n::default_language()
    }

    /// The data sheet's name in Dutch.
    fn sheet_name() -> &'static str {
        &texts(&nl()).insured_sheet
    }

    /// A message as a Dutch reader sees it.
    fn dutch(message: &Message) -> String {
        message.render(&ebdesk_i18n::default_language())
    }

    /// An expected message, by its Dutch text.
    fn text(dutch: &str) -> Message {
        Message::verbatim(dutch)
    }

    /// Errors or warnings with their messages as a Dutch reader sees them, to compare
    /// with [`text`].
    fn in_dutch<T: Clone + HasMessage>(items: &[T]) -> Vec<T> {
        items
            .iter()
            .map(|item| {
                let mut item = item.clone();
                let shown = dutch(item.message());
                *item.message() = text(&shown);
                item
            })
            .collect()
    }

    trait HasMessage {
        fn message(&mut self) -> &mut Message;
    }

    impl HasMessage for PreviewError {
        fn message(&mut self) -> &mut Message {
            &mut self.message
        }
    }

    impl HasMessage for PreviewWarning {
        fn message(&mut self) -> &mut Message {
            &mut self.message
        }
    }
    const EMAIL: &str = "Zakelijk e-mailadres";

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// An invented person's national number, different for every `n`.
    fn number(n: u32) -> NationalNumber {
        let birth = date(1960, 1, 1) + Days::new(u64::from(n));
        NationalNumber::from_birth_date(birth, 1 + (n % 998) as u16).unwrap()
    }

    fn email(text: &str) -> EmailAddress {
        EmailAddress::parse(text).unwrap()
    }

    /// One affiliation as the download shows it.
    fn affiliation(n: u32, last: &str, first: &str, address: Option<&str>) -> InsuredRow {
        InsuredRow {
            contract_number: "530/000101".into(),
            category: "Bedienden".into(),
            employee_number: Some(format!("{n:06}")),
            national_number: number(n),
            last_name: last.into(),
            first_name: first.into(),
            gender: Gender::Female,
            language: Language::Dutch,
            birth_date: date(1960, 1, 1) + Days::new(u64::from(n)),
            employment_start: date(2015, 3, 1),
            affiliation_start: date(2015, 3, 1),
            status: AffiliationStatus::Active,
            end_date: None,
            business_email: address.map(email),
            private_email_known: false,
        }
    }

    /// The same person's second affiliation, in another contract and category.
    fn second(row: &InsuredRow) -> InsuredRow {
        InsuredRow {
            contract_number: "530/000202".into(),
            category: "Kaderleden".into(),
            status: AffiliationStatus::Passive,
            end_date: Some(date(2024, 4, 30)),
            ..row.clone()
        }
    }

    fn employee(rows: &[InsuredRow]) -> KnownEmployee {
        let first = &rows[0];
        let n = first
            .employee_number
            .as_deref()
            .unwrap()
            .parse::<i64>()
            .unwrap();
        KnownEmployee {
            employee_id: 1000 + n,
            version: 3,
            national_number: first.national_number.clone(),
            last_name: first.last_name.clone(),
            first_name: first.first_name.clone(),
            business_email: first.business_email.clone(),
            rows: rows.iter().map(|r| KnownRow::of(r, &nl())).collect(),
        }
    }

    /// The rows as the user returns them, with another business address.
    fn filled(rows: &[InsuredRow], address: Option<&str>) -> Vec<InsuredRow> {
        rows.iter()
            .map(|r| InsuredRow {
                business_email: address.map(email),
                ..r.clone()
            })
            .collect()
    }

    fn read(bytes: &[u8]) -> ParsedUpload {
        read_insured_upload(bytes, &UploadLimits::default()).unwrap()
    }

    /// Our own download with the user's edits, read back by the real reader.
    fn upload_of(rows: Vec<InsuredRow>) -> ParsedUpload {
        read(&write_insured_overview(rows, &nl()).unwrap())
    }

    /// A workbook made by hand: `headers` on row 1, every value as text (a value starting
    /// with `=` as a formula), empty values left out.
    fn upload_of_cells(headers: &[&str], rows: &[&[&str]]) -> ParsedUpload {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name()).unwrap();
        for (c, header) in headers.iter().enumerate() {
            sheet.write_string(0, c as u16, *header).unwrap();
        }
        for (r, values) in rows.iter().enumerate() {
            for (c, value) in values.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                if value.starts_with('=') {
                    sheet.write_formula(r, c, *value).unwrap();
                } else if !value.is_empty() {
                    sheet.write_string(r, c, *value).unwrap();
                }
            }
        }
        read(&workbook.save_to_buffer().unwrap())
    }

    fn preview(upload: &ParsedUpload, known: &[KnownEmployee]) -> UploadPreview {
        build_preview(upload, known, &nl(), |_| {})
    }

    fn change(row: u32, n: u32, name: &str, old: Option<&str>, new: Option<&str>) -> EmailChange {
        EmailChange {
            row,
            employee_id: 1000 + i64::from(n),
            version: 3,
            name: name.into(),
            national_number: number(n).formatted(),
            old: old.map(str::to_owned),
            new: new.map(str::to_owned),
        }
    }

    #[test]
    fn each_employee_is_new_changed_removed_or_unchanged_once() {
        let jan = affiliation(1, "Peeters", "Jan", None);
        let jan = [jan.clone(), second(&jan)];
        let fien = [affiliation(
            2,
            "Claes",
            "Fien",
            Some("fien.claes@voorbeeld.be"),
        )];
        let wout = [affiliation(
            3,
            "Maes",
            "Wout",
            Some("wout.maes@voorbeeld.be"),
        )];
        let noor = affiliation(4, "Dubois", "Noor", Some("noor.dubois@voorbeeld.be"));
        let noor = [noor.clone(), second(&noor)];
        let arne = [affiliation(5, "Willems", "Arne", None)];
        let lotte = [affiliation(
            6,
            "Renard",
            "Lotte",
            Some("lotte.renard@voorbeeld.be"),
        )];
        let known: Vec<KnownEmployee> = [&jan[..], &fien, &wout, &noor, &arne, &lotte]
            .into_iter()
            .map(employee)
            .collect();

        // Lotte is not in the file: she keeps her address.
        let mut rows = filled(&jan, Some("jan.peeters@voorbeeld.be"));
        rows.extend(filled(&fien, Some("fien.claes@nieuw-bedrijf.be")));
        rows.extend(filled(&wout, None));
        rows.extend(noor.iter().cloned());
        rows.extend(arne.iter().cloned());
        let upload = upload_of(rows);
        let preview = preview(&upload, &known);

        assert_eq!(preview.rows_read, 7);
        assert_eq!(
            preview.new,
            [change(
                2,
                1,
                "Peeters, Jan",
                None,
                Some("jan.peeters@voorbeeld.be")
            )]
        );
        assert_eq!(
            preview.changed,
            [change(
                4,
                2,
                "Claes, Fien",
                Some("fien.claes@voorbeeld.be"),
                Some("fien.claes@nieuw-bedrijf.be")
            )]
        );
        assert_eq!(
            preview.removed,
            [change(
                5,
                3,
                "Maes, Wout",
                Some("wout.maes@voorbeeld.be"),
                None
            )]
        );
        // Noor (two rows, same address) and Arne (no address, blank cell).
        assert_eq!(preview.unchanged, 2);
        assert!(preview.errors.is_empty(), "{:?}", preview.errors);
        assert!(preview.warnings.is_empty(), "{:?}", preview.warnings);
        assert!(!preview.has_errors());
        let rows: Vec<u32> = preview.changes().map(|c| c.row).collect();
        assert_eq!(rows, [2, 4, 5]);
        assert_eq!(
            preview.changed[0].national_number.len(),
            "YY.MM.DD-SSS.CC".len()
        );
    }

    #[test]
    fn an_address_typed_in_other_case_and_with_blanks_is_unchanged() {
        let noor = [affiliation(
            4,
            "Dubois",
            "Noor",
            Some("noor.dubois@voorbeeld.be"),
        )];
        let known = [employee(&noor)];
        let typed = number(4).formatted();
        let upload = upload_of_cells(&[NN, EMAIL], &[&[&typed, "  Noor.DUBOIS@Voorbeeld.BE "]]);
        let preview = preview(&upload, &known);
        assert_eq!(preview.unchanged, 1);
        assert_eq!(preview.changes().count(), 0);
        assert!(preview.errors.is_empty() && preview.warnings.is_empty());
    }

    #[test]
    fn an_employee_with_two_addresses_changes_nothing_and_the_others_still_do() {
        let jan = affiliation(1, "Peeters", "Jan", None);
        let jan = [jan.clone(), second(&jan)];
        let fien = [affiliation(2, "Claes", "Fien", None)];
        let wout = affiliation(3, "Maes", "Wout", Some("wout.maes@voorbeeld.be"));
        let wout = [wout.clone(), second(&wout)];
        let known: Vec<KnownEmployee> =
            [&jan[..], &fien, &wout].into_iter().map(employee).collect();

        let mut rows = vec![
            filled(&jan[..1], Some("jan@voorbeeld.be")).remove(0),
            filled(&jan[1..], Some("jan.peeters@voorbeeld.be")).remove(0),
        ];
        rows.extend(filled(&fien, Some("fien@voorbeeld.be")));
        // A new address on one affiliation, the other one left blank: not a removal either.
        rows.push(filled(&wout[..1], Some("wout@nieuw-bedrijf.be")).remove(0));
        rows.push(filled(&wout[1..], None).remove(0));
        let upload = upload_of(rows);
        let preview = preview(&upload, &known);

        assert_eq!(
            in_dutch(&preview.errors),
            [
                PreviewError {
                    row: 3,
                    column: EMAIL.into(),
                    value: "jan.peeters@voorbeeld.be".into(),
                    code: "row-conflicting-email".into(),
                    message: text(
                        "Dezelfde werknemer staat ook op rij 2 met een ander zakelijk e-mailadres. Een werknemer heeft één zakelijk e-mailadres."
                    ),
                },
                PreviewError {
                    row: 6,
                    column: EMAIL.into(),
                    value: String::new(),
                    code: "row-conflicting-email".into(),
                    message: text(
                        "Dezelfde werknemer staat ook op rij 5 met een ander zakelijk e-mailadres. Een werknemer heeft één zakelijk e-mailadres."
                    ),
                },
            ]
        );
        assert_eq!(
            preview.new,
            [change(4, 2, "Claes, Fien", None, Some("fien@voorbeeld.be"))]
        );
        assert!(preview.changed.is_empty() && preview.removed.is_empty());
        assert_eq!(preview.unchanged, 0);
        assert!(preview.has_errors());
        assert_eq!(preview.rows_with_errors(), 2);

        // The workbook of errors marks both rows, with the caller's errors.
        assert_eq!(
            preview
                .extra_errors
                .iter()
                .map(|(r, _)| *r)
                .collect::<Vec<_>>(),
            [3, 6]
        );
        let bytes = write_error_workbook(
            &upload,
            &preview.extra_errors,
            &ebdesk_i18n::default_language(),
        )
        .unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range(sheet_name()).unwrap();
        let upload_rows: Vec<&Data> = range
            .rows()
            .skip(1)
            .map(|r| &r[InsuredColumn::ALL.len()])
            .collect();
        assert_eq!(upload_rows, [&Data::Float(3.0), &Data::Float(6.0)]);
    }

    #[test]
    fn a_number_outside_the_scope_is_an_unknown_employee_without_saying_why() {
        let jan = [affiliation(1, "Peeters", "Jan", None)];
        let known = [employee(&jan)];
        let mut rows = filled(&jan, Some("jan@voorbeeld.be"));
        // Somebody who exists nowhere, or in a contract the user does not manage.
        rows.extend(filled(
            &[affiliation(9, "Goossens", "Elise", None)],
            Some("elise@voorbeeld.be"),
        ));
        let upload = upload_of(rows);
        let preview = preview(&upload, &known);

        assert_eq!(
            in_dutch(&preview.errors),
            [PreviewError {
                row: 3,
                column: NN.into(),
                value: number(9).formatted(),
                code: "row-unknown-employee".into(),
                message: text(
                    "Er is geen verzekerde met dit rijksregisternummer in de contracten die u beheert."
                ),
            }]
        );
        assert_eq!(
            preview.extra_errors,
            [(
                3,
                RowError::UnknownEmployee {
                    value: number(9).formatted()
                }
            )]
        );
        assert_eq!(
            preview.new,
            [change(2, 1, "Peeters, Jan", None, Some("jan@voorbeeld.be"))]
        );
    }

    #[test]
    fn the_readers_errors_are_listed_and_their_employee_changes_nothing() {
        let jan = [affiliation(1, "Peeters", "Jan", None)];
        let fien = [affiliation(2, "Claes", "Fien", None)];
        let wout = [affiliation(3, "Maes", "Wout", Some("wout@voorbeeld.be"))];
        let known: Vec<KnownEmployee> =
            [&jan[..], &fien, &wout].into_iter().map(employee).collect();
        let (jan_nn, fien_nn, wout_nn) = (
            number(1).formatted(),
            number(2).formatted(),
            number(3).formatted(),
        );
        let upload = upload_of_cells(
            &[NN, "Naam", EMAIL],
            &[
                &["85.07.30-033.29", "Vermeulen", "stijn@voorbeeld.be"],
                &[&jan_nn, "Peeters", "jan(at)voorbeeld.be"],
                &[&jan_nn, "Peeters", "jan@voorbeeld.be"],
                &[&wout_nn, "=\"Maes\"", "wout@nieuw-bedrijf.be"],
                &[&fien_nn, "Claes", "fien@voorbeeld.be"],
            ],
        );
        let preview = preview(&upload, &known);

        let errors: Vec<(u32, &str, &str)> = preview
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            errors,
            [
                (2, NN, "national-number-check-digits"),
                (3, EMAIL, "email-missing-at"),
                (5, "Naam", "row-formula"),
            ]
        );
        assert_eq!(preview.errors[0].value, "85.07.30-033.29");
        assert_eq!(
            dutch(&preview.errors[0].message),
            "De controlecijfers van dit rijksregisternummer kloppen niet. Controleer het nummer."
        );
        assert_eq!(
            dutch(&preview.errors[1].message),
            "Een e-mailadres bevat een @, bijvoorbeeld naam@bedrijf.be."
        );
        // The reader's errors are in the upload already, not among the caller's.
        assert!(preview.extra_errors.is_empty());
        // Jan's other row and Wout's address are not applied; Fien's is.
        assert_eq!(
            preview.new,
            [change(6, 2, "Claes, Fien", None, Some("fien@voorbeeld.be"))]
        );
        assert!(preview.changed.is_empty() && preview.removed.is_empty());
        assert_eq!(preview.unchanged, 0);
        // The formula is an error, not also an ignored edit.
        assert!(preview.warnings.is_empty(), "{:?}", preview.warnings);
        assert_eq!(preview.rows_with_errors(), 3);
    }

    #[test]
    fn edits_in_read_only_columns_are_reported_as_ignored_per_affiliation() {
        let jan = affiliation(1, "Peeters", "Jan", None);
        let jan = [jan.clone(), second(&jan)];
        let known = [employee(&jan)];
        // The user sorted the sheet (the passive affiliation comes first now), renamed Jan
        // and corrected his birth date on one row only.
        let mut edited = filled(&jan[..1], Some("jan@voorbeeld.be")).remove(0);
        edited.last_name = "Peeters-Janssens".into();
        edited.birth_date = date(1961, 2, 3);
        let rows = vec![
            filled(&jan[1..], Some("jan@voorbeeld.be")).remove(0),
            edited,
        ];
        let upload = upload_of(rows);
        let preview = preview(&upload, &known);

        assert_eq!(
            in_dutch(&preview.warnings),
            [PreviewWarning {
                row: 3,
                column: "Naam, Geboortedatum".into(),
                code: WARNING_READ_ONLY_IGNORED.into(),
                message: text(
                    "Wijzigingen in Naam, Geboortedatum worden genegeerd: alleen het zakelijk e-mailadres kan via dit bestand gewijzigd worden."
                ),
            }]
        );
        // A warning never blocks.
        assert!(!preview.has_errors());
        assert_eq!(
            preview.new,
            [change(2, 1, "Peeters, Jan", None, Some("jan@voorbeeld.be"))]
        );
    }

    #[test]
    fn without_contract_columns_the_first_affiliation_is_compared() {
        let jan = affiliation(1, "Peeters", "Jan", None);
        let jan = [jan.clone(), second(&jan)];
        let known = [employee(&jan)];
        let nn = number(1).formatted();
        let upload = upload_of_cells(
            &[NN, "Naam", "Status", EMAIL],
            &[
                &[&nn, "  peeters ", "Actief", ""],
                &[&nn, "Peters", "actief", ""],
            ],
        );
        let preview = preview(&upload, &known);
        let warnings: Vec<(u32, &str, String)> = preview
            .warnings
            .iter()
            .map(|w| (w.row, w.column.as_str(), dutch(&w.message)))
            .collect();
        assert_eq!(
            warnings,
            [(
                3,
                "Naam",
                "Wijzigingen in Naam worden genegeerd: alleen het zakelijk e-mailadres kan via dit bestand gewijzigd worden.".to_owned()
            )]
        );
        assert_eq!(preview.unchanged, 1);
    }

    #[test]
    fn an_address_given_to_two_employees_is_a_warning_on_the_later_row() {
        let jan = affiliation(1, "Peeters", "Jan", None);
        let jan = [jan.clone(), second(&jan)];
        let fien = [affiliation(2, "Claes", "Fien", None)];
        let wout = [affiliation(3, "Maes", "Wout", None)];
        let lotte = [affiliation(
            6,
            "Renard",
            "Lotte",
            Some("lotte.renard@voorbeeld.be"),
        )];
        let known: Vec<KnownEmployee> = [&jan[..], &fien, &wout, &lotte]
            .into_iter()
            .map(employee)
            .collect();

        let mut rows = filled(&jan[..1], Some("hr-team@voorbeeld.be"));
        rows.extend(filled(&fien, Some("HR-team@voorbeeld.be")));
        rows.extend(filled(&jan[1..], Some("hr-team@voorbeeld.be")));
        // Lotte is not in the file and keeps this address.
        rows.extend(filled(&wout, Some("lotte.renard@voorbeeld.be")));
        let upload = upload_of(rows);
        let preview = preview(&upload, &known);

        assert_eq!(
            in_dutch(&preview.warnings),
            [
                PreviewWarning {
                    row: 3,
                    column: EMAIL.into(),
                    code: WARNING_SHARED_EMAIL.into(),
                    message: text(
                        "Rij 2 geeft hetzelfde zakelijk e-mailadres aan een andere werknemer. Dat mag, maar controleer het: meestal heeft elke werknemer een eigen adres."
                    ),
                },
                PreviewWarning {
                    row: 5,
                    column: EMAIL.into(),
                    code: WARNING_SHARED_EMAIL.into(),
                    message: text(
                        "Renard, Lotte heeft dit zakelijk e-mailadres al en staat niet in dit bestand. Dat mag, maar controleer het: meestal heeft elke werknemer een eigen adres."
                    ),
                },
            ]
        );
        // Warnings do not block: all three get their address.
        assert!(!preview.has_errors());
        let changed: Vec<i64> = preview.new.iter().map(|c| c.employee_id).collect();
        assert_eq!(changed, [1001, 1002, 1003]);
    }

    /// `n` employees without an address, each on one blank row, built without a workbook.
    fn blank_rows(n: u32) -> (ParsedUpload, Vec<KnownEmployee>) {
        let rows = (0..n)
            .map(|i| UploadRow {
                row: i + 2,
                national_number: Ok(number(i)),
                business_email: Ok(None),
                formula_errors: Vec::new(),
                read_only: ReadOnlyValues::default(),
            })
            .collect();
        let upload = ParsedUpload {
            sheet_name: sheet_name().into(),
            header_row: 1,
            columns: vec![InsuredColumn::NationalNumber, InsuredColumn::BusinessEmail],
            ignored_headers: Vec::new(),
            rows,
        };
        let known = (0..n)
            .map(|i| KnownEmployee {
                employee_id: i64::from(i),
                version: 1,
                national_number: number(i),
                last_name: "Willems".into(),
                first_name: "Zoë".into(),
                business_email: None,
                rows: Vec::new(),
            })
            .collect();
        (upload, known)
    }

    #[test]
    fn progress_is_reported_every_5000_rows_and_at_the_end() {
        let (upload, known) = blank_rows(12_000);
        let mut calls = Vec::new();
        let preview = build_preview(&upload, &known, &nl(), |done| calls.push(done));
        assert_eq!(calls, [5_000, 10_000, 12_000]);
        assert_eq!(preview.rows_read, 12_000);
        assert_eq!(preview.unchanged, 12_000);

        let (upload, known) = blank_rows(5_000);
        let mut calls = Vec::new();
        build_preview(&upload, &known, &nl(), |done| calls.push(done));
        assert_eq!(calls, [5_000]);
    }

    #[test]
    fn the_preview_survives_its_json_round_trip() {
        let jan = affiliation(1, "Peeters", "Jan", None);
        let jan = [jan.clone(), second(&jan)];
        let known = [employee(&jan)];
        let mut rows = filled(&jan[..1], Some("jan@voorbeeld.be"));
        rows.extend(filled(&jan[1..], Some("jan.peeters@voorbeeld.be")));
        rows.extend(filled(&[affiliation(9, "Goossens", "Elise", None)], None));
        let preview = preview(&upload_of(rows), &known);
        assert_eq!(preview.errors.len(), 2);
        let json = serde_json::to_string(&preview).unwrap();
        let back: UploadPreview = serde_json::from_str(&json).unwrap();
        assert_eq!(back, preview);
    }
}
