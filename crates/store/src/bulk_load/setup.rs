//! Employers with their contact points, contracts and categories; accounts; sheets. Each
//! table in multi-row statements of [`BATCH_ROWS`], one SQL text for both engines.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{BATCH_ROWS, LoadedEmployer, NewDemoUser, NewScaleSheet, ScaleEmployer};
use crate::db::{BeginWrite, with_pool};
use crate::{NewContactPoint, Result, Store, StoreError};

/// Inserts `$items` in statements of [`BATCH_ROWS`] rows, answering rows of type `$out`:
/// `$head` is the `INSERT … ` up to
/// the values, `$bind` binds one item's columns on `$row`, `$tail` follows the values (a
/// `RETURNING`, whose rows are collected and answered, or an empty text).
macro_rules! insert_batches {
    ($tx:expr, $db:ty, $out:ty, $head:expr, $items:expr, |$row:ident, $item:ident| $bind:block, $tail:expr) => {{
        let mut returned = Vec::new();
        for part in $items.chunks(BATCH_ROWS) {
            let mut insert = sqlx::QueryBuilder::<$db>::new($head);
            insert.push_values(part, |mut $row, $item| $bind);
            insert.push($tail);
            let rows: Vec<$out> = insert
                .build_query_as()
                .fetch_all(&mut *$tx)
                .await
                .map_err(StoreError::from_write)?;
            returned.extend(rows);
        }
        returned
    }};
}

const EMPLOYERS: &str = "INSERT INTO employers (number, name, kbo_number, street, postal_code, \
    city, notification_email, created_at) ";
const CONTACT_POINTS: &str = "INSERT INTO contact_points (employer_id, kind, name, email, phone) ";
const CONTRACTS: &str = "INSERT INTO contracts (employer_id, number, name) ";
const CATEGORIES: &str = "INSERT INTO categories (employer_id, contract_id, name) ";
const USERS: &str = "INSERT INTO users (email, display_name, password_hash, language, \
    is_operator, disabled, created_at, totp_secret, totp_confirmed_at) ";
const SHEETS: &str = "INSERT INTO user_sheets (employer_id, user_id, rights, all_contracts, \
    valid_until, created_at, external) ";

/// Looks up what a `RETURNING` answered for `key`.
fn returned<K: std::hash::Hash + Eq, V: Copy>(map: &HashMap<K, V>, key: &K) -> Result<V> {
    map.get(key)
        .copied()
        .ok_or_else(|| StoreError::Corrupt("inserted row not returned".to_owned()))
}

impl Store {
    /// Creates the employers with their contact points, contracts and categories, in one
    /// transaction; answers them with their ids, in the order given.
    pub async fn insert_scale_employers(
        &self,
        employers: &[ScaleEmployer],
        contact_points: &[NewContactPoint],
        now: DateTime<Utc>,
    ) -> Result<Vec<LoadedEmployer>> {
        with_pool!(self, pool, Db => {
            let mut tx = pool.begin_write().await?;
            let ids = insert_batches!(tx, Db, (i64, String), EMPLOYERS, employers, |row, s| {
                let e = &s.employer;
                row.push_bind(e.number.clone()).push_bind(e.name.clone())
                    .push_bind(e.kbo_number.clone()).push_bind(e.street.clone())
                    .push_bind(e.postal_code.clone()).push_bind(e.city.clone())
                    .push_bind(e.notification_email.clone()).push_bind(now);
            }, " RETURNING id, number");
            let ids: HashMap<String, i64> = ids.into_iter().map(|(id, n)| (n, id)).collect();
            let employer_ids = employers
                .iter()
                .map(|s| returned(&ids, &s.employer.number))
                .collect::<Result<Vec<i64>>>()?;
            let points: Vec<(i64, &NewContactPoint)> = employer_ids
                .iter()
                .flat_map(|id| contact_points.iter().map(move |p| (*id, p)))
                .collect();
            insert_batches!(tx, Db, (i64,), CONTACT_POINTS, points, |row, p| {
                row.push_bind(p.0).push_bind(p.1.kind.clone()).push_bind(p.1.name.clone())
                    .push_bind(p.1.email.clone()).push_bind(p.1.phone.clone());
            }, "");
            let contracts: Vec<(i64, &super::ScaleContract)> = employer_ids
                .iter()
                .zip(employers)
                .flat_map(|(id, s)| s.contracts.iter().map(move |c| (*id, c)))
                .collect();
            let ids = insert_batches!(tx, Db, (i64, String), CONTRACTS, contracts, |row, c| {
                row.push_bind(c.0).push_bind(c.1.number.clone()).push_bind(c.1.name.clone());
            }, " RETURNING id, number");
            let contract_ids: HashMap<String, i64> =
                ids.into_iter().map(|(id, n)| (n, id)).collect();
            let categories = contracts
                .iter()
                .map(|(employer_id, c)| Ok((*employer_id, returned(&contract_ids, &c.number)?, *c)))
                .collect::<Result<Vec<_>>>()?;
            let categories: Vec<(i64, i64, &String)> = categories
                .iter()
                .flat_map(|(e, c, contract)| contract.categories.iter().map(move |n| (*e, *c, n)))
                .collect();
            let ids = insert_batches!(tx, Db, (i64, i64, String), CATEGORIES, categories, |row, c| {
                row.push_bind(c.0).push_bind(c.1).push_bind(c.2.clone());
            }, " RETURNING id, contract_id, name");
            tx.commit().await?;
            let category_ids: HashMap<(i64, String), i64> =
                ids.into_iter().map(|(id, c, n)| ((c, n), id)).collect();
            loaded_employers(employers, &employer_ids, &contract_ids, &category_ids)
        })
    }

