//! The two pools and the macro that runs one SQL text on whichever is active.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::{Result, StoreError};

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the active pool. The body is compiled once per engine,
/// so the same `$N` SQL text is type-checked against both.
/// The second form also names the engine's `sqlx::Database` type, for query builders.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::db::Pool::Sqlite($pool) => $body,
            $crate::db::Pool::Postgres($pool) => $body,
        }
    };
    ($store:expr, $pool:ident, $db:ident => $body:expr) => {
        match &$store.pool {
            $crate::db::Pool::Sqlite($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Sqlite;
                $body
            }
            $crate::db::Pool::Postgres($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Postgres;
                $body
            }
        }
    };
}
pub(crate) use with_pool;

/// One pooled connection held for the reads that make one answer: one acquire and one
/// release (sqlx pings a connection as it goes back) instead of one of each per query.
pub(crate) enum Reader {
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

/// Runs `$body` with `$conn` the [`Reader`]'s connection and `$db` its engine.
macro_rules! with_reader {
    ($reader:expr, $conn:ident, $db:ident => $body:expr) => {
        match $reader {
            $crate::db::Reader::Sqlite(connection) => {
                #[allow(dead_code)]
                type $db = sqlx::Sqlite;
                let $conn = &mut **connection;
                $body
            }
            $crate::db::Reader::Postgres(connection) => {
                #[allow(dead_code)]
                type $db = sqlx::Postgres;
                let $conn = &mut **connection;
                $body
            }
        }
    };
}
pub(crate) use with_reader;

/// Runs `$query` (a `query_as` with its binds, written once for both engines) on a
/// bulk-read connection of the active pool and hands each row, converted with `TryFrom`, to
/// `$each` until it answers false. Answers how many rows it took.
macro_rules! for_each_bulk_row {
    ($store:expr, $query:expr, $each:expr) => {
        $crate::db::with_pool!($store, pool => {
            use $crate::db::BulkRead as _;
            use futures_util::TryStreamExt as _;
            let mut connection = pool.begin_bulk_read().await?;
            let read = async {
                let mut taken = 0;
                let mut rows = $query.fetch(&mut *connection);
                while let Some(row) = rows.try_next().await? {
                    if !$each(row.try_into()?).await {
                        break;
                    }
                    taken += 1;
                }
                Ok(taken)
            }
            .await;
            pool.end_bulk_read(connection).await;
            read
        })
    };
}
pub(crate) use for_each_bulk_row;

/// Starts a write transaction. SQLite needs `BEGIN IMMEDIATE`, or two writers that both
/// started reading fail with SQLITE_BUSY instead of waiting.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send
    {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send
    {
        self.begin()
    }
}

/// What each SQLite connection caches: 32 000 KiB of pages (negative: KiB, not pages).
const SQLITE_CACHE: &str = "-32000";
const SQLITE_USUAL_CACHE_SQL: &str = "PRAGMA cache_size = -32000";

/// The cache of a connection that reads a whole scope once (the download, an upload's check):
/// SQLite's sort holds as much as the page cache before it spills, and those pages are
/// not read again. 100 000 sorted rows took 37 MB with 32 MB and 20 MB with 8 MB, no slower
/// (measured in the sqlite3 shell); a smaller cache for every connection made the list 20 %
/// slower.
const SQLITE_BULK_CACHE_SQL: &str = "PRAGMA cache_size = -8000";

/// A pooled connection for one read of a whole scope; see [`SQLITE_BULK_CACHE_SQL`].
pub(crate) trait BulkRead {
    type Db: sqlx::Database;
    /// A connection with the small cache. Give it back with [`BulkRead::end_bulk_read`].
    fn begin_bulk_read(
        &self,
    ) -> impl Future<Output = Result<sqlx::pool::PoolConnection<Self::Db>, sqlx::Error>> + Send;
    /// Restores the usual cache; a connection that cannot is closed rather than pooled.
    fn end_bulk_read(
        &self,
        connection: sqlx::pool::PoolConnection<Self::Db>,
    ) -> impl Future<Output = ()> + Send;
}

impl BulkRead for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_bulk_read(
        &self,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>, sqlx::Error> {
        let mut connection = self.acquire().await?;
        sqlx::query(SQLITE_BULK_CACHE_SQL)
            .execute(&mut *connection)
            .await?;
        Ok(connection)
    }

    async fn end_bulk_read(&self, mut connection: sqlx::pool::PoolConnection<sqlx::Sqlite>) {
        let restored = sqlx::query(SQLITE_USUAL_CACHE_SQL)
            .execute(&mut *connection)
            .await;
        if restored.is_err() {
            connection.close_on_drop();
        }
    }
}

impl BulkRead for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_bulk_read(
        &self,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, sqlx::Error> {
        self.acquire().await
    }

    async fn end_bulk_read(&self, _connection: sqlx::pool::PoolConnection<sqlx::Postgres>) {}
}

/// SQLite connections: each has its own thread, and on 2 cores 8 of them spent more time
/// waking each other than reading (the list page needed 15 % less CPU with 4).
const SQLITE_CONNECTIONS: u32 = 4;

/// Access to ebdesk's database, on SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    /// When the employee list's name search walks the list and when it reads its matches
    /// first (tests set it to try every plan on a small database).
    pub(crate) search: crate::employees::SearchTuning,
}

