//! The account e-mails: a subject from the catalog and a body from the text templates of
//! web/templates/mail (embedded, so the binary runs from anywhere), rendered with tera and
//! the catalog's `t` as the pages are.

use std::sync::LazyLock;

use ebdesk_i18n::LanguageIdentifier;
use ebdesk_store::OutgoingMail;
use rust_embed::RustEmbed;

use crate::Error;

#[derive(RustEmbed)]
#[folder = "../../web/templates/mail"]
struct MailTemplates;

fn load() -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    let mut sources = Vec::new();
    for name in MailTemplates::iter() {
        if let Some(file) = MailTemplates::get(&name) {
            let text = String::from_utf8_lossy(&file.data).into_owned();
            sources.push((name.to_string(), text));
        }
    }
    tera.add_raw_templates(sources)?;
    // Plain text: nothing to escape.
    tera.autoescape_on(Vec::new());
    tera.register_function("t", ebdesk_i18n::tera_function);
    Ok(tera)
}

static TERA: LazyLock<Result<tera::Tera, String>> =
    LazyLock::new(|| load().map_err(|e| Error::from(e).to_string()));

/// Names of the mail templates (a test renders each one).
pub fn template_names() -> Vec<String> {
    MailTemplates::iter().map(|n| n.to_string()).collect()
}

/// Who a mail goes to.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub email: &'a str,
    pub name: &'a str,
    /// The recipient's language code, as their account stores it (see [`written_in`]).
    pub language: &'a str,
}

impl<'a> Recipient<'a> {
    pub fn new(email: &'a str, name: &'a str, language: &'a str) -> Self {
        Recipient {
            email,
            name,
            language,
        }
    }
}

/// A notice to an account holder about a change of their own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountNotice {
    /// An authenticator app was enrolled.
    TotpEnrolled,
    /// The password was changed through a reset link.
    PasswordChanged,
}

/// The language a mail to `recipient` is written in: theirs when it has a catalog, else
/// Dutch.
pub fn written_in(recipient: &str) -> LanguageIdentifier {
    let lang = ebdesk_i18n::language(recipient);
    if ebdesk_i18n::languages().contains(&lang) {
        lang
    } else {
        ebdesk_i18n::default_language()
    }
}

/// The link of an activation mail.
pub fn activation_link(public_url: &str, token: &str) -> String {
    format!("{public_url}/activeren/{token}")
}

/// The login page, which notices point at.
fn login_link(public_url: &str) -> String {
    format!("{public_url}/login")
}

/// The activation link (72 hours) of a new account.
pub fn activation(to: Recipient<'_>, public_url: &str, token: &str) -> Result<OutgoingMail, Error> {
    let mut context = tera::Context::new();
    context.insert("name", to.name);
    context.insert("link", &activation_link(public_url, token));
    compose(
        to,
        "mail-activation-subject",
        "mail_activation.txt",
        context,
    )
}

/// To the holder of an account who became an employer's master user.
pub fn access(to: Recipient<'_>, public_url: &str, employer: &str) -> Result<OutgoingMail, Error> {
    employer_mail(
        to,
        public_url,
        employer,
        "mail-access-subject",
        "mail_access.txt",
    )
}

/// To the holder of an account whom an employer invites: accept or decline after login.
pub fn invitation(
    to: Recipient<'_>,
    public_url: &str,
    employer: &str,
) -> Result<OutgoingMail, Error> {
    employer_mail(
        to,
        public_url,
        employer,
        "mail-invitation-subject",
        "mail_invitation.txt",
    )
}

fn employer_mail(
    to: Recipient<'_>,
    public_url: &str,
    employer: &str,
    subject_key: &str,
    template: &str,
) -> Result<OutgoingMail, Error> {
    let mut context = tera::Context::new();
    context.insert("name", to.name);
    context.insert("employer", employer);
    context.insert("link", &login_link(public_url));
    compose(to, subject_key, template, context)
}

/// To the employer's notification address: the statement of `month` ("11/2026") is issued.
pub fn statement_issued(
    to: Recipient<'_>,
    public_url: &str,
    employer: &str,
    month: &str,
) -> Result<OutgoingMail, Error> {
    let mut context = tera::Context::new();
    context.insert("employer", employer);
    context.insert("month", month);
    context.insert("link", &login_link(public_url));
    compose(to, "mail-statement-subject", "mail_statement.txt", context)
}

