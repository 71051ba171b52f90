//! Creating employers, their contracts and users, and loading affiliates in bulk.
//! Operator-level writes (CLI, demo data, later the operator console): not tenant-scoped.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::search::{employee_number_sort_key, name_words, person_search_key};
use ebdesk_domain::{AffiliationStatus, Gender, Language, NationalNumber, Rights};

use crate::db::{BeginWrite, Pool, with_pool};
use crate::{Result, Store, StoreError};

/// Rows per INSERT statement: 500 keeps PostgreSQL well under its bind limit, and SQLite's
/// `?` placeholders (which the query builder emits there) bind in linear time.
const BATCH_ROWS: usize = 500;

#[derive(Debug, Clone)]
pub struct NewEmployer {
    pub number: String,
    pub name: String,
    pub kbo_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub notification_email: String,
}

#[derive(Debug, Clone)]
pub struct NewContactPoint {
    pub kind: String,
    pub name: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub language: Language,
    pub is_operator: bool,
}

#[derive(Debug, Clone)]
pub struct NewEmployee {
    pub national_number: NationalNumber,
    pub employee_number: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub gender: Gender,
    pub language: Language,
    pub birth_date: NaiveDate,
    pub business_email: Option<String>,
    pub private_email_known: bool,
    pub affiliations: Vec<NewAffiliation>,
}

#[derive(Debug, Clone)]
pub struct NewAffiliation {
    pub contract_id: i64,
    pub category_id: i64,
    pub employment_start: NaiveDate,
    pub affiliation_start: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub exit_reason: Option<String>,
    pub status: AffiliationStatus,
}

/// The search columns of an employee, `search_name` and `number_sort`, and the words of
/// `employee_name_words`, computed in Rust so that both engines compare them alike (see
/// docs/architecture.md). The one place they are computed.
pub(crate) struct SearchKeys {
    pub(crate) name: String,
    pub(crate) number_sort: String,
    pub(crate) words: Vec<String>,
}

pub(crate) fn search_keys(
    last_name: &str,
    first_name: &str,
    employee_number: Option<&str>,
) -> SearchKeys {
    let name = person_search_key(last_name, first_name);
    SearchKeys {
        words: name_words(&name),
        name,
        number_sort: employee_number_sort_key(employee_number),
    }
}

/// Writes the name words of employees to `employee_name_words`, in the caller's
/// transaction: `(employee id, word)` rows of the employer. SQLite takes multi-row
/// statements with `?` placeholders, PostgreSQL one statement with the rows as arrays.
pub(crate) trait NameWords {
    fn insert_name_words(
        &mut self,
        employer_id: i64,
        rows: &[(i64, String)],
    ) -> impl Future<Output = Result<()>> + Send;

    /// Replaces the words of one employee (after a change of name).
    fn replace_name_words(
        &mut self,
        employer_id: i64,
        employee_id: i64,
        words: &[String],
    ) -> impl Future<Output = Result<()>> + Send;
}

const DELETE_NAME_WORDS: &str =
    "DELETE FROM employee_name_words WHERE employer_id = $1 AND employee_id = $2";

/// `(id, word)` for every word of each employee.
pub(crate) fn word_rows<'a>(
    employees: impl IntoIterator<Item = (i64, &'a [String])>,
) -> Vec<(i64, String)> {
    employees
        .into_iter()
        .flat_map(|(id, words)| words.iter().map(move |w| (id, w.clone())))
        .collect()
}

impl NameWords for sqlx::Transaction<'static, sqlx::Sqlite> {
    async fn insert_name_words(&mut self, employer_id: i64, rows: &[(i64, String)]) -> Result<()> {
        for part in rows.chunks(BATCH_ROWS) {
            let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO employee_name_words (employer_id, employee_id, word) ",
            );
            insert.push_values(part, |mut row, (employee_id, word)| {
                row.push_bind(employer_id)
                    .push_bind(*employee_id)
                    .push_bind(word.clone());
            });
            insert
                .build()
                .execute(&mut **self)
                .await
                .map_err(StoreError::from_write)?;
        }
        Ok(())
    }

    async fn replace_name_words(
        &mut self,
        employer_id: i64,
        employee_id: i64,
        words: &[String],
    ) -> Result<()> {
        sqlx::query(DELETE_NAME_WORDS)
            .bind(employer_id)
            .bind(employee_id)
            .execute(&mut **self)
            .await?;
        self.insert_name_words(employer_id, &word_rows([(employee_id, words)]))
            .await
    }
}

