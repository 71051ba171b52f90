//! Applying a checked upload ("Overzicht verzekerden" or "Invullijst salarissen"), and the
//! one shape of an upload's counts: the worker stores them with the preview, the apply
//! writes them in the audit entry.

use chrono::{DateTime, Utc};
use ebdesk_domain::ActionKind;
use ebdesk_domain::salary_list::reference_date;
use ebdesk_sheets::{EmailChange, PreviewSummary, StoredPreview, values_of_text};
use ebdesk_store::{
    Actor, EmailUpdate, SalaryApply, SalaryUpdate, Scope, Store, StoreError, UploadPhase,
};
use serde::Serialize;

use crate::Error;

/// The totals of a checked upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UploadCounts {
    /// Non-blank data rows read.
    pub rows: usize,
    pub new: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub warnings: usize,
    /// Rows with at least one error (skipped when the valid rows are applied).
    pub error_rows: usize,
}

impl From<&PreviewSummary> for UploadCounts {
    fn from(s: &PreviewSummary) -> Self {
        UploadCounts {
            rows: s.rows_read,
            new: s.new,
            changed: s.changed,
            removed: s.removed,
            unchanged: s.unchanged,
            warnings: s.warnings,
            error_rows: s.error_rows,
        }
    }
}

/// What the user chose on the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyChoice {
    /// Every change; only for an upload without errors.
    All,
    /// The changes of the rows without errors; the others are skipped.
    ValidRows,
}

impl ApplyChoice {
    /// The choice as the preview's form sends it and the audit entry records it.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyChoice::All => "alles",
            ApplyChoice::ValidRows => "geldige",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [ApplyChoice::All, ApplyChoice::ValidRows]
            .into_iter()
            .find(|c| c.as_str() == value)
    }
}

/// What the audit entry of an applied upload says: the choice and the counts of the check.
#[derive(Serialize)]
struct Applied {
    choice: &'static str,
    #[serde(flatten)]
    counts: UploadCounts,
}

/// Applies a checked upload as `choice` ([`ApplyChoice::as_str`]) says, in one transaction
/// (see [`Store::apply_upload`]). Refused with `upload-not-ready` when it is not waiting for
/// a decision, `upload-has-errors` for "all" when rows have errors, `upload-stale` when an
/// employee changed since the check. [`Error::UnknownChoice`] for any other choice; a missing
/// upload is [`StoreError::NotFound`]. Answers the counts written.
pub async fn apply_upload(
    store: &Store,
    scope: &Scope,
    action_id: i64,
    choice: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<UploadCounts, Error> {
    let upload = store
        .find_upload(scope, action_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    if upload.phase != UploadPhase::Ready {
        return Err(Error::Refused("upload-not-ready"));
    }
    let text = upload.preview.as_deref().ok_or(StoreError::NotFound)?;
    let preview = StoredPreview::parse(text)?;
    let summary = preview.summary();
    let choice = match ApplyChoice::parse(choice) {
        Some(ApplyChoice::All) if summary.has_errors() => {
            return Err(Error::Refused("upload-has-errors"));
        }
        Some(choice) => choice,
        None => return Err(Error::UnknownChoice(choice.to_owned())),
    };
    let counts = UploadCounts::from(summary);
    let action = store
        .find_action(scope, action_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let decided = Decided {
        action_id,
        choice,
        counts,
    };
    if action.action.kind == ActionKind::SalaryListUpload {
        let year = salary_year(&action.payload)?;
        let changes = preview.all_changes()?;
        drop(preview);
        drop(upload);
        apply_salaries(store, scope, &decided, year, &changes, actor, now).await?;
        return Ok(counts);
    }
    // The preview left out every employee with an error: its changes are the valid rows.
    let updates: Vec<EmailUpdate> = preview
        .all_changes()?
        .into_iter()
        .map(|c| EmailUpdate {
            employee_id: c.employee_id,
            version: c.version,
            email: c.new,
        })
        .collect();
    drop(preview);
    drop(upload);
    let applied = Applied {
        choice: choice.as_str(),
        counts,
    };
    let details = serde_json::to_value(&applied).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    store
        .apply_upload(scope, action_id, &updates, details, actor, now)
        .await?;
    Ok(counts)
}

/// What was decided on a checked upload.
struct Decided {
    action_id: i64,
    choice: ApplyChoice,
    counts: UploadCounts,
}

/// The year of a salary list upload, from its action's payload (`{"year": 2027}`).
fn salary_year(payload: &str) -> Result<i32, Error> {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| v.get("year").and_then(serde_json::Value::as_i64))
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(|| StoreError::Corrupt("salary upload without a year".to_owned()).into())
}

/// Writes the salaries of a checked salary list from 1 January of `year` on, with the
/// audit entry (year, choice, counts, rows written), in one transaction.
async fn apply_salaries(
    store: &Store,
    scope: &Scope,
    decided: &Decided,
    year: i32,
    changes: &[EmailChange],
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<u64, Error> {
    let valid_from =
        reference_date(year).ok_or_else(|| StoreError::Corrupt("salary upload year".to_owned()))?;
    // A change line holds the affiliation where the overview's holds the employee; the
    // store refuses the lot when a salary it saw changed meanwhile (`upload-stale`).
    let updates = changes
        .iter()
        .map(|c| {
            let values = c.new.as_deref().and_then(values_of_text);
            values
                .map(|values| SalaryUpdate {
                    affiliation_id: c.employee_id,
                    values,
                    seen: c.old.as_deref().and_then(values_of_text),
                })
                .ok_or_else(|| StoreError::Corrupt("salary change line".to_owned()))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let applied = Applied {
        choice: decided.choice.as_str(),
        counts: decided.counts,
    };
    let counts = serde_json::to_value(&applied).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let apply = SalaryApply {
        valid_from,
        updates: &updates,
        details: serde_json::json!({ "action_id": decided.action_id, "year": year, "counts": counts }),
    };
    Ok(store
        .apply_salary_upload(scope, decided.action_id, apply, actor, now)
        .await?)
}