/// What a reminder of an unpaid charge says, every text written the reader's way.
#[derive(Debug, Clone, Copy)]
pub struct Reminder<'a> {
    pub employer: &'a str,
    pub month: &'a str,
    pub contract: &'a str,
    pub due: &'a str,
    pub amount: &'a str,
    pub communication: &'a str,
}

/// To the employer's notification address: a charge is still unpaid after its due date.
pub fn statement_reminder(
    to: Recipient<'_>,
    public_url: &str,
    reminder: Reminder<'_>,
) -> Result<OutgoingMail, Error> {
    let mut context = tera::Context::new();
    context.insert("employer", reminder.employer);
    context.insert("month", reminder.month);
    context.insert("contract", reminder.contract);
    context.insert("due", reminder.due);
    context.insert("amount", reminder.amount);
    context.insert("communication", reminder.communication);
    context.insert("link", &login_link(public_url));
    compose(
        to,
        "mail-reminder-subject",
        "mail_statement_reminder.txt",
        context,
    )
}

/// To an employer's contact point: someone of `employer` wrote (the text stays in ebdesk;
/// the link opens the console's inbox).
pub fn contact_message(
    to: Recipient<'_>,
    public_url: &str,
    employer: &str,
    kind: &str,
) -> Result<OutgoingMail, Error> {
    let mut context = tera::Context::new();
    context.insert("employer", employer);
    context.insert("kind", kind);
    context.insert("link", &format!("{public_url}/beheer/berichten"));
    compose(
        to,
        "mail-contact-message-subject",
        "mail_contact_message.txt",
        context,
    )
}

/// To the author of a thread: the contact point answered (the link opens the thread).
pub fn contact_answer(
    to: Recipient<'_>,
    public_url: &str,
    employer_number: &str,
    thread_id: i64,
) -> Result<OutgoingMail, Error> {
    let mut context = tera::Context::new();
    context.insert(
        "link",
        &format!("{public_url}/werkgevers/{employer_number}/correspondentie/{thread_id}"),
    );
    compose(
        to,
        "mail-contact-answer-subject",
        "mail_contact_answer.txt",
        context,
    )
}

/// What a digest tells, without any name or title: the documents per kind, the months of
/// the statements.
#[derive(Debug, Clone, Copy)]
pub struct DigestMail<'a> {
    pub employer: &'a str,
    pub employer_number: &'a str,
    /// (kind code, count), as `documents-kind-<code>` names the kind.
    pub documents: &'a [(&'a str, i64)],
    /// The statements' months ("11/2026").
    pub statements: &'a [String],
    /// To the notification address (else to a user who asked for it).
    pub to_address: bool,
}

/// The daily digest: what is new at an employer since the previous one, and where.
pub fn digest(
    to: Recipient<'_>,
    public_url: &str,
    news: DigestMail<'_>,
) -> Result<OutgoingMail, Error> {
    let documents: Vec<serde_json::Value> = news
        .documents
        .iter()
        .map(|(kind, count)| serde_json::json!({ "kind": kind, "count": count }))
        .collect();
    let why = if news.to_address {
        "mail-digest-why-address"
    } else {
        "mail-digest-why-user"
    };
    let mut context = tera::Context::new();
    context.insert("employer", news.employer);
    context.insert("documents", &documents);
    context.insert("statements", news.statements);
    context.insert("why", why);
    context.insert(
        "link",
        &format!(
            "{public_url}/werkgevers/{}/documenten",
            news.employer_number
        ),
    );
    compose(to, "mail-digest-subject", "mail_digest.txt", context)
}

/// The password reset link (1 hour).
pub fn password_reset(
    to: Recipient<'_>,
    public_url: &str,
    token: &str,
) -> Result<OutgoingMail, Error> {
    let mut context = tera::Context::new();
    context.insert(
        "link",
        &format!("{public_url}/wachtwoord-herstellen/{token}"),
    );
    context.insert("name", to.name);
    compose(to, "mail-reset-subject", "mail_reset.txt", context)
}

