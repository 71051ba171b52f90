//! The check of a salary list upload against the stored list of the scope: each row new,
//! changed or unchanged, with warnings and errors, in the overview's [`UploadPreview`] so
//! it is stored, counted, paged and decided on the same way. A change line carries the
//! affiliation's id where the overview has the employee's, and the values as
//! [`values_text`] (the pages show them in words, the apply reads them back).

use std::collections::HashMap;

use ebdesk_domain::premium::{Cents, Fraction};
use ebdesk_domain::salary_list::{
    SalaryChange, SalaryColumn, SalaryError, SalaryListRow, SalaryValues, classify, is_large_change,
};
use ebdesk_i18n::{LanguageIdentifier, Message};

use crate::preview::{EmailChange, PreviewError, PreviewWarning, UploadPreview};
use crate::salary_read::{SalaryCellError, SalaryUploadRow};

/// Warning: the salary moves more than 30 % from the current one.
pub const WARNING_LARGE_CHANGE: &str = "warning-salary-large-change";

/// Values as a change line stores them: `cents:ten-thousandths`.
pub fn values_text(values: SalaryValues) -> String {
    format!("{}:{}", values.annual.0, values.fraction.ten_thousandths())
}

/// Reads [`values_text`] back.
pub fn values_of_text(text: &str) -> Option<SalaryValues> {
    let (cents, fraction) = text.split_once(':')?;
    Some(SalaryValues {
        annual: Cents(cents.parse().ok()?),
        fraction: Fraction::new(fraction.parse().ok()?)?,
    })
}

/// The stored rows of the list the upload is checked against, by affiliation.
pub struct KnownSalaries {
    by_id: HashMap<i64, SalaryListRow>,
}

impl KnownSalaries {
    pub fn new(rows: impl IntoIterator<Item = SalaryListRow>) -> Self {
        KnownSalaries {
            by_id: rows.into_iter().map(|r| (r.affiliation_id, r)).collect(),
        }
    }
}

/// A row with errors, for the workbook of errors.
#[derive(Debug, Clone)]
pub struct SalaryErrorRow {
    pub row: SalaryUploadRow,
    pub errors: Vec<(SalaryColumn, Message)>,
}

/// Builds the preview as rows come (see [`crate::PreviewBuilder`]).
pub struct SalaryPreviewBuilder<'k> {
    known: &'k KnownSalaries,
    lang: LanguageIdentifier,
    /// Affiliation → its first row.
    seen: HashMap<i64, u32>,
    preview: UploadPreview,
    error_rows: Vec<SalaryErrorRow>,
}

impl<'k> SalaryPreviewBuilder<'k> {
    /// Column names and messages are in `lang`, the uploader's language.
    pub fn new(known: &'k KnownSalaries, lang: &LanguageIdentifier) -> Self {
        SalaryPreviewBuilder {
            known,
            lang: lang.clone(),
            seen: HashMap::new(),
            preview: UploadPreview {
                rows_read: 0,
                new: Vec::new(),
                changed: Vec::new(),
                removed: Vec::new(),
                unchanged: 0,
                warnings: Vec::new(),
                errors: Vec::new(),
                extra_errors: Vec::new(),
            },
            error_rows: Vec::new(),
        }
    }

    pub fn rows_read(&self) -> usize {
        self.preview.rows_read
    }

    /// Judges one row: its cells, its key against the stored list, its values against the
    /// salary in force.
    pub fn push(&mut self, row: SalaryUploadRow) {
        self.preview.rows_read += 1;
        let mut errors: Vec<(SalaryColumn, SalaryCellError)> = Vec::new();
        let known = self.key(&row, &mut errors);
        for (column, cell) in [
            (SalaryColumn::AnnualSalary, row.annual.as_ref().err()),
            (SalaryColumn::Fraction, row.fraction.as_ref().err()),
        ] {
            if let Some(e) = cell {
                errors.push((column, e.clone()));
            }
        }
        let values = match (&row.annual, &row.fraction) {
            (Ok(Some(annual)), Ok(Some(fraction))) => Some(SalaryValues {
                annual: *annual,
                fraction: *fraction,
            }),
            (Ok(None), Ok(Some(_))) => {
                let e = SalaryCellError::rule(SalaryError::SalaryEmpty, "");
                errors.push((SalaryColumn::AnnualSalary, e));
                None
            }
            (Ok(Some(_)), Ok(None)) => {
                let e = SalaryCellError::rule(SalaryError::FractionEmpty, "");
                errors.push((SalaryColumn::Fraction, e));
                None
            }
            _ => None,
        };
        if !errors.is_empty() {
            self.refuse(row, errors);
            return;
        }
        match (known, values) {
            (Some(known), Some(values)) => self.compare(row.row, known, values),
            // A row left blank keeps what is stored.
            _ => self.preview.unchanged += 1,
        }
    }

