//! Fresh databases for tests, on both engines.
//!
//! SQLite: a new file in a temporary folder. PostgreSQL: a new database on the server named
//! by `EBDESK_TEST_PG` (default `postgres://postgres@127.0.0.1:5432`). Where PostgreSQL does
//! not answer the PostgreSQL variants are skipped with a message, except with `CI=true`,
//! where they fail.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use sqlx::{Connection, Executor, PgConnection};

use crate::{Engine, Store};

/// The server key of every test store of the process: e-mail bodies are sealed with it.
pub fn test_secret_key() -> &'static ebdesk_keys::SecretKey {
    static KEY: std::sync::OnceLock<ebdesk_keys::SecretKey> = std::sync::OnceLock::new();
    KEY.get_or_init(ebdesk_keys::SecretKey::generate)
}

/// A migrated store on a fresh database, dropped (PostgreSQL) or deleted (SQLite) on
/// [`TestDb::cleanup`]; a test that panics leaves it behind for inspection.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    engine: Engine,
    name: String,
    dir: Option<PathBuf>,
}

fn pg_server() -> String {
    std::env::var("EBDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

impl TestDb {
    /// A fresh database on `engine`, or None when PostgreSQL is not there outside CI.
    pub async fn new(engine: Engine) -> Option<TestDb> {
        crate::use_secret_key(test_secret_key()).unwrap();
        let name = format!("ebdesk_test_{}", uuid::Uuid::new_v4().simple());
        let (store, url, dir) = match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).unwrap();
                let path = dir.join("ebdesk.sqlite");
                let url = format!("sqlite://{}", path.display());
                let store = Store::open_sqlite_file(&path).await.unwrap();
                (store, url, Some(dir))
            }
            Engine::Postgres => {
                let server = pg_server();
                let mut admin = match PgConnection::connect(&format!("{server}/postgres")).await {
                    Ok(conn) => conn,
                    Err(err) => {
                        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
                        assert!(
                            !ci,
                            "PostgreSQL is mandatory in CI and did not answer: {err}"
                        );
                        eprintln!("SKIPPED: PostgreSQL not reachable at {server}: {err}");
                        return None;
                    }
                };
                admin
                    .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .unwrap();
                let url = format!("{server}/{name}");
                let store = Store::connect(&url).await.unwrap();
                (store, url, None)
            }
        };
        store.migrate().await.unwrap();
        Some(TestDb {
            store,
            url,
            engine,
            name,
            dir,
        })
    }

    /// The engine the database runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Closes the pool and removes the database.
    pub async fn cleanup(self) {
        self.store.close().await;
        match self.engine {
            Engine::Sqlite => {
                if let Some(dir) = self.dir {
                    let _ = std::fs::remove_dir_all(dir);
                }
            }
            Engine::Postgres => {
                if let Ok(mut admin) =
                    PgConnection::connect(&format!("{}/postgres", pg_server())).await
                {
                    let _ = admin
                        .execute(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                            self.name
                        )))
                        .await;
                }
            }
        }
    }
}

/// Declares one async test per engine: `name::sqlite` and `name::postgres`. The body gets a
/// `TestDb` and must call `cleanup` at the end.
#[macro_export]
macro_rules! store_test {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: $crate::test_support::TestDb) $body

            #[tokio::test]
            async fn sqlite() {
                let db = $crate::test_support::TestDb::new($crate::Engine::Sqlite).await.unwrap();
                run(db).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(db) = $crate::test_support::TestDb::new($crate::Engine::Postgres).await {
                    run(db).await;
                }
            }
        }
    };
}

/// The statement of migration 0011 that fills `employee_name_words` for the employees that
/// existed before it, for `engine`: everything after its `-- backfill` line.
fn name_word_backfill(engine: Engine) -> &'static str {
    let migration = match engine {
        Engine::Sqlite => include_str!("../../../migrations/sqlite/0011_employee_list.sql"),
        Engine::Postgres => include_str!("../../../migrations/postgres/0011_employee_list.sql"),
    };
    let (_, backfill) = migration
        .split_once("-- backfill\n")
        .expect("migration 0011 has a backfill part");
    backfill
}

impl Store {
    /// The same store, with the name search's plan chosen by `tuning` (to try every plan on
    /// a few employees).
    pub fn with_search_tuning(mut self, tuning: crate::SearchTuning) -> Self {
        self.search = tuning;
        self
    }

    /// Every row of `employee_name_words`, sorted: (employer, employee, word).
    pub async fn all_name_words(&self) -> Vec<(i64, i64, String)> {
        const SQL: &str = "SELECT employer_id, employee_id, word FROM employee_name_words";
        let mut rows: Vec<(i64, i64, String)> = crate::db::with_pool!(self, pool => {
            sqlx::query_as(SQL).fetch_all(pool).await.unwrap()
        });
        rows.sort();
        rows
    }

    /// Empties `employee_name_words` and fills it again with the migration's backfill, as
    /// for a database that had employees before the table existed.
    pub async fn rerun_name_word_backfill(&self) {
        let backfill = name_word_backfill(self.engine());
        crate::db::with_pool!(self, pool => {
            sqlx::query("DELETE FROM employee_name_words").execute(pool).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(backfill)).execute(pool).await.unwrap();
        });
    }
}