/// Who reset a second factor, as its holder's mail names them.
#[derive(Debug, Clone, Copy)]
pub enum ResetBy<'a> {
    /// The operator of ebdesk.
    Operator,
    /// The master user of this employer.
    MasterOf(&'a str),
}

/// The link that confirms a new notification address.
pub fn notification_link(public_url: &str, token: &str) -> String {
    format!("{public_url}/notificatieadres/{token}")
}

/// Who asked for a new notification address, as the mail to that address names them.
#[derive(Debug, Clone, Copy)]
pub enum RequestedBy<'a> {
    /// The employer's master user, by name.
    Master(&'a str),
    /// The operator of ebdesk.
    Operator,
}

/// To a new notification address: confirm it with the link (72 hours); the current address
/// stays in use until then (the mail does not name it: whoever holds the new mailbox need
/// not learn it).
pub fn notification_confirmation(
    to: Recipient<'_>,
    public_url: &str,
    token: &str,
    employer: &str,
    by: RequestedBy<'_>,
) -> Result<OutgoingMail, Error> {
    let lang = written_in(to.language);
    let by = match by {
        RequestedBy::Master(name) => ebdesk_i18n::lookup(
            &lang,
            "mail-notification-by-master",
            &[("name", name.to_owned())],
        ),
        RequestedBy::Operator => ebdesk_i18n::lookup(&lang, "mail-notification-by-operator", &[]),
    };
    let mut context = tera::Context::new();
    context.insert("employer", employer);
    context.insert("by", &by);
    context.insert("link", &notification_link(public_url, token));
    compose(
        to,
        "mail-notification-confirm-subject",
        "mail_notification_confirm.txt",
        context,
    )
}

/// To the notification address that was just replaced by `new`.
pub fn notification_replaced(
    to: Recipient<'_>,
    employer: &str,
    new: &str,
) -> Result<OutgoingMail, Error> {
    let mut context = tera::Context::new();
    context.insert("employer", employer);
    context.insert("new", new);
    compose(
        to,
        "mail-notification-replaced-subject",
        "mail_notification_replaced.txt",
        context,
    )
}

/// Tells an account holder that their second factor was reset, and by whom.
pub fn totp_reset(
    to: Recipient<'_>,
    public_url: &str,
    by: ResetBy<'_>,
) -> Result<OutgoingMail, Error> {
    let lang = written_in(to.language);
    let by = match by {
        ResetBy::Operator => ebdesk_i18n::lookup(&lang, "mail-totp-reset-by-operator", &[]),
        ResetBy::MasterOf(employer) => ebdesk_i18n::lookup(
            &lang,
            "mail-totp-reset-by-master",
            &[("employer", employer.to_owned())],
        ),
    };
    let mut context = tera::Context::new();
    context.insert("name", to.name);
    context.insert("by", &by);
    context.insert("link", &login_link(public_url));
    compose(
        to,
        "mail-totp-reset-subject",
        "mail_totp_reset.txt",
        context,
    )
}

/// Tells an account holder that too many wrong codes locked their account.
pub fn locked(to: Recipient<'_>) -> Result<OutgoingMail, Error> {
    compose(
        to,
        "mail-locked-subject",
        "mail_locked.txt",
        tera::Context::new(),
    )
}

/// Tells an account holder about a change of their own account.
pub fn account_notice(
    to: Recipient<'_>,
    public_url: &str,
    notice: AccountNotice,
) -> Result<OutgoingMail, Error> {
    let (subject_key, template) = match notice {
        AccountNotice::TotpEnrolled => ("mail-totp-enrolled-subject", "mail_totp_enrolled.txt"),
        AccountNotice::PasswordChanged => {
            ("mail-password-changed-subject", "mail_password_changed.txt")
        }
    };
    let mut context = tera::Context::new();
    context.insert("name", to.name);
    context.insert("link", &login_link(public_url));
    compose(to, subject_key, template, context)
}

