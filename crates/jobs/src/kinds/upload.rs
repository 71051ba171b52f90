//! Upload "Overzicht verzekerden": read the file in an isolated child process, compare its
//! rows with the stored data of the requester's scope, and keep the preview for the user's
//! decision (apply all, apply the valid rows, or cancel), with a workbook of the errors.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ebdesk_sheets::child::{IsolationLimits, parse_isolated};
use ebdesk_sheets::{KnownEmployee, UploadPreview, build_preview, write_error_workbook};
use ebdesk_store::{ClaimedJob, GeneratedFile, InsuredEntry, UploadPhase};
use serde_json::json;

use super::download::XLSX;
use super::{REASON_FILE_REFUSED, internal, requester_access};
use crate::{JobContext, JobError, JobHandler, JobOutcome};

/// How the worker starts the parser child: `ebdesk sheets-parse` in production.
#[derive(Debug, Clone)]
pub struct ParserCommand {
    pub exe: PathBuf,
    pub args: Vec<String>,
}

impl ParserCommand {
    /// This very binary, with the hidden `sheets-parse` subcommand.
    pub fn current_exe() -> std::io::Result<Self> {
        Ok(ParserCommand {
            exe: std::env::current_exe()?,
            args: vec!["sheets-parse".to_owned()],
        })
    }
}

/// How often the progress of a long check is written.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

pub struct InsuredOverviewUpload {
    parser: ParserCommand,
    limits: IsolationLimits,
}

impl InsuredOverviewUpload {
    pub fn new(parser: ParserCommand, limits: IsolationLimits) -> Self {
        InsuredOverviewUpload { parser, limits }
    }
}

impl JobHandler for InsuredOverviewUpload {
    async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> Result<JobOutcome, JobError> {
        let store = ctx.store();
        let access = requester_access(ctx, job, true).await?;
        let file = store.upload_file_for_job(job.employer_id, job.id).await?;
        let token = &job.lease_token;
        store
            .set_upload_progress(job.id, token, UploadPhase::Reading, 0, 0)
            .await?;

        let parser = self.parser.clone();
        let limits = self.limits.clone();
        let parse = tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = parser.args.iter().map(String::as_str).collect();
            parse_isolated(&parser.exe, &args, &file.content, &limits)
        });
        // The stored rows load while the child reads the file.
        let (parsed, stored) = tokio::join!(parse, store.list_insured_rows(&access.scope));
        let parsed = parsed.map_err(internal)?;
        let parsed = match parsed {
            Ok(parsed) => Arc::new(parsed),
            Err(rejection) => {
                tracing::info!(code = rejection.code(), "upload refused");
                store
                    .refuse_upload(job.id, token, &rejection.message_nl())
                    .await?;
                return Err(JobError::permanent(REASON_FILE_REFUSED));
            }
        };

        let total = parsed.rows.len();
        store
            .set_upload_progress(job.id, token, UploadPhase::Validating, 0, total)
            .await?;
        let known = known_employees(stored?);
        let done = Arc::new(AtomicUsize::new(0));
        let check = {
            let parsed = parsed.clone();
            let done = done.clone();
            tokio::task::spawn_blocking(move || {
                let preview = build_preview(&parsed, &known, |n| done.store(n, Ordering::Relaxed));
                let errors = if preview.has_errors() {
                    Some(write_error_workbook(&parsed, &preview.extra_errors))
                } else {
                    None
                };
                (preview, errors)
            })
        };
        tokio::pin!(check);
        let (preview, errors) = loop {
            tokio::select! {
                finished = &mut check => break finished.map_err(internal)?,
                () = tokio::time::sleep(PROGRESS_EVERY) => {
                    let n = done.load(Ordering::Relaxed);
                    store.set_upload_progress(job.id, token, UploadPhase::Validating, n, total).await?;
                }
            }
        };
        let now = ctx.now();
        let errors_file = match errors {
            Some(book) => Some(GeneratedFile::new(
                "Fouten overzicht verzekerden.xlsx",
                XLSX,
                book.map_err(internal)?,
                now,
            )),
            None => None,
        };
        let preview_json = serde_json::to_string(&preview).map_err(internal)?;
        store
            .finish_upload_check(
                job.id,
                token,
                &preview_json,
                &counts(&preview).to_string(),
                errors_file.as_ref(),
                now,
            )
            .await?;
        Ok(JobOutcome::Completed)
    }
}

/// The totals the action list and the audit entry show.
pub fn counts(preview: &UploadPreview) -> serde_json::Value {
    json!({
        "rows": preview.rows_read,
        "new": preview.new.len(),
        "changed": preview.changed.len(),
        "removed": preview.removed.len(),
        "unchanged": preview.unchanged,
        "warnings": preview.warnings.len(),
        "error_rows": preview.rows_with_errors(),
    })
}

/// The stored rows grouped per employee (the store sends them by contract and name).
fn known_employees(entries: Vec<InsuredEntry>) -> Vec<KnownEmployee> {
    let mut by_id: std::collections::HashMap<i64, KnownEmployee> = std::collections::HashMap::new();
    for entry in entries {
        let known = by_id
            .entry(entry.employee_id)
            .or_insert_with(|| KnownEmployee {
                employee_id: entry.employee_id,
                version: entry.version,
                national_number: entry.row.national_number.clone(),
                last_name: entry.row.last_name.clone(),
                first_name: entry.row.first_name.clone(),
                business_email: entry.row.business_email.clone(),
                rows: Vec::new(),
            });
        known.rows.push(entry.row);
    }
    let mut known: Vec<KnownEmployee> = by_id.into_values().collect();
    known.sort_by_key(|k| k.employee_id);
    known
}
