//! What a user sheet allows at one employer.

use serde::Serialize;

/// Rights of a user sheet, ordered: each level includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rights {
    /// "raadplegen": look up employees, follow the action queue, request downloads.
    Consult,
    /// "raadplegen en invoeren": also affiliations, exits, changes and uploads.
    Input,
    /// The employer's master user: also manages the user sheets.
    Master,
}

impl Rights {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Rights::Consult => "consult",
            Rights::Input => "input",
            Rights::Master => "master",
        }
    }

    /// Parses the stored name; `None` for anything else.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "consult" => Some(Rights::Consult),
            "input" => Some(Rights::Input),
            "master" => Some(Rights::Master),
            _ => None,
        }
    }

    pub fn can_change(self) -> bool {
        self >= Rights::Input
    }

    pub fn can_manage_users(self) -> bool {
        self == Rights::Master
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_right_round_trips_through_its_stored_name() {
        for r in [Rights::Consult, Rights::Input, Rights::Master] {
            assert_eq!(Rights::from_db(r.as_str()), Some(r));
        }
        assert_eq!(Rights::from_db("admin"), None);
    }

    #[test]
    fn only_input_and_master_may_change_and_only_master_manages_users() {
        assert!(!Rights::Consult.can_change());
        assert!(Rights::Input.can_change());
        assert!(Rights::Master.can_change());
        assert!(!Rights::Input.can_manage_users());
        assert!(Rights::Master.can_manage_users());
    }
}
