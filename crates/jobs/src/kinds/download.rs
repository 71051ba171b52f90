//! Download "Overzicht verzekerden": the workbook of every affiliation in the requester's
//! scope, streamed from the database into the writer on a blocking thread.

use ebdesk_sheets::write_insured_overview;
use ebdesk_store::{ClaimedJob, GeneratedFile, InsuredEntry};

use super::{internal, requester_access};
use crate::{JobContext, JobError, JobHandler, JobOutcome};

/// The content type of an xlsx workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Rows in flight between the database and the writer: enough to keep both busy.
const BUFFER_ROWS: usize = 1024;

pub struct InsuredOverviewDownload;

impl JobHandler for InsuredOverviewDownload {
    async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> Result<JobOutcome, JobError> {
        let access = requester_access(ctx, job, false).await?;
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<InsuredEntry>(BUFFER_ROWS);
        let writer = tokio::task::spawn_blocking(move || {
            let rows = std::iter::from_fn(|| receiver.blocking_recv()).map(|e| e.row);
            // The requester's language comes with the next change; Dutch as before.
            write_insured_overview(rows, &ebdesk_i18n::default_language())
        });
        let streamed = ctx
            .store()
            .stream_insured_rows(access.scope(), sender)
            .await;
        let written = writer.await.map_err(internal)?;
        streamed?;
        let content = written.map_err(internal)?;
        let now = ctx.now();
        let file_name = format!(
            "Overzicht verzekerden {} {}.xlsx",
            access.employer().number,
            now.format("%Y-%m-%d")
        );
        Ok(JobOutcome::File(GeneratedFile::new(
            file_name, XLSX, content, now,
        )))
    }
}
