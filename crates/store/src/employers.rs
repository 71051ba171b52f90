//! Employers and what belongs to them: contact points, contracts, categories.

use serde::Serialize;

use crate::db::with_pool;
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store};

/// An employer (the tenant), as the home page shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Employer {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub kbo_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub notification_email: String,
}

/// An administrative, commercial or claims contact of the insurer for this employer.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ContactPoint {
    pub kind: String,
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// A group-insurance contract of the employer.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Contract {
    pub id: i64,
    pub number: String,
    pub name: String,
}

/// A personnel category of a contract.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Category {
    pub id: i64,
    pub contract_id: i64,
    pub name: String,
}

impl Store {
    /// The contact points of the scope's employer.
    pub async fn list_contact_points(&self, scope: &Scope) -> Result<Vec<ContactPoint>> {
        const SQL: &str = "SELECT kind, name, email, phone FROM contact_points \
            WHERE employer_id = $1 ORDER BY id";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(scope.employer_id()).fetch_all(pool).await?
        }))
    }

    /// The contracts inside the scope, by number.
    pub async fn list_contracts(&self, scope: &Scope) -> Result<Vec<Contract>> {
        const SQL: &str = concat!(
            "SELECT c.id, c.number, c.name FROM contracts c WHERE c.employer_id = $1 AND ",
            in_scope_sql!("c.id", "$2", "$3"),
            " ORDER BY c.number"
        );
        self.fetch_in_scope(SQL, scope).await
    }

    /// The categories of the contracts inside the scope, by contract and name.
    pub async fn list_categories(&self, scope: &Scope) -> Result<Vec<Category>> {
        const SQL: &str = concat!(
            "SELECT g.id, g.contract_id, g.name FROM categories g WHERE g.employer_id = $1 AND ",
            in_scope_sql!("g.contract_id", "$2", "$3"),
            " ORDER BY g.contract_id, g.name"
        );
        self.fetch_in_scope(SQL, scope).await
    }

    /// The contracts inside the scope (by number) and their categories (by contract and
    /// name), read in one query: the pages that offer both as filters ask for them on every
    /// request.
    pub async fn list_contracts_and_categories(
        &self,
        scope: &Scope,
    ) -> Result<(Vec<Contract>, Vec<Category>)> {
        const SQL: &str = concat!(
            "SELECT c.id, c.number, c.name, g.id AS category_id, g.name AS category_name \
             FROM contracts c LEFT JOIN categories g \
               ON g.employer_id = c.employer_id AND g.contract_id = c.id \
             WHERE c.employer_id = $1 AND ",
            in_scope_sql!("c.id", "$2", "$3"),
            " ORDER BY c.number, c.id, g.name, g.id"
        );
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            contract: Contract,
            category_id: Option<i64>,
            category_name: Option<String>,
        }
        let rows: Vec<Row> = self.fetch_in_scope(SQL, scope).await?;
        let mut contracts: Vec<Contract> = Vec::new();
        let mut categories = Vec::new();
        for row in rows {
            if let (Some(id), Some(name)) = (row.category_id, row.category_name) {
                categories.push(Category {
                    id,
                    contract_id: row.contract.id,
                    name,
                });
            }
            if contracts.last().is_none_or(|c| c.id != row.contract.id) {
                contracts.push(row.contract);
            }
        }
        Ok((contracts, categories))
    }

    /// The rows of `sql`, whose `$1` is the employer and `$2`, `$3` the scope's contracts
    /// (as `in_scope_sql!` reads them).
    async fn fetch_in_scope<T>(&self, sql: &'static str, scope: &Scope) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(sql)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .fetch_all(pool)
                .await?
        }))
    }
}
