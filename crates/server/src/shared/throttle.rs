//! Throttling of failed logins (password and code), per account and per IP address. The
//! failures live in the database, so every app node counts the same attempts.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use ebdesk_domain::access::{ACCOUNT_THROTTLE, IP_THROTTLE, ThrottlePolicy};
use ebdesk_store::{AttemptGrant, AttemptTicket, Store};

use super::AppError;

/// The throttle keys of an attempt: the account (by e-mail) and the peer's IP address.
pub fn keys(email: &str, req: &HttpRequest) -> Vec<String> {
    let mut keys = vec![format!("account:{email}")];
    if let Some(addr) = req.peer_addr() {
        keys.push(format!("ip:{}", addr.ip()));
    }
    keys
}

fn policy(key: &str) -> ThrottlePolicy {
    if key.starts_with("ip:") {
        IP_THROTTLE
    } else {
        ACCOUNT_THROTTLE
    }
}

/// Asks for one attempt under `keys`, counted and recorded in one step (see
/// [`Store::begin_attempt`]): `Err(retry_at)` when the attempt must wait. The ticket is
/// given back with [`Store::release_attempt`] when the attempt succeeds.
pub async fn begin(
    store: &Store,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<Result<AttemptTicket, DateTime<Utc>>, AppError> {
    let keys: Vec<(String, ThrottlePolicy)> =
        keys.iter().map(|key| (key.clone(), policy(key))).collect();
    Ok(match store.begin_attempt(&keys, now).await? {
        AttemptGrant::Granted(ticket) => Ok(ticket),
        AttemptGrant::Throttled(at) => Err(at),
    })
}

/// A time as users in Belgium read it (HH:MM, Brussels time).
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Brussels)
        .format("%H:%M")
        .to_string()
}
