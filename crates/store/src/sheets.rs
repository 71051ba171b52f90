//! User sheets (gebruikersfiches): who may consult or also change what at one employer. Only
//! the employer's master user manages them, through their own [`Access`]; every change is
//! audited in its transaction, and a new person's invitation is queued with it.

use chrono::{DateTime, NaiveDate, Utc};
use ebdesk_domain::Rights;
use serde::Serialize;
use serde_json::json;

use crate::accounts::{TokenPurpose, insert_token_sql};
use crate::audit::AuditEvent;
use crate::db::{BeginWrite, with_pool};
use crate::effects::{Actor, Effects, OutgoingMail, write_effects};
use crate::{Access, Result, Store, StoreError};

/// One line of "Gebruikers".
#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    pub sheet_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    /// The person's language ("nl", "fr", "en"), for the mails they get.
    pub language: String,
    pub rights: Rights,
    pub all_contracts: bool,
    pub contract_ids: Vec<i64>,
    pub contract_numbers: Vec<String>,
    pub external: bool,
    pub valid_until: Option<NaiveDate>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// The person has not set a password yet: the invitation is pending.
    pub invited: bool,
    pub locked: bool,
    pub disabled: bool,
}

/// Rights and scope of a sheet, as the master user sets them.
#[derive(Debug, Clone)]
pub struct SheetSettings {
    /// Consult or input; a master sheet is only created by the operator.
    pub rights: Rights,
    /// None: all contracts; else the chosen contracts of the employer.
    pub contracts: Option<Vec<i64>>,
    pub external: bool,
    pub valid_until: Option<NaiveDate>,
}

/// A person to add: by e-mail (an existing account gets a sheet, a new one an invitation).
#[derive(Debug, Clone)]
pub struct NewSheet {
    pub email: String,
    pub display_name: String,
    /// The language of a new account ("nl", "fr", "en"); an existing one keeps its own.
    pub language: String,
    pub settings: SheetSettings,
}

/// The invitation that goes with a new sheet: the link's hash and the two possible e-mails.
#[derive(Debug, Clone)]
pub struct Invitation {
    /// The language of the account it creates, when it creates one.
    pub language: String,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    /// For a person without an active account: carries the activation link.
    pub activation_mail: OutgoingMail,
    /// For a person who already has an account: the invitation to accept after logging in.
    pub access_mail: OutgoingMail,
}

/// What adding a person did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetAdded {
    /// A new account, its sheet and its activation link.
    Created { sheet_id: i64 },
    /// An existing account was invited; it has no sheet until its holder accepts.
    Invited { invitation_id: i64 },
}

/// A new activation link (by hash) and the e-mail that carries it.
#[derive(Debug, Clone)]
pub struct ActivationLink {
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub mail: OutgoingMail,
}

#[derive(sqlx::FromRow)]
struct Row {
    sheet_id: i64,
    user_id: i64,
    display_name: String,
    email: String,
    language: String,
    rights: String,
    all_contracts: bool,
    external: bool,
    valid_until: Option<NaiveDate>,
    last_login_at: Option<DateTime<Utc>>,
    invited: bool,
    locked: bool,
    disabled: bool,
}

const SHEETS: &str = "SELECT s.id AS sheet_id, u.id AS user_id, u.display_name, u.email, u.language, \
        s.rights, s.all_contracts, s.external, s.valid_until, u.last_login_at, \
        (u.password_hash IS NULL) AS invited, (u.locked_at IS NOT NULL) AS locked, u.disabled \
    FROM user_sheets s JOIN users u ON u.id = s.user_id WHERE s.employer_id = $1";
const SHEET_CONTRACTS: &str = "SELECT usc.sheet_id, c.id, c.number FROM user_sheet_contracts usc \
    JOIN contracts c ON c.id = usc.contract_id WHERE usc.employer_id = $1 ORDER BY c.number";

/// A new sheet (`$1` employer … `$7` external), created and updated at `$6`; gives its id.
pub(crate) const INSERT_SHEET: &str = "INSERT INTO user_sheets (employer_id, user_id, rights, all_contracts, \
    valid_until, created_at, external, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6) \
    RETURNING id";

