//! The server's key for secrets kept at rest: see the `ebdesk-keys` crate, shared with the
//! store (which seals the e-mail outbox) and the CLI.

pub use ebdesk_keys::{SecretError, SecretKey};
