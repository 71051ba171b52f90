//! The preview as it is stored with its upload: a summary line, then one JSON line per
//! change (new, changed, removed), per warning and per error. A page of the preview parses
//! the summary and its 50 lines, not the 100 000 others; the apply parses only the changes,
//! as arrays without field names.

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::preview::{EmailChange, PreviewError, PreviewWarning, UploadPreview};

/// This layout's version, in the summary line. Version 3 stores messages as keys and
/// arguments; version 2 stored Dutch text, which still reads (as it was).
const VERSION: u32 = 3;
const VERSIONS_READ: [u32; 2] = [2, VERSION];

/// A stored preview that cannot be read: written by another version, or damaged.
#[derive(Debug, Error)]
pub enum StoredPreviewError {
    #[error("stored preview: {0}")]
    Json(#[from] serde_json::Error),
    #[error("stored preview: fewer lines than its summary counts")]
    Truncated,
}

/// The totals of a preview, its first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewSummary {
    pub v: u32,
    pub rows_read: usize,
    pub new: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub warnings: usize,
    pub errors: usize,
    /// Rows with at least one error.
    pub error_rows: usize,
}

impl PreviewSummary {
    /// New, changed and removed addresses together.
    pub fn changes(&self) -> usize {
        self.new + self.changed + self.removed
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// What a change line holds, in this order.
type ChangeLine = (
    u32,
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// Which list a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    New,
    Changed,
    Removed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Changed => "changed",
            ChangeKind::Removed => "removed",
        }
    }
}

impl UploadPreview {
    /// Its totals, as the stored text's first line holds them.
    pub fn summary(&self) -> PreviewSummary {
        PreviewSummary {
            v: VERSION,
            rows_read: self.rows_read,
            new: self.new.len(),
            changed: self.changed.len(),
            removed: self.removed.len(),
            unchanged: self.unchanged,
            warnings: self.warnings.len(),
            errors: self.errors.len(),
            error_rows: self.rows_with_errors(),
        }
    }

    /// The text to store (see the module's description).
    pub fn to_stored(&self) -> String {
        let summary = self.summary();
        let mut out = Vec::with_capacity(128 * (summary.changes() + 1));
        let line = |out: &mut Vec<u8>, value: &dyn erased::Line| {
            value.write(out);
            out.push(b'\n');
        };
        line(&mut out, &summary);
        for c in self.changes() {
            let l: (u32, i64, i64, &str, &str, Option<&str>, Option<&str>) = (
                c.row,
                c.employee_id,
                c.version,
                &c.name,
                &c.national_number,
                c.old.as_deref(),
                c.new.as_deref(),
            );
            line(&mut out, &l);
        }
        for w in &self.warnings {
            line(&mut out, w);
        }
        for e in &self.errors {
            line(&mut out, e);
        }
        // serde_json writes UTF-8 and escapes newlines inside strings.
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Serializing lines of different types through one closure.
mod erased {
    pub trait Line {
        fn write(&self, out: &mut Vec<u8>);
    }

    impl<T: serde::Serialize> Line for T {
        fn write(&self, out: &mut Vec<u8>) {
            // Our own plain structs and tuples always serialize.
            let _ = serde_json::to_writer(out, self);
        }
    }
}

/// A stored preview, read lazily.
#[derive(Debug)]
pub struct StoredPreview<'a> {
    summary: PreviewSummary,
    /// The lines after the summary.
    body: Cow<'a, str>,
}

impl<'a> StoredPreview<'a> {
    /// Reads the summary line. A preview stored whole as JSON (before this layout) is
    /// converted.
    pub fn parse(text: &'a str) -> Result<Self, StoredPreviewError> {
        let (first, body) = text.split_once('\n').unwrap_or((text, ""));
        match serde_json::from_str::<PreviewSummary>(first) {
            Ok(summary) if VERSIONS_READ.contains(&summary.v) => Ok(StoredPreview {
                summary,
                body: Cow::Borrowed(body),
            }),
            _ => {
                let old: UploadPreview = serde_json::from_str(text)?;
                let stored = old.to_stored();
                let (first, body) = stored.split_once('\n').unwrap_or((&stored, ""));
                Ok(StoredPreview {
                    summary: serde_json::from_str(first)?,
                    body: Cow::Owned(body.to_owned()),
                })
            }
        }
    }

    pub fn summary(&self) -> &PreviewSummary {
        &self.summary
    }

    /// Lines `range` of the section that starts after `skip` lines.
    fn lines<T: serde::de::DeserializeOwned>(
        &self,
        skip: usize,
        len: usize,
        range: Range<usize>,
    ) -> Result<Vec<T>, StoredPreviewError> {
        let range = range.start.min(len)..range.end.min(len);
        let mut lines = self.body.split('\n').skip(skip + range.start);
        range
            .map(|_| {
                let line = lines.next().ok_or(StoredPreviewError::Truncated)?;
                Ok(serde_json::from_str(line)?)
            })
            .collect()
    }

