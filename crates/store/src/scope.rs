//! Who may see what: the tenant scope that every query of tenant data takes.

use chrono::NaiveDate;
use ebdesk_domain::Rights;
use serde::Serialize;

use crate::db::with_pool;
use crate::employers::Employer;
use crate::{Result, Store, StoreError};

/// The SQL condition that keeps `alias.column` inside a scope, as a `&'static str`:
/// `$all` binds `Scope::all_contracts`, `$sheet` binds `Scope::sheet_id`. One text for every
/// query, so the tenant rule is written once.
macro_rules! in_scope_sql {
    ($column:literal, $all:literal, $sheet:literal) => {
        concat!(
            "(",
            $all,
            " OR ",
            $column,
            " IN (SELECT usc.contract_id FROM user_sheet_contracts usc ",
            "WHERE usc.sheet_id = ",
            $sheet,
            "))"
        )
    };
}
pub(crate) use in_scope_sql;

/// The part of one employer's data a user may see: the employer, and all its contracts or
/// the set on the user's sheet. Only the store builds one, from a valid user sheet.
#[derive(Debug, Clone)]
pub struct Scope {
    employer_id: i64,
    sheet_id: i64,
    all_contracts: bool,
}

impl Scope {
    /// A scope for the unit tests of the SQL text.
    #[cfg(test)]
    pub(crate) fn for_test(employer_id: i64, sheet_id: i64, all_contracts: bool) -> Scope {
        Scope {
            employer_id,
            sheet_id,
            all_contracts,
        }
    }

    /// The whole of one employer, for the store's own reads on the operator's behalf (never
    /// handed out: the operator's pages name the employer, not a sheet).
    pub(crate) fn whole_employer(employer_id: i64) -> Scope {
        Scope {
            employer_id,
            sheet_id: 0,
            all_contracts: true,
        }
    }

    pub fn employer_id(&self) -> i64 {
        self.employer_id
    }

    pub(crate) fn sheet_id(&self) -> i64 {
        self.sheet_id
    }

    /// Whether the scope covers every contract of the employer.
    pub fn covers_all_contracts(&self) -> bool {
        self.all_contracts
    }

    pub(crate) fn all_contracts(&self) -> bool {
        self.all_contracts
    }
}

/// A user's access to one employer: what they may do, and where. Only the store builds one,
/// from a valid user sheet; methods that act on a master's rights read them again in their
/// transaction, so a revoked master cannot finish what a request began.
#[derive(Debug, Clone)]
pub struct Access {
    employer: Employer,
    rights: Rights,
    scope: Scope,
}

impl Access {
    /// The employer of the sheet.
    pub fn employer(&self) -> &Employer {
        &self.employer
    }

    /// The rights on the sheet, as read when the request began.
    pub fn rights(&self) -> Rights {
        self.rights
    }

    /// The part of the employer's data the sheet covers.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }
}

/// One employer a user holds a sheet at, for the employer picker.
#[derive(Debug, Clone, Serialize)]
pub struct EmployerChoice {
    pub number: String,
    pub name: String,
    pub rights: Rights,
}

#[derive(sqlx::FromRow)]
pub(crate) struct AccessRow {
    #[sqlx(flatten)]
    pub(crate) employer: Employer,
    pub(crate) sheet_id: i64,
    pub(crate) rights: String,
    pub(crate) all_contracts: bool,
}

impl TryFrom<AccessRow> for Access {
    type Error = StoreError;

    fn try_from(row: AccessRow) -> Result<Access> {
        Ok(Access {
            scope: Scope {
                employer_id: row.employer.id,
                sheet_id: row.sheet_id,
                all_contracts: row.all_contracts,
            },
            rights: parse_rights(&row.rights)?,
            employer: row.employer,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ChoiceRow {
    number: String,
    name: String,
    rights: String,
}

fn parse_rights(value: &str) -> Result<Rights> {
    Rights::from_db(value).ok_or_else(|| StoreError::Corrupt(format!("rights {value:?}")))
}

/// The access query of a user (`$1`) valid on `$3`; callers add which employer (`$2`).
macro_rules! access_sql {
    () => {
        "SELECT e.id, e.number, e.name, e.kbo_number, e.street, e.postal_code, \
            e.city, e.notification_email, s.id AS sheet_id, s.rights, s.all_contracts \
        FROM user_sheets s \
        JOIN employers e ON e.id = s.employer_id \
        JOIN users u ON u.id = s.user_id \
        WHERE s.user_id = $1 AND NOT u.disabled \
          AND (s.valid_until IS NULL OR s.valid_until >= $3)"
    };
}

impl Store {
    /// The user's access to the employer with this number, if they hold a sheet there that is
    /// still valid on `today` and their account is enabled. Read on every request, so that a
    /// revoked or narrowed sheet takes effect at once.
    pub async fn find_access(
        &self,
        user_id: i64,
        employer_number: &str,
        today: NaiveDate,
    ) -> Result<Option<Access>> {
        const SQL: &str = concat!(access_sql!(), " AND e.number = $2");
        let number = employer_number.to_owned();
        let row: Option<AccessRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(user_id)
                .bind(number)
                .bind(today)
                .fetch_optional(pool)
                .await?
        });
        row.map(Access::try_from).transpose()
    }

    /// [`Store::find_access`] by the employer's id: a job runs with the access its
    /// requester still has when it runs (a sheet revoked meanwhile stops it).
    pub async fn find_access_by_employer_id(
        &self,
        user_id: i64,
        employer_id: i64,
        today: NaiveDate,
    ) -> Result<Option<Access>> {
        const SQL: &str = concat!(access_sql!(), " AND e.id = $2");
        let row: Option<AccessRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(user_id)
                .bind(employer_id)
                .bind(today)
                .fetch_optional(pool)
                .await?
        });
        row.map(Access::try_from).transpose()
    }

    /// The employers where the user holds a sheet valid on `today`, by name.
    pub async fn list_employer_choices(
        &self,
        user_id: i64,
        today: NaiveDate,
    ) -> Result<Vec<EmployerChoice>> {
        const SQL: &str = "SELECT e.number, e.name, s.rights \
            FROM user_sheets s JOIN employers e ON e.id = s.employer_id \
            WHERE s.user_id = $1 AND (s.valid_until IS NULL OR s.valid_until >= $2) \
            ORDER BY e.name, e.number";
        let rows: Vec<ChoiceRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(user_id).bind(today).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(EmployerChoice {
                    rights: parse_rights(&row.rights)?,
                    number: row.number,
                    name: row.name,
                })
            })
            .collect()
    }
}
