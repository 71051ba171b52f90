//! "Mail naar uw contactpunt": an HR user's threads with the employer's contact points, and
//! the operator's answers. A thread is seen by its author and the employer's master users
//! (and, when it names an employee, only while their scope covers that employee); the
//! operator sees every thread. Each message is audited; e-mails only say that there is
//! something to read (the text stays in ebdesk).

use chrono::{DateTime, Utc};
use ebdesk_domain::contact::ContactKind;
use serde::Serialize;
use serde_json::json;

use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, OutgoingMail, write_effects};
use crate::scope::in_scope_sql;
use crate::{Result, Scope, Store, StoreError};

/// An attachment as received, its type found in its bytes.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A new thread's first message.
#[derive(Debug, Clone)]
pub struct NewContactThread {
    pub kind: ContactKind,
    pub subject: String,
    pub body: String,
    pub employee_id: Option<i64>,
    pub attachment: Option<NewAttachment>,
}

/// A reply in a thread.
#[derive(Debug, Clone, Copy)]
pub struct ContactReply<'a> {
    pub thread_id: i64,
    pub body: &'a str,
    pub attachment: Option<&'a NewAttachment>,
}

/// A thread as a list shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ContactThreadRow {
    pub id: i64,
    pub employer_number: String,
    pub employer_name: String,
    pub contact_kind: String,
    pub subject: String,
    pub author_name: String,
    pub employee_name: Option<String>,
    pub last_message_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// One message of a thread (its attachment by name only).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ContactMessageRow {
    pub id: i64,
    pub from_operator: bool,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub attachment_name: Option<String>,
}

/// A thread with its messages, oldest first, and who started it (for the answer's e-mail).
#[derive(Debug, Clone, Serialize)]
pub struct ContactThread {
    pub thread: ContactThreadRow,
    pub messages: Vec<ContactMessageRow>,
    #[serde(skip)]
    pub author_email: String,
    #[serde(skip)]
    pub author_language: String,
}

/// An attachment to serve.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactAttachment {
    pub attachment_name: String,
    pub attachment_type: String,
    pub attachment: Vec<u8>,
}

/// The columns of [`ContactThreadRow`] from `contact_threads t`, then `$tail`.
macro_rules! thread_sql {
    ($tail:expr) => {
        concat!(
            "SELECT t.id, r.number AS employer_number, r.name AS employer_name, t.contact_kind, \
               t.subject, u.display_name AS author_name, \
               CASE WHEN e.id IS NULL THEN NULL ELSE e.last_name || ', ' || e.first_name END \
                 AS employee_name, \
               t.last_message_at, t.answered_at \
             FROM contact_threads t \
             JOIN employers r ON r.id = t.employer_id \
             JOIN users u ON u.id = t.created_by \
             LEFT JOIN employees e ON e.employer_id = t.employer_id AND e.id = t.employee_id ",
            $tail
        )
    };
}

/// Whether the scope sees thread `t`: its author's or a master's sheet, and the employee it
/// names (if any) inside the scope. `$1` employer, `$2` all contracts, `$3` sheet.
macro_rules! thread_visible_sql {
    () => {
        concat!(
            "t.employer_id = $1 AND EXISTS (SELECT 1 FROM user_sheets s WHERE s.id = $3 \
               AND s.employer_id = t.employer_id \
               AND (s.rights = 'master' OR s.user_id = t.created_by)) \
             AND (t.employee_id IS NULL OR EXISTS (SELECT 1 FROM affiliations a \
               WHERE a.employer_id = t.employer_id AND a.employee_id = t.employee_id AND ",
            in_scope_sql!("a.contract_id", "$2", "$3"),
            "))"
        )
    };
}

const MESSAGES_SQL: &str = "SELECT m.id, m.from_operator, u.display_name AS author_name, \
       m.body, m.created_at, m.attachment_name \
     FROM contact_messages m JOIN users u ON u.id = m.author_id \
     WHERE m.thread_id = $1 ORDER BY m.id";

