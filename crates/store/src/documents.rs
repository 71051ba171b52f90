//! Documents the operator publishes for an employer ("Documenten"): stored with their bytes
//! so every node serves them, read only inside a scope (a document of a contract only by a
//! sheet that covers the contract), with the first time each user opened each one.

use chrono::{DateTime, Utc};
use ebdesk_domain::DocumentKind;
use ebdesk_domain::premium::Month;
use ebdesk_domain::search::normalize_name;
use serde::Serialize;
use serde_json::json;

use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

/// Most documents a list shows: the newest.
pub const MAX_DOCUMENT_LIST: i64 = 1_000;

/// A document to publish; its type was checked by content before it came here.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// None: for the whole employer.
    pub contract_id: Option<i64>,
    pub kind: DocumentKind,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A document in a list, without its bytes.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentEntry {
    pub id: i64,
    pub kind: DocumentKind,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i64,
    pub published_at: DateTime<Utc>,
    /// The contract it is tied to, if any.
    pub contract_number: Option<String>,
    /// Whether the reader opened it before (always false in the operator's list).
    pub opened: bool,
}

/// A document to serve.
#[derive(Debug, Clone)]
pub struct DocumentFile {
    pub id: i64,
    pub kind: DocumentKind,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub contract_number: Option<String>,
}

/// An issued premium statement, listed under "Documenten premiebetaling".
#[derive(Debug, Clone, Copy)]
pub struct StatementDocument {
    pub month: Month,
    pub issued_at: DateTime<Utc>,
}

/// A reminder sent for a statement's charge of one contract ("aanmaning"), listed under
/// "Documenten premiebetaling" beside its statement.
#[derive(Debug, Clone)]
pub struct ReminderDocument {
    pub month: Month,
    pub contract_number: String,
    pub reminded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    kind: String,
    title: String,
    file_name: String,
    content_type: String,
    byte_size: i64,
    published_at: DateTime<Utc>,
    contract_number: Option<String>,
    opened: bool,
}

fn kind_of(code: &str) -> Result<DocumentKind> {
    DocumentKind::parse(code).ok_or_else(|| StoreError::Corrupt(format!("document kind {code:?}")))
}

impl TryFrom<EntryRow> for DocumentEntry {
    type Error = StoreError;

    fn try_from(r: EntryRow) -> Result<DocumentEntry> {
        Ok(DocumentEntry {
            id: r.id,
            kind: kind_of(&r.kind)?,
            title: r.title,
            file_name: r.file_name,
            content_type: r.content_type,
            byte_size: r.byte_size,
            published_at: r.published_at,
            contract_number: r.contract_number,
            opened: r.opened,
        })
    }
}

#[derive(sqlx::FromRow)]
struct FileRow {
    id: i64,
    kind: String,
    title: String,
    file_name: String,
    content_type: String,
    content: Vec<u8>,
    contract_number: Option<String>,
}

/// `%text%` for a LIKE with `ESCAPE '\'`, on the search form of `search` (lower case, no
/// accents); `%` alone when nothing was typed.
fn title_pattern(search: &str) -> String {
    let mut pattern = String::from("%");
    for c in normalize_name(search).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    if pattern.len() > 1 {
        pattern.push('%');
    }
    pattern
}

/// The documents `d` of employer `$1` the scope (`$2`, `$3`) may see: the employer's own, and
/// those of a contract the scope covers.
macro_rules! visible_documents_sql {
    ($select:literal, $tail:literal) => {
        concat!(
            $select,
            " FROM documents d \
             LEFT JOIN contracts c ON c.employer_id = d.employer_id AND c.id = d.contract_id \
             WHERE d.employer_id = $1 AND (d.contract_id IS NULL OR ",
            in_scope_sql!("d.contract_id", "$2", "$3"),
            ")",
            $tail
        )
    };
}

