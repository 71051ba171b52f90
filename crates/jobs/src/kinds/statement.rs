//! "Premiebordereel": the workbook of a month's statement, as the requester's scope sees it
//! (lines of contracts outside the scope are not in it). A month that is due but not yet
//! issued is issued first, through the same use case as the scheduler's.

use ebdesk_app::statements::{brussels_today, issue_month, may_issue};
use ebdesk_domain::premium::{Month, StatementLine};
use ebdesk_sheets::{premium_statement_name, write_premium_statement};
use ebdesk_store::{Actor, ClaimedJob, GeneratedFile};

use super::download::{XLSX, payload_language};
use super::{internal, requester_access};
use crate::{JobContext, JobError, JobHandler, JobOutcome};

/// Failure reason: the month has no statement and may not be issued yet.
pub const REASON_NO_STATEMENT: &str = "job-error-no-statement";

/// Lines in flight between the database and the writer.
const BUFFER_LINES: usize = 1024;

pub struct PremiumStatementDownload {
    public_url: String,
}

impl PremiumStatementDownload {
    /// `public_url`: where users reach ebdesk, for the link in the notice.
    pub fn new(public_url: impl Into<String>) -> Self {
        PremiumStatementDownload {
            public_url: public_url.into(),
        }
    }
}

/// The payload's month (`{"month": "2026-11", ...}`).
fn payload_month(payload: &str) -> Option<Month> {
    let value: serde_json::Value = serde_json::from_str(payload).ok()?;
    Month::parse(value.get("month")?.as_str()?)
}

impl JobHandler for PremiumStatementDownload {
    async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> Result<JobOutcome, JobError> {
        let access = requester_access(ctx, job, false).await?;
        let month =
            payload_month(&job.payload).ok_or_else(|| JobError::permanent(REASON_NO_STATEMENT))?;
        let store = ctx.store();
        let employer = access.employer();
        let statement_id = match store.find_statement_id(employer.id, month).await? {
            Some(id) => id,
            None => {
                let latest = store.latest_statement_month(employer.id).await?;
                if !may_issue(month, brussels_today(ctx.now()), latest) {
                    return Err(JobError::refused(REASON_NO_STATEMENT));
                }
                let actor = Actor {
                    user_id: Some(job.requested_by),
                    ip: None,
                };
                issue_month(store, &self.public_url, employer, month, &actor, ctx.now())
                    .await
                    .map_err(internal)?
                    .statement_id
            }
        };
        let lang = payload_language(&job.payload);
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<StatementLine>(BUFFER_LINES);
        let writer = {
            let lang = lang.clone();
            tokio::task::spawn_blocking(move || {
                let lines = std::iter::from_fn(|| receiver.blocking_recv());
                write_premium_statement(lines, month, &lang)
            })
        };
        let streamed = store
            .stream_statement_lines(access.scope(), statement_id, sender)
            .await;
        let written = writer.await.map_err(internal)?;
        streamed?;
        let content = written.map_err(internal)?;
        let now = ctx.now();
        // Fetching the file is written in the audit log, as every download is.
        let file_name = premium_statement_name(month, &lang);
        Ok(JobOutcome::File(GeneratedFile::new(
            file_name, XLSX, content, now,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_names_the_month_or_nothing() {
        assert_eq!(
            payload_month(r#"{"month":"2026-11","language":"fr"}"#),
            Month::new(2026, 11)
        );
        for odd in [
            "{}",
            "",
            r#"{"month":"2026-13"}"#,
            r#"{"month":202611}"#,
            "[]",
        ] {
            assert_eq!(payload_month(odd), None, "{odd}");
        }
    }
}
