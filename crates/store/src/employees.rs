//! Employees (affiliates) of one employer: the paged list and the detail.

use chrono::NaiveDate;
use ebdesk_domain::changes::Person;
use ebdesk_domain::search::{SearchTerm, prefix_upper_bound};
use ebdesk_domain::{AffiliationStatus, Gender, Language, NationalNumber};
use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::db::with_pool;
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

/// Rows on one page of the employee list.
pub const PAGE_SIZE: usize = 50;

/// Which affiliation status the list keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Only(AffiliationStatus),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Last name, then first name.
    Name,
    /// Employee number; employees without one come last.
    Number,
}

/// Where a page starts: keyset paging on the sort key, never a deep OFFSET.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListCursor {
    First,
    /// The page after the employee with this id.
    After(i64),
    /// The page before the employee with this id.
    Before(i64),
}

#[derive(Debug, Clone)]
pub struct EmployeeListQuery {
    pub search: Option<SearchTerm>,
    pub status: StatusFilter,
    pub sort: SortOrder,
    pub cursor: ListCursor,
}

/// One line of the employee list.
#[derive(Debug, Clone, Serialize)]
pub struct EmployeeListRow {
    pub id: i64,
    pub national_number: NationalNumber,
    pub employee_number: Option<String>,
    pub last_name: String,
    pub first_name: String,
    /// The most favourable status among the affiliations in scope.
    pub status: AffiliationStatus,
}

#[derive(Debug, Clone, Serialize)]
pub struct EmployeeListPage {
    pub rows: Vec<EmployeeListRow>,
    pub has_next: bool,
    pub has_previous: bool,
}

/// Everything the employee page shows.
#[derive(Debug, Clone, Serialize)]
pub struct EmployeeDetail {
    pub id: i64,
    pub national_number: NationalNumber,
    pub employee_number: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub gender: Gender,
    pub language: Language,
    pub birth_date: NaiveDate,
    pub business_email: Option<String>,
    pub private_email_known: bool,
    pub version: i64,
    pub affiliations: Vec<Affiliation>,
}

