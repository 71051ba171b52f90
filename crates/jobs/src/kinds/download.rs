//! Download "Overzicht verzekerden": the workbook of every affiliation in the requester's
//! scope, streamed from the database into the writer on a blocking thread, in the language
//! the request asked for.

use ebdesk_i18n::LanguageIdentifier;
use ebdesk_sheets::{insured_overview_name, write_insured_overview_into};
use ebdesk_store::{ClaimedJob, GeneratedFile, InsuredEntry};

use super::{internal, requester_access};
use crate::{JobContext, JobError, JobHandler, JobOutcome};

/// The content type of an xlsx workbook.
pub const XLSX: &str = ebdesk_sheets::XLSX_CONTENT_TYPE;

/// Rows in flight between the database and the writer: enough to keep both busy.
pub(crate) const BUFFER_ROWS: usize = 1024;

pub struct InsuredOverviewDownload;

/// The language of the workbook: the payload's `language` (`{"language": "nl"}`) when the
/// catalog has it; otherwise, and for a payload without it (jobs queued before it existed:
/// `{}`), the default language.
pub(crate) fn payload_language(payload: &str) -> LanguageIdentifier {
    let requested = serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|value| {
            value
                .get("language")
                .and_then(serde_json::Value::as_str)
                .and_then(|code| code.parse::<LanguageIdentifier>().ok())
        });
    requested
        .filter(|lang| ebdesk_i18n::languages().contains(lang))
        .unwrap_or_else(ebdesk_i18n::default_language)
}

impl JobHandler for InsuredOverviewDownload {
    async fn run(&self, job: &ClaimedJob, ctx: &JobContext) -> Result<JobOutcome, JobError> {
        let access = requester_access(ctx, job, false).await?;
        let lang = payload_language(&job.payload);
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<InsuredEntry>(BUFFER_ROWS);
        // The workbook goes to an unnamed temporary file, stored from there in chunks: a
        // million rows (80 MB) are never in memory at once.
        let spooled = tempfile::tempfile().map_err(internal)?;
        let writer = {
            let (lang, mut out) = (lang.clone(), spooled.try_clone().map_err(internal)?);
            tokio::task::spawn_blocking(move || {
                let rows = std::iter::from_fn(|| receiver.blocking_recv()).map(|e| e.row);
                write_insured_overview_into(rows, &lang, &mut out)
            })
        };
        let streamed = ctx
            .store()
            .stream_insured_rows(access.scope(), sender)
            .await;
        let written = writer.await.map_err(internal)?;
        streamed?;
        written.map_err(internal)?;
        let now = ctx.now();
        let file_name = insured_overview_name(&access.employer().number, now.date_naive(), &lang);
        Ok(JobOutcome::File(GeneratedFile::spooled(
            file_name, XLSX, spooled, now,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_names_the_language_and_old_or_odd_payloads_get_the_default() {
        let nl = ebdesk_i18n::default_language();
        for lang in ebdesk_i18n::languages() {
            let payload = format!(r#"{{"language":"{lang}"}}"#);
            assert_eq!(payload_language(&payload), lang);
        }
        for payload in [
            "{}",
            "",
            "not json",
            "[]",
            r#"{"language":null}"#,
            r#"{"language":7}"#,
            r#"{"language":"!!"}"#,
            r#"{"language":"tlh"}"#,
        ] {
            assert_eq!(payload_language(payload), nl, "{payload}");
        }
    }
}
