//! The rows of "Overzicht verzekerden": one per affiliation inside a scope, for the download
//! and for checking an upload against what is stored.

use chrono::NaiveDate;
use ebdesk_domain::insured_sheet::InsuredRow;
use ebdesk_domain::{AffiliationStatus, EmailAddress, Gender, Language, NationalNumber};

use crate::db::{for_each_bulk_row, with_pool};
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

/// One affiliation row with the employee it belongs to.
#[derive(Debug, Clone)]
pub struct InsuredEntry {
    pub employee_id: i64,
    /// `employees.version`: an upload applies only to the version it was checked against.
    pub version: i64,
    pub row: InsuredRow,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    employee_id: i64,
    version: i64,
    contract_number: String,
    category: String,
    employee_number: Option<String>,
    national_number: String,
    last_name: String,
    first_name: String,
    gender: String,
    language: String,
    birth_date: NaiveDate,
    employment_start: NaiveDate,
    affiliation_start: NaiveDate,
    status: String,
    end_date: Option<NaiveDate>,
    business_email: Option<String>,
    private_email_known: bool,
}

impl TryFrom<EntryRow> for InsuredEntry {
    type Error = StoreError;

    fn try_from(r: EntryRow) -> Result<InsuredEntry> {
        let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
        Ok(InsuredEntry {
            employee_id: r.employee_id,
            version: r.version,
            row: InsuredRow {
                contract_number: r.contract_number,
                category: r.category,
                employee_number: r.employee_number,
                national_number: NationalNumber::parse(&r.national_number)
                    .map_err(|_| corrupt("national number"))?,
                last_name: r.last_name,
                first_name: r.first_name,
                gender: Gender::from_db(&r.gender).ok_or_else(|| corrupt("gender"))?,
                language: Language::from_db(&r.language).ok_or_else(|| corrupt("language"))?,
                birth_date: r.birth_date,
                employment_start: r.employment_start,
                affiliation_start: r.affiliation_start,
                status: AffiliationStatus::from_db(&r.status)
                    .ok_or_else(|| corrupt("affiliation status"))?,
                end_date: r.end_date,
                // An address stored before the rules tightened still shows, as text.
                business_email: r
                    .business_email
                    .as_deref()
                    .and_then(|e| EmailAddress::parse(e).ok()),
                private_email_known: r.private_email_known,
            },
        })
    }
}

/// The rows of a scope, in no particular order (checking an upload needs no sort).
macro_rules! insured_sql {
    () => {
        concat!(
    "SELECT e.id AS employee_id, e.version, c.number AS contract_number, g.name AS category, \
       e.employee_number, e.national_number, e.last_name, e.first_name, e.gender, e.language, \
       e.birth_date, a.employment_start, a.affiliation_start, a.status, a.end_date, \
       e.business_email, e.private_email_known \
     FROM affiliations a \
     JOIN employees e ON e.employer_id = a.employer_id AND e.id = a.employee_id \
     JOIN contracts c ON c.id = a.contract_id \
     JOIN categories g ON g.id = a.category_id \
     WHERE a.employer_id = $1 AND ",
    in_scope_sql!("a.contract_id", "$2", "$3")
        )
    };
}

/// The rows in the download's order: by contract, then name.
const INSURED_SQL: &str = concat!(
    insured_sql!(),
    " ORDER BY c.number, e.search_name, e.id, a.affiliation_start, a.id"
);

impl Store {
    /// Sends every affiliation row inside the scope to `sink`, by contract and name, as the
    /// rows come from the database (memory stays flat for 100 000 rows). Stops early without
    /// error when the receiver is gone. Answers how many rows were sent.
    pub async fn stream_insured_rows(
        &self,
        scope: &Scope,
        sink: tokio::sync::mpsc::Sender<InsuredEntry>,
    ) -> Result<usize> {
        let sink = &sink;
        self.read_insured_rows(INSURED_SQL, scope, move |entry| async move {
            sink.send(entry).await.is_ok()
        })
        .await
    }

    /// Calls `each` with every affiliation row inside the scope (what an upload is checked
    /// against), in no particular order, as the rows come: nothing is collected here.
    /// Answers how many rows there were.
    pub async fn for_each_insured_row(
        &self,
        scope: &Scope,
        mut each: impl FnMut(InsuredEntry) + Send,
    ) -> Result<usize> {
        self.read_insured_rows(insured_sql!(), scope, |entry| {
            each(entry);
            std::future::ready(true)
        })
        .await
    }

    /// Runs `sql` (one of the two above) on a bulk-read connection and hands each row to
    /// `each` until it answers false. Answers how many rows it took.
    async fn read_insured_rows<Each, Took>(
        &self,
        sql: &'static str,
        scope: &Scope,
        mut each: Each,
    ) -> Result<usize>
    where
        Each: FnMut(InsuredEntry) -> Took + Send,
        Took: Future<Output = bool> + Send,
    {
        // The query is written inside the macro: it is compiled once per engine.
        for_each_bulk_row!(
            self,
            sqlx::query_as::<_, EntryRow>(sql)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id()),
            each
        )
    }

    /// Every affiliation row inside the scope (what an upload is checked against), in no
    /// particular order.
    pub async fn list_insured_rows(&self, scope: &Scope) -> Result<Vec<InsuredEntry>> {
        let rows: Vec<EntryRow> = with_pool!(self, pool => {
            sqlx::query_as(insured_sql!())
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(InsuredEntry::try_from).collect()
    }
}
