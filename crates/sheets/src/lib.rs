//! xlsx out and in for the "Overzicht verzekerden" and "Invullijst salarissen" round trips:
//! the download workbooks, the hardened reader of uploads, the workbooks of errors, and the
//! isolated child process that runs the reader. Knows nothing of the database: rows go in, parsed rows come out. Every
//! text a user reads (sheet names, headers, labels, help, messages) is a key of the catalog
//! (web/locales/*/sheets.ftl), rendered in a language the caller gives.

/// The media type of every workbook ebdesk writes.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

mod audit_book;
#[cfg(test)]
mod catalogue;
mod charges_book;
pub mod child;
mod document;
mod error_book;
mod errors;
mod inspect;
mod limits;
mod normalize;
mod premium_book;
mod premium_pdf;
mod preview;
mod read;
mod salary_book;
mod salary_preview;
mod salary_read;
mod stored;
mod texts;
mod upload;
mod wire;
mod write;

pub use audit_book::{AuditLogRow, audit_log_workbook_name, write_audit_log};
pub use charges_book::{ChargeLine, charges_book_name, write_charges_book};
pub use document::{DocumentFormat, DocumentRejection, MAX_DOCUMENT_BYTES, inspect_document};
pub use error_book::{error_workbook_name, write_error_workbook};
pub use errors::{FileRejection, RowError, SheetError};
pub use limits::UploadLimits;
pub use premium_book::{premium_statement_name, write_premium_statement};
pub use premium_pdf::{StatementSummary, write_statement_pdf, write_text_pdf};
pub use preview::{
    EmailChange, KnownEmployee, KnownEmployees, KnownRow, PROGRESS_EVERY, PreviewBuilder,
    PreviewError, PreviewWarning, UploadPreview, WARNING_READ_ONLY_IGNORED, WARNING_SHARED_EMAIL,
    build_preview,
};
pub use read::{read_insured_upload, read_insured_upload_into};
pub use salary_book::{salary_list_name, write_salary_error_workbook, write_salary_list};
pub use salary_preview::{
    KnownSalaries, SalaryErrorRow, SalaryPreviewBuilder, WARNING_LARGE_CHANGE, values_of_text,
    values_text,
};
pub use salary_read::{
    Cell, CollectSalaries, SalaryCellError, SalaryHeader, SalarySink, SalaryUploadRow,
    read_salary_upload_into,
};
pub use stored::{ChangeKind, PreviewSummary, StoredPreview, StoredPreviewError};
pub use upload::{CollectUpload, ParsedUpload, UploadHeader, UploadRow, UploadSink};
pub use write::{insured_overview_name, write_insured_overview, write_insured_overview_into};
