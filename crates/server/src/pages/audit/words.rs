//! The audit log in words: an entry's event and details as short lines in the reader's
//! language, for the page and the workbook alike. Ids become names (see [`AuditNames`]),
//! codes become labels, dates read dd/mm/yyyy. A detail this code does not know yet is
//! shown as "key: value" rather than hidden.

use chrono::NaiveDate;
use ebdesk_i18n::{Arg, LanguageIdentifier, Message, lookup};
use ebdesk_store::{AuditEvent, AuditNames, AuditRecord};
use serde_json::{Map, Value};

use crate::shared::plan_rules::rule_in_words;

/// The name of an event, as the log and its filter show it.
pub fn event_name(event: AuditEvent, lang: &LanguageIdentifier) -> String {
    lookup(lang, &format!("audit-event-{}", event.as_str()), &[])
}

/// The lines that say what `entry`'s details hold.
pub fn describe(entry: &AuditRecord, names: &AuditNames, lang: &LanguageIdentifier) -> Vec<String> {
    let words = Words { entry, names, lang };
    let Some(details) = entry.details.as_object() else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for (key, value) in details {
        words.detail(details, key, value, &mut lines);
    }
    lines
}

/// Details that only link records together; their names are in the other lines.
const SILENT: &[&str] = &[
    "invitation_id",
    "affiliation_id",
    "affiliation_ids",
    "moved_from_id",
    "name",
];

struct Words<'a> {
    entry: &'a AuditRecord,
    names: &'a AuditNames,
    lang: &'a LanguageIdentifier,
}

