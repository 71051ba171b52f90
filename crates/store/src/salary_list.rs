//! "Invullijst salarissen": the affiliations of a scope active on a reference date with the
//! salary in force that day (for the download and for checking an upload), and the bulk
//! write of the salaries an upload brings.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::NationalNumber;
use ebdesk_domain::premium::{Cents, Fraction};
use ebdesk_domain::salary_list::{SalaryListRow, SalaryValues};

use crate::db::for_each_bulk_row;
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

/// One salary to write from the reference date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SalaryUpdate {
    pub affiliation_id: i64,
    pub values: SalaryValues,
}

#[derive(sqlx::FromRow)]
struct ListRow {
    affiliation_id: i64,
    contract_number: String,
    category: String,
    employee_number: Option<String>,
    last_name: String,
    first_name: String,
    national_number: String,
    annual_cents: Option<i64>,
    fraction_ten_thousandths: Option<i64>,
}

impl TryFrom<ListRow> for SalaryListRow {
    type Error = StoreError;

    fn try_from(r: ListRow) -> Result<SalaryListRow> {
        let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
        let current = match (r.annual_cents, r.fraction_ten_thousandths) {
            (Some(annual), Some(fraction)) => Some(SalaryValues {
                annual: Cents(annual),
                fraction: u16::try_from(fraction)
                    .ok()
                    .and_then(Fraction::new)
                    .ok_or_else(|| corrupt("work fraction"))?,
            }),
            _ => None,
        };
        Ok(SalaryListRow {
            affiliation_id: r.affiliation_id,
            contract_number: r.contract_number,
            category: r.category,
            employee_number: r.employee_number,
            last_name: r.last_name,
            first_name: r.first_name,
            national_number: NationalNumber::parse(&r.national_number)
                .map_err(|_| corrupt("national number"))?,
            current,
        })
    }
}

/// The affiliations of the scope active on `$4` (started on or before it, not ended before
/// it), each with the last salary row valid on or before `$4`, in the download's order.
const LIST_SQL: &str = concat!(
    "SELECT a.id AS affiliation_id, c.number AS contract_number, g.name AS category, \
       e.employee_number, e.last_name, e.first_name, e.national_number, \
       s.annual_cents, s.fraction_ten_thousandths \
     FROM affiliations a \
     JOIN employees e ON e.employer_id = a.employer_id AND e.id = a.employee_id \
     JOIN contracts c ON c.id = a.contract_id \
     JOIN categories g ON g.id = a.category_id \
     LEFT JOIN affiliation_salaries s ON s.employer_id = a.employer_id \
       AND s.affiliation_id = a.id \
       AND s.valid_from = (SELECT MAX(m.valid_from) FROM affiliation_salaries m \
         WHERE m.employer_id = a.employer_id AND m.affiliation_id = a.id \
           AND m.valid_from <= $4) \
     WHERE a.employer_id = $1 AND a.affiliation_start <= $4 \
       AND (a.end_date IS NULL OR a.end_date >= $4) AND ",
    in_scope_sql!("a.contract_id", "$2", "$3"),
    " ORDER BY c.number, g.name, e.search_name, e.id, a.id"
);

/// Keeps only the updates whose affiliation is in the scope (`$1`, `$2`, `$3`).
macro_rules! affiliation_in_scope {
    () => {
        concat!(
            "EXISTS (SELECT 1 FROM affiliations a WHERE a.employer_id = $1 AND a.id = j.id AND ",
            in_scope_sql!("a.contract_id", "$2", "$3"),
            ")"
        )
    };
}

/// On a row of the same day: replaced only when a value differs, and then re-dated, so the
/// statements see a late change by its `created_at`.
const ON_CONFLICT: &str = " ON CONFLICT (affiliation_id, valid_from) DO UPDATE SET \
    annual_cents = excluded.annual_cents, \
    fraction_ten_thousandths = excluded.fraction_ten_thousandths, \
    created_at = excluded.created_at \
    WHERE affiliation_salaries.annual_cents <> excluded.annual_cents \
      OR affiliation_salaries.fraction_ten_thousandths <> excluded.fraction_ten_thousandths";