impl NameWords for sqlx::Transaction<'static, sqlx::Postgres> {
    async fn insert_name_words(&mut self, employer_id: i64, rows: &[(i64, String)]) -> Result<()> {
        const WORDS: &str = "INSERT INTO employee_name_words (employer_id, employee_id, word) \
            SELECT $1, ee, w FROM UNNEST($2::bigint[], $3::text[]) AS t (ee, w)";
        if rows.is_empty() {
            return Ok(());
        }
        sqlx::query(WORDS)
            .bind(employer_id)
            .bind(column(rows, |(id, _)| *id))
            .bind(column(rows, |(_, w)| w.clone()))
            .execute(&mut **self)
            .await
            .map_err(StoreError::from_write)?;
        Ok(())
    }

    async fn replace_name_words(
        &mut self,
        employer_id: i64,
        employee_id: i64,
        words: &[String],
    ) -> Result<()> {
        sqlx::query(DELETE_NAME_WORDS)
            .bind(employer_id)
            .bind(employee_id)
            .execute(&mut **self)
            .await?;
        self.insert_name_words(employer_id, &word_rows([(employee_id, words)]))
            .await
    }
}

/// The start of every INSERT of employees: the columns, in the order that
/// [`push_employee_values!`] binds them.
macro_rules! insert_employees_sql {
    () => {
        "INSERT INTO employees (employer_id, national_number, employee_number, last_name, \
         first_name, gender, language, birth_date, business_email, private_email_known, \
         search_name, number_sort, version, created_at, updated_at) "
    };
}
pub(crate) use insert_employees_sql;

/// Binds one new employee (version 1) in a `QueryBuilder::push_values` row after
/// [`insert_employees_sql!`]. `$e` has the fields of a `Person`: a [`NewEmployee`] or one.
/// The caller then writes the employee's name words ([`NameWords`]).
macro_rules! push_employee_values {
    ($row:expr, $employer_id:expr, $e:expr, $private_email_known:expr, $now:expr) => {{
        let keys = $crate::provisioning::search_keys(
            &$e.last_name,
            &$e.first_name,
            $e.employee_number.as_deref(),
        );
        $row.push_bind($employer_id)
            .push_bind($e.national_number.as_str().to_owned())
            .push_bind($e.employee_number.clone())
            .push_bind($e.last_name.clone())
            .push_bind($e.first_name.clone())
            .push_bind($e.gender.as_str())
            .push_bind($e.language.as_str())
            .push_bind($e.birth_date)
            .push_bind($e.business_email.clone())
            .push_bind($private_email_known)
            .push_bind(keys.name)
            .push_bind(keys.number_sort)
            .push_bind(1_i64)
            .push_bind($now)
            .push_bind($now);
    }};
}
pub(crate) use push_employee_values;