impl Store {
    /// Publishes a document for `employer_id` (the operator's work, not tenant-scoped), with
    /// its audit entry. A contract of another employer is refused
    /// (`document-contract-unknown`) and nothing is stored.
    pub async fn publish_document(
        &self,
        employer_id: i64,
        document: &NewDocument,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        const CONTRACT: &str = "SELECT number FROM contracts WHERE employer_id = $1 AND id = $2";
        const INSERT: &str = "INSERT INTO documents (employer_id, contract_id, kind, title, \
              search_title, file_name, content_type, byte_size, content, published_at, \
              published_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
        let publisher = actor.user_id.ok_or(StoreError::Forbidden)?;
        let d = document;
        let size = i64::try_from(d.content.len())
            .map_err(|_| StoreError::Corrupt("document size".to_owned()))?;
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let contract: Option<String> = match d.contract_id {
                Some(id) => Some(
                    sqlx::query_scalar(CONTRACT).bind(employer_id).bind(id)
                        .fetch_optional(&mut *tx).await?
                        .ok_or(StoreError::Refused("document-contract-unknown"))?,
                ),
                None => None,
            };
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(employer_id).bind(d.contract_id).bind(d.kind.as_str())
                .bind(d.title.clone()).bind(normalize_name(&d.title))
                .bind(d.file_name.clone()).bind(d.content_type.clone()).bind(size)
                .bind(d.content.as_slice()).bind(now).bind(publisher)
                .fetch_one(&mut *tx).await.map_err(StoreError::from_write)?;
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::DocumentPublished, json!({
                "document_id": id, "title": d.title, "kind": d.kind.as_str(),
                "file": d.file_name, "contract": contract,
            }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The documents the scope may see whose title holds `search` (accents and case aside;
    /// every document when it is empty), newest first, each marked opened when the scope's
    /// holder opened it before. At most [`MAX_DOCUMENT_LIST`].
    pub async fn list_documents(&self, scope: &Scope, search: &str) -> Result<Vec<DocumentEntry>> {
        const SQL: &str = visible_documents_sql!(
            "SELECT d.id, d.kind, d.title, d.file_name, d.content_type, d.byte_size, \
               d.published_at, c.number AS contract_number, \
               EXISTS (SELECT 1 FROM document_openings o JOIN user_sheets s \
                 ON s.id = $3 AND s.user_id = o.user_id WHERE o.document_id = d.id) AS opened",
            " AND d.search_title LIKE $4 ESCAPE '\\' \
              ORDER BY d.published_at DESC, d.id DESC LIMIT $5"
        );
        let rows: Vec<EntryRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id()).bind(scope.all_contracts()).bind(scope.sheet_id())
                .bind(title_pattern(search)).bind(MAX_DOCUMENT_LIST)
                .fetch_all(pool).await?
        });
        rows.into_iter().map(DocumentEntry::try_from).collect()
    }

