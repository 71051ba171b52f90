//! `ebdesk statement`: the operator issues an employer's statement of a month now, without
//! waiting for the 15th (the same use case as the scheduler's, with its notice and action).

use anyhow::{Context, anyhow};
use chrono::Utc;
use ebdesk_app::statements::{brussels_today, issue_month};
use ebdesk_domain::premium::Month;
use ebdesk_store::{Actor, Store};

pub async fn issue(
    store: &Store,
    employer: &str,
    month: &str,
    public_url: &str,
) -> anyhow::Result<()> {
    let month = Month::parse(month).ok_or_else(|| anyhow!("geen maand (jjjj-mm): {month}"))?;
    let employer = store
        .find_employer(employer)
        .await?
        .ok_or_else(|| anyhow!("onbekende werkgever: {employer}"))?;
    let now = Utc::now();
    if month > Month::of(brussels_today(now)) {
        return Err(anyhow!("{} ligt in de toekomst", month.label()));
    }
    let latest = store.latest_statement_month(employer.id).await?;
    if latest.is_some_and(|latest| month < latest) {
        return Err(anyhow!("er is al een premiebordereel van een latere maand"));
    }
    let started = std::time::Instant::now();
    let issued = issue_month(store, public_url, &employer, month, &Actor::default(), now)
        .await
        .context("issuing the statement")?;
    let what = if issued.newly_issued {
        "opgemaakt"
    } else {
        "bestond al"
    };
    println!(
        "Premiebordereel {} van {} {what} (nummer {}) in {:.2} s.",
        month.label(),
        employer.number,
        issued.statement_id,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
