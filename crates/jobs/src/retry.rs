//! How often and how late a failed job is tried again.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// Exponential backoff: retry `n` waits `min(base × 2^(n-1), cap)`; after `max_attempts`
/// attempts the action fails with the last reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 30 s then 1, 2 and 4 min.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base: Duration::from_secs(30),
            cap: Duration::from_secs(3600),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `attempt` (from 1).
    pub fn delay(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.base
            .checked_mul(1 << doublings)
            .map_or(self.cap, |d| d.min(self.cap))
    }

    /// When to try again after failed attempt `attempt` at `now`; None when it was the last.
    pub fn retry_at(&self, attempt: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = TimeDelta::from_std(self.delay(attempt)).unwrap_or(TimeDelta::MAX);
        Some(
            now.checked_add_signed(delay)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_wait_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base: Duration::from_secs(30),
            cap: Duration::from_secs(300),
        };
        let waits: Vec<u64> = (1..=6).map(|n| policy.delay(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 300, 300]);
        assert_eq!(policy.delay(u32::MAX), Duration::from_secs(300));
    }

    #[test]
    fn there_is_no_retry_after_the_last_attempt() {
        let now = Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap();
        let policy = RetryPolicy::default();
        assert_eq!(policy.retry_at(1, now), Some(now + TimeDelta::seconds(30)));
        assert_eq!(policy.retry_at(4, now), Some(now + TimeDelta::minutes(4)));
        assert_eq!(policy.retry_at(5, now), None);
        assert_eq!(policy.retry_at(6, now), None);
    }
}
