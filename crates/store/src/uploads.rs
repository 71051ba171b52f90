//! Uploads of "Overzicht verzekerden": the file and its checked result, kept with their
//! action, and the one transaction that applies the e-mail addresses.
//!
//! The store does not read workbooks: the worker stores its preview as JSON text, and the
//! web layer hands back the list of changes to apply. Every read and every decision goes
//! through a scope; the worker's calls are fenced by the job's lease.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::ActionKind;
use serde::Serialize;
use serde_json::json;

use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::generated_files::{GeneratedFile, insert_generated_file};
use crate::queue::action_visible_sql;
use crate::queue::jobs::LeaseToken;
use crate::salary_list::{BulkSalaries, SalaryUpdate};
use crate::scope::in_scope_sql;
use crate::{CompletedStatus, Result, Scope, Store, StoreError};

/// Where an upload stands, as stored in `uploads.phase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadPhase {
    /// Waiting for a worker.
    Waiting,
    /// The worker reads the file (in its child process).
    Reading,
    /// The worker compares the rows with the stored data.
    Validating,
    /// The preview is ready: the user applies or cancels.
    Ready,
    Applied,
    Cancelled,
    /// The file could not be read; `rejection` says why.
    Refused,
    /// The check never completed (its job failed for good); the action's error says why.
    Failed,
}

impl UploadPhase {
    const ALL: [UploadPhase; 8] = [
        UploadPhase::Waiting,
        UploadPhase::Reading,
        UploadPhase::Validating,
        UploadPhase::Ready,
        UploadPhase::Applied,
        UploadPhase::Cancelled,
        UploadPhase::Refused,
        UploadPhase::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UploadPhase::Waiting => "waiting",
            UploadPhase::Reading => "reading",
            UploadPhase::Validating => "validating",
            UploadPhase::Ready => "ready",
            UploadPhase::Applied => "applied",
            UploadPhase::Cancelled => "cancelled",
            UploadPhase::Refused => "refused",
            UploadPhase::Failed => "failed",
        }
    }

    fn from_db(value: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == value)
            .ok_or_else(|| StoreError::Corrupt(format!("upload phase {value:?}")))
    }
}

/// An upload as its pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct UploadRecord {
    pub action_id: i64,
    pub file_name: String,
    pub phase: UploadPhase,
    pub rows_done: i64,
    pub rows_total: i64,
    /// Why the file was refused: a message key and its arguments as JSON text, rendered in
    /// the reader's language (rows refused before keys hold Dutch text).
    #[serde(skip)]
    pub rejection: Option<String>,
    /// The worker's preview, JSON text.
    #[serde(skip)]
    pub preview: Option<String>,
    /// Its totals, JSON text.
    pub counts: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A stored upload as the worker reads it.
#[derive(Debug, Clone)]
pub struct UploadFile {
    pub file_name: String,
    pub content: Vec<u8>,
}

/// A file to check, of one kind of upload, with its job's payload (JSON text).
#[derive(Debug, Clone, Copy)]
pub struct NewUpload<'a> {
    pub kind: ActionKind,
    pub payload: &'a str,
    pub file_name: &'a str,
    pub content: &'a [u8],
}

/// What an applied salary list writes: its salaries from `valid_from` on, and the audit
/// entry's details.
#[derive(Debug, Clone)]
pub struct SalaryApply<'a> {
    pub valid_from: NaiveDate,
    pub updates: &'a [SalaryUpdate],
    pub details: serde_json::Value,
}

/// One address to write: the employee, the version the preview saw, the new address.
#[derive(Debug, Clone)]
pub struct EmailUpdate {
    pub employee_id: i64,
    pub version: i64,
    pub email: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    action_id: i64,
    file_name: String,
    phase: String,
    rows_done: i64,
    rows_total: i64,
    rejection: Option<String>,
    preview: Option<String>,
    counts: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

/// The scope may change data: an input or master sheet of the scope's own user.
const MAY_CHANGE_SQL: &str = "EXISTS (SELECT 1 FROM user_sheets ms WHERE ms.id = $3 \
    AND ms.employer_id = $1 AND ms.rights IN ('input', 'master'))";

impl Store {
    /// Files an upload of "Overzicht verzekerden": its action (requested, due at once) and
    /// the file, in one transaction. [`StoreError::Forbidden`] when the scope may only
    /// consult.
    pub async fn create_upload(
        &self,
        scope: &Scope,
        file_name: &str,
        content: &[u8],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let upload = NewUpload {
            kind: ActionKind::InsuredOverviewUpload,
            payload: "{}",
            file_name,
            content,
        };
        self.create_upload_of(scope, &upload, now).await
    }

