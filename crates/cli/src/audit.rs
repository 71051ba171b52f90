//! `ebdesk audit verify`: checks the audit log's hash chains.

use ebdesk_store::{BreakReason, Store};

/// Prints one line per chain; an error (non-zero exit) when any chain is broken.
pub async fn verify(store: &Store) -> anyhow::Result<()> {
    let verdict = store.verify_audit_chain().await?;
    println!(
        "Auditlog: {} ketens, {} regels.",
        verdict.chains.len(),
        verdict.entries()
    );
    for chain in &verdict.chains {
        let name = match chain.employer_id {
            Some(id) => format!("werkgever id {id}"),
            None => "zonder werkgever".to_owned(),
        };
        match chain.first_broken {
            None => println!("{name}: {} regels, OK", chain.entries),
            Some(broken) => {
                let reason = match broken.reason {
                    BreakReason::ContentChanged => "inhoud gewijzigd",
                    BreakReason::LinkBroken => "voorgaande regel verwijderd of ingevoegd",
                };
                println!(
                    "{name}: {} regels, GEBROKEN bij regel {} ({reason})",
                    chain.entries, broken.id
                );
            }
        }
    }
    if !verdict.is_intact() {
        anyhow::bail!("het auditlog is buiten de applicatie om gewijzigd");
    }
    Ok(())
}
