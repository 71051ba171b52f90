//! The preview of an upload, as its action page shows it: counts, and one page of each list.

use ebdesk_domain::premium::Rate;
use ebdesk_i18n::LanguageIdentifier;
use ebdesk_sheets::{
    EmailChange, PreviewError, PreviewWarning, StoredPreview, StoredPreviewError, values_of_text,
};
use ebdesk_store::UploadRecord;
use serde::Serialize;

use super::AppError;
use ebdesk_app::amounts::{format_amount, format_rate};

/// Rows per list on one page of the preview.
const PREVIEW_PAGE: usize = 50;

/// One line of the preview's list of changes.
#[derive(Serialize)]
struct ChangeView {
    kind: &'static str,
    #[serde(flatten)]
    change: EmailChange,
}

/// A row with an error, its reason in the reader's language.
#[derive(Serialize)]
struct ErrorView {
    row: u32,
    column: String,
    value: String,
    code: String,
    message: String,
}

impl ErrorView {
    fn of(e: PreviewError, lang: &LanguageIdentifier) -> Self {
        ErrorView {
            message: e.message.render(lang),
            row: e.row,
            column: e.column,
            value: e.value,
            code: e.code,
        }
    }
}

/// A warning, in the reader's language.
#[derive(Serialize)]
struct WarningView {
    row: u32,
    column: String,
    code: String,
    message: String,
}

impl WarningView {
    fn of(w: PreviewWarning, lang: &LanguageIdentifier) -> Self {
        WarningView {
            message: w.message.render(lang),
            row: w.row,
            column: w.column,
            code: w.code,
        }
    }
}

/// The preview as the detail page of an upload shows it: counts, and one page of each list.
#[derive(Serialize)]
pub struct PreviewView {
    new: usize,
    changed: usize,
    removed: usize,
    unchanged: usize,
    rows_read: usize,
    error_rows: usize,
    has_errors: bool,
    changes: Vec<ChangeView>,
    warnings: Vec<WarningView>,
    errors: Vec<ErrorView>,
    page: usize,
    pages: usize,
}

impl PreviewView {
    /// Reads only the summary and the lines of `page` of the stored preview, and renders
    /// their messages in `lang`.
    pub fn of(
        upload: &UploadRecord,
        page: usize,
        lang: &LanguageIdentifier,
    ) -> Result<Option<PreviewView>, AppError> {
        let Some(text) = upload.preview.as_deref() else {
            return Ok(None);
        };
        let preview = stored_preview(text)?;
        let s = preview.summary().clone();
        let longest = s.changes().max(s.warnings).max(s.errors);
        let pages = longest.div_ceil(PREVIEW_PAGE).max(1);
        let page = page.clamp(1, pages);
        let window = (page - 1) * PREVIEW_PAGE..page * PREVIEW_PAGE;
        let changes = preview
            .changes(window.clone())
            .map_err(stored_error)?
            .into_iter()
            .map(|(kind, mut change)| {
                change.old = change.old.map(|t| shown(t, lang));
                change.new = change.new.map(|t| shown(t, lang));
                ChangeView {
                    kind: kind.as_str(),
                    change,
                }
            })
            .collect();
        Ok(Some(PreviewView {
            new: s.new,
            changed: s.changed,
            removed: s.removed,
            unchanged: s.unchanged,
            rows_read: s.rows_read,
            error_rows: s.error_rows,
            has_errors: s.has_errors(),
            changes,
            warnings: preview
                .warnings(window.clone())
                .map_err(stored_error)?
                .into_iter()
                .map(|w| WarningView::of(w, lang))
                .collect(),
            errors: preview
                .errors(window)
                .map_err(stored_error)?
                .into_iter()
                .map(|e| ErrorView::of(e, lang))
                .collect(),
            page,
            pages,
        }))
    }
}

/// A change's value as the reader reads it: a salary list's values in words
/// ("48 000,00 € × 80 %"), anything else (an address) as it is.
fn shown(text: String, lang: &LanguageIdentifier) -> String {
    match values_of_text(&text) {
        Some(values) => {
            let lang = lang.to_string();
            let fraction = Rate(u32::from(values.fraction.ten_thousandths()) * 100);
            format!(
                "{} × {}",
                format_amount(values.annual, &lang),
                format_rate(fraction, &lang)
            )
        }
        None => text,
    }
}

fn stored_error(e: StoredPreviewError) -> AppError {
    AppError::Internal(e.to_string())
}

fn stored_preview(text: &str) -> Result<StoredPreview<'_>, AppError> {
    StoredPreview::parse(text).map_err(stored_error)
}