impl Store {
    /// True when no employer exists yet (a fresh database).
    pub async fn has_no_employers(&self) -> Result<bool> {
        const SQL: &str = "SELECT COUNT(*) FROM employers";
        let count: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(SQL).fetch_one(pool).await?
        });
        Ok(count == 0)
    }

    pub async fn find_employer_id(&self, number: &str) -> Result<Option<i64>> {
        const SQL: &str = "SELECT id FROM employers WHERE number = $1";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(SQL).bind(number.to_owned()).fetch_optional(pool).await?
        }))
    }

    pub async fn insert_employer(&self, employer: &NewEmployer, now: DateTime<Utc>) -> Result<i64> {
        const SQL: &str = "INSERT INTO employers (number, name, kbo_number, street, postal_code, \
            city, notification_email, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
            RETURNING id";
        let e = employer.clone();
        with_pool!(self, pool => {
            sqlx::query_scalar(SQL)
                .bind(e.number).bind(e.name).bind(e.kbo_number).bind(e.street)
                .bind(e.postal_code).bind(e.city).bind(e.notification_email).bind(now)
                .fetch_one(pool).await.map_err(StoreError::from_write)
        })
    }

    pub async fn insert_contact_point(
        &self,
        employer_id: i64,
        point: &NewContactPoint,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO contact_points (employer_id, kind, name, email, phone) \
            VALUES ($1, $2, $3, $4, $5)";
        let p = point.clone();
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(employer_id).bind(p.kind).bind(p.name).bind(p.email).bind(p.phone)
                .execute(pool).await?;
        });
        Ok(())
    }

    pub async fn insert_contract(&self, employer_id: i64, number: &str, name: &str) -> Result<i64> {
        const SQL: &str =
            "INSERT INTO contracts (employer_id, number, name) VALUES ($1, $2, $3) RETURNING id";
        with_pool!(self, pool => {
            sqlx::query_scalar(SQL)
                .bind(employer_id).bind(number.to_owned()).bind(name.to_owned())
                .fetch_one(pool).await.map_err(StoreError::from_write)
        })
    }

    pub async fn insert_category(
        &self,
        employer_id: i64,
        contract_id: i64,
        name: &str,
    ) -> Result<i64> {
        const SQL: &str = "INSERT INTO categories (employer_id, contract_id, name) \
            VALUES ($1, $2, $3) RETURNING id";
        with_pool!(self, pool => {
            sqlx::query_scalar(SQL)
                .bind(employer_id).bind(contract_id).bind(name.to_owned())
                .fetch_one(pool).await.map_err(StoreError::from_write)
        })
    }

    pub async fn insert_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<i64> {
        const SQL: &str = "INSERT INTO users (email, display_name, password_hash, language, \
            is_operator, disabled, created_at) VALUES ($1, $2, $3, $4, $5, FALSE, $6) RETURNING id";
        let u = user.clone();
        with_pool!(self, pool => {
            sqlx::query_scalar(SQL)
                .bind(u.email).bind(u.display_name).bind(u.password_hash)
                .bind(u.language.as_str()).bind(u.is_operator).bind(now)
                .fetch_one(pool).await.map_err(StoreError::from_write)
        })
    }

    /// Gives a user a sheet at an employer: all contracts (`contracts` None) or a set.
    pub async fn insert_sheet(
        &self,
        employer_id: i64,
        user_id: i64,
        rights: Rights,
        contracts: Option<&[i64]>,
        valid_until: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        const SHEET: &str = "INSERT INTO user_sheets (employer_id, user_id, rights, all_contracts, \
            valid_until, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        const CONTRACT: &str = "INSERT INTO user_sheet_contracts (employer_id, sheet_id, contract_id) \
            VALUES ($1, $2, $3)";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let sheet_id: i64 = sqlx::query_scalar(SHEET)
                .bind(employer_id).bind(user_id).bind(rights.as_str())
                .bind(contracts.is_none()).bind(valid_until).bind(now)
                .fetch_one(&mut *tx).await.map_err(StoreError::from_write)?;
            for contract_id in contracts.unwrap_or_default() {
                sqlx::query(CONTRACT)
                    .bind(employer_id).bind(sheet_id).bind(*contract_id)
                    .execute(&mut *tx).await.map_err(StoreError::from_write)?;
            }
            tx.commit().await?;
            Ok(sheet_id)
        })
    }

    /// Inserts employees with their affiliations, in one transaction. Returns how many
    /// employees were inserted. PostgreSQL takes each table's rows as arrays in one statement
    /// (`UNNEST`); SQLite takes multi-row statements with `?` placeholders.
    pub async fn insert_employees(
        &self,
        employer_id: i64,
        employees: &[NewEmployee],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut tx = pool.begin_write().await?;
                insert_employees_postgres(&mut tx, employer_id, employees, now).await?;
                tx.commit().await?;
            }
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin_write().await?;
                for chunk in employees.chunks(BATCH_ROWS) {
                    insert_employees_sqlite(&mut tx, employer_id, chunk, now).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(employees.len())
    }
}

/// The affiliations and the name words of the employees, each with its employee's database
/// id, found by national number in `RETURNING id, national_number`.
#[allow(clippy::type_complexity)]
fn affiliations_with_ids(
    employees: &[NewEmployee],
    returned: Vec<(i64, String)>,
) -> Result<(Vec<(i64, &NewAffiliation)>, Vec<(i64, String)>)> {
    let ids: HashMap<String, i64> = returned.into_iter().map(|(id, nn)| (nn, id)).collect();
    let mut affiliations = Vec::new();
    let mut words = Vec::new();
    for e in employees {
        let id = ids
            .get(e.national_number.as_str())
            .copied()
            .ok_or_else(|| StoreError::Corrupt("inserted employee not returned".to_owned()))?;
        affiliations.extend(e.affiliations.iter().map(|a| (id, a)));
        let keys = search_keys(&e.last_name, &e.first_name, e.employee_number.as_deref());
        words.extend(word_rows([(id, keys.words.as_slice())]));
    }
    Ok((affiliations, words))
}

