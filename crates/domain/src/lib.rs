//! Pure types and rules of ebdesk. No I/O, no async: everything here is unit-testable.
//!
//! Errors carry a stable `code()` that the server looks up in the message catalog, so the
//! Dutch (and later French and English) wording lives in one place.

pub mod access;
pub mod actions;
pub mod changes;
pub mod clock;
pub mod contact;
pub mod documents;
pub mod email;
pub mod insured_sheet;
pub mod kbo;
pub mod names;
pub mod national_number;
pub mod people;
pub mod premium;
pub mod rights;
pub mod salary_list;
pub mod search;

pub use actions::{ActionKind, ActionStatus};
pub use clock::{Clock, ManualClock, SystemClock};
pub use documents::DocumentKind;
pub use email::EmailAddress;
pub use kbo::KboNumber;
pub use national_number::NationalNumber;
pub use people::{AffiliationStatus, ExitReason, Gender, Language};
pub use rights::Rights;

/// The Dutch catalogue the server loads: every error code of the domain must have a message
/// there (each error type's tests check theirs).
#[cfg(test)]
mod test_catalog {
    const CATALOG: &str = include_str!("../../../web/locales/nl/domain.ftl");

    pub fn in_catalog(code: &str) -> bool {
        CATALOG.lines().any(|line| {
            line.strip_prefix(code)
                .is_some_and(|rest| rest.starts_with(" = "))
        })
    }
}
