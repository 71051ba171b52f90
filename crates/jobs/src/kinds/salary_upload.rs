//! Upload "Invullijst salarissen": the overview upload's pipeline for the salary list. The
//! stored list of the payload's year loads first; the child reads the file and each row is
//! checked against it as it comes; the preview, its counts and the workbook of errors are
//! kept for the user's decision.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ebdesk_domain::salary_list::reference_date;
use ebdesk_i18n::LanguageIdentifier;
use ebdesk_sheets::child::{IsolatedError, IsolationLimits, parse_salary_isolated_into};
use ebdesk_sheets::{
    KnownSalaries, SalaryErrorRow, SalaryHeader, SalaryPreviewBuilder, SalarySink, SalaryUploadRow,
    UploadPreview, write_salary_error_workbook,
};
use ebdesk_store::{ClaimedJob, UploadPhase};

use super::salary_download::{REASON_BAD_YEAR, payload_year};
use super::upload::{PROGRESS_EVERY, ParserCommand, finish, not_checked, requester_language};
use super::{internal, requester_access};
use crate::{JobContext, JobError, JobHandler, JobOutcome};

pub struct SalaryListUpload {
    parser: ParserCommand,
    limits: IsolationLimits,
}

impl SalaryListUpload {
    pub fn new(parser: ParserCommand, limits: IsolationLimits) -> Self {
        SalaryListUpload { parser, limits }
    }
}

/// Checks each row the child sends as it comes.
struct Check<'k> {
    builder: SalaryPreviewBuilder<'k>,
    done: &'k AtomicUsize,
}

impl SalarySink for Check<'_> {
    fn header(&mut self, _header: SalaryHeader) {}

    fn row(&mut self, row: SalaryUploadRow) {
        self.builder.push(row);
        if self.builder.rows_read().is_multiple_of(1024) {
            self.done.store(self.builder.rows_read(), Ordering::Relaxed);
        }
    }
}

type Checked = Result<(UploadPreview, Vec<SalaryErrorRow>), IsolatedError>;

impl JobHandler for SalaryListUpload {
    async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> Result<JobOutcome, JobError> {
        let store = ctx.store();
        let access = requester_access(ctx, job, true).await?;
        let lang = requester_language(store, job).await?;
        let reference = payload_year(&job.payload)
            .and_then(reference_date)
            .ok_or_else(|| JobError::permanent(REASON_BAD_YEAR))?;
        let file = store.upload_file_for_job(job.employer_id, job.id).await?;
        let token = &job.lease_token;
        store
            .set_upload_progress(job.id, token, UploadPhase::Reading, 0, 0)
            .await?;
        let known = store
            .list_salary_list_rows(access.scope(), reference)
            .await?;
        let known = KnownSalaries::new(known);

        let done = Arc::new(AtomicUsize::new(0));
        let parse = {
            let (parser, limits, done, lang) = (
                self.parser.clone(),
                self.limits.clone(),
                done.clone(),
                lang.clone(),
            );
            tokio::task::spawn_blocking(move || -> Checked {
                let args: Vec<&str> = parser.args.iter().map(String::as_str).collect();
                let mut check = Check {
                    builder: SalaryPreviewBuilder::new(&known, &lang),
                    done: &done,
                };
                parse_salary_isolated_into(&parser.exe, &args, &file.content, &limits, &mut check)?;
                Ok(check.builder.finish())
            })
        };
        tokio::pin!(parse);
        let checked = loop {
            tokio::select! {
                finished = &mut parse => break finished.map_err(internal)?,
                () = tokio::time::sleep(PROGRESS_EVERY) => {
                    let n = done.load(Ordering::Relaxed);
                    store.set_upload_progress(job.id, token, UploadPhase::Validating, n, 0).await?;
                }
            }
        };
        let (preview, error_rows) = match checked {
            Ok(checked) => checked,
            Err(failed) => return Err(not_checked(store, job, failed, &lang).await?),
        };
        let errors = errors_book(&preview, &error_rows, &lang);
        finish(ctx, job, &preview, errors, &lang).await?;
        Ok(JobOutcome::Completed)
    }
}

/// The workbook of errors, when there are errors.
fn errors_book(
    preview: &UploadPreview,
    rows: &[SalaryErrorRow],
    lang: &LanguageIdentifier,
) -> Option<Result<Vec<u8>, ebdesk_sheets::SheetError>> {
    preview
        .has_errors()
        .then(|| write_salary_error_workbook(rows, lang))
}