/// One affiliation of an employee, with its contract and category.
#[derive(Debug, Clone, Serialize)]
pub struct Affiliation {
    pub id: i64,
    pub contract_number: String,
    pub contract_name: String,
    pub category_name: String,
    pub employment_start: NaiveDate,
    pub affiliation_start: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub exit_reason: Option<String>,
    pub status: AffiliationStatus,
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: i64,
    national_number: String,
    employee_number: Option<String>,
    last_name: String,
    first_name: String,
    status_rank: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct DetailRow {
    id: i64,
    national_number: String,
    employee_number: Option<String>,
    last_name: String,
    first_name: String,
    gender: String,
    language: String,
    birth_date: NaiveDate,
    business_email: Option<String>,
    private_email_known: bool,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct AffiliationRow {
    id: i64,
    contract_number: String,
    contract_name: String,
    category_name: String,
    employment_start: NaiveDate,
    affiliation_start: NaiveDate,
    end_date: Option<NaiveDate>,
    exit_reason: Option<String>,
    status: String,
}

/// The employee `$2` of employer `$1`, as [`DetailRow`].
pub(crate) const EMPLOYEE_SQL: &str = "SELECT e.id, e.national_number, e.employee_number, \
        e.last_name, e.first_name, e.gender, e.language, e.birth_date, e.business_email, \
        e.private_email_known, e.version \
    FROM employees e WHERE e.employer_id = $1 AND e.id = $2";

impl DetailRow {
    /// The personal data and the version of the row.
    pub(crate) fn person(self) -> Result<(Person, i64)> {
        let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
        Ok((
            Person {
                national_number: national_number(&self.national_number)?,
                last_name: self.last_name,
                first_name: self.first_name,
                gender: Gender::from_db(&self.gender).ok_or_else(|| corrupt("gender"))?,
                language: Language::from_db(&self.language).ok_or_else(|| corrupt("language"))?,
                birth_date: self.birth_date,
                employee_number: self.employee_number,
                business_email: self.business_email,
            },
            self.version,
        ))
    }
}

/// A bound value of a query composed at run time from fixed fragments.
enum Arg {
    I64(i64),
    Text(String),
    Bool(bool),
}

/// The SQL rank of a status: lower is more favourable, so MIN picks the one to show.
const STATUS_RANK: &str = "CASE a.status WHEN 'active' THEN 1 WHEN 'passive' THEN 2 ELSE 3 END";

fn status_from_rank(rank: i64) -> AffiliationStatus {
    match rank {
        1 => AffiliationStatus::Active,
        2 => AffiliationStatus::Passive,
        _ => AffiliationStatus::Terminated,
    }
}

fn national_number(value: &str) -> Result<NationalNumber> {
    NationalNumber::parse(value)
        .map_err(|_| StoreError::Corrupt("national number in the database".to_owned()))
}

/// Composes the list query. Only fixed fragments go into the text; every value is bound.
fn list_sql(scope: &Scope, query: &EmployeeListQuery) -> (String, Vec<Arg>) {
    let mut args = vec![
        Arg::I64(scope.employer_id()),
        Arg::Bool(scope.all_contracts()),
        Arg::I64(scope.sheet_id()),
    ];
    let in_scope = in_scope_sql!("a.contract_id", "$2", "$3");
    let mut sql = format!(
        "SELECT e.id, e.national_number, e.employee_number, e.last_name, e.first_name, \
           CAST((SELECT MIN({STATUS_RANK}) FROM affiliations a \
             WHERE a.employee_id = e.id AND a.employer_id = $1 AND {in_scope}) AS BIGINT) AS status_rank \
         FROM employees e WHERE e.employer_id = $1"
    );
    let status = match query.status {
        StatusFilter::All => String::new(),
        StatusFilter::Only(status) => {
            args.push(Arg::Text(status.as_str().to_owned()));
            format!(" AND a.status = ${}", args.len())
        }
    };
    sql.push_str(&format!(
        " AND EXISTS (SELECT 1 FROM affiliations a \
           WHERE a.employee_id = e.id AND a.employer_id = $1 AND {in_scope}{status})"
    ));
    match &query.search {
        None => {}
        Some(SearchTerm::Name(prefix)) => {
            if let Some(upper) = prefix_upper_bound(prefix) {
                args.push(Arg::Text(prefix.clone()));
                args.push(Arg::Text(upper));
                let n = args.len();
                sql.push_str(&format!(
                    " AND e.search_name >= ${} AND e.search_name < ${n}",
                    n - 1
                ));
            }
        }
        Some(SearchTerm::NationalNumber(number)) => {
            args.push(Arg::Text(number.as_str().to_owned()));
            sql.push_str(&format!(" AND e.national_number = ${}", args.len()));
        }
        Some(SearchTerm::Number(text)) => {
            // An employee number, or the start of a national number typed without its end.
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            args.push(Arg::Text(text.clone()));
            let own = args.len();
            match prefix_upper_bound(&digits) {
                Some(upper) => {
                    args.push(Arg::Text(digits));
                    args.push(Arg::Text(upper));
                    let n = args.len();
                    sql.push_str(&format!(
                        " AND (e.employee_number = ${own} OR \
                           (e.national_number >= ${} AND e.national_number < ${n}))",
                        n - 1
                    ));
                }
                None => sql.push_str(&format!(" AND e.employee_number = ${own}")),
            }
        }
    }
    let key = match query.sort {
        SortOrder::Name => "search_name",
        SortOrder::Number => "number_sort",
    };
    let (comparison, direction) = match query.cursor {
        ListCursor::First => (None, "ASC"),
        ListCursor::After(id) => (Some((">", id)), "ASC"),
        ListCursor::Before(id) => (Some(("<", id)), "DESC"),
    };
    if let Some((op, id)) = comparison {
        args.push(Arg::I64(id));
        sql.push_str(&format!(
            " AND (e.{key}, e.id) {op} (SELECT k.{key}, k.id FROM employees k \
               WHERE k.employer_id = $1 AND k.id = ${})",
            args.len()
        ));
    }
    sql.push_str(&format!(
        " ORDER BY e.{key} {direction}, e.id {direction} LIMIT {}",
        PAGE_SIZE + 1
    ));
    (sql, args)
}

/// Binds composed arguments in order.
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Arg::I64(v) => query.bind(*v),
                Arg::Text(v) => query.bind(v.clone()),
                Arg::Bool(v) => query.bind(*v),
            };
        }
        query
    }};
}

