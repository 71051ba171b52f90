//! Throttling of failed logins (password and code), per account and per IP address. The
//! failures live in the database, so every app node counts the same attempts.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use ebdesk_domain::access::{ACCOUNT_THROTTLE, IP_THROTTLE, ThrottlePolicy};
use ebdesk_store::Store;

use crate::AppError;

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

/// When the attempt may be made, if not now: the latest of the keys' retry times.
pub async fn retry_at(
    store: &Store,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let mut latest = None;
    for key in keys {
        let policy = policy(key);
        let failures = store.list_login_failures(key, now - policy.window).await?;
        if let Some(at) = policy.retry_at(&failures) {
            latest = latest.max(Some(at));
        }
    }
    Ok(latest.filter(|at| *at > now))
}

/// A time as users in Belgium read it (HH:MM, Brussels time).
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Brussels)
        .format("%H:%M")
        .to_string()
}
