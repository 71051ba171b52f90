//! Files the worker produced (downloads), kept in the database so that every app node can
//! serve them, and expired after [`FILE_RETENTION`].

use chrono::{DateTime, TimeDelta, Utc};

use crate::db::{BeginWrite, with_pool};
use crate::queue::action_visible_sql;
use crate::{Result, Scope, Store};

/// How long a generated file can be fetched: 30 days.
pub const FILE_RETENTION: TimeDelta = TimeDelta::days(30);

/// A file a job produced, to be stored with its completion.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub expires_at: DateTime<Utc>,
}

impl GeneratedFile {
    /// A file kept for [`FILE_RETENTION`] from `now`.
    pub fn new(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        content: Vec<u8>,
        now: DateTime<Utc>,
    ) -> Self {
        GeneratedFile {
            file_name: file_name.into(),
            content_type: content_type.into(),
            content,
            expires_at: now + FILE_RETENTION,
        }
    }
}

/// Stores `$file` (a [`GeneratedFile`]) as the file of action `$action_id`, created `$now`,
/// inside an open write transaction: the one INSERT of a job's file.
macro_rules! insert_generated_file {
    ($tx:expr, $employer_id:expr, $action_id:expr, $file:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO generated_files (employer_id, action_id, file_name, content_type, \
               content, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($employer_id)
        .bind($action_id)
        .bind($file.file_name.clone())
        .bind($file.content_type.clone())
        .bind($file.content.as_slice())
        .bind($now)
        .bind($file.expires_at)
        .execute(&mut *$tx)
        .await
        .map_err($crate::StoreError::from_write)
    };
}
pub(crate) use insert_generated_file;

/// A stored file that can still be fetched.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What fetching an action's file finds.
#[derive(Debug, Clone)]
pub enum FileLookup {
    /// The file, within its retention.
    Available(StoredFile),
    /// The file was there and has expired: say so, with the date.
    Expired {
        file_name: String,
        expired_at: DateTime<Utc>,
    },
}

#[derive(sqlx::FromRow)]
struct FileRow {
    file_name: String,
    content_type: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    content: Option<Vec<u8>>,
}

impl Store {
    /// The file of an action the scope may see: the file itself, or [`FileLookup::Expired`]
    /// from `expires_at` on (whether or not the purge has run yet). None when the action is
    /// not visible or has no file.
    pub async fn find_generated_file(
        &self,
        scope: &Scope,
        action_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<FileLookup>> {
        const SQL: &str = concat!(
            "SELECT f.file_name, f.content_type, f.created_at, f.expires_at, \
               CASE WHEN f.expires_at > $5 THEN f.content ELSE NULL END AS content \
             FROM generated_files f \
             JOIN actions x ON x.employer_id = f.employer_id AND x.id = f.action_id \
             WHERE f.employer_id = $1 AND f.action_id = $4 AND ",
            action_visible_sql!("x")
        );
        let row: Option<FileRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(action_id)
                .bind(now)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|row| match row.content {
            // Empty content: purged (a clock set back must not serve it as an empty file).
            Some(content) if row.expires_at > now && !content.is_empty() => {
                FileLookup::Available(StoredFile {
                    file_name: row.file_name,
                    content_type: row.content_type,
                    content,
                    created_at: row.created_at,
                    expires_at: row.expires_at,
                })
            }
            _ => FileLookup::Expired {
                file_name: row.file_name,
                expired_at: row.expires_at,
            },
        }))
    }

    /// Empties the content of every file expired at `now`; the row stays, so the action can
    /// still say the file has expired. Answers how many files were emptied. Every node may
    /// run it: it is idempotent.
    pub async fn purge_expired_files(&self, now: DateTime<Utc>) -> Result<u64> {
        const SQL: &str = "UPDATE generated_files SET content = $2 \
            WHERE expires_at <= $1 AND length(content) > 0";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(SQL)
                .bind(now)
                .bind(Vec::<u8>::new())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(done.rows_affected())
        })
    }
}