impl Store {
    /// One page of the employees with at least one affiliation in the scope.
    pub async fn list_employees(
        &self,
        scope: &Scope,
        query: &EmployeeListQuery,
    ) -> Result<EmployeeListPage> {
        let (sql, args) = list_sql(scope, query);
        let mut rows: Vec<ListRow> = with_pool!(self, pool => {
            bind_args!(sqlx::query_as(AssertSqlSafe(sql)), &args)
                .fetch_all(pool)
                .await?
        });
        let more = rows.len() > PAGE_SIZE;
        rows.truncate(PAGE_SIZE);
        let (has_next, has_previous) = match query.cursor {
            ListCursor::First => (more, false),
            ListCursor::After(_) => (more, true),
            ListCursor::Before(_) => {
                rows.reverse();
                (true, more)
            }
        };
        let rows = rows
            .into_iter()
            .map(|row| {
                Ok(EmployeeListRow {
                    id: row.id,
                    national_number: national_number(&row.national_number)?,
                    employee_number: row.employee_number,
                    last_name: row.last_name,
                    first_name: row.first_name,
                    status: status_from_rank(row.status_rank),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(EmployeeListPage {
            rows,
            has_next,
            has_previous,
        })
    }

    /// The employee with this id, if they have an affiliation inside the scope; only the
    /// affiliations inside the scope come with them.
    pub async fn find_employee(&self, scope: &Scope, id: i64) -> Result<Option<EmployeeDetail>> {
        const AFFILIATIONS: &str = concat!(
            "SELECT a.id, c.number AS contract_number, c.name AS contract_name, \
               g.name AS category_name, a.employment_start, a.affiliation_start, a.end_date, \
               a.exit_reason, a.status \
             FROM affiliations a \
             JOIN contracts c ON c.id = a.contract_id \
             JOIN categories g ON g.id = a.category_id \
             WHERE a.employer_id = $1 AND a.employee_id = $4 AND ",
            in_scope_sql!("a.contract_id", "$2", "$3"),
            " ORDER BY a.affiliation_start, a.id"
        );
        let (employee, affiliations): (Option<DetailRow>, Vec<AffiliationRow>) = with_pool!(self, pool => {
            let employee = sqlx::query_as(EMPLOYEE_SQL)
                .bind(scope.employer_id())
                .bind(id)
                .fetch_optional(pool)
                .await?;
            let affiliations = sqlx::query_as(AFFILIATIONS)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(id)
                .fetch_all(pool)
                .await?;
            (employee, affiliations)
        });
        // Outside the scope means: not there at all.
        let Some(row) = employee else { return Ok(None) };
        if affiliations.is_empty() {
            return Ok(None);
        }
        let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
        let affiliations = affiliations
            .into_iter()
            .map(|a| {
                Ok(Affiliation {
                    status: AffiliationStatus::from_db(&a.status)
                        .ok_or_else(|| corrupt("affiliation status"))?,
                    id: a.id,
                    contract_number: a.contract_number,
                    contract_name: a.contract_name,
                    category_name: a.category_name,
                    employment_start: a.employment_start,
                    affiliation_start: a.affiliation_start,
                    end_date: a.end_date,
                    exit_reason: a.exit_reason,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(EmployeeDetail {
            id: row.id,
            national_number: national_number(&row.national_number)?,
            employee_number: row.employee_number,
            last_name: row.last_name,
            first_name: row.first_name,
            gender: Gender::from_db(&row.gender).ok_or_else(|| corrupt("gender"))?,
            language: Language::from_db(&row.language).ok_or_else(|| corrupt("language"))?,
            birth_date: row.birth_date,
            business_email: row.business_email,
            private_email_known: row.private_email_known,
            version: row.version,
            affiliations,
        }))
    }
}