impl Store {
    /// Calls `each` with every row of the salary list of the scope on `reference` (see
    /// [`SalaryListRow`]), in the download's order, as the rows come, until it answers
    /// false. Answers how many rows it took.
    pub async fn for_each_salary_list_row<Each, Took>(
        &self,
        scope: &Scope,
        reference: NaiveDate,
        mut each: Each,
    ) -> Result<usize>
    where
        Each: FnMut(SalaryListRow) -> Took + Send,
        Took: Future<Output = bool> + Send,
    {
        // The query is written inside the macro: it is compiled once per engine.
        for_each_bulk_row!(
            self,
            sqlx::query_as::<_, ListRow>(LIST_SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(reference),
            each
        )
    }

    /// The salary list of the scope on `reference`, collected.
    pub async fn list_salary_list_rows(
        &self,
        scope: &Scope,
        reference: NaiveDate,
    ) -> Result<Vec<SalaryListRow>> {
        let mut out = Vec::new();
        self.for_each_salary_list_row(scope, reference, |row| {
            out.push(row);
            std::future::ready(true)
        })
        .await?;
        Ok(out)
    }
}

/// Writes the salaries valid from one day in one statement per engine, inside the caller's
/// transaction; rows outside the scope are left out. Answers how many rows were inserted
/// or replaced (equal rows are not counted). PostgreSQL takes arrays; SQLite one JSON array
/// of `[affiliation, cents, fraction]`.
pub(crate) trait BulkSalaries: sqlx::Database {
    fn write_salaries(
        tx: &mut sqlx::Transaction<'static, Self>,
        scope: &Scope,
        valid_from: NaiveDate,
        updates: &[SalaryUpdate],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64>> + Send;
}

fn columns(updates: &[SalaryUpdate]) -> (Vec<i64>, Vec<i64>, Vec<i64>) {
    (
        updates.iter().map(|u| u.affiliation_id).collect(),
        updates.iter().map(|u| u.values.annual.0).collect(),
        updates
            .iter()
            .map(|u| i64::from(u.values.fraction.ten_thousandths()))
            .collect(),
    )
}

impl BulkSalaries for sqlx::Postgres {
    async fn write_salaries(
        tx: &mut sqlx::Transaction<'static, Self>,
        scope: &Scope,
        valid_from: NaiveDate,
        updates: &[SalaryUpdate],
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let sql = format!(
            "INSERT INTO affiliation_salaries (employer_id, affiliation_id, valid_from, \
               annual_cents, fraction_ten_thousandths, created_at) \
             SELECT $1, j.id, $4, j.annual, j.fraction, $5 \
             FROM UNNEST($6::bigint[], $7::bigint[], $8::bigint[]) AS j (id, annual, fraction) \
             WHERE {}{ON_CONFLICT}",
            affiliation_in_scope!()
        );
        let (ids, annual, fraction) = columns(updates);
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.employer_id())
            .bind(scope.all_contracts())
            .bind(scope.sheet_id())
            .bind(valid_from)
            .bind(now)
            .bind(ids)
            .bind(annual)
            .bind(fraction)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::from_write)?;
        Ok(done.rows_affected())
    }
}

impl BulkSalaries for sqlx::Sqlite {
    async fn write_salaries(
        tx: &mut sqlx::Transaction<'static, Self>,
        scope: &Scope,
        valid_from: NaiveDate,
        updates: &[SalaryUpdate],
        now: DateTime<Utc>,
    ) -> Result<u64> {
        // The WHERE also keeps SQLite from reading ON CONFLICT as a join's ON.
        let sql = format!(
            "INSERT INTO affiliation_salaries (employer_id, affiliation_id, valid_from, \
               annual_cents, fraction_ten_thousandths, created_at) \
             SELECT $1, j.id, $4, j.annual, j.fraction, $5 \
             FROM (SELECT json_extract(value, '$[0]') AS id, \
                     json_extract(value, '$[1]') AS annual, \
                     json_extract(value, '$[2]') AS fraction FROM json_each($6)) AS j \
             WHERE {}{ON_CONFLICT}",
            affiliation_in_scope!()
        );
        let rows: Vec<(i64, i64, u16)> = updates
            .iter()
            .map(|u| {
                (
                    u.affiliation_id,
                    u.values.annual.0,
                    u.values.fraction.ten_thousandths(),
                )
            })
            .collect();
        let rows = serde_json::to_string(&rows).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.employer_id())
            .bind(scope.all_contracts())
            .bind(scope.sheet_id())
            .bind(valid_from)
            .bind(now)
            .bind(rows)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::from_write)?;
        Ok(done.rows_affected())
    }
}
