//! Bulk loads of a scale data set (`ebdesk demo --employers N --size M`): thousands of
//! employers with their contracts, users with sheets, years of actions and audit entries,
//! many rows per statement. Affiliates go through [`Store::insert_employees`].
//! Operator-level writes like [`crate::provisioning`]: not tenant-scoped.

mod history;
mod setup;

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::{ActionKind, ActionStatus, Rights};

use crate::db::with_pool;
use crate::{NewEmployer, NewUser, Result, Store};

/// Rows per multi-row statement (SQLite's `?` placeholders bind in linear time; PostgreSQL
/// stays far under its bind limit).
const BATCH_ROWS: usize = 500;

/// How steeply employer sizes fall with their rank: size ∝ 1 / rank^1.1. At 10 000 employers
/// and 5 000 000 affiliates this gives 11 employers of 50 000 or more (the largest 757 000),
/// two thirds under 100 and 68 between 5 000 and 20 000.
const SKEW: f64 = 1.1;

/// The affiliates of each of `employers` employers, largest first, `affiliates` in total:
/// a Zipf-like skew, every employer at least one (when there are enough affiliates).
pub fn scale_sizes(employers: usize, affiliates: usize) -> Vec<usize> {
    if employers == 0 {
        return Vec::new();
    }
    let weights: Vec<f64> = (1..=employers)
        .map(|rank| 1.0 / (rank as f64).powf(SKEW))
        .collect();
    let total: f64 = weights.iter().sum();
    let floor = usize::from(affiliates >= employers);
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| ((affiliates as f64) * w / total).round().max(floor as f64) as usize)
        .collect();
    // Rounding leaves a few over or under: the largest employers absorb the difference.
    let mut sum: usize = sizes.iter().sum();
    let mut rank = 0;
    while sum != affiliates {
        let i = rank % employers;
        if sum < affiliates {
            sizes[i] += 1;
            sum += 1;
        } else if sizes[i] > floor {
            sizes[i] -= 1;
            sum -= 1;
        }
        rank += 1;
    }
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes
}

/// A contract of a scale employer, with the names of its categories.
#[derive(Debug, Clone)]
pub struct ScaleContract {
    pub number: String,
    pub name: String,
    pub categories: Vec<String>,
}

/// An employer to create with its three contact points and its contracts.
#[derive(Debug, Clone)]
pub struct ScaleEmployer {
    pub employer: NewEmployer,
    pub contracts: Vec<ScaleContract>,
}

/// An employer as created: its id and its contracts' ids, each with its categories' ids in
/// the order given.
#[derive(Debug, Clone)]
pub struct LoadedEmployer {
    pub id: i64,
    pub number: String,
    pub contracts: Vec<(i64, Vec<i64>)>,
}

/// An account with a password and a confirmed TOTP secret (encrypted with the server key).
#[derive(Debug, Clone)]
pub struct NewDemoUser {
    pub user: NewUser,
    pub totp_secret: String,
}

/// A sheet for all contracts of an employer.
#[derive(Debug, Clone, Copy)]
pub struct NewScaleSheet {
    pub employer_id: i64,
    pub user_id: i64,
    pub rights: Rights,
    /// An external consultant's sheet.
    pub external: bool,
}

/// An action of the past, as its job or change left it (no lease, no file).
#[derive(Debug, Clone)]
pub struct HistoricAction {
    pub employer_id: i64,
    pub kind: ActionKind,
    pub status: ActionStatus,
    /// A stored message (`{"key": …, "args": …}`), as the pages write it.
    pub description: String,
    pub employee_id: Option<i64>,
    pub requested_by: i64,
    pub requested_at: DateTime<Utc>,
    pub effective_date: Option<NaiveDate>,
    pub payload: String,
    /// Why it failed, for status failed.
    pub error: Option<String>,
}