    /// Files an upload of any kind, with its job's payload (see [`Store::create_upload`]).
    pub async fn create_upload_of(
        &self,
        scope: &Scope,
        upload: &NewUpload<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let NewUpload {
            kind,
            payload,
            file_name,
            content,
        } = *upload;
        let action = format!(
            "INSERT INTO actions (employer_id, kind, status, description, employee_id, \
               requested_by, requested_at, status_at, payload, attempts, run_after) \
             SELECT $1, '{kind}', 'requested', $4, NULL, s.user_id, $5, $5, $6, 0, $5 \
             FROM user_sheets s WHERE s.id = $3 AND s.employer_id = $1 AND $2 = $2 \
               AND {MAY_CHANGE_SQL} RETURNING id",
            kind = kind.as_str(),
        );
        const UPLOAD: &str = "INSERT INTO uploads (action_id, employer_id, file_name, content, \
            phase, rows_done, rows_total) VALUES ($1, $2, $3, $4, 'waiting', 0, 0)";
        let id: Option<i64> = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(action))
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(file_name.to_owned())
                .bind(now)
                .bind(payload.to_owned())
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(id) = id {
                sqlx::query(UPLOAD)
                    .bind(id)
                    .bind(scope.employer_id())
                    .bind(file_name.to_owned())
                    .bind(content)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            id
        });
        id.ok_or(StoreError::Forbidden)
    }

    /// The upload of an action the scope may see.
    pub async fn find_upload(&self, scope: &Scope, action_id: i64) -> Result<Option<UploadRecord>> {
        const SQL: &str = concat!(
            "SELECT u.action_id, u.file_name, u.phase, u.rows_done, u.rows_total, u.rejection, \
               u.preview, u.counts, u.decided_at \
             FROM uploads u JOIN actions x ON x.id = u.action_id AND x.employer_id = u.employer_id \
             WHERE u.action_id = $4 AND ",
            action_visible_sql!("x")
        );
        let row: Option<RecordRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(action_id)
                .fetch_optional(pool)
                .await?
        });
        row.map(|r| {
            Ok(UploadRecord {
                phase: UploadPhase::from_db(&r.phase)?,
                action_id: r.action_id,
                file_name: r.file_name,
                rows_done: r.rows_done,
                rows_total: r.rows_total,
                rejection: r.rejection,
                preview: r.preview,
                counts: r.counts,
                decided_at: r.decided_at,
            })
        })
        .transpose()
    }

    /// The file of an upload job (the worker's side: the job names the employer).
    pub async fn upload_file_for_job(
        &self,
        employer_id: i64,
        action_id: i64,
    ) -> Result<UploadFile> {
        const SQL: &str = "SELECT file_name, content FROM uploads \
            WHERE employer_id = $1 AND action_id = $2";
        let row: Option<(String, Vec<u8>)> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).bind(action_id).fetch_optional(pool).await?
        });
        let (file_name, content) = row.ok_or(StoreError::NotFound)?;
        Ok(UploadFile { file_name, content })
    }

    /// Records how far the worker got, for the progress bar; fenced by the job's lease.
    pub async fn set_upload_progress(
        &self,
        action_id: i64,
        token: &LeaseToken,
        phase: UploadPhase,
        done: usize,
        total: usize,
    ) -> Result<()> {
        const SQL: &str = "UPDATE uploads SET phase = $3, rows_done = $4, rows_total = $5 \
            WHERE action_id = $1 \
              AND phase NOT IN ('ready', 'applied', 'cancelled', 'refused', 'failed') \
              AND EXISTS (SELECT 1 FROM actions x WHERE x.id = $1 AND x.lease_token = $2)";
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(action_id)
                .bind(token.as_str().to_owned())
                .bind(phase.as_str())
                .bind(i64::try_from(done).unwrap_or(i64::MAX))
                .bind(i64::try_from(total).unwrap_or(i64::MAX))
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Records why the file was refused, a stored message (the job then fails with its
    /// reason key).
    pub async fn refuse_upload(
        &self,
        action_id: i64,
        token: &LeaseToken,
        message: &str,
    ) -> Result<()> {
        const SQL: &str = "UPDATE uploads SET phase = 'refused', rejection = $3 \
            WHERE action_id = $1 \
              AND EXISTS (SELECT 1 FROM actions x WHERE x.id = $1 AND x.lease_token = $2)";
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(action_id)
                .bind(token.as_str().to_owned())
                .bind(message.to_owned())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Stores the preview and completes the job (available: the user decides now), with
    /// the workbook of errors when there is one, in one transaction fenced by the lease.
    pub async fn finish_upload_check(
        &self,
        action_id: i64,
        token: &LeaseToken,
        preview: &str,
        counts: &str,
        errors_file: Option<&GeneratedFile>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        const UPLOAD: &str = "UPDATE uploads SET phase = 'ready', preview = $2, counts = $3, \
            rows_done = rows_total WHERE action_id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let employer_id = crate::queue::jobs::complete_in_tx!(
                tx, action_id, token, CompletedStatus::Available, now
            )?;
            sqlx::query(UPLOAD)
                .bind(action_id)
                .bind(preview.to_owned())
                .bind(counts.to_owned())
                .execute(&mut *tx)
                .await?;
            if let Some(file) = errors_file {
                insert_generated_file!(tx, employer_id, action_id, file, now)?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Applies a checked upload: every address in `updates`, the upload and its action
    /// marked done, and one audit entry with `counts`, in one transaction. Refused as a
    /// whole (`upload-stale`) when an employee changed since the check or left the scope;
    /// [`StoreError::Refused`]`("upload-not-ready")` when it was decided already.
    pub async fn apply_upload(
        &self,
        scope: &Scope,
        action_id: i64,
        updates: &[EmailUpdate],
        counts: serde_json::Value,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let decision = Decision {
            phase: UploadPhase::Applied,
            event: AuditEvent::UploadApplied,
            writes: Writes::Emails(updates),
            details: json!({ "action_id": action_id, "counts": counts }),
        };
        self.decide_upload(scope, action_id, decision, actor, now)
            .await
            .map(|_| ())
    }

    /// Applies a checked salary list: every salary of `apply` valid from its day (inserted,
    /// or replacing a different row of that day, re-dated `now`), the upload and its action
    /// marked done, and one audit entry with its details, in one transaction. Rows of
    /// affiliations that left the scope are left out; equal rows change nothing. Answers how
    /// many salary rows were written.
    pub async fn apply_salary_upload(
        &self,
        scope: &Scope,
        action_id: i64,
        apply: SalaryApply<'_>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let decision = Decision {
            phase: UploadPhase::Applied,
            event: AuditEvent::SalariesUploaded,
            writes: Writes::Salaries {
                valid_from: apply.valid_from,
                updates: apply.updates,
            },
            details: apply.details,
        };
        self.decide_upload(scope, action_id, decision, actor, now)
            .await
    }

    /// Cancels a checked upload: nothing changes but its status.
    pub async fn cancel_upload(
        &self,
        scope: &Scope,
        action_id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let decision = Decision {
            phase: UploadPhase::Cancelled,
            event: AuditEvent::UploadCancelled,
            writes: Writes::Emails(&[]),
            details: json!({ "action_id": action_id }),
        };
        self.decide_upload(scope, action_id, decision, actor, now)
            .await
            .map(|_| ())
    }

    /// Decides a checked upload; answers how many rows its writes changed.
    async fn decide_upload(
        &self,
        scope: &Scope,
        action_id: i64,
        decision: Decision<'_>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let Decision {
            phase,
            event,
            writes,
            details,
        } = decision;
        let mut effects = Effects::default();
        effects.audit(Some(scope.employer_id()), event, details);
        let decide = format!(
            "UPDATE uploads SET phase = $5, decided_by = $6, decided_at = $7 \
             WHERE action_id = $4 AND employer_id = $1 AND phase = 'ready' \
               AND {MAY_CHANGE_SQL} \
               AND EXISTS (SELECT 1 FROM actions x WHERE x.id = $4 AND {visible})",
            visible = action_visible_sql!("x"),
        );
        const ACTION: &str = "UPDATE actions SET status = 'processed', status_at = $2, \
            processed_at = $2 WHERE id = $1";
        let employer_id = scope.employer_id();
        with_pool!(self, pool, Db => {
            let mut tx = pool.begin_write().await?;
            let decided = sqlx::query(sqlx::AssertSqlSafe(decide.clone()))
                .bind(employer_id)
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(action_id)
                .bind(phase.as_str())
                .bind(actor.user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            if decided.rows_affected() != 1 {
                return Err(StoreError::Refused("upload-not-ready"));
            }
            let written = match writes {
                Writes::Emails([]) => 0,
                Writes::Emails(updates) => {
                    let changed =
                        <Db as BulkEmails>::update_emails(&mut tx, scope, updates, now).await?;
                    if changed != updates.len() as u64 {
                        // Dropping the transaction rolls back the decision too.
                        return Err(StoreError::Refused("upload-stale"));
                    }
                    changed
                }
                Writes::Salaries { updates: [], .. } => 0,
                Writes::Salaries { valid_from, updates } => {
                    <Db as BulkSalaries>::write_salaries(&mut tx, scope, valid_from, updates, now)
                        .await?
                }
            };
            sqlx::query(ACTION).bind(action_id).bind(now).execute(&mut *tx).await?;
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(written)
        })
    }
}

/// A decision on a checked upload: the phase it goes to, what it writes and the audit
/// entry's details.
struct Decision<'a> {
    phase: UploadPhase,
    event: AuditEvent,
    writes: Writes<'a>,
    details: serde_json::Value,
}

/// What an applied upload writes, by kind of upload.
#[derive(Clone, Copy)]
enum Writes<'a> {
    Emails(&'a [EmailUpdate]),
    Salaries {
        valid_from: NaiveDate,
        updates: &'a [SalaryUpdate],
    },
}

/// The condition that keeps an employee `e` inside the scope (`$1` employer, `$2` all
/// contracts, `$3` sheet).
const EMPLOYEE_IN_SCOPE: &str = concat!(
    "EXISTS (SELECT 1 FROM affiliations a WHERE a.employer_id = $1 AND a.employee_id = e.id \
       AND ",
    in_scope_sql!("a.contract_id", "$2", "$3"),
    ")"
);

/// Writes the addresses in one statement per engine and answers the number of employees
/// changed (those whose version still matches and who are still in scope). PostgreSQL takes
/// arrays; SQLite takes one JSON array of `[id, version, email]`.
trait BulkEmails: sqlx::Database {
    fn update_emails(
        tx: &mut sqlx::Transaction<'static, Self>,
        scope: &Scope,
        updates: &[EmailUpdate],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64>> + Send;
}

impl BulkEmails for sqlx::Postgres {
    async fn update_emails(
        tx: &mut sqlx::Transaction<'static, Self>,
        scope: &Scope,
        updates: &[EmailUpdate],
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let sql = format!(
            "UPDATE employees e SET business_email = j.email, version = e.version + 1, \
               updated_at = $4 \
             FROM UNNEST($5::bigint[], $6::bigint[], $7::text[]) AS j (id, version, email) \
             WHERE e.employer_id = $1 AND e.id = j.id AND e.version = j.version \
               AND {EMPLOYEE_IN_SCOPE}"
        );
        let ids: Vec<i64> = updates.iter().map(|u| u.employee_id).collect();
        let versions: Vec<i64> = updates.iter().map(|u| u.version).collect();
        let emails: Vec<Option<String>> = updates.iter().map(|u| u.email.clone()).collect();
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.employer_id())
            .bind(scope.all_contracts())
            .bind(scope.sheet_id())
            .bind(now)
            .bind(ids)
            .bind(versions)
            .bind(emails)
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected())
    }
}

impl BulkEmails for sqlx::Sqlite {
    async fn update_emails(
        tx: &mut sqlx::Transaction<'static, Self>,
        scope: &Scope,
        updates: &[EmailUpdate],
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let sql = format!(
            "UPDATE employees AS e SET business_email = j.email, version = e.version + 1, \
               updated_at = $4 \
             FROM (SELECT json_extract(value, '$[0]') AS id, \
                     json_extract(value, '$[1]') AS version, \
                     json_extract(value, '$[2]') AS email FROM json_each($5)) AS j \
             WHERE e.employer_id = $1 AND e.id = j.id AND e.version = j.version \
               AND {EMPLOYEE_IN_SCOPE}"
        );
        // Tuples serialize as arrays, straight to text (no `Value` tree of 100 000 rows).
        let rows: Vec<(i64, i64, Option<&str>)> = updates
            .iter()
            .map(|u| (u.employee_id, u.version, u.email.as_deref()))
            .collect();
        let rows = serde_json::to_string(&rows).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.employer_id())
            .bind(scope.all_contracts())
            .bind(scope.sheet_id())
            .bind(now)
            .bind(rows)
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected())
    }
}
