//! Small enums about insured people and their affiliations, with their stored names.

use serde::Serialize;

/// Declares an enum whose variants map one to one onto stable stored names.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every variant, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name stored in the database and used in forms and URLs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stored name; `None` for anything else.
            pub fn from_db(value: &str) -> Option<Self> {
                match value { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

stored_enum!(
    /// Gender as the national register knows it: the serial's parity.
    Gender { Male => "M", Female => "F" }
);

stored_enum!(
    /// The employee's language for letters and the employee site.
    Language { Dutch => "nl", French => "fr", German => "de", English => "en" }
);

stored_enum!(
    /// Contract status of one affiliation.
    AffiliationStatus {
        /// Premiums are paid.
        Active => "active",
        /// No premiums, the reserves remain.
        Passive => "passive",
        /// No premiums, no reserves.
        Terminated => "terminated",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_unknown_names_are_refused() {
        for s in AffiliationStatus::ALL {
            assert_eq!(AffiliationStatus::from_db(s.as_str()), Some(*s));
        }
        for l in Language::ALL {
            assert_eq!(Language::from_db(l.as_str()), Some(*l));
        }
        assert_eq!(Gender::from_db("F"), Some(Gender::Female));
        assert_eq!(Gender::from_db("X"), None);
        assert_eq!(AffiliationStatus::from_db("ACTIVE"), None);
    }
}
