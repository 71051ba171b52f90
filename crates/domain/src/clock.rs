//! Where "now" comes from. Times are bound from Rust into SQL, never taken there, so tests
//! can drive them: the job queue's leases, retries and file expiry all read a [`Clock`].

use std::fmt::Debug;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync + Debug {
    /// The current time, in whole microseconds (what PostgreSQL keeps), so a time written
    /// and read back compares equal on both engines.
    fn now(&self) -> DateTime<Utc>;
}

/// Cuts a time to whole microseconds.
pub fn to_micros(time: DateTime<Utc>) -> DateTime<Utc> {
    time.duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(time)
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        to_micros(Utc::now())
    }
}

/// A clock that only moves when told, for tests.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock {
            now: Mutex::new(to_micros(start)),
        }
    }

    /// Puts the clock at `time`.
    pub fn set(&self, time: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to_micros(time);
    }

    /// Moves the clock forward by `delta`.
    pub fn advance(&self, delta: TimeDelta) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = to_micros(*now + delta);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(TimeDelta::seconds(90));
        assert_eq!(clock.now(), start + TimeDelta::seconds(90));
        clock.set(start);
        assert_eq!(clock.now(), start);
    }

    #[test]
    fn times_are_cut_to_microseconds() {
        let t = Utc.timestamp_opt(1_700_000_000, 123_456_789).unwrap();
        assert_eq!(to_micros(t).timestamp_subsec_nanos(), 123_456_000);
        assert_eq!(SystemClock.now().timestamp_subsec_nanos() % 1_000, 0);
    }
}
