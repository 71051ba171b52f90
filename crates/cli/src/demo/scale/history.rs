//! Years of actions and audit entries for the scale set: one action per five affiliates
//! (1 000 000 at 5 000 000), each employer's share by its size, over the last six years;
//! an audit entry per sheet and a login per ten actions.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use ebdesk_domain::{ActionKind, ActionStatus, ExitReason, Rights};
use ebdesk_store::{HistoricAction, HistoricAudit, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{ScaleEmployerLoaded, contract_number};

const AFFILIATES_PER_ACTION: usize = 5;
const ACTIONS_PER_LOGIN: usize = 10;
const YEARS: i64 = 6;
const ACTION_BATCH: usize = 10_000;
const AUDIT_BATCH: usize = 2_000;

/// Loads the actions, then the audit entries.
pub async fn load(
    store: &Store,
    employers: &[ScaleEmployerLoaded],
    size: usize,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let total = size / AFFILIATES_PER_ACTION;
    let mut rng = StdRng::seed_from_u64(542);
    let mut batch = Vec::with_capacity(ACTION_BATCH);
    let (mut before, mut cumulative) = (0_usize, 0_usize);
    for e in employers {
        // Cumulative rounding: the shares add up to `total` exactly.
        cumulative += e.size;
        let upto = total * cumulative / size.max(1);
        let count = upto - before;
        before = upto;
        if count == 0 || e.users.is_empty() {
            continue;
        }
        let ids = store.list_employee_ids(e.employer.id).await?;
        for _ in 0..count {
            batch.push(action(&mut rng, e, &ids, now));
            if batch.len() == ACTION_BATCH {
                store.insert_historic_actions(&batch).await?;
                batch.clear();
            }
        }
    }
    store.insert_historic_actions(&batch).await?;
    println!(
        "{before} acties in {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let entries = audit(store, employers, total / ACTIONS_PER_LOGIN, now, &mut rng).await?;
    println!(
        "{entries} auditregels in {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A stored message, as the pages write descriptions (`{"key": …, "args": {…}}`).
fn message(key: &str, args: &str) -> String {
    format!(r#"{{"key":"{key}","args":{{{args}}}}}"#)
}

/// One past action of employer `e` about one of `ids`, requested by one of its users.
fn action(
    rng: &mut StdRng,
    e: &ScaleEmployerLoaded,
    ids: &[i64],
    now: DateTime<Utc>,
) -> HistoricAction {
    let at = now - Duration::seconds(rng.gen_range(3_600..YEARS * 365 * 86_400));
    let day = at.date_naive();
    let shown = day.format("%d/%m/%Y");
    let employee_id = (!ids.is_empty()).then(|| ids[rng.gen_range(0..ids.len())]);
    let changers: Vec<i64> = e
        .users
        .iter()
        .filter(|(_, rights)| *rights != Rights::Consult)
        .map(|(id, _)| *id)
        .collect();
    let anyone = e.users[rng.gen_range(0..e.users.len())].0;
    let changer = changers[rng.gen_range(0..changers.len())];
    let contract = contract_number(e.rank, 1);
    let (kind, description, payload) = match rng.gen_range(0..100) {
        0..40 => (
            ActionKind::PersonalDataChange,
            message("action-description-personal-data", r#""count":1"#),
            r#"{"changes":[{"field":"language","before":"nl","after":"fr"}]}"#.to_owned(),
        ),
        40..65 => (
            ActionKind::NewAffiliation,
            format!("{contract} — Bedienden"),
            format!(
                r#"{{"contract":"{contract}","category":"Bedienden","employment_start":"{day}","affiliation_start":"{day}","new_employee":true,"warnings":[]}}"#
            ),
        ),
        65..75 => (
            ActionKind::Exit,
            message("action-description-exit", &format!(r#""date":"{shown}""#)),
            format!(
                r#"{{"end_date":"{day}","reason":"{}","affiliation_ids":[],"late":false}}"#,
                ExitReason::DismissalByEmployee.as_str()
            ),
        ),
        75..80 => (
            ActionKind::CategoryMove,
            message(
                "action-description-category-move",
                &format!(r#""category":"Kaderleden","date":"{shown}""#),
            ),
            format!(
                r#"{{"contract":"{contract}","previous_category":"Bedienden","category":"Kaderleden","end_date":"{day}","affiliation_start":"{day}","late":false}}"#
            ),
        ),
        _ => {
            let description = message(
                "action-description-requested",
                &format!(r#""date":"{shown}""#),
            );
            return download(rng, e.employer.id, anyone, at, description);
        }
    };
    HistoricAction {
        employer_id: e.employer.id,
        kind,
        status: ActionStatus::Processed,
        description,
        employee_id,
        requested_by: changer,
        requested_at: at,
        effective_date: Some(day),
        payload,
        error: None,
    }
}

/// A past "Overzicht verzekerden": fetched (its file long expired), or now and then failed.
fn download(
    rng: &mut StdRng,
    employer_id: i64,
    user_id: i64,
    at: DateTime<Utc>,
    description: String,
) -> HistoricAction {
    let failed = rng.gen_bool(0.03);
    HistoricAction {
        employer_id,
        kind: ActionKind::InsuredOverviewDownload,
        status: if failed {
            ActionStatus::Failed
        } else {
            ActionStatus::Available
        },
        description,
        employee_id: None,
        requested_by: user_id,
        requested_at: at,
        effective_date: None,
        payload: r#"{"language":"nl"}"#.to_owned(),
        error: failed.then(|| "De werkmap kon niet worden gemaakt.".to_owned()),
    }
}

/// A "sheet created" entry per sheet, then `logins` logins of users of employers chosen by
/// size, oldest first; answers how many entries were written.
async fn audit(
    store: &Store,
    employers: &[ScaleEmployerLoaded],
    logins: usize,
    now: DateTime<Utc>,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    let since = now - Duration::days(YEARS * 365);
    let mut entries: Vec<HistoricAudit> = employers
        .iter()
        .flat_map(|e| {
            e.users
                .iter()
                .map(move |&(user_id, rights)| HistoricAudit::SheetCreated {
                    employer_id: e.employer.id,
                    user_id,
                    rights,
                    external: false,
                    at: since,
                })
        })
        .collect();
    let total_size: usize = employers.iter().map(|e| e.size).sum();
    let mut login_entries = Vec::with_capacity(logins);
    for _ in 0..logins {
        let e = by_size(rng, employers, total_size);
        let user = e.users[rng.gen_range(0..e.users.len())].0;
        let at = now - Duration::seconds(rng.gen_range(60..YEARS * 365 * 86_400));
        let ip = format!("192.0.2.{}", rng.gen_range(1..255));
        login_entries.push((at, user, ip));
    }
    login_entries.sort_unstable();
    let login_entries = login_entries
        .into_iter()
        .map(|(at, user_id, ip)| HistoricAudit::Login { user_id, ip, at });
    entries.extend(login_entries);
    for part in entries.chunks(AUDIT_BATCH) {
        store.append_audit_history(part).await?;
    }
    Ok(entries.len())
}

/// An employer drawn with a chance proportional to its affiliates.
fn by_size<'a>(
    rng: &mut StdRng,
    employers: &'a [ScaleEmployerLoaded],
    total_size: usize,
) -> &'a ScaleEmployerLoaded {
    let mut pick = rng.gen_range(0..total_size.max(1));
    for e in employers {
        if pick < e.size {
            return e;
        }
        pick -= e.size;
    }
    &employers[0]
}