impl Words<'_> {
    fn say(&self, key: &'static str, value: impl Into<Arg>) -> String {
        Message::new(key).with("value", value).render(self.lang)
    }

    fn label(&self, key: &str) -> String {
        lookup(self.lang, key, &[])
    }

    fn detail(&self, all: &Map<String, Value>, key: &str, value: &Value, out: &mut Vec<String>) {
        let text = |v: &Value| plain(v);
        let line = match key {
            _ if SILENT.contains(&key) || value.is_null() => return,
            "action_id" => self.say("audit-detail-action", text(value)),
            "employee_id" => self.say("audit-detail-employee", self.employee(all, value)),
            // Said with the employee's name, unless the employee is gone.
            "national_number" if self.named_employee(all) => return,
            "national_number" => self.say("audit-detail-national-number", text(value)),
            "user_id" if value.as_i64() == self.entry.user_id => return,
            "user_id" => self.say("audit-detail-user", self.user(value)),
            "email" if all.contains_key("user_id") && self.user_known(&all["user_id"]) => return,
            "email" => self.say("audit-detail-email", text(value)),
            "rights" => self.say("audit-detail-rights", self.rights(value)),
            "contracts" => self.say("audit-detail-contracts", self.contracts(value)),
            "external" => self.say("audit-detail-external", self.yes_no(value)),
            "valid_until" => self.say("audit-detail-valid-until", date(value)),
            "changes" => return self.field_changes(value, out),
            "before" => return self.before_after(all, out),
            "after" => return,
            "affiliation" | "exit" | "move" | "counts" => return self.nested(value, out),
            "contract" if all.contains_key("name") => self.say(
                "audit-detail-contract",
                format!("{} {}", text(value), text(&all["name"])),
            ),
            "contract" => self.say("audit-detail-contract", text(value)),
            "category" => self.say("audit-detail-category", text(value)),
            "previous_category" => self.say("audit-detail-previous-category", text(value)),
            "categories" => self.say("audit-detail-categories", list(value)),
            "employment_start" => self.say("audit-detail-employment-start", date(value)),
            "affiliation_start" => self.say("audit-detail-affiliation-start", date(value)),
            "end_date" => self.say("audit-detail-end-date", date(value)),
            "reason" => self.say(
                "audit-detail-reason",
                self.label(&format!("exit-reason-{}", text(value))),
            ),
            "new_employee" | "late" | "invitation_pending" | "operator" | "attachment" => {
                return out.extend(self.flag(key, value));
            }
            "warnings" if value.is_array() => return self.warnings(value, out),
            "number" => self.say(
                "audit-detail-employer",
                format!(
                    "{} {}",
                    text(value),
                    all.get("name").map(plain).unwrap_or_default()
                ),
            ),
            "kbo_number" => self.say("audit-detail-kbo", text(value)),
            "current" => self.say("audit-detail-notification-current", text(value)),
            "requested" => self.say("audit-detail-notification-requested", text(value)),
            "file" => self.say("audit-detail-file", text(value)),
            "step" | "second_factor" | "choice" => self.coded(key, value),
            "failed_codes" => self.say("audit-detail-failed-codes", text(value)),
            "year" => self.say("audit-detail-year", text(value)),
            "valid_from" => self.say("audit-detail-valid-from", date(value)),
            "rule" => self.say("audit-detail-rule", self.rule(value)),
            "thread" | "contact_kind" => self.contact(key, value),
            "document_id" | "title" | "kind" => self.document(key, value),
            "rows" | "new" | "changed" | "removed" | "unchanged" | "warnings" | "error_rows"
            | "entries" | "lines" | "written" => self.count(key, value),
            "month" | "total_cents" | "format" | "charge_id" | "amount_cents" | "paid_on" => {
                self.premium(key, value)
            }
            _ => Message::new("audit-detail-other")
                .with("key", key)
                .with("value", text(value))
                .render(self.lang),
        };
        out.push(line);
    }

    /// The details of a message to a contact point.
    fn contact(&self, key: &str, value: &Value) -> String {
        match key {
            "thread" => self.say("audit-detail-thread", plain(value)),
            _ => self.say(
                "audit-detail-contact-kind",
                self.label(&format!("contact-{}", plain(value))),
            ),
        }
    }

    /// The details of a published or downloaded document.
    fn document(&self, key: &str, value: &Value) -> String {
        match key {
            "document_id" => self.say("audit-detail-document", plain(value)),
            "title" => self.say("audit-detail-title", plain(value)),
            _ => self.say(
                "audit-detail-document-kind",
                self.label(&format!("documents-kind-{}", plain(value))),
            ),
        }
    }

    /// The details of statements and payments.
    fn premium(&self, key: &str, value: &Value) -> String {
        let amount = || {
            let cents = ebdesk_domain::premium::Cents(value.as_i64().unwrap_or_default());
            ebdesk_app::amounts::format_amount(cents, &self.lang.to_string())
        };
        match key {
            "month" => self.say("audit-detail-month", month(value)),
            "total_cents" => self.say("audit-detail-total", amount()),
            "amount_cents" => self.say("audit-detail-amount", amount()),
            "format" => self.say("audit-detail-format", plain(value).to_uppercase()),
            "charge_id" => self.say(
                "audit-detail-charge",
                value
                    .as_u64()
                    .and_then(ebdesk_domain::premium::StructuredCommunication::for_number)
                    .map_or_else(|| plain(value), |c| c.to_string()),
            ),
            _ => self.say("audit-detail-paid-on", date(value)),
        }
    }

    /// A detail stored as a code, said by its label.
    fn coded(&self, key: &str, value: &Value) -> String {
        let (detail, prefix) = match key {
            "step" => ("audit-detail-step", "audit-step-"),
            "second_factor" => ("audit-detail-second-factor", "audit-second-factor-"),
            _ => ("audit-detail-choice", "audit-choice-"),
        };
        self.say(detail, self.label(&format!("{prefix}{}", plain(value))))
    }

    /// A plan rule as stored in the details, in words; as stored when it does not read.
    fn rule(&self, value: &Value) -> String {
        serde_json::from_value::<ebdesk_domain::premium::PlanRule>(value.clone())
            .map_or_else(|_| plain(value), |rule| rule_in_words(rule, self.lang))
    }

    fn named_employee(&self, all: &Map<String, Value>) -> bool {
        all.get("employee_id")
            .and_then(Value::as_i64)
            .and_then(|id| self.names.employee(self.entry, id))
            .is_some()
    }

    /// "Peeters, Jan (12345)", or the masked national number when the employee is gone.
    fn employee(&self, all: &Map<String, Value>, value: &Value) -> String {
        let named = value
            .as_i64()
            .and_then(|id| self.names.employee(self.entry, id));
        match named {
            Some(e) => match &e.employee_number {
                Some(number) => format!("{}, {} ({number})", e.last_name, e.first_name),
                None => format!("{}, {}", e.last_name, e.first_name),
            },
            None => all
                .get("national_number")
                .map(plain)
                .unwrap_or_else(|| format!("#{}", plain(value))),
        }
    }

    fn user_known(&self, value: &Value) -> bool {
        value
            .as_i64()
            .and_then(|id| self.names.user_email(id))
            .is_some()
    }

    fn user(&self, value: &Value) -> String {
        match value.as_i64().and_then(|id| self.names.user_email(id)) {
            Some(email) => email.to_owned(),
            None => format!("#{}", plain(value)),
        }
    }

    fn rights(&self, value: &Value) -> String {
        self.label(&format!("rights-{}", plain(value)))
    }

    fn yes_no(&self, value: &Value) -> String {
        self.label(if value.as_bool() == Some(true) {
            "yes"
        } else {
            "no"
        })
    }

    /// Contract numbers; null is "all contracts".
    fn contracts(&self, value: &Value) -> String {
        let Some(ids) = value.as_array() else {
            return self.label("audit-all-contracts");
        };
        let numbers: Vec<String> = ids
            .iter()
            .map(|id| {
                match id
                    .as_i64()
                    .and_then(|id| self.names.contract(self.entry, id))
                {
                    Some(number) => number.to_owned(),
                    None => format!("#{}", plain(id)),
                }
            })
            .collect();
        numbers.join(", ")
    }

    /// A yes/no detail said only when it holds.
    fn flag(&self, key: &str, value: &Value) -> Option<String> {
        if value.as_bool() != Some(true) {
            return None;
        }
        Some(self.label(&format!("audit-flag-{key}")))
    }

    fn count(&self, key: &str, value: &Value) -> String {
        let count = value.as_u64().unwrap_or_default();
        Message::new("audit-detail-count")
            .with("what", self.label(&format!("audit-count-{key}")))
            .with("value", count)
            .render(self.lang)
    }

    fn warnings(&self, value: &Value, out: &mut Vec<String>) {
        let keys = value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        out.extend(keys.map(|key| self.label(key)));
    }

    fn nested(&self, value: &Value, out: &mut Vec<String>) {
        if let Some(inner) = value.as_object() {
            for (key, value) in inner {
                self.detail(inner, key, value, out);
            }
        }
    }

    /// A personal-data change: one line per field, "Naam: Peeters → Peters".
    fn field_changes(&self, value: &Value, out: &mut Vec<String>) {
        for change in value.as_array().into_iter().flatten() {
            let field = plain(&change["field"]);
            let shown = |v: &Value| self.field_value(&field, v);
            out.push(self.change_line(
                self.label(&format!("change-field-{field}")),
                shown(&change["before"]),
                shown(&change["after"]),
            ));
        }
    }

    fn field_value(&self, field: &str, value: &Value) -> String {
        match (field, value) {
            (_, Value::Null) => "—".to_owned(),
            ("gender" | "language", _) => self.label(&format!("{field}-{}", plain(value))),
            ("birth_date", _) => date(value),
            _ => plain(value),
        }
    }

    /// `before`/`after`: a sheet's settings (the fields that differ), or the previous and
    /// new master user.
    fn before_after(&self, all: &Map<String, Value>, out: &mut Vec<String>) {
        let (before, after) = (&all["before"], all.get("after").unwrap_or(&Value::Null));
        if self.entry.event == AuditEvent::NotificationAddressChanged {
            let field = self.label("employer-notification");
            return out.push(self.change_line(field, plain(before), plain(after)));
        }
        if self.entry.event == AuditEvent::MasterTransferred {
            let who = |v: &Value| match v.is_null() {
                true => "—".to_owned(),
                false => self.user(v),
            };
            return out.push(self.change_line(
                self.label("rights-master"),
                who(before),
                who(after),
            ));
        }
        let (Some(was), Some(is)) = (before.as_object(), after.as_object()) else {
            return out.push(self.change_line(
                self.label("audit-change"),
                plain(before),
                plain(after),
            ));
        };
        for (key, old) in was {
            let new = is.get(key).unwrap_or(&Value::Null);
            if old == new {
                continue;
            }
            let shown = |v: &Value| match key.as_str() {
                "rights" => self.rights(v),
                "contracts" => self.contracts(v),
                "external" => self.yes_no(v),
                "valid_until" if v.is_null() => "—".to_owned(),
                "valid_until" => date(v),
                _ => plain(v),
            };
            let field = self.label(&format!("audit-field-{key}"));
            out.push(self.change_line(field, shown(old), shown(new)));
        }
    }

    fn change_line(&self, field: String, before: String, after: String) -> String {
        Message::new("audit-detail-change")
            .with("field", field)
            .with("before", before)
            .with("after", after)
            .render(self.lang)
    }
}

/// A JSON value as text: strings without quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn list(value: &Value) -> String {
    match value.as_array() {
        Some(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        None => plain(value),
    }
}

/// yyyy-mm-dd as dd/mm/yyyy; anything else as it is.
fn date(value: &Value) -> String {
    let text = plain(value);
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or(text)
}

/// "2026-11" as statements name it: 11/2026.
fn month(value: &Value) -> String {
    let text = plain(value);
    ebdesk_domain::premium::Month::parse(&text).map_or(text, |m| m.label())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use super::*;

    /// A new event without its name in a catalogue would show its code: every event has a
    /// name in every language, in that language's own catalogue.
    #[test]
    fn every_event_has_a_name_in_every_language() {
        for lang in ebdesk_i18n::languages() {
            for event in AuditEvent::ALL {
                let name = Message {
                    key: Cow::Owned(format!("audit-event-{}", event.as_str())),
                    args: BTreeMap::new(),
                };
                assert!(
                    name.try_render_in(&lang).is_some(),
                    "{} has no name in {lang}",
                    event.as_str()
                );
            }
        }
    }
}
