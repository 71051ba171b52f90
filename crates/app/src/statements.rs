//! Issuing a month's premium statement, the one use case behind the worker's scheduler and
//! a user's request: when a month may be issued, and what goes out with it (the e-mail to
//! the notification address, the master's action in "Overzicht acties").

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::Brussels;
use ebdesk_domain::ActionKind;
use ebdesk_domain::premium::{Cents, Month, StructuredCommunication};
use ebdesk_i18n::Message;
use ebdesk_store::{Actor, Employer, IssueNotice, NewAction, OutgoingMail, StatementIssue, Store};
use serde_json::json;

use crate::Error;
use crate::amounts::format_amount;
use crate::mails::{Recipient, Reminder, statement_issued, statement_reminder};

/// The day of the month a statement is issued on.
pub const ISSUE_DAY: u32 = 15;

/// Today as Brussels counts it: the users' calendar.
pub fn brussels_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Brussels).date_naive()
}

/// Whether `month` may be issued `today`, with `latest` the employer's latest issued month:
/// its 15th has come, and it follows every issued month (the first statement is of the
/// current month: older months were billed before ebdesk).
pub fn may_issue(month: Month, today: NaiveDate, latest: Option<Month>) -> bool {
    let issue_day = month.first_day().with_day(ISSUE_DAY);
    if issue_day.is_none_or(|day| day > today) {
        return false;
    }
    match latest {
        Some(latest) => month > latest,
        None => month == Month::of(today),
    }
}

/// The action that shows a statement in "Overzicht acties": "Premiebordereel — Maand
/// 11/2026", a workbook in `language`.
pub fn statement_action(month: Month, language: &str) -> NewAction {
    NewAction {
        kind: ActionKind::PremiumStatement,
        description: Message::new("action-description-month")
            .with("month", month.label())
            .to_stored(),
        employee_id: None,
        payload: json!({ "month": month.key(), "language": language }).to_string(),
        effective_date: None,
    }
}

/// Issues `employer`'s statement of `month` unless it exists; when this call issues it,
/// the notification address gets an e-mail and the master an action in "Overzicht acties"
/// (both in the master's language).
pub async fn issue_month(
    store: &Store,
    public_url: &str,
    employer: &Employer,
    month: Month,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<StatementIssue, Error> {
    let language = store
        .master_language(employer.id)
        .await?
        .unwrap_or_else(|| ebdesk_i18n::default_language().to_string());
    let mail: OutgoingMail = statement_issued(
        Recipient::new(&employer.notification_email, &employer.name, &language),
        public_url,
        &employer.name,
        &month.label(),
    )?;
    let notice = IssueNotice {
        mail: Some(mail),
        master_action: Some(statement_action(month, &language)),
    };
    Ok(store
        .issue_statement(employer.id, month, &notice, actor, now)
        .await?)
}

/// How long after its due date an unpaid charge is reminded.
pub const REMIND_AFTER_DAYS: u64 = 15;

/// The scheduler's other step: one reminder to the notification address for every charge
/// still unpaid 15 days after its due date. Safe on several nodes: each charge is reminded
/// once. Answers how many this call sent.
pub async fn remind_late(
    store: &Store,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let today = brussels_today(now);
    let Some(before) = today.checked_sub_days(chrono::Days::new(REMIND_AFTER_DAYS)) else {
        return Ok(0);
    };
    let mut sent = 0;
    for charge in store.list_charges_to_remind(before).await? {
        let language = store
            .master_language(charge.employer_id)
            .await?
            .unwrap_or_else(|| ebdesk_i18n::default_language().to_string());
        let lang = crate::mails::written_in(&language).to_string();
        let month = Month::parse(&charge.month).map_or(charge.month.clone(), |m| m.label());
        let outstanding = Cents(charge.amount_cents - charge.paid_cents);
        let communication = u64::try_from(charge.charge_id)
            .ok()
            .and_then(StructuredCommunication::for_number)
            .map(|c| c.to_string())
            .unwrap_or_default();
        let mail = statement_reminder(
            Recipient::new(&charge.notification_email, &charge.employer_name, &language),
            public_url,
            Reminder {
                employer: &charge.employer_name,
                month: &month,
                contract: &charge.contract_number,
                due: &charge.due_date.format("%d/%m/%Y").to_string(),
                amount: &format_amount(outstanding, &lang),
                communication: &communication,
            },
        )?;
        sent += usize::from(store.remind_charge(charge.charge_id, mail, now).await?);
    }
    Ok(sent)
}

/// The scheduler's step: from the 15th on, issues the current month for every employer
/// without it. Safe on several nodes at once: each month is issued once. Answers how many
/// this call issued.
pub async fn issue_due(
    store: &Store,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let today = brussels_today(now);
    if today.day() < ISSUE_DAY {
        return Ok(0);
    }
    let month = Month::of(today);
    let mut issued = 0;
    for employer_id in store.employers_without_statement(month).await? {
        let Some(employer) = store.find_employer_by_id(employer_id).await? else {
            continue;
        };
        let latest = store.latest_statement_month(employer_id).await?;
        if !may_issue(month, today, latest) {
            continue;
        }
        let done = issue_month(store, public_url, &employer, month, &Actor::default(), now).await?;
        issued += usize::from(done.newly_issued);
    }
    Ok(issued)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_month_is_issued_from_its_fifteenth_and_after_every_issued_month() {
        let november = Month::new(2026, 11).unwrap();
        let october = Month::new(2026, 10).unwrap();
        assert!(!may_issue(november, day(2026, 11, 14), None));
        assert!(may_issue(november, day(2026, 11, 15), None));
        assert!(
            may_issue(november, day(2026, 12, 3), Some(october)),
            "catching up"
        );
        assert!(
            !may_issue(october, day(2026, 11, 20), Some(november)),
            "never before"
        );
        assert!(!may_issue(november, day(2026, 11, 20), Some(november)));
        assert!(
            !may_issue(october, day(2026, 11, 20), None),
            "the first is this month's"
        );
        assert!(!may_issue(
            Month::new(2027, 1).unwrap(),
            day(2026, 11, 20),
            Some(october)
        ));
    }

    #[test]
    fn the_fifteenth_starts_at_midnight_in_brussels() {
        let late_on_the_14th = "2026-11-14T23:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(brussels_today(late_on_the_14th), day(2026, 11, 15));
    }
}
