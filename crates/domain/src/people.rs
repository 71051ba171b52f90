//! Small enums about insured people and their affiliations, with their stored names.

/// Declares an enum whose variants map one to one onto stable stored names.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        /// Serialized as the stored name, which the pages' message keys use.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

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

pub(crate) use stored_enum;

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

stored_enum!(
    /// Why an affiliation ends ("reden uittreding").
    ExitReason {
        /// Ontslag door werkgever.
        DismissalByEmployer => "dismissal_by_employer",
        /// Ontslag door werknemer.
        DismissalByEmployee => "dismissal_by_employee",
        /// Einde contract.
        EndOfContract => "end_of_contract",
        /// Pensionering.
        Retirement => "retirement",
        /// Overlijden.
        Death => "death",
        /// Overgang naar andere categorie.
        CategoryChange => "category_change",
        /// Andere.
        Other => "other",
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

    #[test]
    fn pages_receive_the_stored_names() {
        // Templates build message keys from them: "status-passive", "gender-F".
        let json = serde_json::to_string(&(AffiliationStatus::Passive, Gender::Female))
            .unwrap_or_default();
        assert_eq!(json, r#"["passive","F"]"#);
    }
}
