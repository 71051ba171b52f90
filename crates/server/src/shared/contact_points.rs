//! The contact points of an employer as the operator types them: on the new-employer form
//! and on their own page.

use std::collections::HashMap;

use ebdesk_domain::EmailAddress;
use ebdesk_domain::names::{NameError, check_name};
use ebdesk_store::NewContactPoint;

/// Refuses, at its field, a typed name that the domain rule refuses (control, invisible and
/// direction characters; too long). Empty values are left to the required checks.
pub fn check_name_field(
    value: &str,
    key: &'static str,
    errors: &mut HashMap<&'static str, &'static str>,
) {
    match check_name(value) {
        Ok(_) | Err(NameError::Empty) => {}
        Err(err) => {
            errors.entry(key).or_insert(err.code());
        }
    }
}

/// Contact points that were filled in (administrative, commercial, claims): a name and a
/// valid e-mail each, the phone optional. The field names are `<kind>_name` and so on.
pub fn contact_points_from(
    value: &dyn Fn(&str) -> String,
    errors: &mut HashMap<&'static str, &'static str>,
) -> Vec<NewContactPoint> {
    const KINDS: [(&str, &str, &str); 3] = [
        (
            "administrative",
            "administrative_name",
            "administrative_email",
        ),
        ("commercial", "commercial_name", "commercial_email"),
        ("claims", "claims_name", "claims_email"),
    ];
    let mut points = Vec::new();
    for (kind, name_key, email_key) in KINDS {
        let (name, email) = (value(name_key), value(email_key));
        let phone = value(&format!("{kind}_phone"));
        if name.is_empty() && email.is_empty() && phone.is_empty() {
            continue;
        }
        if name.is_empty() {
            errors.insert(name_key, "operator-field-required");
        }
        check_name_field(&name, name_key, errors);
        match EmailAddress::parse(&email) {
            Ok(address) => points.push(NewContactPoint {
                kind: kind.to_owned(),
                name,
                email: address.as_str().to_owned(),
                phone,
            }),
            Err(err) => {
                errors.insert(email_key, err.code());
            }
        }
    }
    points
}
