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

/// One salary to write from the reference date on, with the salary the check saw in force
/// that day (none when there was none): the write is refused when that changed meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SalaryUpdate {
    pub affiliation_id: i64,
    pub values: SalaryValues,
    pub seen: Option<SalaryValues>,
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
/// transaction. Refused as a whole (`upload-stale`) when an affiliation is no longer active
/// in the scope on that day or its salary in force differs from the one the check saw.
/// Answers how many rows were inserted or replaced (equal rows are not counted).
/// PostgreSQL takes arrays; SQLite one JSON array of
/// `[affiliation, cents, fraction, seen cents, seen fraction]` (-1 for none seen).
pub(crate) trait BulkSalaries: sqlx::Database {
    fn write_salaries(
        tx: &mut sqlx::Transaction<'static, Self>,
        scope: &Scope,
        valid_from: NaiveDate,
        updates: &[SalaryUpdate],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64>> + Send;
}

/// One update as the engines take it: the values to write and those seen (-1: none).
type Columns = (i64, i64, i64, i64, i64);

fn columns(u: &SalaryUpdate) -> Columns {
    let (seen_annual, seen_fraction) = u.seen.map_or((-1, -1), |seen| {
        (seen.annual.0, i64::from(seen.fraction.ten_thousandths()))
    });
    (
        u.affiliation_id,
        u.values.annual.0,
        i64::from(u.values.fraction.ten_thousandths()),
        seen_annual,
        seen_fraction,
    )
}

/// Writes the updates (`j`) valid from `$4`, created at `$now`, that are still fresh: the
/// affiliation is active in the scope on `$4` and the salary in force that day is the one
/// seen. A fresh update always writes (what the check saw differs from what it brings), so
/// fewer rows written than updates means some went stale.
macro_rules! write_fresh_sql {
    ($updates:expr, $now:literal) => {
        concat!(
            "INSERT INTO affiliation_salaries (employer_id, affiliation_id, valid_from, \
               annual_cents, fraction_ten_thousandths, created_at) \
             SELECT $1, j.id, $4, j.annual, j.fraction, ",
            $now,
            " FROM ",
            $updates,
            // One look into (affiliation_id, valid_from) per row: a join on the latest
            // period made PostgreSQL hash every salary of the employer and run the MAX twice.
            " WHERE CASE WHEN j.seen_annual = -1 \
               THEN NOT EXISTS (SELECT 1 FROM affiliation_salaries m \
                 WHERE m.affiliation_id = j.id AND m.valid_from <= $4 AND m.employer_id = $1) \
               ELSE (j.seen_annual, j.seen_fraction) = (SELECT m.annual_cents, \
                   m.fraction_ten_thousandths FROM affiliation_salaries m \
                 WHERE m.affiliation_id = j.id AND m.valid_from <= $4 AND m.employer_id = $1 \
                 ORDER BY m.valid_from DESC LIMIT 1) END \
               AND EXISTS (SELECT 1 FROM affiliations a WHERE a.employer_id = $1 \
                 AND a.id = j.id AND a.affiliation_start <= $4 \
                 AND (a.end_date IS NULL OR a.end_date >= $4) AND ",
            in_scope_sql!("a.contract_id", "$2", "$3"),
            ") ON CONFLICT (affiliation_id, valid_from) DO UPDATE SET \
               annual_cents = excluded.annual_cents, \
               fraction_ten_thousandths = excluded.fraction_ten_thousandths, \
               created_at = excluded.created_at \
             WHERE affiliation_salaries.annual_cents <> excluded.annual_cents \
               OR affiliation_salaries.fraction_ten_thousandths <> excluded.fraction_ten_thousandths"
        )
    };
}

/// Refuses (`upload-stale`) a write that left updates out; the caller's transaction then
/// rolls back what it wrote. An update that brings what it saw writes nothing either way.
fn all_written(written: u64, updates: &[SalaryUpdate]) -> Result<u64> {
    let changing = updates.iter().filter(|u| u.seen != Some(u.values)).count();
    if written == changing as u64 {
        Ok(written)
    } else {
        Err(StoreError::Refused("upload-stale"))
    }
}

impl BulkSalaries for sqlx::Postgres {
    async fn write_salaries(
        tx: &mut sqlx::Transaction<'static, Self>,
        scope: &Scope,
        valid_from: NaiveDate,
        updates: &[SalaryUpdate],
        now: DateTime<Utc>,
    ) -> Result<u64> {
        // `$5`…`$9` the columns, `$10` the time.
        macro_rules! updates {
            () => {
                "UNNEST($5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[]) \
                 AS j (id, annual, fraction, seen_annual, seen_fraction)"
            };
        }
        let mut cols: [Vec<i64>; 5] = Default::default();
        for (id, annual, fraction, seen_annual, seen_fraction) in updates.iter().map(columns) {
            for (col, value) in
                cols.iter_mut()
                    .zip([id, annual, fraction, seen_annual, seen_fraction])
            {
                col.push(value);
            }
        }
        let done = sqlx::query(write_fresh_sql!(updates!(), "$10"))
            .bind(scope.employer_id())
            .bind(scope.all_contracts())
            .bind(scope.sheet_id())
            .bind(valid_from)
            .bind(&cols[0])
            .bind(&cols[1])
            .bind(&cols[2])
            .bind(&cols[3])
            .bind(&cols[4])
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::from_write)?;
        all_written(done.rows_affected(), updates)
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
        // `$5` the rows as one JSON array, `$6` the time.
        macro_rules! updates {
            () => {
                "(SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS annual, \
                   json_extract(value, '$[2]') AS fraction, \
                   json_extract(value, '$[3]') AS seen_annual, \
                   json_extract(value, '$[4]') AS seen_fraction FROM json_each($5)) AS j"
            };
        }
        // Tuples serialize as arrays, straight to text.
        let rows: Vec<Columns> = updates.iter().map(columns).collect();
        let rows = serde_json::to_string(&rows).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let done = sqlx::query(write_fresh_sql!(updates!(), "$6"))
            .bind(scope.employer_id())
            .bind(scope.all_contracts())
            .bind(scope.sheet_id())
            .bind(valid_from)
            .bind(&rows)
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::from_write)?;
        all_written(done.rows_affected(), updates)
    }
}
