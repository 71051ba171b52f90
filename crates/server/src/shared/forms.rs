//! Reading posted forms (and query strings with repeated keys) by field name.

use chrono::NaiveDate;
use ebdesk_domain::EmailAddress;
use ebdesk_domain::access::check_login_email;
use ebdesk_domain::changes::{FieldErrors, PersonDraft, parse_date};

/// The fields of a form, in the order sent.
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn new(fields: Vec<(String, String)>) -> Self {
        Fields(fields)
    }

    /// A query string such as `werknemer=1&werknemer=2`; anything unreadable is dropped.
    pub fn from_query(query: &str) -> Self {
        Fields(serde_urlencoded::from_str(query).unwrap_or_default())
    }

    /// The first value of `key`, trimmed; empty when absent.
    pub fn get(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The date in `key`, or its message in `errors`: required, or not a date.
    pub fn date(&self, key: &'static str, errors: &mut FieldErrors) -> Option<NaiveDate> {
        let text = self.get(key);
        let date = parse_date(&text);
        if date.is_none() {
            let code = if text.is_empty() {
                "field-required"
            } else {
                "date-invalid"
            };
            errors.insert(key, code);
        }
        date
    }

    /// Every value of `key` that is an id, in order, without repeats.
    pub fn ids(&self, key: &str) -> Vec<i64> {
        let mut ids: Vec<i64> = Vec::new();
        for id in self
            .0
            .iter()
            .filter(|(k, _)| k == key)
            .filter_map(|(_, v)| v.trim().parse().ok())
        {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// The personal data fields, named as the forms name them (`prefix` for the copies a
    /// form keeps of what the user started from).
    pub fn person(&self, prefix: &str) -> PersonDraft {
        let get = |name: &str| self.get(&format!("{prefix}{name}"));
        PersonDraft {
            national_number: get("national_number"),
            last_name: get("last_name"),
            first_name: get("first_name"),
            gender: get("gender"),
            language: get("language"),
            birth_date: get("birth_date"),
            employee_number: get("employee_number"),
            business_email: get("business_email"),
        }
    }
}

/// A person's name as typed in a form: required, and a name people can read
/// ([`ebdesk_domain::names::check_name`]); the message key otherwise.
pub fn person_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("user-name-required");
    }
    ebdesk_domain::names::check_name(name)
        .map(|_| ())
        .map_err(|e| e.code())
}

/// An address to log in with: an e-mail address that may be an account's; the message key
/// otherwise.
pub fn login_email(text: &str) -> Result<EmailAddress, &'static str> {
    let email = EmailAddress::parse(text).map_err(|e| e.code())?;
    check_login_email(&email).map_err(|e| e.code())?;
    Ok(email)
}
