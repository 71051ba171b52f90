//! What the details of audit entries name by id, read for one page of the log: the
//! employee's name and number, the user's e-mail, the contract's number. An employee or a
//! contract answers only for an entry of its own employer, so a page never names another
//! employer's people.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::Result;
use crate::Store;
use crate::audit::{AuditEmployer, AuditEvent, AuditRecord};
use crate::db::with_pool;
use crate::list_query::ListQuery;

/// An employee named in the log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedEmployee {
    employer_id: i64,
    id: i64,
    pub last_name: String,
    pub first_name: String,
    pub employee_number: Option<String>,
}

#[derive(sqlx::FromRow)]
struct NamedUser {
    id: i64,
    email: String,
}

#[derive(sqlx::FromRow)]
struct NamedContract {
    employer_id: i64,
    id: i64,
    number: String,
}

/// The names behind the ids of one page of the log.
#[derive(Debug, Clone, Default)]
pub struct AuditNames {
    employees: HashMap<i64, NamedEmployee>,
    users: HashMap<i64, String>,
    contracts: HashMap<i64, (i64, String)>,
}

impl AuditNames {
    /// The employee `id`, when it belongs to the entry's employer.
    pub fn employee(&self, entry: &AuditRecord, id: i64) -> Option<&NamedEmployee> {
        self.employees
            .get(&id)
            .filter(|e| Some(e.employer_id) == entry.employer_id)
    }

    /// The e-mail of the user `id`.
    pub fn user_email(&self, id: i64) -> Option<&str> {
        self.users.get(&id).map(String::as_str)
    }

    /// The number of the contract `id`, when it belongs to the entry's employer.
    pub fn contract(&self, entry: &AuditRecord, id: i64) -> Option<&str> {
        self.contracts
            .get(&id)
            .filter(|(employer, _)| Some(*employer) == entry.employer_id)
            .map(|(_, number)| number.as_str())
    }
}

/// The ids in the details of `entries`, by what they name.
#[derive(Default)]
struct Referenced {
    employees: BTreeSet<i64>,
    users: BTreeSet<i64>,
    contracts: BTreeSet<i64>,
}

impl Referenced {
    fn of(entries: &[AuditRecord]) -> Referenced {
        let mut ids = Referenced::default();
        let id = |value: &Value| value.as_i64();
        for entry in entries {
            let details = &entry.details;
            ids.employees.extend(id(&details["employee_id"]));
            ids.users.extend(id(&details["user_id"]));
            if entry.event == AuditEvent::MasterTransferred {
                ids.users.extend(id(&details["before"]));
                ids.users.extend(id(&details["after"]));
            }
            for contracts in [
                &details["contracts"],
                &details["before"]["contracts"],
                &details["after"]["contracts"],
            ] {
                let listed = contracts.as_array().into_iter().flatten();
                ids.contracts.extend(listed.filter_map(Value::as_i64));
            }
        }
        ids
    }
}

/// `SELECT … WHERE <column> IN (ids)`, within `employer` when `scoped` (tables with an
/// employer), or None when there are no ids.
fn select_in(
    select: &str,
    ids: &BTreeSet<i64>,
    employer: AuditEmployer,
    scoped: bool,
) -> Option<ListQuery> {
    let mut q = ListQuery::new(select, []);
    for (n, id) in ids.iter().enumerate() {
        q.push_bind(if n == 0 { " WHERE id IN (" } else { ", " }, *id);
    }
    if ids.is_empty() {
        return None;
    }
    q.push(")");
    if let (true, AuditEmployer::Employer(employer_id)) = (scoped, employer) {
        q.push_bind(" AND employer_id = ", employer_id);
    }
    Some(q)
}

impl Store {
    /// The names behind the ids in `entries`, read within `employer` (the filter the entries
    /// were listed with).
    pub(crate) async fn audit_names(
        &self,
        employer: AuditEmployer,
        entries: &[AuditRecord],
    ) -> Result<AuditNames> {
        let ids = Referenced::of(entries);
        let mut names = AuditNames::default();
        const EMPLOYEES: &str =
            "SELECT employer_id, id, last_name, first_name, employee_number FROM employees";
        if let Some(q) = select_in(EMPLOYEES, &ids.employees, employer, true) {
            let rows: Vec<NamedEmployee> = with_pool!(self, pool, Db => {
                q.build::<Db, _>()?.fetch_all(pool).await?
            });
            names.employees = rows.into_iter().map(|e| (e.id, e)).collect();
        }
        if let Some(q) = select_in("SELECT id, email FROM users", &ids.users, employer, false) {
            let rows: Vec<NamedUser> = with_pool!(self, pool, Db => {
                q.build::<Db, _>()?.fetch_all(pool).await?
            });
            names.users = rows.into_iter().map(|u| (u.id, u.email)).collect();
        }
        const CONTRACTS: &str = "SELECT employer_id, id, number FROM contracts";
        if let Some(q) = select_in(CONTRACTS, &ids.contracts, employer, true) {
            let rows: Vec<NamedContract> = with_pool!(self, pool, Db => {
                q.build::<Db, _>()?.fetch_all(pool).await?
            });
            names.contracts = rows
                .into_iter()
                .map(|c| (c.id, (c.employer_id, c.number)))
                .collect();
        }
        Ok(names)
    }
}
