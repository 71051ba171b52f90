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
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 4] = [
        ReasonCode::NewAffiliation,
        ReasonCode::SalaryOrFraction,
        ReasonCode::Exit,
        ReasonCode::CategoryMove,
    ];

    /// The code on the statement.
    pub fn code(self) -> &'static str {
        match self {
            ReasonCode::NewAffiliation => "05",
            ReasonCode::SalaryOrFraction => "25",
            ReasonCode::Exit => "30",
            ReasonCode::CategoryMove => "40",
        }
    }

    /// Message key of the reason's name.
    pub fn label_key(self) -> &'static str {
        match self {
            ReasonCode::NewAffiliation => "premium-reason-new-affiliation",
            ReasonCode::SalaryOrFraction => "premium-reason-salary",
            ReasonCode::Exit => "premium-reason-exit",
            ReasonCode::CategoryMove => "premium-reason-category-move",
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
