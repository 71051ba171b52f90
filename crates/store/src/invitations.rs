//! Invitations of existing accounts. An account belongs to its holder, not to the employer
//! that created it: a master who adds someone who already has an account only invites them,
//! and the sheet exists once the holder, logged in, accepts. Until then the invitation grants
//! nothing (no query of tenant data reads this table).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ebdesk_domain::Rights;
use serde::Serialize;
use serde_json::json;

use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, write_effects};
use crate::{Access, Result, Store, StoreError};

/// How long an invitation waits for its answer.
pub const INVITATION_VALIDITY: Duration = Duration::days(14);

/// A pending invitation as the inviting master sees it ("Gebruikers").
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SentInvitation {
    pub invitation_id: i64,
    pub display_name: String,
    pub email: String,
    pub rights: String,
    pub all_contracts: bool,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A pending invitation as the invited person sees it, after login.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReceivedInvitation {
    pub invitation_id: i64,
    pub employer_number: String,
    pub employer_name: String,
    pub rights: String,
    pub all_contracts: bool,
    pub valid_until: Option<NaiveDate>,
    pub invited_by: Option<String>,
    pub expires_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    employer_id: i64,
    employer_number: String,
    rights: String,
    all_contracts: bool,
    external: bool,
    valid_until: Option<NaiveDate>,
    expires_at: DateTime<Utc>,
    is_operator: bool,
}

const PENDING: &str = "SELECT i.employer_id, e.number AS employer_number, i.rights, \
        i.all_contracts, i.external, i.valid_until, i.expires_at, u.is_operator \
    FROM sheet_invitations i JOIN employers e ON e.id = i.employer_id \
    JOIN users u ON u.id = i.user_id \
    WHERE i.id = $1 AND i.user_id = $2 AND NOT u.disabled";
const DELETE: &str = "DELETE FROM sheet_invitations WHERE id = $1 AND user_id = $2";

/// Inside an open transaction: records the invitation of the existing account `$user_id`
/// to the employer `$employer_id` with the settings of `$sheet`. Refused when the person
/// already has a sheet or a pending invitation there.
macro_rules! insert_invitation {
    ($tx:expr, $employer_id:expr, $user_id:expr, $sheet:expr, $invited_by:expr, $now:expr) => {{
        let sheet: &$crate::sheets::NewSheet = $sheet;
        let has_sheet: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM user_sheets WHERE employer_id = $1 AND user_id = $2")
                .bind($employer_id)
                .bind($user_id)
                .fetch_optional(&mut *$tx)
                .await?;
        if has_sheet.is_some() {
            return Err($crate::StoreError::Refused("sheet-exists"));
        }
        // An expired invitation makes room for a new one.
        sqlx::query(
            "DELETE FROM sheet_invitations WHERE employer_id = $1 AND user_id = $2 \
             AND expires_at <= $3",
        )
        .bind($employer_id)
        .bind($user_id)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
        let invitation_id: i64 = sqlx::query_scalar(
            "INSERT INTO sheet_invitations (employer_id, user_id, rights, all_contracts, \
             external, valid_until, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind($employer_id)
        .bind($user_id)
        .bind(sheet.settings.rights.as_str())
        .bind(sheet.settings.contracts.is_none())
        .bind(sheet.settings.external)
        .bind(sheet.settings.valid_until)
        .bind($invited_by)
        .bind($now)
        .bind($now + $crate::invitations::INVITATION_VALIDITY)
        .fetch_one(&mut *$tx)
        .await
        .map_err(|e| match $crate::StoreError::from_write(e) {
            $crate::StoreError::Duplicate => {
                $crate::StoreError::Refused("sheet-invitation-pending")
            }
            other => other,
        })?;
        for contract_id in sheet.settings.contracts.iter().flatten() {
            sqlx::query(
                "INSERT INTO sheet_invitation_contracts (employer_id, invitation_id, contract_id) \
                 VALUES ($1, $2, $3)",
            )
            .bind($employer_id)
            .bind(invitation_id)
            .bind(*contract_id)
            .execute(&mut *$tx)
            .await
            .map_err($crate::StoreError::from_write)?;
        }
        invitation_id
    }};
}
pub(crate) use insert_invitation;

impl Store {
    /// The invitations of the master's employer that wait for an answer.
    pub async fn list_sent_invitations(&self, access: &Access) -> Result<Vec<SentInvitation>> {
        if !access.rights().can_manage_users() {
            return Err(StoreError::Forbidden);
        }
        const SQL: &str = "SELECT i.id AS invitation_id, u.display_name, u.email, i.rights, \
                i.all_contracts, i.created_at, i.expires_at \
            FROM sheet_invitations i JOIN users u ON u.id = i.user_id \
            WHERE i.employer_id = $1 ORDER BY u.display_name, u.email";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(access.scope().employer_id()).fetch_all(pool).await?
        }))
    }

    /// The invitations waiting for this person's answer, still valid at `now`.
    pub async fn list_received_invitations(
        &self,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<ReceivedInvitation>> {
        const SQL: &str = "SELECT i.id AS invitation_id, e.number AS employer_number, \
                e.name AS employer_name, i.rights, i.all_contracts, i.valid_until, \
                b.display_name AS invited_by, i.expires_at \
            FROM sheet_invitations i JOIN employers e ON e.id = i.employer_id \
            LEFT JOIN users b ON b.id = i.invited_by \
            WHERE i.user_id = $1 AND i.expires_at > $2 ORDER BY e.name, e.number";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(user_id).bind(now).fetch_all(pool).await?
        }))
    }

    /// The master withdraws an invitation that was not answered yet.
    pub async fn withdraw_sent_invitation(
        &self,
        access: &Access,
        invitation_id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !access.rights().can_manage_users() {
            return Err(StoreError::Forbidden);
        }
        let employer_id = access.scope().employer_id();
        const SQL: &str =
            "DELETE FROM sheet_invitations WHERE employer_id = $1 AND id = $2 RETURNING user_id";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            crate::sheets::recheck_master!(tx, access);
            let gone: Option<(i64,)> = sqlx::query_as(SQL)
                .bind(employer_id).bind(invitation_id).fetch_optional(&mut *tx).await?;
            let Some((user_id,)) = gone else { return Err(StoreError::NotFound) };
            let mut effects = Effects::default();
            effects.audit(Some(employer_id), AuditEvent::InvitationWithdrawn,
                json!({ "user_id": user_id, "invitation_id": invitation_id }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The invited person accepts: the sheet is created as the master set it (the contracts
    /// that still exist), the invitation is gone, and the employer's chain records it.
    /// Returns the employer's number. NotFound for anyone else's or an expired invitation.
    pub async fn accept_invitation(
        &self,
        user_id: i64,
        invitation_id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<String> {
        const CONTRACTS: &str = "INSERT INTO user_sheet_contracts (employer_id, sheet_id, contract_id) \
            SELECT employer_id, $2, contract_id FROM sheet_invitation_contracts \
            WHERE employer_id = $1 AND invitation_id = $3";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let pending: Option<PendingRow> = sqlx::query_as(PENDING)
                .bind(invitation_id).bind(user_id).fetch_optional(&mut *tx).await?;
            let Some(pending) = pending.filter(|p| p.expires_at > now) else {
                return Err(StoreError::NotFound);
            };
            if pending.is_operator {
                return Err(StoreError::Refused("sheet-operator-account"));
            }
            let rights = Rights::from_db(&pending.rights)
                .filter(|r| *r != Rights::Master)
                .ok_or_else(|| StoreError::Corrupt("invitation rights".to_owned()))?;
            let sheet_id: i64 = sqlx::query_scalar(crate::sheets::INSERT_SHEET)
                .bind(pending.employer_id).bind(user_id).bind(rights.as_str())
                .bind(pending.all_contracts).bind(pending.valid_until).bind(now)
                .bind(pending.external)
                .fetch_one(&mut *tx).await
                .map_err(|e| match StoreError::from_write(e) {
                    StoreError::Duplicate => StoreError::Refused("sheet-exists"),
                    other => other,
                })?;
            sqlx::query(CONTRACTS).bind(pending.employer_id).bind(sheet_id).bind(invitation_id)
                .execute(&mut *tx).await?;
            sqlx::query(DELETE).bind(invitation_id).bind(user_id).execute(&mut *tx).await?;
            let mut effects = Effects::default();
            effects.audit(Some(pending.employer_id), AuditEvent::InvitationAccepted,
                json!({ "user_id": user_id, "invitation_id": invitation_id, "rights": rights.as_str() }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(pending.employer_number)
        })
    }

    /// The invited person declines: the invitation is gone and the employer's chain says so.
    pub async fn decline_invitation(
        &self,
        user_id: i64,
        invitation_id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let pending: Option<PendingRow> = sqlx::query_as(PENDING)
                .bind(invitation_id).bind(user_id).fetch_optional(&mut *tx).await?;
            let Some(pending) = pending else { return Err(StoreError::NotFound) };
            sqlx::query(DELETE).bind(invitation_id).bind(user_id).execute(&mut *tx).await?;
            let mut effects = Effects::default();
            effects.audit(Some(pending.employer_id), AuditEvent::InvitationDeclined,
                json!({ "user_id": user_id, "invitation_id": invitation_id }));
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }
}
