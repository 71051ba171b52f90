//! The action queue ("Overzicht acties"): what kind of action a row is and where it stands.
//!
//! The stored names are stable: a job kind is never renamed, since queued rows and other
//! nodes of an older version still carry it. Add a variant, never change a string.

use serde::Serialize;

/// What an action is: a download the worker produces, or a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Download "Overzicht verzekerden": the workbook of the affiliates in the user's scope.
    InsuredOverviewDownload,
    /// Upload of a filled-in "Overzicht verzekerden" (business e-mail addresses).
    InsuredOverviewUpload,
    /// "Nieuwe aansluiting": an employee affiliated to a contract and category.
    NewAffiliation,
    /// "Uittreding": the affiliations of an employee end.
    Exit,
    /// "Wijziging persoonsgegevens".
    PersonalDataChange,
    /// "Verplaatsen naar andere categorie": an affiliation ends, one in another category of
    /// the same contract starts the next day.
    CategoryMove,
    /// "Premiebordereel": a month's premium statement as a workbook (issued first when due).
    PremiumStatement,
    /// Download "Invullijst salarissen": the salary list of a year, to fill in.
    SalaryListDownload,
    /// Upload of a filled-in "Invullijst salarissen" (annual salaries and work fractions).
    SalaryListUpload,
}

impl ActionKind {
    /// Every kind, in display order (the type filter of the action list).
    pub const ALL: &'static [ActionKind] = &[
        ActionKind::InsuredOverviewDownload,
        ActionKind::InsuredOverviewUpload,
        ActionKind::NewAffiliation,
        ActionKind::Exit,
        ActionKind::PersonalDataChange,
        ActionKind::CategoryMove,
        ActionKind::PremiumStatement,
        ActionKind::SalaryListDownload,
        ActionKind::SalaryListUpload,
    ];

    /// The kinds that change an employee: they are the employee's "Historiek".
    pub const EMPLOYEE_CHANGES: [ActionKind; 4] = [
        ActionKind::NewAffiliation,
        ActionKind::Exit,
        ActionKind::PersonalDataChange,
        ActionKind::CategoryMove,
    ];

    /// The stable name stored in the database and used in forms and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::InsuredOverviewDownload => "insured_overview_download",
            ActionKind::InsuredOverviewUpload => "insured_overview_upload",
            ActionKind::NewAffiliation => "new_affiliation",
            ActionKind::Exit => "exit",
            ActionKind::PersonalDataChange => "personal_data_change",
            ActionKind::CategoryMove => "category_move",
            ActionKind::PremiumStatement => "premium_statement",
            ActionKind::SalaryListDownload => "salary_list_download",
            ActionKind::SalaryListUpload => "salary_list_upload",
        }
    }

    /// Parses the stored name; `None` for anything else (a kind of a newer version).
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == value)
    }

    /// Whether the action is an uploaded file, checked and then decided on.
    pub fn is_upload(self) -> bool {
        matches!(
            self,
            ActionKind::InsuredOverviewUpload | ActionKind::SalaryListUpload
        )
    }
}

/// Where an action stands. A job moves requested → running → available, processed or
/// failed; a retry or a release on shutdown puts it back to requested. A processed exit
/// can be withdrawn the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// "Aangevraagd": waiting for a worker (also between two attempts).
    Requested,
    /// "In behandeling": a worker holds its lease.
    Running,
    /// "Beschikbaar": a download is ready to be fetched.
    Available,
    /// "Verwerkt": a change was applied.
    Processed,
    /// "Mislukt": given up, with the reason.
    Failed,
    /// "Ingetrokken": a processed change undone by its author (an exit, the same day).
    Withdrawn,
}

impl ActionStatus {
    /// Every status, in display order (the status filter of the action list).
    pub const ALL: &'static [ActionStatus] = &[
        ActionStatus::Requested,
        ActionStatus::Running,
        ActionStatus::Available,
        ActionStatus::Processed,
        ActionStatus::Failed,
        ActionStatus::Withdrawn,
    ];

    /// The stable name stored in the database and used in forms and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Requested => "requested",
            ActionStatus::Running => "running",
            ActionStatus::Available => "available",
            ActionStatus::Processed => "processed",
            ActionStatus::Failed => "failed",
            ActionStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses the stored name; `None` for anything else.
    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == value)
    }

    /// Whether the action is done: no worker will touch it again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ActionStatus::Available
                | ActionStatus::Processed
                | ActionStatus::Failed
                | ActionStatus::Withdrawn
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_unknown_names_are_refused() {
        for k in ActionKind::ALL {
            assert_eq!(ActionKind::from_db(k.as_str()), Some(*k));
        }
        for s in ActionStatus::ALL {
            assert_eq!(ActionStatus::from_db(s.as_str()), Some(*s));
        }
        assert_eq!(ActionKind::from_db("Overzicht verzekerden"), None);
        assert_eq!(ActionStatus::from_db("REQUESTED"), None);
    }

    #[test]
    fn job_kinds_keep_their_stored_names() {
        // Queued rows carry these strings: renaming one strands its jobs.
        assert_eq!(
            ActionKind::InsuredOverviewDownload.as_str(),
            "insured_overview_download"
        );
        assert_eq!(
            ActionKind::InsuredOverviewUpload.as_str(),
            "insured_overview_upload"
        );
        assert_eq!(
            ActionKind::SalaryListDownload.as_str(),
            "salary_list_download"
        );
        assert_eq!(ActionKind::SalaryListUpload.as_str(), "salary_list_upload");
    }

    #[test]
    fn only_available_processed_failed_and_withdrawn_are_final() {
        assert!(!ActionStatus::Requested.is_final() && !ActionStatus::Running.is_final());
        assert!(ActionStatus::Failed.is_final());
    }
}
