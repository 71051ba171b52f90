//! Inviting a person, once for every way in: the operator designates an employer's master
//! user, a master adds a colleague, a master sends an invitation again, the CLI adds an
//! operator. Each makes one activation link (a random token, of which the store keeps only
//! the hash, valid [`ACTIVATION_VALIDITY`] from `now`) with its mail, and hands them to the
//! store in the call that creates the account, so the link exists exactly when the account
//! does. A person who has an account already gets the access or invitation mail instead.

use chrono::{DateTime, Utc};
use ebdesk_domain::{EmailAddress, Language};
use ebdesk_store::{
    Access, ActivationLink, Actor, EmployerSummary, Invitation, NewSheet, NewUser, SheetAdded,
    Store, StoreError,
};

use crate::Error;
use crate::credentials::{ACTIVATION_VALIDITY, hash_token, random_token};
use crate::mails::{self, Recipient};

/// A new activation link: the token goes into the mail, its hash into the database.
struct Activation {
    token: String,
    token_hash: String,
    expires_at: DateTime<Utc>,
}

impl Activation {
    fn new(now: DateTime<Utc>) -> Self {
        let token = random_token();
        Activation {
            token_hash: hash_token(&token),
            token,
            expires_at: now + ACTIVATION_VALIDITY,
        }
    }
}

/// The language of an operator added from the command line (they change it on "Mijn
/// account").
fn invitee_language() -> &'static str {
    Language::Dutch.as_str()
}

/// The activation link and, for someone who already has an account, `access_mail`.
fn invitation(
    email: &str,
    name: &str,
    language: &str,
    public_url: &str,
    access_mail: fn(Recipient<'_>, &str, &str) -> Result<ebdesk_store::OutgoingMail, Error>,
    employer: &str,
    now: DateTime<Utc>,
) -> Result<Invitation, Error> {
    let to = Recipient::new(email, name, language);
    let activation = Activation::new(now);
    Ok(Invitation {
        language: language.to_owned(),
        activation_mail: mails::activation(to, public_url, &activation.token)?,
        access_mail: access_mail(to, public_url, employer)?,
        token_hash: activation.token_hash,
        expires_at: activation.expires_at,
    })
}

/// Who is invited: their login address, their name, and the language of the account it
/// creates (an existing account keeps its own).
#[derive(Debug, Clone, Copy)]
pub struct Invitee<'a> {
    pub email: &'a EmailAddress,
    pub name: &'a str,
    pub language: &'a str,
}

/// Makes the person with this address the employer's master user (see
/// [`Store::designate_master`]): a new account gets an activation link, an existing one the
/// access mail. True when an activation link was sent.
pub async fn designate_master(
    store: &Store,
    employer: &EmployerSummary,
    master: Invitee<'_>,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let Invitee {
        email,
        name,
        language,
    } = master;
    let invitation = invitation(
        email.as_str(),
        name,
        language,
        public_url,
        mails::access,
        &employer.name,
        now,
    )?;
    Ok(store
        .designate_master(employer.id, email.as_str(), name, invitation, actor, now)
        .await?)
}

/// A master adds a colleague or an external consultant (see [`Store::create_sheet`]): a
/// new account with its sheet and activation link, or an invitation to an existing account.
pub async fn add_colleague(
    store: &Store,
    access: &Access,
    sheet: &NewSheet,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<SheetAdded, Error> {
    let invitation = invitation(
        &sheet.email,
        &sheet.display_name,
        &sheet.language,
        public_url,
        mails::invitation,
        &access.employer().name,
        now,
    )?;
    Ok(store
        .create_sheet(access, sheet, invitation, actor, now)
        .await?)
}

/// Sends the activation link of a sheet whose account is not activated yet again; the old
/// link stops working. [`StoreError::NotFound`] for a sheet the master does not see.
pub async fn resend_invitation(
    store: &Store,
    access: &Access,
    sheet_id: i64,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let sheet = store
        .find_sheet(access, sheet_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let to = Recipient::new(&sheet.email, &sheet.display_name, &sheet.language);
    let activation = Activation::new(now);
    let link = ActivationLink {
        mail: mails::activation(to, public_url, &activation.token)?,
        token_hash: activation.token_hash,
        expires_at: activation.expires_at,
    };
    Ok(store
        .resend_invitation(access, sheet_id, link, actor, now)
        .await?)
}

/// Creates an operator account (no password yet) and its activation link, which is also
/// mailed. Answers the link, for the person who runs the command.
pub async fn add_operator(
    store: &Store,
    email: &EmailAddress,
    name: &str,
    public_url: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<String, Error> {
    let to = Recipient::new(email.as_str(), name, invitee_language());
    let activation = Activation::new(now);
    let mail = mails::activation(to, public_url, &activation.token)?;
    let user = NewUser {
        email: email.as_str().to_owned(),
        display_name: name.to_owned(),
        password_hash: None,
        language: Language::Dutch,
        is_operator: true,
    };
    store
        .insert_invited_user(
            &user,
            &activation.token_hash,
            activation.expires_at,
            mail,
            actor,
            now,
        )
        .await?;
    Ok(mails::activation_link(public_url, &activation.token))
}