/// A past audit entry of the scale set.
#[derive(Debug, Clone)]
pub enum HistoricAudit {
    /// A sheet given at the employer's start (by the operator, unnamed).
    SheetCreated {
        employer_id: i64,
        user_id: i64,
        rights: Rights,
        external: bool,
        at: DateTime<Utc>,
    },
    /// A login with password and TOTP code.
    Login {
        user_id: i64,
        ip: String,
        at: DateTime<Utc>,
    },
}

/// Row counts of the whole database, after a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadCensus {
    pub employers: i64,
    pub employees: i64,
    pub affiliations: i64,
    pub users: i64,
    pub sheets: i64,
    pub actions: i64,
    pub audit_entries: i64,
}

impl Store {
    /// The ids of an employer's employees, in id order.
    pub async fn list_employee_ids(&self, employer_id: i64) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT id FROM employees WHERE employer_id = $1 ORDER BY id";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(employer_id).fetch_all(pool).await?
        }))
    }

    /// How many rows the tables of a scale data set hold.
    pub async fn load_census(&self) -> Result<LoadCensus> {
        const SQL: &str = "SELECT (SELECT COUNT(*) FROM employers), \
            (SELECT COUNT(*) FROM employees), (SELECT COUNT(*) FROM affiliations), \
            (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM user_sheets), \
            (SELECT COUNT(*) FROM actions), (SELECT COUNT(*) FROM audit_log)";
        let row: (i64, i64, i64, i64, i64, i64, i64) = with_pool!(self, pool => {
            sqlx::query_as(SQL).fetch_one(pool).await?
        });
        Ok(LoadCensus {
            employers: row.0,
            employees: row.1,
            affiliations: row.2,
            users: row.3,
            sheets: row.4,
            actions: row.5,
            audit_entries: row.6,
        })
    }

    /// Employees per employer number, largest first.
    pub async fn count_employees_per_employer(&self) -> Result<Vec<(String, i64)>> {
        const SQL: &str = "SELECT e.number, COUNT(ee.id) FROM employers e \
            LEFT JOIN employees ee ON ee.employer_id = e.id \
            GROUP BY e.id, e.number ORDER BY COUNT(ee.id) DESC, e.number";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).fetch_all(pool).await?
        }))
    }

    /// National numbers found at more than one employer, and affiliations whose employee
    /// belongs to another employer: both 0 when every person belongs to one employer only.
    pub async fn count_people_in_several_employers(&self) -> Result<(i64, i64)> {
        const SHARED: &str = "SELECT COUNT(*) FROM (SELECT national_number FROM employees \
            GROUP BY national_number HAVING COUNT(DISTINCT employer_id) > 1) AS shared";
        const CROSSED: &str = "SELECT COUNT(*) FROM affiliations a \
            JOIN employees e ON e.id = a.employee_id WHERE e.employer_id <> a.employer_id";
        Ok(with_pool!(self, pool => {
            let shared: i64 = sqlx::query_scalar(SHARED).fetch_one(pool).await?;
            let crossed: i64 = sqlx::query_scalar(CROSSED).fetch_one(pool).await?;
            (shared, crossed)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_add_up_and_fall_with_rank() {
        for (employers, affiliates) in [(3, 500), (200, 200_000), (10, 7), (1, 5), (50, 50)] {
            let sizes = scale_sizes(employers, affiliates);
            assert_eq!(sizes.len(), employers);
            assert_eq!(sizes.iter().sum::<usize>(), affiliates);
            assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        }
        assert!(scale_sizes(4, 100).iter().all(|&s| s >= 1));
        assert!(scale_sizes(0, 10).is_empty());
    }

    #[test]
    fn the_full_scale_has_a_few_giants_and_mostly_small_employers() {
        let sizes = scale_sizes(10_000, 5_000_000);
        let giants = sizes.iter().filter(|&&s| s >= 50_000).count();
        let small = sizes.iter().filter(|&&s| s < 100).count();
        assert!((5..=20).contains(&giants), "{giants}");
        assert!(small > 5_000, "{small}");
        assert!(sizes[0] < 1_000_000);
    }
}
