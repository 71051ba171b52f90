//! Files the worker produced (downloads), kept in the database so that every app node can
//! serve them, and expired after [`FILE_RETENTION`]. A file is stored and served in chunks
//! of [`CHUNK_BYTES`]: a download of a million rows is never held whole in memory.

use std::io::{Read, Seek, SeekFrom};

use chrono::{DateTime, TimeDelta, Utc};

use crate::db::{BeginWrite, with_pool};
use crate::queue::action_visible_sql;
use crate::{Result, Scope, Store, StoreError};

/// How long a generated file can be fetched: 30 days.
pub const FILE_RETENTION: TimeDelta = TimeDelta::days(30);

/// The largest chunk a file is stored and served in: 1 MiB.
pub const CHUNK_BYTES: usize = 1 << 20;

/// Where a generated file's bytes are: in memory (small files), or in a temporary file the
/// producer wrote (large ones), read back a chunk at a time while it is stored.
#[derive(Debug)]
pub enum FileContent {
    Bytes(Vec<u8>),
    Spooled(std::fs::File),
}

/// A file a job produced, to be stored with its completion.
#[derive(Debug)]
pub struct GeneratedFile {
    pub file_name: String,
    pub content_type: String,
    pub content: FileContent,
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
        Self::with_content(file_name, content_type, FileContent::Bytes(content), now)
    }

    /// A file written to `spooled` (read from its start when stored), kept as [`Self::new`].
    pub fn spooled(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        spooled: std::fs::File,
        now: DateTime<Utc>,
    ) -> Self {
        Self::with_content(file_name, content_type, FileContent::Spooled(spooled), now)
    }

    fn with_content(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        content: FileContent,
        now: DateTime<Utc>,
    ) -> Self {
        GeneratedFile {
            file_name: file_name.into(),
            content_type: content_type.into(),
            content,
            expires_at: now + FILE_RETENTION,
        }
    }

    /// The file's chunks in order; at least one, empty for an empty file.
    pub(crate) fn chunks(&self) -> Result<FileChunks<'_>> {
        let reader: Box<dyn Read + Send + '_> = match &self.content {
            FileContent::Bytes(bytes) => Box::new(bytes.as_slice()),
            FileContent::Spooled(file) => {
                let mut file = file;
                file.seek(SeekFrom::Start(0)).map_err(io_error)?;
                Box::new(file)
            }
        };
        Ok(FileChunks {
            reader,
            first: true,
        })
    }
}

fn io_error(err: std::io::Error) -> StoreError {
    StoreError::Corrupt(format!("generated file: {err}"))
}

/// Reads a file's chunks of [`CHUNK_BYTES`] (the last one shorter).
pub(crate) struct FileChunks<'a> {
    reader: Box<dyn Read + Send + 'a>,
    first: bool,
}

impl FileChunks<'_> {
    /// The next chunk; None after the last.
    pub(crate) fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        let mut chunk = Vec::with_capacity(CHUNK_BYTES);
        (&mut self.reader)
            .take(CHUNK_BYTES as u64)
            .read_to_end(&mut chunk)
            .map_err(io_error)?;
        let first = std::mem::replace(&mut self.first, false);
        Ok((first || !chunk.is_empty()).then_some(chunk))
    }
}

/// Stores `$file` (a [`GeneratedFile`]) as the file of action `$action_id`, created `$now`,
/// inside an open write transaction: the file's row, then its chunks one by one.
macro_rules! insert_generated_file {
    ($tx:expr, $employer_id:expr, $action_id:expr, $file:expr, $now:expr) => {{
        let file: &$crate::GeneratedFile = $file;
        let file_id: i64 = sqlx::query_scalar(
            "INSERT INTO generated_files (employer_id, action_id, file_name, content_type, \
               content, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING id",
        )
        .bind($employer_id)
        .bind($action_id)
        .bind(file.file_name.clone())
        .bind(file.content_type.clone())
        .bind(Vec::<u8>::new())
        .bind($now)
        .bind(file.expires_at)
        .fetch_one(&mut *$tx)
        .await
        .map_err($crate::StoreError::from_write)?;
        let mut chunks = file.chunks()?;
        let (mut seq, mut size) = (0_i64, 0_i64);
        while let Some(chunk) = chunks.next_chunk()? {
            size += chunk.len() as i64;
            sqlx::query(
                "INSERT INTO generated_file_chunks (file_id, seq, bytes) VALUES ($1, $2, $3)",
            )
            .bind(file_id)
            .bind(seq)
            .bind(chunk)
            .execute(&mut *$tx)
            .await?;
            seq += 1;
        }
        sqlx::query("UPDATE generated_files SET chunks = $2, byte_size = $3 WHERE id = $1")
            .bind(file_id)
            .bind(seq)
            .bind(size)
            .execute(&mut *$tx)
            .await
            .map(|_| ())
            .map_err($crate::StoreError::from)
    }};
}
pub(crate) use insert_generated_file;