    /// The document `document_id` when the scope may see it, recorded as opened by the
    /// scope's holder (the first time only) and, every time, in the audit log, before the
    /// caller serves it. None for a document of another employer or of a contract outside
    /// the scope: nothing is written then.
    pub async fn open_document(
        &self,
        scope: &Scope,
        document_id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Option<DocumentFile>> {
        const READ: &str = visible_documents_sql!(
            "SELECT d.id, d.kind, d.title, d.file_name, d.content_type, d.content, \
               c.number AS contract_number",
            " AND d.id = $4"
        );
        const OPENED: &str = "INSERT INTO document_openings (employer_id, document_id, \
              user_id, opened_at) SELECT $1, $2, s.user_id, $4 FROM user_sheets s \
            WHERE s.id = $3 AND s.employer_id = $1 \
            ON CONFLICT (document_id, user_id) DO NOTHING";
        let row: Option<FileRow> = with_pool!(self, pool => {
            sqlx::query_as(READ)
                .bind(scope.employer_id()).bind(scope.all_contracts()).bind(scope.sheet_id())
                .bind(document_id).fetch_optional(pool).await?
        });
        let Some(row) = row else { return Ok(None) };
        let file = DocumentFile {
            id: row.id,
            kind: kind_of(&row.kind)?,
            title: row.title,
            file_name: row.file_name,
            content_type: row.content_type,
            content: row.content,
            contract_number: row.contract_number,
        };
        let mut effects = Effects::default();
        effects.audit(
            Some(scope.employer_id()),
            AuditEvent::DocumentDownloaded,
            json!({
                "document_id": file.id, "title": file.title, "kind": file.kind.as_str(),
                "file": file.file_name, "contract": file.contract_number,
            }),
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(OPENED)
                .bind(scope.employer_id()).bind(file.id).bind(scope.sheet_id()).bind(now)
                .execute(&mut *tx).await?;
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(Some(file))
    }

    /// Every document of the employer, newest first, for the operator's console (not
    /// tenant-scoped). At most [`MAX_DOCUMENT_LIST`].
    pub async fn list_employer_documents(&self, employer_id: i64) -> Result<Vec<DocumentEntry>> {
        const SQL: &str = "SELECT d.id, d.kind, d.title, d.file_name, d.content_type, \
               d.byte_size, d.published_at, c.number AS contract_number, FALSE AS opened \
             FROM documents d \
             LEFT JOIN contracts c ON c.employer_id = d.employer_id AND c.id = d.contract_id \
             WHERE d.employer_id = $1 ORDER BY d.published_at DESC, d.id DESC LIMIT $2";
        let rows: Vec<EntryRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).bind(MAX_DOCUMENT_LIST)
                .fetch_all(pool).await?
        });
        rows.into_iter().map(DocumentEntry::try_from).collect()
    }

    /// The premium statements of the scope's employer, latest month first: a statement
    /// covers the employer, and its PDF shows each scope its own part.
    pub async fn list_statement_documents(&self, scope: &Scope) -> Result<Vec<StatementDocument>> {
        const SQL: &str = "SELECT month, issued_at FROM premium_statements \
            WHERE employer_id = $1 ORDER BY month DESC LIMIT $2";
        let rows: Vec<(String, DateTime<Utc>)> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(scope.employer_id()).bind(MAX_DOCUMENT_LIST)
                .fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(month, issued_at)| {
                let month = Month::parse(&month)
                    .ok_or_else(|| StoreError::Corrupt(format!("statement month {month:?}")))?;
                Ok(StatementDocument { month, issued_at })
            })
            .collect()
    }

    /// The reminders sent for charges of contracts inside the scope, latest first.
    pub async fn list_reminder_documents(&self, scope: &Scope) -> Result<Vec<ReminderDocument>> {
        const SQL: &str = concat!(
            "SELECT s.month, c.number, ch.reminded_at FROM premium_charges ch \
             JOIN premium_statements s ON s.employer_id = ch.employer_id AND s.id = ch.statement_id \
             JOIN contracts c ON c.employer_id = ch.employer_id AND c.id = ch.contract_id \
             WHERE ch.employer_id = $1 AND ch.reminded_at IS NOT NULL AND ",
            in_scope_sql!("ch.contract_id", "$2", "$3"),
            " ORDER BY ch.reminded_at DESC, ch.id DESC LIMIT $4"
        );
        let rows: Vec<(String, String, DateTime<Utc>)> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(MAX_DOCUMENT_LIST)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|(month, contract_number, reminded_at)| {
                let month = Month::parse(&month)
                    .ok_or_else(|| StoreError::Corrupt(format!("statement month {month:?}")))?;
                Ok(ReminderDocument {
                    month,
                    contract_number,
                    reminded_at,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_pattern_is_the_normalized_title_with_like_characters_escaped() {
        assert_eq!(title_pattern(""), "%");
        assert_eq!(title_pattern("  "), "%");
        assert_eq!(title_pattern("Règlement"), "%reglement%");
        assert_eq!(title_pattern("Brief 2026"), "%brief 2026%");
        // Punctuation (LIKE's wildcards among it) is a word break in the search form.
        assert_eq!(title_pattern("100%_x"), "%100 x%");
    }

    #[test]
    fn the_visibility_condition_keeps_employer_and_contract_scope() {
        let sql = visible_documents_sql!("SELECT d.id", "");
        assert!(sql.contains("d.employer_id = $1"));
        assert!(sql.contains("d.contract_id IS NULL OR ($2 OR d.contract_id IN"));
        assert!(sql.contains("usc.sheet_id = $3"));
    }
}
