//! Employees (affiliates) of one employer: the paged list and the detail.

use chrono::NaiveDate;
use ebdesk_domain::changes::Person;
use ebdesk_domain::search::{SearchTerm, prefix_upper_bound, search_words};
use ebdesk_domain::{AffiliationStatus, Gender, Language, NationalNumber};
use serde::Serialize;

use crate::db::with_pool;
use crate::list_query::{Keyset, ListCursor, ListQuery, Page};
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

#[derive(Debug, Clone)]
pub struct EmployeeListQuery {
    pub search: Option<SearchTerm>,
    pub status: StatusFilter,
    pub filters: EmployeeFilters,
    pub sort: SortOrder,
    pub cursor: ListCursor,
}

/// What an employee's affiliations must have for the list to keep them, besides the status:
/// one affiliation inside the scope must meet all of them (and the status filter) at once.
/// A contract or category outside the scope matches nothing. Dates are inclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmployeeFilters {
    pub contract_id: Option<i64>,
    pub category_id: Option<i64>,
    /// The affiliation started on or after this date.
    pub entry_from: Option<NaiveDate>,
    /// The affiliation started on or before this date.
    pub entry_to: Option<NaiveDate>,
    /// The affiliation ended on or after this date (it has an end date).
    pub exit_from: Option<NaiveDate>,
    /// The affiliation ended on or before this date (it has an end date).
    pub exit_to: Option<NaiveDate>,
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

/// One page of the employee list.
pub type EmployeeListPage = Page<EmployeeListRow>;

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

impl EmployeeFilters {
    /// True when an entry or exit date bounds the affiliations.
    pub fn has_period(&self) -> bool {
        [self.entry_from, self.entry_to, self.exit_from, self.exit_to]
            .iter()
            .any(Option::is_some)
    }
}

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

/// The words of a name search, as the list query binds them (see [`search_words`]).
fn name_search_words(prefix: &str) -> Vec<(String, String)> {
    search_words(prefix)
        .into_iter()
        .filter_map(|word| prefix_upper_bound(&word).map(|upper| (word, upper)))
        .collect()
}

/// Composes the list query (`select` and what follows `FROM employees e`): the employer,
/// the scope, the filters and the search. Only fixed fragments go into the text; every value
/// is bound.
fn filtered_query(select: &str, scope: &Scope, query: &EmployeeListQuery) -> ListQuery {
    let mut q = ListQuery::new(
        format!("{select} FROM employees e WHERE e.employer_id = $1"),
        [
            scope.employer_id().into(),
            scope.all_contracts().into(),
            scope.sheet_id().into(),
        ],
    );
    push_affiliation_filters(&mut q, query.status, &query.filters);
    if let Some(search) = &query.search {
        push_search(&mut q, search);
    }
    q
}

/// The employee has an affiliation inside the scope (`$2`, `$3`) that meets the status and
/// every filter.
fn push_affiliation_filters(q: &mut ListQuery, status: StatusFilter, f: &EmployeeFilters) {
    const IN_SCOPE: &str = in_scope_sql!("a.contract_id", "$2", "$3");
    // Every employee is checked against their own affiliations (the index on employee_id
    // covers scope, contract and status), except with a period: the affiliations that
    // started or ended in it are found through the date's index, usually few.
    if f.has_period() {
        q.push(
            " AND e.id IN (SELECT a.employee_id FROM affiliations a \
               WHERE a.employer_id = $1 AND ",
        );
    } else {
        q.push(
            " AND EXISTS (SELECT 1 FROM affiliations a \
               WHERE a.employee_id = e.id AND a.employer_id = $1 AND ",
        );
    }
    q.push(IN_SCOPE);
    if let StatusFilter::Only(status) = status {
        q.push_bind(" AND a.status = ", status.as_str());
    }
    if let Some(contract) = f.contract_id {
        q.push_bind(" AND a.contract_id = ", contract);
    }
    if let Some(category) = f.category_id {
        q.push_bind(" AND a.category_id = ", category);
    }
    for (fragment, date) in [
        (" AND a.affiliation_start >= ", f.entry_from),
        (" AND a.affiliation_start <= ", f.entry_to),
        (" AND a.end_date >= ", f.exit_from),
        (" AND a.end_date <= ", f.exit_to),
    ] {
        if let Some(date) = date {
            q.push_bind(fragment, date);
        }
    }
    q.push(")");
}