    /// Changes `range` of all changes (new, then changed, then removed), with their kind.
    pub fn changes(
        &self,
        range: Range<usize>,
    ) -> Result<Vec<(ChangeKind, EmailChange)>, StoredPreviewError> {
        let s = &self.summary;
        let start = range.start;
        let lines: Vec<ChangeLine> = self.lines(0, s.changes(), range)?;
        Ok(lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let at = start + i;
                let kind = if at < s.new {
                    ChangeKind::New
                } else if at < s.new + s.changed {
                    ChangeKind::Changed
                } else {
                    ChangeKind::Removed
                };
                (kind, change_of(line))
            })
            .collect())
    }

    /// Every change, for the apply.
    pub fn all_changes(&self) -> Result<Vec<EmailChange>, StoredPreviewError> {
        let lines: Vec<ChangeLine> = self.lines(0, self.summary.changes(), 0..usize::MAX)?;
        Ok(lines.into_iter().map(change_of).collect())
    }

    pub fn warnings(&self, range: Range<usize>) -> Result<Vec<PreviewWarning>, StoredPreviewError> {
        self.lines(self.summary.changes(), self.summary.warnings, range)
    }

    pub fn errors(&self, range: Range<usize>) -> Result<Vec<PreviewError>, StoredPreviewError> {
        let skip = self.summary.changes() + self.summary.warnings;
        self.lines(skip, self.summary.errors, range)
    }
}

fn change_of(line: ChangeLine) -> EmailChange {
    let (row, employee_id, version, name, national_number, old, new) = line;
    EmailChange {
        row,
        employee_id,
        version,
        name,
        national_number,
        old,
        new,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn change(n: u32, old: Option<&str>, new: Option<&str>) -> EmailChange {
        EmailChange {
            row: n + 1,
            employee_id: i64::from(n),
            version: 2,
            name: format!("Peeters, Jan {n}"),
            national_number: "85.07.30-033.28".into(),
            old: old.map(str::to_owned),
            new: new.map(str::to_owned),
        }
    }

    fn sample() -> UploadPreview {
        UploadPreview {
            rows_read: 9,
            new: (0..3).map(|n| change(n, None, Some("a@b.be"))).collect(),
            changed: vec![change(3, Some("x@b.be"), Some("y\n@b.be"))],
            removed: vec![change(4, Some("z@b.be"), None)],
            unchanged: 2,
            warnings: vec![PreviewWarning {
                row: 3,
                column: "Naam".into(),
                code: "warning-read-only-ignored".into(),
                message: ebdesk_i18n::Message::new("warning-read-only-ignored")
                    .with("columns", "Naam"),
            }],
            errors: vec![
                PreviewError {
                    row: 7,
                    column: "Rijksregisternummer".into(),
                    value: "1".into(),
                    code: "c".into(),
                    message: ebdesk_i18n::Message::new("row-formula"),
                },
                PreviewError {
                    row: 7,
                    column: "Zakelijk e-mailadres".into(),
                    value: "2".into(),
                    code: "c".into(),
                    message: ebdesk_i18n::Message::new("row-formula"),
                },
            ],
            extra_errors: Vec::new(),
        }
    }

    #[test]
    fn pages_of_the_stored_preview_are_its_lists() {
        let preview = sample();
        let text = preview.to_stored();
        let stored = StoredPreview::parse(&text).unwrap();
        let s = stored.summary();
        assert_eq!((s.new, s.changed, s.removed, s.unchanged), (3, 1, 1, 2));
        assert_eq!((s.warnings, s.errors, s.error_rows), (1, 2, 1));
        let all: Vec<EmailChange> = preview.changes().cloned().collect();
        assert_eq!(stored.all_changes().unwrap(), all);
        let page = stored.changes(2..4).unwrap();
        assert_eq!(page[0], (ChangeKind::New, all[2].clone()));
        assert_eq!(page[1], (ChangeKind::Changed, all[3].clone()));
        assert_eq!(stored.changes(4..50).unwrap()[0].0, ChangeKind::Removed);
        assert!(stored.changes(50..100).unwrap().is_empty());
        assert_eq!(stored.warnings(0..50).unwrap(), preview.warnings);
        assert_eq!(stored.errors(1..50).unwrap(), preview.errors[1..]);
    }

    #[test]
    fn a_preview_stored_whole_before_is_still_read() {
        let preview = sample();
        let old = serde_json::to_string(&preview).unwrap();
        let stored = StoredPreview::parse(&old).unwrap();
        assert_eq!(stored.summary().changes(), 5);
        assert_eq!(stored.errors(0..50).unwrap(), preview.errors);
    }

    #[test]
    fn a_preview_stored_with_dutch_text_still_reads_as_it_was() {
        let v3 = sample().to_stored();
        let v2 = v3.replacen("\"v\":3", "\"v\":2", 1).replace(
            r#"{"key":"row-formula"}"#,
            r#""Deze cel bevat een formule.""#,
        );
        assert_ne!(v2, v3);
        let stored = StoredPreview::parse(&v2).unwrap();
        let errors = stored.errors(0..50).unwrap();
        assert_eq!(
            errors[0].message,
            ebdesk_i18n::Message::verbatim("Deze cel bevat een formule.")
        );
        assert_eq!(
            errors[0].message.render(&ebdesk_i18n::default_language()),
            "Deze cel bevat een formule."
        );
    }

    #[test]
    fn a_truncated_preview_is_an_error() {
        let text = sample().to_stored();
        let cut = &text[..text.len() / 2];
        let stored = StoredPreview::parse(cut).unwrap();
        assert!(stored.errors(0..50).is_err());
    }
}
