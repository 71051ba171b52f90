//! What every handler can reach: the store, the settings, the worker's bell and the clock.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::clock::{Clock, SystemClock};
use ebdesk_domain::premium::InsurerAccount;
use ebdesk_jobs::JobNotifier;
use ebdesk_store::{Employer, Store};

use super::secrets::SecretKey;
use super::{AppError, local};

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

    /// The employer with this number, for the operator's pages (not tenant-scoped: the
    /// operator guard stands before it); 404 when there is none.
    pub async fn employer_by_number(&self, number: &str) -> Result<Employer, AppError> {
        let found = self.store.find_employer(number).await?;
        found.ok_or(AppError::NotFound)
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