/// Appends a message to thread `$thread` in `$tx`.
macro_rules! insert_message_in_tx {
    ($tx:expr, $employer_id:expr, $thread:expr, $from_operator:expr, $author:expr,
     $body:expr, $attachment:expr, $now:expr) => {{
        const SQL: &str = "INSERT INTO contact_messages (employer_id, thread_id, from_operator, \
               author_id, body, created_at, attachment_name, attachment_type, attachment) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        let attachment: Option<&NewAttachment> = $attachment;
        sqlx::query(SQL)
            .bind($employer_id)
            .bind($thread)
            .bind($from_operator)
            .bind($author)
            .bind($body)
            .bind($now)
            .bind(attachment.map(|a| a.name.clone()))
            .bind(attachment.map(|a| a.content_type.clone()))
            .bind(attachment.map(|a| a.bytes.clone()))
            .execute(&mut *$tx)
            .await?;
    }};
}

/// The user of the scope's sheet, read in `$tx`.
macro_rules! sheet_user_in_tx {
    ($tx:expr, $scope:expr) => {{
        const SQL: &str = "SELECT user_id FROM user_sheets WHERE id = $1 AND employer_id = $2";
        let user: Option<i64> = sqlx::query_scalar(SQL)
            .bind($scope.sheet_id())
            .bind($scope.employer_id())
            .fetch_optional(&mut *$tx)
            .await?;
        user.ok_or(StoreError::Forbidden)?
    }};
}

