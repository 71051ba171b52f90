//! Download "Invullijst salarissen": the salary list of the payload's year for the
//! requester's scope, streamed from the database into the writer on a blocking thread, as
//! the overview download does.

use ebdesk_domain::salary_list::{SalaryListRow, reference_date};
use ebdesk_sheets::{salary_list_name, write_salary_list};
use ebdesk_store::{ClaimedJob, GeneratedFile};

use super::download::{BUFFER_ROWS, XLSX, payload_language};
use super::{internal, requester_access};
use crate::{JobContext, JobError, JobHandler, JobOutcome};

/// Failure reason: the payload names no year a list can be made for.
pub const REASON_BAD_YEAR: &str = "job-error-bad-year";

pub struct SalaryListDownload;

/// The list's year: the payload's `year` (`{"year": 2027, "language": "nl"}`).
pub(crate) fn payload_year(payload: &str) -> Option<i32> {
    let value = serde_json::from_str::<serde_json::Value>(payload).ok()?;
    let year = value.get("year")?.as_i64()?;
    i32::try_from(year)
        .ok()
        .filter(|y| (1900..=9999).contains(y))
}

impl JobHandler for SalaryListDownload {
    async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> Result<JobOutcome, JobError> {
        let access = requester_access(ctx, job, false).await?;
        let lang = payload_language(&job.payload);
        let year =
            payload_year(&job.payload).ok_or_else(|| JobError::permanent(REASON_BAD_YEAR))?;
        let reference = reference_date(year).ok_or_else(|| JobError::permanent(REASON_BAD_YEAR))?;
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<SalaryListRow>(BUFFER_ROWS);
        let writer = {
            let lang = lang.clone();
            tokio::task::spawn_blocking(move || {
                let rows = std::iter::from_fn(|| receiver.blocking_recv());
                write_salary_list(rows, year, &lang)
            })
        };
        // The sender goes with this block: the writer's rows end when it is dropped.
        let streamed = {
            let sender = &sender;
            ctx.store()
                .for_each_salary_list_row(access.scope(), reference, |row| async move {
                    sender.send(row).await.is_ok()
                })
                .await
        };
        drop(sender);
        let written = writer.await.map_err(internal)?;
        streamed?;
        let content = written.map_err(internal)?;
        let file_name = salary_list_name(&access.employer().number, year, &lang);
        Ok(JobOutcome::File(GeneratedFile::new(
            file_name,
            XLSX,
            content,
            ctx.now(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_names_the_year() {
        assert_eq!(payload_year(r#"{"year":2027,"language":"fr"}"#), Some(2027));
        for payload in ["{}", "", r#"{"year":"2027"}"#, r#"{"year":99999}"#] {
            assert_eq!(payload_year(payload), None, "{payload}");
        }
    }
}
