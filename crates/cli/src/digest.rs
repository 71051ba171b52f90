//! `ebdesk digest`: the operator sends an employer's digests of today now, without waiting
//! for 17:00 (the same use case as the scheduler's, with its once-a-day claim).

use anyhow::{Context, anyhow};
use chrono::Utc;
use ebdesk_app::digest::send_for_employer;
use ebdesk_store::Store;

pub async fn send(store: &Store, employer: &str, public_url: &str) -> anyhow::Result<()> {
    let employer = store
        .find_employer(employer)
        .await?
        .ok_or_else(|| anyhow!("onbekende werkgever: {employer}"))?;
    let sent = send_for_employer(store, public_url, &employer, Utc::now())
        .await
        .context("sending the digests")?;
    println!(
        "{sent} overzicht(en) van nieuwe documenten voor {} in de outbox.",
        employer.number
    );
    Ok(())
}