impl Store {
    /// Starts a thread with a contact point: the thread, its first message, the audit entry
    /// and `mail` (to the contact point), in one transaction. An employee outside the scope
    /// is [`StoreError::NotFound`]. Answers the thread's id.
    pub async fn start_contact_thread(
        &self,
        scope: &Scope,
        new: &NewContactThread,
        mail: Option<OutgoingMail>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        const THREAD: &str = "INSERT INTO contact_threads (employer_id, contact_kind, subject, \
               employee_id, created_by, created_at, last_message_at, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, NULL) RETURNING id";
        let employer_id = scope.employer_id();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let user_id = sheet_user_in_tx!(tx, scope);
            if let Some(id) = new.employee_id
                && !crate::changes::employee_in_scope_in_tx!(tx, scope, id)
            {
                return Err(StoreError::NotFound);
            }
            let thread_id: i64 = sqlx::query_scalar(THREAD)
                .bind(employer_id)
                .bind(new.kind.as_str())
                .bind(&new.subject)
                .bind(new.employee_id)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            insert_message_in_tx!(tx, employer_id, thread_id, false, user_id, &new.body,
                new.attachment.as_ref(), now);
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::ContactMessageSent, json!({
                "thread": thread_id,
                "contact_kind": new.kind.as_str(),
                "employee_id": new.employee_id,
                "attachment": new.attachment.is_some(),
            }));
            effects.mail.extend(mail);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(thread_id)
        })
    }

    /// The threads the scope sees, newest activity first (at most 200).
    pub async fn list_contact_threads(&self, scope: &Scope) -> Result<Vec<ContactThreadRow>> {
        const SQL: &str = thread_sql!(concat!(
            "WHERE ",
            thread_visible_sql!(),
            " ORDER BY t.last_message_at DESC, t.id DESC LIMIT 200"
        ));
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .fetch_all(pool)
                .await?
        }))
    }

    /// A thread the scope sees, with its messages; None otherwise.
    pub async fn find_contact_thread(
        &self,
        scope: &Scope,
        thread_id: i64,
    ) -> Result<Option<ContactThread>> {
        const SQL: &str = thread_sql!(concat!("WHERE t.id = $4 AND ", thread_visible_sql!()));
        let row: Option<ContactThreadRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(thread_id)
                .fetch_optional(pool)
                .await?
        });
        match row {
            Some(row) => self.with_messages(row).await.map(Some),
            None => Ok(None),
        }
    }

    /// The attachment of a message of a thread the scope sees; None otherwise.
    pub async fn find_contact_attachment(
        &self,
        scope: &Scope,
        thread_id: i64,
        message_id: i64,
    ) -> Result<Option<ContactAttachment>> {
        const SQL: &str = concat!(
            "SELECT m.attachment_name, m.attachment_type, m.attachment \
             FROM contact_messages m JOIN contact_threads t \
               ON t.employer_id = m.employer_id AND t.id = m.thread_id \
             WHERE m.thread_id = $4 AND m.id = $5 AND m.attachment IS NOT NULL AND ",
            thread_visible_sql!()
        );
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(scope.employer_id())
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(thread_id)
                .bind(message_id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// The HR user's reply in a thread the scope sees (NotFound otherwise): the message, the
    /// thread waiting for the operator again, the audit entry and `mail`.
    pub async fn reply_contact_thread(
        &self,
        scope: &Scope,
        reply: ContactReply<'_>,
        mail: Option<OutgoingMail>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        const VISIBLE: &str = concat!(
            "SELECT t.id FROM contact_threads t WHERE t.id = $4 AND ",
            thread_visible_sql!()
        );
        const TOUCH: &str = "UPDATE contact_threads SET last_message_at = $3, answered_at = NULL \
            WHERE employer_id = $1 AND id = $2";
        let employer_id = scope.employer_id();
        let ContactReply {
            thread_id,
            body,
            attachment,
        } = reply;
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let user_id = sheet_user_in_tx!(tx, scope);
            let seen: Option<i64> = sqlx::query_scalar(VISIBLE)
                .bind(employer_id)
                .bind(scope.all_contracts())
                .bind(scope.sheet_id())
                .bind(thread_id)
                .fetch_optional(&mut *tx)
                .await?;
            seen.ok_or(StoreError::NotFound)?;
            insert_message_in_tx!(tx, employer_id, thread_id, false, user_id, body, attachment, now);
            sqlx::query(TOUCH).bind(employer_id).bind(thread_id).bind(now).execute(&mut *tx).await?;
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::ContactMessageSent, json!({
                "thread": thread_id, "attachment": attachment.is_some(),
            }));
            effects.mail.extend(mail);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(())
        })
    }

    async fn with_messages(&self, thread: ContactThreadRow) -> Result<ContactThread> {
        const AUTHOR: &str = "SELECT u.email, u.language FROM contact_threads t \
            JOIN users u ON u.id = t.created_by WHERE t.id = $1";
        let (messages, author): (Vec<ContactMessageRow>, (String, String)) = with_pool!(self, pool => {
            let messages = sqlx::query_as(MESSAGES_SQL).bind(thread.id).fetch_all(pool).await?;
            let author = sqlx::query_as(AUTHOR).bind(thread.id).fetch_one(pool).await?;
            (messages, author)
        });
        Ok(ContactThread {
            thread,
            messages,
            author_email: author.0,
            author_language: author.1,
        })
    }
}

/// The operator's side: every employer's threads.
impl Store {
    /// The console's inbox: threads waiting for an answer first, then the others, newest
    /// activity first (at most 200).
    pub async fn list_contact_inbox(&self) -> Result<Vec<ContactThreadRow>> {
        const SQL: &str = thread_sql!(
            "ORDER BY CASE WHEN t.answered_at IS NULL THEN 0 ELSE 1 END, \
               t.last_message_at DESC, t.id DESC LIMIT 200"
        );
        Ok(with_pool!(self, pool => { sqlx::query_as(SQL).fetch_all(pool).await? }))
    }