/// A stored file that can still be fetched, opened for reading its chunks. Only
/// [`Store::open_generated_file`] makes one, inside a scope: its chunks need no other check.
#[derive(Debug, Clone)]
pub struct StoredFile {
    id: i64,
    chunks: i64,
    pub byte_size: u64,
    pub file_name: String,
    pub content_type: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl StoredFile {
    /// How many chunks [`Store::read_file_chunk`] reads, from 0.
    pub fn chunk_count(&self) -> i64 {
        self.chunks.max(1)
    }
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
    id: i64,
    file_name: String,
    content_type: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    chunks: i64,
    byte_size: i64,
    /// Not expired, and not purged (a clock set back must not serve a purged file).
    available: bool,
}

impl Store {
    /// The file of an action the scope may see: the file itself, or [`FileLookup::Expired`]
    /// from `expires_at` on (whether or not the purge has run yet). None when the action is
    /// not visible or has no file.
    pub async fn open_generated_file(
        &self,
        scope: &Scope,
        action_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<FileLookup>> {
        const SQL: &str = concat!(
            "SELECT f.id, f.file_name, f.content_type, f.created_at, f.expires_at, \
               CAST(f.chunks AS BIGINT) AS chunks, CAST(f.byte_size AS BIGINT) AS byte_size, \
               (f.expires_at > $5 AND (f.chunks > 0 OR length(f.content) > 0)) AS available \
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
        Ok(row.map(|row| match row.available {
            true => FileLookup::Available(StoredFile {
                id: row.id,
                chunks: row.chunks,
                byte_size: u64::try_from(row.byte_size).unwrap_or(0),
                file_name: row.file_name,
                content_type: row.content_type,
                created_at: row.created_at,
                expires_at: row.expires_at,
            }),
            false => FileLookup::Expired {
                file_name: row.file_name,
                expired_at: row.expires_at,
            },
        }))
    }

    /// Chunk `seq` of an opened file; None when it is gone (purged meanwhile).
    pub async fn read_file_chunk(&self, file: &StoredFile, seq: i64) -> Result<Option<Vec<u8>>> {
        // A file stored before chunks existed has its bytes in its row.
        const LEGACY: &str =
            "SELECT content FROM generated_files WHERE id = $1 AND $2 = 0 AND length(content) > 0";
        const CHUNK: &str =
            "SELECT bytes FROM generated_file_chunks WHERE file_id = $1 AND seq = $2";
        let sql = if file.chunks == 0 { LEGACY } else { CHUNK };
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(file.id).bind(seq).fetch_optional(pool).await?
        }))
    }

    /// The whole file of an action, for small files and tests; see
    /// [`Store::open_generated_file`].
    pub async fn read_generated_file(&self, file: &StoredFile) -> Result<Vec<u8>> {
        let mut content = Vec::with_capacity(usize::try_from(file.byte_size).unwrap_or(0));
        for seq in 0..file.chunk_count() {
            let chunk = self.read_file_chunk(file, seq).await?;
            content.extend(chunk.ok_or(StoreError::NotFound)?);
        }
        Ok(content)
    }

    /// Empties every file expired at `now`: its chunks are deleted, its row stays so the
    /// action can still say the file has expired. Answers how many files were emptied.
    /// Every node may run it: it is idempotent.
    pub async fn purge_expired_files(&self, now: DateTime<Utc>) -> Result<u64> {
        const CHUNKS: &str = "DELETE FROM generated_file_chunks WHERE file_id IN \
            (SELECT id FROM generated_files WHERE expires_at <= $1)";
        const FILES: &str = "UPDATE generated_files SET content = $2, chunks = 0 \
            WHERE expires_at <= $1 AND (length(content) > 0 OR chunks > 0)";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(CHUNKS).bind(now).execute(&mut *tx).await?;
            let done = sqlx::query(FILES)
                .bind(now)
                .bind(Vec::<u8>::new())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(done.rows_affected())
        })
    }
}