    /// The stored row of the row's key, or an error: unknown (another employer's, outside
    /// the scope, not active on the reference date, typed wrong) or already on a row.
    fn key(
        &mut self,
        row: &SalaryUploadRow,
        errors: &mut Vec<(SalaryColumn, SalaryCellError)>,
    ) -> Option<&'k SalaryListRow> {
        let unknown = |value: String| SalaryCellError::Rule {
            error: SalaryError::UnknownAffiliation,
            value,
        };
        let id = match &row.affiliation {
            Ok(Some(id)) => *id,
            Ok(None) => {
                errors.push((SalaryColumn::Affiliation, unknown(String::new())));
                return None;
            }
            Err(e) => {
                errors.push((SalaryColumn::Affiliation, e.clone()));
                return None;
            }
        };
        let Some(known) = self.known.by_id.get(&id) else {
            errors.push((SalaryColumn::Affiliation, unknown(id.to_string())));
            return None;
        };
        if let Some(first) = self.seen.get(&id) {
            let error = SalaryCellError::Rule {
                error: SalaryError::DuplicateAffiliation,
                value: format!("{id} ({first})"),
            };
            errors.push((SalaryColumn::Affiliation, error));
            return None;
        }
        self.seen.insert(id, row.row);
        Some(known)
    }

    fn compare(&mut self, row: u32, known: &SalaryListRow, values: SalaryValues) {
        let change = EmailChange {
            row,
            employee_id: known.affiliation_id,
            version: 0,
            name: format!("{}, {}", known.last_name, known.first_name),
            national_number: known.national_number.formatted(),
            old: known.current.map(values_text),
            new: Some(values_text(values)),
        };
        match classify(known.current, values) {
            SalaryChange::Unchanged => self.preview.unchanged += 1,
            SalaryChange::New => self.preview.new.push(change),
            SalaryChange::Changed => {
                if let Some(current) = known.current
                    && is_large_change(current.annual, values.annual)
                {
                    self.preview.warnings.push(PreviewWarning {
                        row,
                        column: self.header(SalaryColumn::AnnualSalary),
                        code: WARNING_LARGE_CHANGE.to_owned(),
                        message: Message::new(WARNING_LARGE_CHANGE).with(
                            "percent",
                            ebdesk_domain::salary_list::WARN_CHANGE_PERCENT.to_string(),
                        ),
                    });
                }
                self.preview.changed.push(change);
            }
        }
    }

    fn refuse(&mut self, row: SalaryUploadRow, errors: Vec<(SalaryColumn, SalaryCellError)>) {
        let mut messages = Vec::with_capacity(errors.len());
        for (column, error) in errors {
            let message = Message::new(error.code());
            self.preview.errors.push(PreviewError {
                row: row.row,
                column: self.header(column),
                value: error.value().to_owned(),
                code: error.code().to_owned(),
                message: message.clone(),
            });
            messages.push((column, message));
        }
        self.error_rows.push(SalaryErrorRow {
            row,
            errors: messages,
        });
    }

    fn header(&self, column: SalaryColumn) -> String {
        Message::new(column.key()).render(&self.lang)
    }

    /// The preview, and the rows with errors for the workbook of errors.
    pub fn finish(self) -> (UploadPreview, Vec<SalaryErrorRow>) {
        (self.preview, self.error_rows)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use ebdesk_domain::NationalNumber;

    use super::*;

    fn known(id: i64, current: Option<(i64, u16)>) -> SalaryListRow {
        SalaryListRow {
            affiliation_id: id,
            contract_number: "530/000101".to_owned(),
            category: "Bedienden".to_owned(),
            employee_number: None,
            last_name: "Peeters".to_owned(),
            first_name: format!("Jan {id}"),
            national_number: NationalNumber::parse("85073003328").unwrap(),
            current: current.map(|(euros, f)| SalaryValues {
                annual: Cents(euros * 100),
                fraction: Fraction::new(f).unwrap(),
            }),
        }
    }

    fn row(n: u32, id: i64, euros: Option<i64>, fraction: Option<u16>) -> SalaryUploadRow {
        SalaryUploadRow {
            row: n,
            affiliation: Ok(Some(id)),
            annual: Ok(euros.map(|e| Cents(e * 100))),
            fraction: Ok(fraction.map(|f| Fraction::new(f).unwrap())),
        }
    }

    #[test]
    fn rows_are_new_changed_unchanged_warned_or_refused() {
        let known = KnownSalaries::new([
            known(1, None),
            known(2, Some((40_000, 10_000))),
            known(3, Some((40_000, 10_000))),
            known(4, Some((40_000, 10_000))),
            known(5, Some((40_000, 10_000))),
            known(6, None),
        ]);
        let nl = ebdesk_i18n::default_language();
        let mut builder = SalaryPreviewBuilder::new(&known, &nl);
        builder.push(row(2, 1, Some(36_000), Some(8_000)));
        builder.push(row(3, 2, Some(41_000), Some(10_000)));
        builder.push(row(4, 3, Some(40_000), Some(10_000)));
        builder.push(row(5, 4, Some(60_000), Some(10_000)));
        builder.push(row(6, 5, None, None));
        builder.push(row(7, 99, Some(1), Some(10_000)));
        builder.push(row(8, 2, Some(41_000), Some(10_000)));
        builder.push(row(9, 6, Some(36_000), None));
        let (preview, errors) = builder.finish();
        assert_eq!(preview.rows_read, 8);
        assert_eq!(preview.new.len(), 1);
        assert_eq!(preview.new[0].employee_id, 1);
        assert_eq!(preview.new[0].new.as_deref(), Some("3600000:8000"));
        assert_eq!(preview.changed.len(), 2);
        assert_eq!(preview.unchanged, 2, "equal values and a blank row");
        assert_eq!(preview.warnings.len(), 1);
        assert_eq!(preview.warnings[0].row, 5);
        assert_eq!(preview.warnings[0].code, WARNING_LARGE_CHANGE);
        let codes: Vec<(u32, &str)> = preview
            .errors
            .iter()
            .map(|e| (e.row, e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                (7, "salary-unknown-affiliation"),
                (8, "salary-duplicate-affiliation"),
                (9, "salary-fraction-empty"),
            ]
        );
        assert_eq!(preview.errors[0].column, "Aansluiting (niet wijzigen)");
        assert_eq!(errors.len(), 3);
        assert_eq!(
            values_of_text("3600000:8000").map(values_text).as_deref(),
            Some("3600000:8000")
        );
        assert!(values_of_text("1:10001").is_none());
    }
}
