//! What every handler can reach: the store, the settings, the worker's bell and the clock.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::clock::{Clock, SystemClock};
use ebdesk_domain::premium::InsurerAccount;
use ebdesk_jobs::JobNotifier;
use ebdesk_store::Store;

use super::local;
use super::secrets::SecretKey;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: AppSettings,
    /// Wakes this process's worker right after an action is queued.
    pub jobs: JobNotifier,
}

impl AppState {
    /// The current time, from the settings' clock (tests set it).
    pub fn now(&self) -> DateTime<Utc> {
        self.settings.clock.now()
    }

    /// Today's date in Brussels.
    pub fn today(&self) -> NaiveDate {
        local::today(self.now())
    }
}

/// Settings of the web application.
#[derive(Clone, Debug)]
pub struct AppSettings {
    /// Encrypts TOTP secrets at rest; the same on every app node.
    pub secret_key: SecretKey,
    /// The address users reach the application at, for links in e-mails
    /// (e.g. `https://ebdesk.example.be`), without a trailing slash.
    pub public_url: String,
    /// Where "now" comes from: the machine's clock, or a test's.
    pub clock: Arc<dyn Clock>,
    /// The insurer's account that statements are paid to.
    pub insurer_account: InsurerAccount,
}

impl AppSettings {
    /// Settings with the machine's clock.
    pub fn new(secret_key: SecretKey, public_url: String) -> Self {
        AppSettings {
            secret_key,
            public_url,
            clock: Arc::new(SystemClock),
            insurer_account: InsurerAccount::default(),
        }
    }
}