    /// Any thread, for the operator.
    pub async fn find_contact_thread_for_operator(
        &self,
        thread_id: i64,
    ) -> Result<Option<ContactThread>> {
        const SQL: &str = thread_sql!("WHERE t.id = $1");
        let row: Option<ContactThreadRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(thread_id).fetch_optional(pool).await?
        });
        match row {
            Some(row) => self.with_messages(row).await.map(Some),
            None => Ok(None),
        }
    }

    /// Any attachment, for the operator.
    pub async fn find_contact_attachment_for_operator(
        &self,
        thread_id: i64,
        message_id: i64,
    ) -> Result<Option<ContactAttachment>> {
        const SQL: &str = "SELECT attachment_name, attachment_type, attachment \
            FROM contact_messages WHERE thread_id = $1 AND id = $2 AND attachment IS NOT NULL";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(thread_id).bind(message_id).fetch_optional(pool).await?
        }))
    }

    /// The operator's answer: the message, the thread answered, the audit entry and `mail`
    /// (to the author), in one transaction. NotFound for an unknown thread.
    pub async fn answer_contact_thread(
        &self,
        thread_id: i64,
        operator_id: i64,
        body: &str,
        mail: Option<OutgoingMail>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        const ANSWER: &str = "UPDATE contact_threads SET last_message_at = $2, answered_at = $2 \
            WHERE id = $1 RETURNING employer_id";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let employer_id: Option<i64> = sqlx::query_scalar(ANSWER)
                .bind(thread_id)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            let employer_id = employer_id.ok_or(StoreError::NotFound)?;
            insert_message_in_tx!(tx, employer_id, thread_id, true, operator_id, body, None, now);
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::ContactMessageAnswered,
                json!({ "thread": thread_id }));
            effects.mail.extend(mail);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(())
        })
    }
}

/// The operator's edit of an employer's contact points.
impl Store {
    /// The employer's contact points, for the operator.
    pub async fn list_employer_contact_points(
        &self,
        employer_id: i64,
    ) -> Result<Vec<crate::ContactPoint>> {
        const SQL: &str = "SELECT kind, name, email, phone FROM contact_points \
            WHERE employer_id = $1 ORDER BY id";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(employer_id).fetch_all(pool).await?
        }))
    }

    /// Replaces the employer's contact points with `points` (one per kind), with an audit
    /// entry of what changed, in one transaction.
    pub async fn replace_contact_points(
        &self,
        employer_id: i64,
        points: &[crate::NewContactPoint],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        const BEFORE: &str = "SELECT kind, name, email, phone FROM contact_points \
            WHERE employer_id = $1 ORDER BY id";
        const DELETE: &str = "DELETE FROM contact_points WHERE employer_id = $1";
        const INSERT: &str = "INSERT INTO contact_points (employer_id, kind, name, email, phone) \
            VALUES ($1, $2, $3, $4, $5)";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let before: Vec<crate::ContactPoint> =
                sqlx::query_as(BEFORE).bind(employer_id).fetch_all(&mut *tx).await?;
            sqlx::query(DELETE).bind(employer_id).execute(&mut *tx).await?;
            for p in points {
                sqlx::query(INSERT)
                    .bind(employer_id)
                    .bind(&p.kind)
                    .bind(&p.name)
                    .bind(&p.email)
                    .bind(&p.phone)
                    .execute(&mut *tx)
                    .await?;
            }
            // By kind: the log shows one line per contact point that changed.
            let by_kind = |all: &mut dyn Iterator<Item = (&str, String)>| {
                all.map(|(kind, text)| (kind.to_owned(), serde_json::Value::String(text)))
                    .collect::<serde_json::Map<_, _>>()
            };
            let shown = |name: &str, email: &str, phone: &str| format!("{name} <{email}> {phone}");
            let was = by_kind(&mut before.iter().map(|p| (p.kind.as_str(), shown(&p.name, &p.email, &p.phone))));
            let is = by_kind(&mut points.iter().map(|p| (p.kind.as_str(), shown(&p.name, &p.email, &p.phone))));
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::ContactPointsChanged,
                json!({ "before": was, "after": is }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(())
        })
    }
}
