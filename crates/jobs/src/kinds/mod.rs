//! The job kinds of this build: what each action does when a worker runs it.

mod download;
mod salary_download;
mod salary_upload;
mod statement;
mod upload;

pub use download::InsuredOverviewDownload;
pub use salary_download::{REASON_BAD_YEAR, SalaryListDownload};
pub use salary_upload::SalaryListUpload;
pub use statement::{PremiumStatementDownload, REASON_NO_STATEMENT};
pub use upload::{InsuredOverviewUpload, ParserCommand};

use ebdesk_domain::Rights;
use ebdesk_store::Access;

use crate::JobContext;
use crate::handler::JobError;

/// Failure reason: the requester's sheet no longer gives access (revoked, expired, narrowed).
pub const REASON_NO_ACCESS: &str = "job-error-no-access";
/// Failure reason: the uploaded file was refused; the upload says why.
pub const REASON_FILE_REFUSED: &str = "job-error-file-refused";
/// Failure reason: the check of an upload did not complete (the parser child was killed,
/// hit a limit or timed out); retried, and it says nothing about the file.
pub const REASON_CHECK_INCOMPLETE: &str = "job-error-check-incomplete";

/// The requester's access as it is now: a job does what its requester may still do.
async fn requester_access(
    ctx: &JobContext,
    job: &ebdesk_store::ClaimedJob,
    needs_change: bool,
) -> Result<Access, JobError> {
    let access = ctx
        .store()
        .find_access_by_employer_id(job.requested_by, job.employer_id, ctx.now().date_naive())
        .await?
        .ok_or_else(|| JobError::refused(REASON_NO_ACCESS))?;
    if needs_change && access.rights() == Rights::Consult {
        return Err(JobError::refused(REASON_NO_ACCESS));
    }
    Ok(access)
}

/// An error of ours while a job ran (a task that panicked, a workbook not written).
fn internal(err: impl std::fmt::Display) -> JobError {
    JobError::transient(crate::REASON_INTERNAL).with_source(err.to_string())
}

/// Registers every kind of this build on `worker`; uploads are parsed by `parser`;
/// `public_url` is where users reach ebdesk (for links in notices).
pub fn register_all(worker: &mut crate::Worker, parser: ParserCommand, public_url: &str) {
    worker
        .register(
            ebdesk_domain::ActionKind::PremiumStatement,
            PremiumStatementDownload::new(public_url),
        )
        .register(
            ebdesk_domain::ActionKind::InsuredOverviewDownload,
            InsuredOverviewDownload,
        )
        .register(
            ebdesk_domain::ActionKind::InsuredOverviewUpload,
            InsuredOverviewUpload::new(
                parser.clone(),
                ebdesk_sheets::child::IsolationLimits::default(),
            ),
        )
        .register(
            ebdesk_domain::ActionKind::SalaryListUpload,
            SalaryListUpload::new(parser, ebdesk_sheets::child::IsolationLimits::default()),
        )
        .register(
            ebdesk_domain::ActionKind::SalaryListDownload,
            SalaryListDownload,
        );
}