/// The employee matches what was typed in the search box.
fn push_search(q: &mut ListQuery, search: &SearchTerm) {
    match search {
        SearchTerm::Name(prefix) => {
            // Each typed word is the start of some word of the name. The longest typed word
            // is read as a range of the word index; each other one is looked up among the
            // words of those employees only (the primary key), before any employee row.
            let mut words = name_search_words(prefix).into_iter();
            if let Some((word, upper)) = words.next() {
                q.push(
                    " AND e.id IN (SELECT w.employee_id FROM employee_name_words w \
                       WHERE w.employer_id = $1",
                )
                .push_bind(" AND w.word >= ", word)
                .push_bind(" AND w.word < ", upper);
                for (word, upper) in words {
                    q.push(
                        " AND EXISTS (SELECT 1 FROM employee_name_words o \
                           WHERE o.employer_id = $1 AND o.employee_id = w.employee_id",
                    )
                    .push_bind(" AND o.word >= ", word)
                    .push_bind(" AND o.word < ", upper)
                    .push(")");
                }
                q.push(")");
            }
        }
        SearchTerm::NationalNumber(number) => {
            q.push_bind(" AND e.national_number = ", number.as_str().to_owned());
        }
        SearchTerm::Number(text) => {
            // An employee number, or the start of a national number typed without its end.
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            match prefix_upper_bound(&digits) {
                Some(upper) => {
                    q.push_bind(" AND (e.employee_number = ", text.clone())
                        .push_bind(" OR (e.national_number >= ", digits)
                        .push_bind(" AND e.national_number < ", upper)
                        .push("))");
                }
                None => {
                    q.push_bind(" AND e.employee_number = ", text.clone());
                }
            }
        }
    }
}

/// The page query: [`filtered_query`] with the columns of a row, the order and the keyset.
fn list_query(scope: &Scope, query: &EmployeeListQuery) -> ListQuery {
    const IN_SCOPE: &str = in_scope_sql!("a.contract_id", "$2", "$3");
    let select = format!(
        "SELECT e.id, e.national_number, e.employee_number, e.last_name, e.first_name, \
           CAST((SELECT MIN({STATUS_RANK}) FROM affiliations a \
             WHERE a.employee_id = e.id AND a.employer_id = $1 AND {IN_SCOPE}) AS BIGINT) AS status_rank"
    );
    let mut q = filtered_query(&select, scope, query);
    let key = match query.sort {
        SortOrder::Name => "search_name",
        SortOrder::Number => "number_sort",
    };
    let keyset = Keyset {
        alias: "e.",
        key: Some((key, "employees")),
        descending: false,
        // Everyone a name search finds lies together in name order; a period is read
        // through its date index, not in name order.
        sort_matches: matches!(query.search, Some(SearchTerm::Name(_)))
            || query.filters.has_period(),
    };
    q.page(&keyset, query.cursor, PAGE_SIZE);
    q
}

impl Store {
    /// One page of the employees with at least one affiliation in the scope.
    pub async fn list_employees(
        &self,
        scope: &Scope,
        query: &EmployeeListQuery,
    ) -> Result<EmployeeListPage> {
        let rows: Vec<ListRow> = with_pool!(self, pool, Db => {
            list_query(scope, query).build::<Db, _>()?.fetch_all(pool).await?
        });
        Page::from_fetched(rows, query.cursor, PAGE_SIZE).try_map(|row| {
            Ok(EmployeeListRow {
                id: row.id,
                national_number: national_number(&row.national_number)?,
                employee_number: row.employee_number,
                last_name: row.last_name,
                first_name: row.first_name,
                status: status_from_rank(row.status_rank),
            })
        })
    }

    /// How many employees [`Store::list_employees`] finds for `query` over all its pages (its
    /// sort and cursor do not matter): exact, counted in the scope like the list.
    pub async fn count_employees(&self, scope: &Scope, query: &EmployeeListQuery) -> Result<i64> {
        let (count,): (i64,) = with_pool!(self, pool, Db => {
            filtered_query("SELECT COUNT(*)", scope, query)
                .build::<Db, _>()?
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }

    /// Like [`Store::count_employees`], but reads at most `cap + 1` matches: the answer is
    /// exact up to `cap`, and `cap + 1` means "more than `cap`". A list page shows this
    /// count, so its cost stays bounded however large the employer.
    pub async fn count_employees_up_to(
        &self,
        scope: &Scope,
        query: &EmployeeListQuery,
        cap: i64,
    ) -> Result<i64> {
        let (count,): (i64,) = with_pool!(self, pool, Db => {
            let mut q = filtered_query("SELECT COUNT(*) FROM (SELECT 1", scope, query);
            q.push_bind(" LIMIT ", cap.saturating_add(1));
            q.push(") AS capped");
            q.build::<Db, _>()?.fetch_one(pool).await?
        });
        Ok(count)
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