/// Bytes of heap all SQLite connections of the process aim to stay under.
const SQLITE_SOFT_HEAP_LIMIT: &str = "33554432";

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

impl Store {
    /// Connects to `postgres://…` or `sqlite://…` URLs. A SQLite file is created when missing
    /// only through [`Store::open_sqlite_file`], so a mistyped URL never silently yields an
    /// empty database.
    pub async fn connect(url: &str) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::InvalidUrl(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                // sqlx pings each connection as it is released; a second ping before each
                // acquire was one more round trip to the server per query. A connection the
                // server dropped while idle fails its next query, and is then discarded.
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Store {
                pool: Pool::Postgres(pool),
                search: Default::default(),
            })
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::InvalidUrl(e.to_string()))?;
            Self::open_sqlite(options).await
        } else {
            Err(StoreError::InvalidUrl(
                "expected a postgres:// or sqlite: URL".to_owned(),
            ))
        }
    }

    /// Opens (and creates when missing) the SQLite database file at `path`.
    pub async fn open_sqlite_file(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        Self::open_sqlite(options).await
    }

    async fn open_sqlite(options: SqliteConnectOptions) -> Result<Self> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("cache_size", SQLITE_CACHE)
            // Process-wide: past it SQLite recycles cached pages and spills big sorts
            // instead of growing (the download's sort of 100 000 rows and a full page
            // cache per connection took ~60 MB of the server's memory).
            .pragma("soft_heap_limit", SQLITE_SOFT_HEAP_LIMIT);
        let pool = SqlitePoolOptions::new()
            .max_connections(SQLITE_CONNECTIONS)
            // A SQLite connection is a file in this process: it cannot have hung up while
            // idle, and sqlx pings each one as it is released anyway. The ping before each
            // acquire was a round trip to the connection's thread per query.
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        Ok(Store {
            pool: Pool::Sqlite(pool),
            search: Default::default(),
        })
    }

    /// A connection for the reads of one answer (see [`Reader`]).
    pub(crate) async fn reader(&self) -> Result<Reader> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Reader::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Reader::Postgres(pool.acquire().await?),
        })
    }

    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Applies the pending migrations of the active engine.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Answers whether the database responds, for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every connection (on shutdown, and in tests before dropping a database).
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

impl Store {
    /// Every (table, column) of the schema, sorted, without sqlx's own bookkeeping: a test
    /// compares the two engines' migrations with it.
    pub async fn describe_schema(&self) -> Result<Vec<(String, String)>> {
        const SQLITE: &str = "SELECT m.name, p.name FROM sqlite_master m \
            JOIN pragma_table_info(m.name) p \
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
            ORDER BY 1, 2";
        const POSTGRES: &str = "SELECT table_name::text, column_name::text \
            FROM information_schema.columns \
            WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY 1, 2";
        Ok(match &self.pool {
            Pool::Sqlite(pool) => sqlx::query_as(SQLITE).fetch_all(pool).await?,
            Pool::Postgres(pool) => sqlx::query_as(POSTGRES).fetch_all(pool).await?,
        })
    }
}

impl Store {
    /// After a bulk load: statistics, and on PostgreSQL also the visibility map (VACUUM), so
    /// that index-only scans need not visit the table and autovacuum does not start that
    /// work in the middle of the first users' requests.
    pub async fn finish_bulk_load(&self) -> Result<()> {
        if let Pool::Postgres(pool) = &self.pool {
            sqlx::query("VACUUM (ANALYZE) employees, employee_name_words, affiliations")
                .execute(pool)
                .await?;
        }
        self.analyze().await
    }

    /// Refreshes the planner's statistics. After a bulk load PostgreSQL still believes the
    /// tables are empty until autovacuum runs, and picks sequential scans (for the list and
    /// for foreign-key checks) that get slower with every row.
    ///
    /// SQLite keeps only the per-index summary (sqlite_stat1): with STAT4 samples (the bundled
    /// SQLite is built with them) every statement whose range bounds are bound parameters is
    /// planned again on each execution, which cost 15 % of the list page's CPU.
    pub async fn analyze(&self) -> Result<()> {
        match &self.pool {
            Pool::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
            Pool::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                sqlx::query("ANALYZE").execute(&mut *conn).await?;
                let stat4: Option<(String,)> = sqlx::query_as(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'",
                )
                .fetch_optional(&mut *conn)
                .await?;
                if stat4.is_some() {
                    sqlx::query("DELETE FROM sqlite_stat4")
                        .execute(&mut *conn)
                        .await?;
                    // Makes every connection reload the statistics.
                    sqlx::query("ANALYZE sqlite_schema")
                        .execute(&mut *conn)
                        .await?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    #[test]
    fn a_bulk_read_gives_the_connection_back_with_the_usual_cache() {
        assert_eq!(
            SQLITE_USUAL_CACHE_SQL,
            format!("PRAGMA cache_size = {SQLITE_CACHE}")
        );
    }
}