fn master_only(access: &Access) -> Result<i64> {
    if access.rights().can_manage_users() {
        Ok(access.scope().employer_id())
    } else {
        Err(StoreError::Forbidden)
    }
}

fn settings_json(settings: &SheetSettings) -> serde_json::Value {
    json!({
        "rights": settings.rights.as_str(),
        "contracts": settings.contracts,
        "external": settings.external,
        "valid_until": settings.valid_until,
    })
}

impl Store {
    /// Everyone with a sheet at the master's employer, by name.
    pub async fn list_sheets(&self, access: &Access) -> Result<Vec<SheetRow>> {
        let employer_id = master_only(access)?;
        let sql = format!("{SHEETS} ORDER BY u.display_name, u.email");
        let (rows, contracts): (Vec<Row>, Vec<(i64, i64, String)>) = with_pool!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(employer_id).fetch_all(pool).await?;
            let contracts = sqlx::query_as(SHEET_CONTRACTS).bind(employer_id).fetch_all(pool).await?;
            (rows, contracts)
        });
        rows.into_iter()
            .map(|row| {
                let mine = contracts
                    .iter()
                    .filter(|(sheet, _, _)| *sheet == row.sheet_id);
                Ok(SheetRow {
                    rights: Rights::from_db(&row.rights)
                        .ok_or_else(|| StoreError::Corrupt("rights".to_owned()))?,
                    contract_ids: mine.clone().map(|(_, id, _)| *id).collect(),
                    contract_numbers: mine.map(|(_, _, number)| number.clone()).collect(),
                    sheet_id: row.sheet_id,
                    user_id: row.user_id,
                    display_name: row.display_name,
                    email: row.email,
                    language: row.language,
                    all_contracts: row.all_contracts,
                    external: row.external,
                    valid_until: row.valid_until,
                    last_login_at: row.last_login_at,
                    invited: row.invited,
                    locked: row.locked,
                    disabled: row.disabled,
                })
            })
            .collect()
    }

    /// The master's employer and one of its sheets (refused to anyone but its master user).
    async fn master_sees(&self, access: &Access, sheet_id: i64) -> Result<(i64, SheetRow)> {
        let employer_id = master_only(access)?;
        let sheet = self
            .find_sheet(access, sheet_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((employer_id, sheet))
    }

    /// One sheet of the master's employer.
    pub async fn find_sheet(&self, access: &Access, sheet_id: i64) -> Result<Option<SheetRow>> {
        Ok(self
            .list_sheets(access)
            .await?
            .into_iter()
            .find(|s| s.sheet_id == sheet_id))
    }

    /// Adds a person. Someone without an account gets one, with the sheet and an activation
    /// link; someone who already has an account (theirs, not this employer's) gets an
    /// invitation that they accept after logging in, and no sheet until then. Operator
    /// accounts never hold a sheet. Refused when the person already has a sheet or a pending
    /// invitation here.
    pub async fn create_sheet(
        &self,
        access: &Access,
        sheet: &NewSheet,
        invitation: Invitation,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<SheetAdded> {
        let employer_id = master_only(access)?;
        if sheet.settings.rights == Rights::Master {
            return Err(StoreError::Refused("sheet-one-master"));
        }
        const EXISTING: &str = "SELECT id, is_operator FROM users WHERE email = $1";
        let mut effects = Effects::default();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            recheck_master!(tx, access);
            let existing: Option<(i64, bool)> = sqlx::query_as(EXISTING)
                .bind(sheet.email.clone()).fetch_optional(&mut *tx).await?;
            let mut details = settings_json(&sheet.settings);
            details["email"] = json!(sheet.email);
            let added = match existing {
                Some((_, true)) => return Err(StoreError::Refused("sheet-operator-account")),
                Some((user_id, false)) => {
                    let invitation_id = crate::invitations::insert_invitation!(
                        tx, employer_id, user_id, sheet, actor.user_id, now);
                    effects.mail(invitation.access_mail);
                    details["user_id"] = json!(user_id);
                    details["invitation_id"] = json!(invitation_id);
                    effects.audit(Some(employer_id), AuditEvent::SheetInvited, details);
                    SheetAdded::Invited { invitation_id }
                }
                None => {
                    let user_id = new_invited_account!(
                        tx, effects, &sheet.email, &sheet.display_name, invitation, now);
                    let sheet_id: i64 = sqlx::query_scalar(INSERT_SHEET)
                        .bind(employer_id).bind(user_id).bind(sheet.settings.rights.as_str())
                        .bind(sheet.settings.contracts.is_none()).bind(sheet.settings.valid_until)
                        .bind(now).bind(sheet.settings.external)
                        .fetch_one(&mut *tx).await
                        .map_err(StoreError::from_write)?;
                    insert_sheet_contracts!(tx, employer_id, sheet_id, &sheet.settings.contracts);
                    details["user_id"] = json!(user_id);
                    effects.audit(Some(employer_id), AuditEvent::SheetCreated, details);
                    SheetAdded::Created { sheet_id }
                }
            };
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Changes rights, scope or end date of a sheet. The master's own sheet is not changed
    /// here (there is always exactly one master; the operator transfers the role).
    pub async fn update_sheet(
        &self,
        access: &Access,
        sheet_id: i64,
        settings: &SheetSettings,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (employer_id, before) = self.master_sees(access, sheet_id).await?;
        if before.rights == Rights::Master || settings.rights == Rights::Master {
            return Err(StoreError::Refused("sheet-master-protected"));
        }
        const UPDATE: &str = "UPDATE user_sheets SET rights = $3, all_contracts = $4, \
            valid_until = $5, external = $6, updated_at = $7 \
            WHERE employer_id = $1 AND id = $2 AND rights <> 'master'";
        const CLEAR: &str =
            "DELETE FROM user_sheet_contracts WHERE employer_id = $1 AND sheet_id = $2";
        let mut effects = Effects::default();
        effects.audit(
            Some(employer_id),
            AuditEvent::SheetChanged,
            json!({
                "user_id": before.user_id,
                "before": {
                    "rights": before.rights.as_str(), "contracts": (!before.all_contracts).then_some(&before.contract_ids),
                    "external": before.external, "valid_until": before.valid_until,
                },
                "after": settings_json(settings),
            }),
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            recheck_master!(tx, access);
            let done = sqlx::query(UPDATE)
                .bind(employer_id).bind(sheet_id).bind(settings.rights.as_str())
                .bind(settings.contracts.is_none()).bind(settings.valid_until)
                .bind(settings.external).bind(now)
                .execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            sqlx::query(CLEAR).bind(employer_id).bind(sheet_id).execute(&mut *tx).await?;
            insert_sheet_contracts!(tx, employer_id, sheet_id, &settings.contracts);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Revokes a sheet (or withdraws a pending invitation): the person's very next request
    /// at this employer fails. The master's own sheet cannot be revoked.
    pub async fn revoke_sheet(
        &self,
        access: &Access,
        sheet_id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (employer_id, before) = self.master_sees(access, sheet_id).await?;
        if before.rights == Rights::Master {
            return Err(StoreError::Refused("sheet-master-protected"));
        }
        const DELETE: &str =
            "DELETE FROM user_sheets WHERE employer_id = $1 AND id = $2 AND rights <> 'master'";
        const TOKENS: &str = "UPDATE user_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL \
            AND NOT EXISTS (SELECT 1 FROM user_sheets s WHERE s.user_id = $1)";
        let mut effects = Effects::default();
        effects.audit(
            Some(employer_id),
            AuditEvent::SheetRevoked,
            json!({ "user_id": before.user_id, "email": before.email, "rights": before.rights.as_str(),
                    "invitation_pending": before.invited }),
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            recheck_master!(tx, access);
            let done = sqlx::query(DELETE).bind(employer_id).bind(sheet_id).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            // A withdrawn invitation's link stops working when no other employer waits for it.
            sqlx::query(TOKENS).bind(before.user_id).bind(now).execute(&mut *tx).await?;
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sends a pending invitation again with a new link; the old link stops working.
    pub async fn resend_invitation(
        &self,
        access: &Access,
        sheet_id: i64,
        link: ActivationLink,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let ActivationLink {
            token_hash,
            expires_at,
            mail,
        } = link;
        let (employer_id, sheet) = self.master_sees(access, sheet_id).await?;
        if !sheet.invited {
            return Err(StoreError::Refused("sheet-not-invited"));
        }
        let mut effects = Effects::default();
        effects.mail(mail);
        effects.audit(
            Some(employer_id),
            AuditEvent::InvitationSent,
            json!({ "user_id": sheet.user_id }),
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            recheck_master!(tx, access);
            sqlx::query("UPDATE user_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
                .bind(sheet.user_id).bind(now).execute(&mut *tx).await?;
            insert_token_sql!(tx, sheet.user_id, token_hash.as_str(), TokenPurpose::Activation, now, expires_at);
            write_effects!(tx, effects, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Resets the second factor of a person with a sheet here (a lost phone): the secret and
    /// recovery codes are gone, every session ends, and the next login enrols again. Also
    /// unlocks the account. Only for an account whose every sheet is at this employer: an
    /// account that also works elsewhere is reset by the operator, never by one employer.
    pub async fn reset_second_factor(
        &self,
        access: &Access,
        sheet_id: i64,
        notice: OutgoingMail,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let employer_id = master_only(access)?;
        const SHEET: &str = "SELECT s.user_id, u.is_operator, \
                (SELECT COUNT(*) FROM user_sheets o WHERE o.user_id = s.user_id \
                   AND o.employer_id <> s.employer_id) AS elsewhere \
            FROM user_sheets s JOIN users u ON u.id = s.user_id \
            WHERE s.employer_id = $1 AND s.id = $2";
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            recheck_master!(tx, access);
            let row: Option<(i64, bool, i64)> = sqlx::query_as(SHEET)
                .bind(employer_id).bind(sheet_id).fetch_optional(&mut *tx).await?;
            let Some((user_id, is_operator, elsewhere)) = row else {
                return Err(StoreError::NotFound);
            };
            if Some(user_id) == actor.user_id {
                return Err(StoreError::Refused("sheet-not-yourself"));
            }
            if is_operator || elsewhere > 0 {
                return Err(StoreError::Refused("sheet-reset-shared-account"));
            }
            reset_second_factor_in_tx!(tx, user_id, notice, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The operator's reset of anyone's second factor (and lock).
    pub async fn reset_second_factor_of(
        &self,
        user_id: i64,
        notice: OutgoingMail,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            reset_second_factor_in_tx!(tx, user_id, notice, actor, now);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The contract ids of the master's employer, to check a chosen scope.
    pub async fn list_contract_ids(&self, access: &Access) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT id FROM contracts WHERE employer_id = $1 ORDER BY number";
        let rows: Vec<(i64,)> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(access.scope().employer_id()).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

/// Inside an open transaction: forgets the second factor of `$user_id` (secret, recovery
/// codes, lock, sessions), audits it in the chain of every employer of the account and tells
/// the holder by `$notice`.
macro_rules! reset_second_factor_in_tx {
    ($tx:expr, $user_id:expr, $notice:expr, $actor:expr, $now:expr) => {{
        let user_id: i64 = $user_id;
        sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_confirmed_at = NULL, \
             totp_last_step = NULL, failed_codes = 0, locked_at = NULL WHERE id = $1",
        )
        .bind(user_id)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *$tx)
            .await?;
        let mut effects = Effects::default();
        effects.audit_account(user_id, AuditEvent::TotpReset, json!({ "user_id": user_id }));
        effects.mail($notice);
        write_effects!($tx, effects, $actor, $now);
    }};
}
use reset_second_factor_in_tx;

/// Inserts the chosen contracts of a sheet inside an open transaction.
macro_rules! insert_sheet_contracts {
    ($tx:expr, $employer_id:expr, $sheet_id:expr, $contracts:expr) => {{
        for contract_id in $contracts.iter().flatten() {
            sqlx::query(
                "INSERT INTO user_sheet_contracts (employer_id, sheet_id, contract_id) \
                 VALUES ($1, $2, $3)",
            )
            .bind($employer_id)
            .bind($sheet_id)
            .bind(*contract_id)
            .execute(&mut *$tx)
            .await
            .map_err(StoreError::from_write)?;
        }
    }};
}
pub(crate) use insert_sheet_contracts;

/// Inside an open transaction: a new account for `$email` without password, its activation
/// link and the e-mail that carries it (queued in `$effects`). Gives the user id.
macro_rules! new_invited_account {
    ($tx:expr, $effects:expr, $email:expr, $name:expr, $invitation:expr, $now:expr) => {{
        let invitation: Invitation = $invitation;
        let user_id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, display_name, password_hash, language, \
             is_operator, disabled, created_at) \
             VALUES ($1, $2, NULL, $4, FALSE, FALSE, $3) RETURNING id",
        )
        .bind($email.to_owned())
        .bind($name.to_owned())
        .bind($now)
        .bind(invitation.language.clone())
        .fetch_one(&mut *$tx)
        .await
        .map_err(StoreError::from_write)?;
        $crate::accounts::insert_token_sql!(
            $tx,
            user_id,
            invitation.token_hash.as_str(),
            $crate::accounts::TokenPurpose::Activation,
            $now,
            invitation.expires_at
        );
        $effects.mail(invitation.activation_mail);
        user_id
    }};
}
pub(crate) use new_invited_account;

/// Inside an open transaction: the account with `$email` (a new one, with its activation
/// link, when there is none), for the operator's designation of a master. An operator
/// account is refused. Gives `(user_id, needs_activation)`; an existing account is told by
/// the access e-mail.
macro_rules! invited_account {
    ($tx:expr, $effects:expr, $email:expr, $name:expr, $invitation:expr, $now:expr) => {{
        let invitation: Invitation = $invitation;
        let existing: Option<(i64, bool, bool)> = sqlx::query_as(
            "SELECT id, (password_hash IS NULL) AS invited, is_operator FROM users WHERE email = $1",
        )
        .bind($email.to_owned())
        .fetch_optional(&mut *$tx)
        .await?;
        match existing {
            Some((_, _, true)) => return Err(StoreError::Refused("sheet-operator-account")),
            Some((user_id, true, false)) => {
                // Not activated yet: a fresh link; older links stop working.
                sqlx::query(
                    "UPDATE user_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
                )
                .bind(user_id)
                .bind($now)
                .execute(&mut *$tx)
                .await?;
                $crate::accounts::insert_token_sql!(
                    $tx,
                    user_id,
                    invitation.token_hash.as_str(),
                    $crate::accounts::TokenPurpose::Activation,
                    $now,
                    invitation.expires_at
                );
                $effects.mail(invitation.activation_mail);
                (user_id, true)
            }
            Some((user_id, false, false)) => {
                $effects.mail(invitation.access_mail);
                (user_id, false)
            }
            None => {
                let user_id =
                    $crate::sheets::new_invited_account!($tx, $effects, $email, $name, invitation, $now);
                (user_id, true)
            }
        }
    }};
}
pub(crate) use invited_account;

/// Inside an open transaction: the master sheet behind `$access` still exists and is still a
/// master's (the rights may have changed since the request read them); Forbidden otherwise.
macro_rules! recheck_master {
    ($tx:expr, $access:expr) => {{
        let still: Option<(i64,)> = sqlx::query_as(
            "SELECT s.id FROM user_sheets s JOIN users u ON u.id = s.user_id \
             WHERE s.id = $1 AND s.employer_id = $2 AND s.rights = 'master' AND NOT u.disabled",
        )
        .bind($access.scope().sheet_id())
        .bind($access.scope().employer_id())
        .fetch_optional(&mut *$tx)
        .await?;
        if still.is_none() {
            return Err(StoreError::Forbidden);
        }
    }};
}
pub(crate) use recheck_master;
