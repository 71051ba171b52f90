//! Late changes: a month already on an issued statement is never rewritten; the difference
//! between what was billed and what is due now goes on the next statement as a line of its
//! own, with the reason code of the change.

use serde::{Deserialize, Serialize};

use super::{Cents, Month};

/// Why a line corrects an earlier month, with the codes statements print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// 05: an affiliation registered after its first month was billed.
    NewAffiliation,
    /// 25: a salary or work fraction with an earlier effective date.
    SalaryOrFraction,
    /// 30: an exit registered after its month was billed.
    Exit,
    /// 40: a move to another category.
    CategoryMove,
    /// 50: a plan rule of the category added with a date in a month already billed.
    PlanRule,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 5] = [
        ReasonCode::NewAffiliation,
        ReasonCode::SalaryOrFraction,
        ReasonCode::Exit,
        ReasonCode::CategoryMove,
        ReasonCode::PlanRule,
    ];

    /// The code on the statement.
    pub fn code(self) -> &'static str {
        match self {
            ReasonCode::NewAffiliation => "05",
            ReasonCode::SalaryOrFraction => "25",
            ReasonCode::Exit => "30",
            ReasonCode::CategoryMove => "40",
            ReasonCode::PlanRule => "50",
        }
    }

    /// Reads the code a statement line stores.
    pub fn from_code(code: &str) -> Option<ReasonCode> {
        ReasonCode::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Message key of the reason's name.
    pub fn label_key(self) -> &'static str {
        match self {
            ReasonCode::NewAffiliation => "premium-reason-new-affiliation",
            ReasonCode::SalaryOrFraction => "premium-reason-salary",
            ReasonCode::Exit => "premium-reason-exit",
            ReasonCode::CategoryMove => "premium-reason-category-move",
            ReasonCode::PlanRule => "premium-reason-plan-rule",
        }
    }
}

/// A correction of `month`: `due` is what the month costs now, `billed` what an issued
/// statement charged for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regularisation {
    pub month: Month,
    pub billed: Cents,
    pub due: Cents,
    pub reason: ReasonCode,
}

impl Regularisation {
    /// The amount of the line: positive when more is due, negative for a refund.
    pub fn amount(&self) -> Cents {
        self.due - self.billed
    }
}

/// The correction of `month` when what is due differs from what was billed.
pub fn regularise(
    month: Month,
    billed: Cents,
    due: Cents,
    reason: ReasonCode,
) -> Option<Regularisation> {
    (billed != due).then_some(Regularisation {
        month,
        billed,
        due,
        reason,
    })
}

/// Why what a month costs now differs from what was billed for it, from the days covered
/// then and now: a move to another category changed the days (40); the month was not billed
/// at all (05); fewer or more days, by an exit or its withdrawal (30); the same days, so the
/// salary or the work fraction changed (25). `moved`: the affiliation was opened or closed
/// by a category move; `plan_only`: nothing but a plan rule of its category changed, so
/// the same days cost another amount by the new rule (50).
pub fn reason_for(billed_days: u32, due_days: u32, moved: bool, plan_only: bool) -> ReasonCode {
    if moved && billed_days != due_days {
        return ReasonCode::CategoryMove;
    }
    match (billed_days, due_days) {
        (0, _) => ReasonCode::NewAffiliation,
        (billed, due) if billed != due => ReasonCode::Exit,
        _ if plan_only => ReasonCode::PlanRule,
        _ => ReasonCode::SalaryOrFraction,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_follows_from_the_days_billed_and_due() {
        assert_eq!(reason_for(0, 21, false, false), ReasonCode::NewAffiliation);
        assert_eq!(reason_for(30, 20, false, false), ReasonCode::Exit);
        assert_eq!(reason_for(20, 30, false, false), ReasonCode::Exit);
        assert_eq!(
            reason_for(30, 30, false, false),
            ReasonCode::SalaryOrFraction
        );
        assert_eq!(reason_for(30, 14, true, false), ReasonCode::CategoryMove);
        assert_eq!(reason_for(0, 17, true, false), ReasonCode::CategoryMove);
        assert_eq!(
            reason_for(30, 30, true, false),
            ReasonCode::SalaryOrFraction
        );
        assert_eq!(reason_for(30, 30, false, true), ReasonCode::PlanRule);
        assert_eq!(reason_for(30, 20, false, true), ReasonCode::Exit);
    }

    #[test]
    fn stored_codes_read_back() {
        for reason in ReasonCode::ALL {
            assert_eq!(ReasonCode::from_code(reason.code()), Some(reason));
        }
        assert_eq!(ReasonCode::from_code("99"), None);
    }
}