    /// Creates accounts that can log in at once (password and confirmed TOTP secret);
    /// answers their ids in the order given.
    pub async fn insert_demo_users(
        &self,
        users: &[NewDemoUser],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>> {
        with_pool!(self, pool, Db => {
            let mut tx = pool.begin_write().await?;
            let ids = insert_batches!(tx, Db, (i64, String), USERS, users, |row, u| {
                row.push_bind(u.user.email.clone()).push_bind(u.user.display_name.clone())
                    .push_bind(u.user.password_hash.clone()).push_bind(u.user.language.as_str())
                    .push_bind(u.user.is_operator).push_bind(false).push_bind(now)
                    .push_bind(u.totp_secret.clone()).push_bind(now);
            }, " RETURNING id, email");
            tx.commit().await?;
            let ids: HashMap<String, i64> = ids.into_iter().map(|(id, e)| (e, id)).collect();
            users.iter().map(|u| returned(&ids, &u.user.email)).collect()
        })
    }

    /// Gives each user a sheet for all contracts of the employer, in one transaction.
    pub async fn insert_scale_sheets(
        &self,
        sheets: &[NewScaleSheet],
        now: DateTime<Utc>,
    ) -> Result<()> {
        with_pool!(self, pool, Db => {
            let mut tx = pool.begin_write().await?;
            insert_batches!(tx, Db, (i64,), SHEETS, sheets, |row, s| {
                row.push_bind(s.employer_id).push_bind(s.user_id).push_bind(s.rights.as_str())
                    .push_bind(true).push_bind(None::<NaiveDate>).push_bind(now)
                    .push_bind(s.external);
            }, "");
            tx.commit().await?;
        });
        Ok(())
    }
}

/// Puts the returned ids together in the order of `employers`.
fn loaded_employers(
    employers: &[ScaleEmployer],
    employer_ids: &[i64],
    contract_ids: &HashMap<String, i64>,
    category_ids: &HashMap<(i64, String), i64>,
) -> Result<Vec<LoadedEmployer>> {
    employers
        .iter()
        .zip(employer_ids)
        .map(|(s, id)| {
            let contracts = s
                .contracts
                .iter()
                .map(|c| {
                    let contract_id = returned(contract_ids, &c.number)?;
                    let categories = c
                        .categories
                        .iter()
                        .map(|name| returned(category_ids, &(contract_id, name.clone())))
                        .collect::<Result<Vec<i64>>>()?;
                    Ok((contract_id, categories))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(LoadedEmployer {
                id: *id,
                number: s.employer.number.clone(),
                contracts,
            })
        })
        .collect()
}
