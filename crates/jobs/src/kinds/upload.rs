//! Upload "Overzicht verzekerden": read the file in an isolated child process, compare its
//! rows with the stored data of the requester's scope, and keep the preview for the user's
//! decision (apply all, apply the valid rows, or cancel), with a workbook of the errors.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use std::collections::HashMap;

use ebdesk_app::uploads::UploadCounts;
use ebdesk_i18n::LanguageIdentifier;
use ebdesk_sheets::child::{IsolatedError, IsolationLimits, parse_isolated_into};
use ebdesk_sheets::{
    KnownEmployee, KnownEmployees, KnownRow, PreviewBuilder, UploadHeader, UploadPreview,
    UploadRow, UploadSink, error_workbook_name, write_error_workbook,
};
use ebdesk_store::{ClaimedJob, GeneratedFile, InsuredEntry, Store, UploadPhase};

use super::download::XLSX;
use super::{REASON_CHECK_INCOMPLETE, REASON_FILE_REFUSED, internal, requester_access};
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
pub(super) const PROGRESS_EVERY: Duration = Duration::from_millis(250);

pub struct InsuredOverviewUpload {
    parser: ParserCommand,
    limits: IsolationLimits,
}

impl InsuredOverviewUpload {
    pub fn new(parser: ParserCommand, limits: IsolationLimits) -> Self {
        InsuredOverviewUpload { parser, limits }
    }
}

/// What the parse thread hands to the check thread.
enum Parsed {
    Header(UploadHeader),
    Row(UploadRow),
}

/// Passes the child's header and rows on to the check thread as they come.
struct Relay(std::sync::mpsc::Sender<Parsed>);

impl UploadSink for Relay {
    fn header(&mut self, header: UploadHeader) {
        let _ = self.0.send(Parsed::Header(header));
    }

    fn row(&mut self, row: UploadRow) {
        let _ = self.0.send(Parsed::Row(row));
    }
}

/// The check's result: the preview and, with errors, the workbook of errors.
type Checked = (
    UploadPreview,
    Option<Result<Vec<u8>, ebdesk_sheets::SheetError>>,
);

impl JobHandler for InsuredOverviewUpload {
    async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> Result<JobOutcome, JobError> {
        let store = ctx.store();
        let access = requester_access(ctx, job, true).await?;
        let lang = requester_language(store, job).await?;
        let file = store.upload_file_for_job(job.employer_id, job.id).await?;
        let token = &job.lease_token;
        store
            .set_upload_progress(job.id, token, UploadPhase::Reading, 0, 0)
            .await?;

        // Three things at once: the child reads the file, the stored rows load, and the
        // rows the child sent are compared as soon as the stored rows are there. Nothing
        // holds the whole upload.
        let (rows_in, rows_out) = std::sync::mpsc::channel();
        let parser = self.parser.clone();
        let limits = self.limits.clone();
        let parse = tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = parser.args.iter().map(String::as_str).collect();
            parse_isolated_into(
                &parser.exe,
                &args,
                &file.content,
                &limits,
                &mut Relay(rows_in),
            )
        });
        let (known_in, known_out) = tokio::sync::oneshot::channel::<KnownEmployees>();
        let done = Arc::new(AtomicUsize::new(0));
        let check = {
            let done = done.clone();
            let lang = lang.clone();
            tokio::task::spawn_blocking(move || check(known_out, rows_out, &done, &lang))
        };
        let known = known_employees(store, access.scope(), &lang).await;
        let known = match known {
            Ok(known) => known,
            Err(err) => {
                // The check thread ends once the parse ends and the channel closes.
                drop(known_in);
                let _ = parse.await;
                return Err(err.into());
            }
        };
        let _ = known_in.send(known);

        tokio::pin!(parse);
        let parsed = loop {
            tokio::select! {
                finished = &mut parse => break finished.map_err(internal)?,
                () = tokio::time::sleep(PROGRESS_EVERY) => {
                    let n = done.load(Ordering::Relaxed);
                    store.set_upload_progress(job.id, token, UploadPhase::Validating, n, 0).await?;
                }
            }
        };
        if let Err(failed) = parsed {
            // What the check thread compared is void; it ends with the closed channel.
            let _ = check.await;
            return Err(not_checked(store, job, failed, &lang).await?);
        }
        let (preview, errors) = check
            .await
            .map_err(internal)?
            .ok_or_else(|| internal("the check got no header"))?;

        finish(ctx, job, &preview, errors, &lang).await?;
        Ok(JobOutcome::Completed)
    }
}