/// A mail in the language it is written in for `to`.
fn compose(
    to: Recipient<'_>,
    subject_key: &str,
    template: &str,
    mut context: tera::Context,
) -> Result<OutgoingMail, Error> {
    let lang = written_in(to.language);
    context.insert("lang", &lang.to_string());
    let tera = TERA
        .as_ref()
        .map_err(|e| Error::Template(format!("mail templates did not load: {e}")))?;
    Ok(OutgoingMail {
        to: to.email.to_owned(),
        subject: ebdesk_i18n::lookup(&lang, subject_key, &[]),
        body: tera.render(template, &context)?,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn an() -> Recipient<'static> {
        Recipient {
            email: "an@peeters.test",
            name: "An Peeters",
            language: "nl",
        }
    }

    /// The text as it was sent before the mails moved here, byte for byte.
    #[test]
    fn the_activation_mail_reads_as_before() {
        let mail = activation(an(), "https://ebdesk.test", "TOKEN").unwrap();
        assert_eq!(mail.to, "an@peeters.test");
        assert_eq!(mail.subject, "ebdesk: activeer uw account");
        assert_eq!(
            mail.body,
            "Beste An Peeters,\n\nU kreeg toegang tot ebdesk, het werkgeversportaal voor uw \
             groepsverzekering. Activeer uw account via deze link (72 uur geldig, één keer te \
             gebruiken):\n\nhttps://ebdesk.test/activeren/TOKEN\n\nU kiest er een wachtwoord en \
             registreert een authenticator-app op uw smartphone (bijvoorbeeld Microsoft \
             Authenticator of Google Authenticator): aanmelden gebeurt altijd met uw wachtwoord \
             en een code uit die app.\n\nVerwachtte u deze e-mail niet? Dan mag u hem \
             negeren.\n\nebdesk\n"
        );
    }

    #[test]
    fn every_mail_fills_its_template_and_its_subject() {
        let url = "https://ebdesk.test";
        let mails = [
            activation(an(), url, "T").unwrap(),
            access(an(), url, "Bouwbedrijf Peeters NV").unwrap(),
            invitation(an(), url, "Bouwbedrijf Peeters NV").unwrap(),
            password_reset(an(), url, "R").unwrap(),
            totp_reset(an(), url, ResetBy::Operator).unwrap(),
            totp_reset(an(), url, ResetBy::MasterOf("Bouwbedrijf Peeters NV")).unwrap(),
            locked(an()).unwrap(),
            account_notice(an(), url, AccountNotice::TotpEnrolled).unwrap(),
            account_notice(an(), url, AccountNotice::PasswordChanged).unwrap(),
            notification_confirmation(
                an(),
                url,
                "N",
                "Bouwbedrijf Peeters NV",
                RequestedBy::Master("An Peeters"),
            )
            .unwrap(),
            notification_confirmation(
                an(),
                url,
                "N",
                "Bouwbedrijf Peeters NV",
                RequestedBy::Operator,
            )
            .unwrap(),
            notification_replaced(an(), "Bouwbedrijf Peeters NV", "nieuw@peeters.test").unwrap(),
            statement_issued(an(), url, "Bouwbedrijf Peeters NV", "11/2026").unwrap(),
            statement_reminder(
                an(),
                url,
                Reminder {
                    employer: "Bouwbedrijf Peeters NV",
                    month: "11/2026",
                    contract: "530/000101",
                    due: "30/11/2026",
                    amount: "563,33 €",
                    communication: "+++000/0000/10101+++",
                },
            )
            .unwrap(),
            contact_message(an(), url, "Bouwbedrijf Peeters NV", "claims").unwrap(),
            contact_answer(an(), url, "530-101", 7).unwrap(),
            digest(an(), url, a_digest(false)).unwrap(),
        ];
        assert_eq!(mails.len(), template_names().len() + 2);
        for mail in &mails {
            assert!(mail.subject.starts_with("ebdesk: "), "{}", mail.subject);
            assert!(mail.body.ends_with("ebdesk\n"), "{}", mail.body);
            assert!(!mail.subject.contains("mail-"), "{}", mail.subject);
            // Every paragraph comes from the catalog.
            assert!(!mail.body.contains("mail-"), "{}", mail.body);
            assert!(!mail.body.contains("Unknown localization"), "{}", mail.body);
        }
        // Plain text: nothing is escaped.
        let to = Recipient {
            name: "Koen D'hondt",
            ..an()
        };
        let mail = access(to, url, "Peeters & Zonen <BV>").unwrap();
        assert!(
            mail.body.starts_with("Beste Koen D'hondt,"),
            "{}",
            mail.body
        );
        assert!(mail.body.contains("Peeters & Zonen <BV>"), "{}", mail.body);
        assert!(mails[1].body.contains("toegang tot Bouwbedrijf Peeters NV"));
        assert!(
            mails[2]
                .body
                .contains("Bouwbedrijf Peeters NV nodigt u uit")
        );
        assert!(
            mails[3]
                .body
                .contains("https://ebdesk.test/wachtwoord-herstellen/R")
        );
        assert!(
            mails[4]
                .body
                .contains("hersteld door de beheerder van ebdesk.")
        );
        assert!(
            mails[5]
                .body
                .contains("hersteld door de master user van Bouwbedrijf Peeters NV.")
        );
        assert!(mails[7].body.contains("https://ebdesk.test/login"));
        assert!(
            mails[9]
                .body
                .contains("https://ebdesk.test/notificatieadres/N")
        );
        assert!(mails[9].body.contains("An Peeters, master user, vroeg"));
        assert!(mails[10].body.contains("De beheerder van ebdesk vroeg"));
        assert!(
            mails[11]
                .body
                .contains("gaan de meldingen naar nieuw@peeters.test")
        );
    }

    fn a_digest(to_address: bool) -> DigestMail<'static> {
        static MONTHS: LazyLock<Vec<String>> = LazyLock::new(|| vec!["11/2026".to_owned()]);
        DigestMail {
            employer: "Bouwbedrijf Peeters NV",
            employer_number: "530-101",
            documents: &[("correspondence", 1), ("legal", 2)],
            statements: &MONTHS,
            to_address,
        }
    }

    #[test]
    fn a_digest_counts_per_kind_and_links_to_the_documents() {
        let url = "https://ebdesk.test";
        let mail = digest(an(), url, a_digest(false)).unwrap();
        assert_eq!(mail.subject, "ebdesk: nieuwe documenten");
        assert_eq!(
            mail.body,
            "Beste,\n\nSinds de vorige melding kwam er in ebdesk nieuws voor Bouwbedrijf \
             Peeters NV:\n\n- Correspondentie: 1 nieuw document\n- Juridische documenten: 2 \
             nieuwe documenten\n- Premiebordereel van de maand 11/2026\n\nU vindt alles na \
             aanmelding in ebdesk, onder Documenten:\n\n\
             https://ebdesk.test/werkgevers/530-101/documenten\n\nU ontvangt deze e-mail, ten \
             hoogste één per dag, omdat u erom vroeg op uw accountpagina in ebdesk (Mijn \
             account). Daar zet u hem ook weer af.\n\nebdesk\n"
        );
        let french = Recipient {
            language: "fr",
            ..an()
        };
        let mail = digest(french, url, a_digest(true)).unwrap();
        assert!(
            mail.body
                .contains("- Documents juridiques : 2 nouveaux documents")
        );
        assert!(
            mail.body
                .contains("adresse de notification de Bouwbedrijf Peeters NV")
        );
    }

    #[test]
    fn a_mail_is_written_in_the_recipients_language_when_it_has_a_catalog() {
        let english = Recipient {
            language: "en",
            ..an()
        };
        let mail = activation(english, "u", "t").unwrap();
        assert_eq!(
            mail.subject,
            ebdesk_i18n::lookup(&written_in("en"), "mail-activation-subject", &[])
        );
        assert!(mail.body.starts_with("Dear An Peeters,"), "{}", mail.body);
        assert_ne!(mail.subject, activation(an(), "u", "t").unwrap().subject);
        // German has no catalog: Dutch.
        let german = Recipient {
            language: "de",
            ..an()
        };
        let (theirs, dutch) = (
            activation(german, "u", "t").unwrap(),
            activation(an(), "u", "t").unwrap(),
        );
        assert_eq!((theirs.subject, theirs.body), (dutch.subject, dutch.body));
    }
}
