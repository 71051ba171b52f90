//! What a change action carries, as its page and the employee's "Historiek" show it.

use chrono::NaiveDate;
use ebdesk_domain::ActionKind;
use ebdesk_domain::changes::FieldChange;
use ebdesk_store::HistoryEntry;
use serde::Serialize;
use serde_json::{Value, json};

use super::local::{display_date, today};

/// The details of a new affiliation, an exit, a change of personal data or a category move.
#[derive(Debug, Default, Serialize)]
pub struct ChangeDetails {
    pub kind: &'static str,
    /// Personal data: field, before, after.
    pub rows: Vec<ChangeRow>,
    pub end_date: Option<String>,
    pub reason: Option<String>,
    pub contract: Option<String>,
    pub category: Option<String>,
    /// A category move: the category left.
    pub previous_category: Option<String>,
    pub employment_start: Option<String>,
    pub affiliation_start: Option<String>,
    /// Message keys of the warnings the change was accepted with.
    pub warnings: Vec<String>,
}

fn date(payload: &Value, key: &str) -> Option<String> {
    payload
        .get(key)
        .and_then(Value::as_str)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(display_date)
}

fn text(payload: &Value, key: &str) -> Option<String> {
    payload.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// One line of the employee page's "Historiek".
pub fn history_line(entry: &HistoryEntry) -> Value {
    json!({
        "action_id": entry.action_id,
        "kind": entry.kind.as_str(),
        "status": entry.status.as_str(),
        "at": display_date(today(entry.requested_at)),
        "effective_date": entry.effective_date.map(display_date),
        "by": entry.requested_by_name,
        "details": change_details(entry.kind, &entry.details),
    })
}

/// The details of a change action's payload; None for downloads and uploads.
pub fn change_details(kind: ActionKind, payload: &Value) -> Option<ChangeDetails> {
    let mut details = ChangeDetails {
        kind: kind.as_str(),
        ..Default::default()
    };
    match kind {
        ActionKind::NewAffiliation => {
            details.contract = text(payload, "contract");
            details.category = text(payload, "category");
            details.employment_start = date(payload, "employment_start");
            details.affiliation_start = date(payload, "affiliation_start");
            details.warnings = payload
                .get("warnings")
                .and_then(Value::as_array)
                .map(|w| {
                    w.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
        }
        ActionKind::Exit => {
            details.end_date = date(payload, "end_date");
            details.reason = text(payload, "reason");
            if payload.get("late").and_then(Value::as_bool) == Some(true) {
                details.warnings.push("exit-late".to_owned());
            }
        }
        ActionKind::CategoryMove => {
            details.contract = text(payload, "contract");
            details.previous_category = text(payload, "previous_category");
            details.category = text(payload, "category");
            details.end_date = date(payload, "end_date");
            details.affiliation_start = date(payload, "affiliation_start");
            if payload.get("late").and_then(Value::as_bool) == Some(true) {
                details.warnings.push("move-late".to_owned());
            }
        }
        ActionKind::PersonalDataChange => {
            let changes: Vec<FieldChange> = payload
                .get("changes")
                .cloned()
                .and_then(|c| serde_json::from_value(c).ok())
                .unwrap_or_default();
            details.rows = change_rows(&changes);
        }
        ActionKind::InsuredOverviewDownload
        | ActionKind::InsuredOverviewUpload
        | ActionKind::PremiumStatement
        | ActionKind::SalaryListDownload
        | ActionKind::SalaryListUpload => return None,
    }
    Some(details)
}

/// One line of a before → after table, values as the pages show them.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A stored or typed value as shown: dates dd/mm/jjjj, the rest as it is.
fn shown(field: &str, value: Option<&str>) -> String {
    let value = value.unwrap_or_default();
    match field {
        "birth_date" => NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map_or_else(|_| value.to_owned(), display_date),
        _ => value.to_owned(),
    }
}

/// The rows of a list of changes (a confirmation, an action, the history).
pub fn change_rows(changes: &[FieldChange]) -> Vec<ChangeRow> {
    changes
        .iter()
        .map(|c| ChangeRow {
            field: c.field.clone(),
            before: shown(&c.field, c.before.as_deref()),
            after: shown(&c.field, c.after.as_deref()),
        })
        .collect()
}
