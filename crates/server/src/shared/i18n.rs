//! The catalogs live in `ebdesk-i18n` (with the tera function `t`, which the account mails
//! use too); the worker and the workbooks read the same catalogs.

pub use ebdesk_i18n::{language, lookup as message};