async fn insert_employees_sqlite(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    employer_id: i64,
    chunk: &[NewEmployee],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(insert_employees_sql!());
    insert.push_values(chunk, |mut row, e| {
        push_employee_values!(row, employer_id, e, e.private_email_known, now);
    });
    insert.push(" RETURNING id, national_number");
    let returned: Vec<(i64, String)> = insert
        .build_query_as()
        .fetch_all(&mut **tx)
        .await
        .map_err(StoreError::from_write)?;
    let (affiliations, words) = affiliations_with_ids(chunk, returned)?;
    tx.insert_name_words(employer_id, &words).await?;
    for part in affiliations.chunks(BATCH_ROWS) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO affiliations (employer_id, employee_id, contract_id, \
             category_id, employment_start, affiliation_start, end_date, \
             exit_reason, status) ",
        );
        insert.push_values(part, |mut row, (employee_id, a)| {
            row.push_bind(employer_id)
                .push_bind(*employee_id)
                .push_bind(a.contract_id)
                .push_bind(a.category_id)
                .push_bind(a.employment_start)
                .push_bind(a.affiliation_start)
                .push_bind(a.end_date)
                .push_bind(a.exit_reason.clone())
                .push_bind(a.status.as_str());
        });
        insert
            .build()
            .execute(&mut **tx)
            .await
            .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// One statement per table, the rows bound as arrays: 1 000 000 affiliates load in a fraction
/// of the time of multi-row VALUES, whose thousands of parameters PostgreSQL parses each time.
async fn insert_employees_postgres(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    employer_id: i64,
    employees: &[NewEmployee],
    now: DateTime<Utc>,
) -> Result<()> {
    let returned = insert_employee_rows_postgres(tx, employer_id, employees, now).await?;
    let (affiliations, words) = affiliations_with_ids(employees, returned)?;
    tx.insert_name_words(employer_id, &words).await?;
    insert_affiliation_rows_postgres(tx, employer_id, &affiliations).await
}

/// One array parameter of an `UNNEST`: `field` of every item.
fn column<T, U>(items: &[T], field: impl Fn(&T) -> U) -> Vec<U> {
    items.iter().map(field).collect()
}

/// The employee rows; answers `(id, national_number)` of each.
async fn insert_employee_rows_postgres(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    employer_id: i64,
    employees: &[NewEmployee],
    now: DateTime<Utc>,
) -> Result<Vec<(i64, String)>> {
    const EMPLOYEES: &str = concat!(
        insert_employees_sql!(),
        "SELECT $1, n, en, ln, fn, g, l, bd, be, pk, sn, ns, 1, $2, $2 \
        FROM UNNEST($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], \
            $9::date[], $10::text[], $11::boolean[], $12::text[], $13::text[]) \
            AS t (n, en, ln, fn, g, l, bd, be, pk, sn, ns) \
        RETURNING id, national_number"
    );
    let (search_names, number_sorts): (Vec<String>, Vec<String>) = employees
        .iter()
        .map(|e| {
            let keys = search_keys(&e.last_name, &e.first_name, e.employee_number.as_deref());
            (keys.name, keys.number_sort)
        })
        .unzip();
    let returned = sqlx::query_as(EMPLOYEES)
        .bind(employer_id)
        .bind(now)
        .bind(column(employees, |e| e.national_number.as_str().to_owned()))
        .bind(column(employees, |e| e.employee_number.clone()))
        .bind(column(employees, |e| e.last_name.clone()))
        .bind(column(employees, |e| e.first_name.clone()))
        .bind(column(employees, |e| e.gender.as_str().to_owned()))
        .bind(column(employees, |e| e.language.as_str().to_owned()))
        .bind(column(employees, |e| e.birth_date))
        .bind(column(employees, |e| e.business_email.clone()))
        .bind(column(employees, |e| e.private_email_known))
        .bind(search_names)
        .bind(number_sorts)
        .fetch_all(&mut **tx)
        .await
        .map_err(StoreError::from_write)?;
    Ok(returned)
}

/// The affiliation rows, each with its employee's id.
async fn insert_affiliation_rows_postgres(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    employer_id: i64,
    affiliations: &[(i64, &NewAffiliation)],
) -> Result<()> {
    const AFFILIATIONS: &str = "INSERT INTO affiliations (employer_id, employee_id, \
            contract_id, category_id, employment_start, affiliation_start, end_date, \
            exit_reason, status) \
        SELECT $1, ee, co, ca, es, afs, ed, er, st \
        FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[], $5::date[], $6::date[], \
            $7::date[], $8::text[], $9::text[]) AS t (ee, co, ca, es, afs, ed, er, st)";
    sqlx::query(AFFILIATIONS)
        .bind(employer_id)
        .bind(column(affiliations, |(id, _)| *id))
        .bind(column(affiliations, |(_, a)| a.contract_id))
        .bind(column(affiliations, |(_, a)| a.category_id))
        .bind(column(affiliations, |(_, a)| a.employment_start))
        .bind(column(affiliations, |(_, a)| a.affiliation_start))
        .bind(column(affiliations, |(_, a)| a.end_date))
        .bind(column(affiliations, |(_, a)| a.exit_reason.clone()))
        .bind(column(affiliations, |(_, a)| a.status.as_str().to_owned()))
        .execute(&mut **tx)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}