/// The workbook of errors is written in the requester's language, and the preview and a
/// refusal name columns by their headers in it; their messages keep keys and are rendered
/// in the reader's language.
pub(super) async fn requester_language(
    store: &Store,
    job: &ClaimedJob,
) -> Result<LanguageIdentifier, JobError> {
    Ok(store
        .find_account(job.requested_by)
        .await?
        .map_or_else(ebdesk_i18n::default_language, |a| {
            ebdesk_i18n::language(&a.language)
        }))
}

/// Why the file was not checked: refused by the child's own verdict (stored on the upload,
/// final), or a check that did not complete (killed from outside or by its limits: the file
/// is not blamed, and the worker tries again; the store puts the progress back to waiting).
pub(super) async fn not_checked(
    store: &Store,
    job: &ClaimedJob,
    failed: IsolatedError,
    lang: &LanguageIdentifier,
) -> Result<JobError, JobError> {
    Ok(match failed {
        IsolatedError::Refused(rejection) => {
            tracing::info!(code = rejection.code(), "upload refused");
            let reason = rejection.message_in(lang).to_stored();
            store
                .refuse_upload(job.id, &job.lease_token, &reason)
                .await?;
            JobError::refused(REASON_FILE_REFUSED)
        }
        IsolatedError::Incomplete(failure) => {
            JobError::transient(REASON_CHECK_INCOMPLETE).with_source(failure)
        }
    })
}

/// Stores the preview, its counts and the workbook of errors (when there are errors) with
/// the completion of the check.
pub(super) async fn finish(
    ctx: &JobContext,
    job: &ClaimedJob,
    preview: &UploadPreview,
    errors: Option<Result<Vec<u8>, ebdesk_sheets::SheetError>>,
    lang: &LanguageIdentifier,
) -> Result<(), JobError> {
    let now = ctx.now();
    let errors_file = match errors {
        Some(book) => Some(GeneratedFile::new(
            error_workbook_name(lang),
            XLSX,
            book.map_err(internal)?,
            now,
        )),
        None => None,
    };
    ctx.store()
        .finish_upload_check(
            job.id,
            &job.lease_token,
            &preview.to_stored(),
            &counts(preview)?,
            errors_file.as_ref(),
            now,
        )
        .await?;
    Ok(())
}

/// The check thread: waits for the stored rows, then compares the child's rows as they
/// come. `None` when the stored rows did not load or the child sent no header.
fn check(
    known: tokio::sync::oneshot::Receiver<KnownEmployees>,
    rows: std::sync::mpsc::Receiver<Parsed>,
    done: &AtomicUsize,
    lang: &LanguageIdentifier,
) -> Option<Checked> {
    let known = known.blocking_recv().ok()?;
    let mut builder: Option<PreviewBuilder<'_>> = None;
    for parsed in rows {
        match parsed {
            Parsed::Header(header) => builder = Some(PreviewBuilder::new(&known, header, lang)),
            Parsed::Row(row) => {
                if let Some(builder) = builder.as_mut() {
                    builder.push(row);
                    if builder.rows_read().is_multiple_of(1024) {
                        done.store(builder.rows_read(), Ordering::Relaxed);
                    }
                }
            }
        }
    }
    let (preview, error_rows) = builder?.finish();
    let errors = preview
        .has_errors()
        .then(|| write_error_workbook(&error_rows, &preview.extra_errors, lang));
    Some((preview, errors))
}

/// The totals stored with the upload, in the shape the apply's audit entry uses too.
fn counts(preview: &UploadPreview) -> Result<String, JobError> {
    serde_json::to_string(&UploadCounts::from(&preview.summary())).map_err(internal)
}

/// The stored rows of the scope grouped per employee, as they stream from the database,
/// with their labels in `lang` (as the requester's download shows them, most likely).
async fn known_employees(
    store: &ebdesk_store::Store,
    scope: &ebdesk_store::Scope,
    lang: &LanguageIdentifier,
) -> Result<KnownEmployees, ebdesk_store::StoreError> {
    let mut by_id: HashMap<i64, KnownEmployee> = HashMap::new();
    let mut buffer = String::new();
    store
        .for_each_insured_row(scope, |entry: InsuredEntry| {
            let row = KnownRow::with_buffer(&entry.row, lang, &mut buffer);
            by_id
                .entry(entry.employee_id)
                .or_insert_with(|| KnownEmployee {
                    employee_id: entry.employee_id,
                    version: entry.version,
                    national_number: entry.row.national_number,
                    last_name: entry.row.last_name,
                    first_name: entry.row.first_name,
                    business_email: entry.row.business_email,
                    rows: Vec::new(),
                })
                .rows
                .push(row);
        })
        .await?;
    Ok(KnownEmployees::new(by_id.into_values().collect()))
}
