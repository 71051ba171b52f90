//! The short confirmation after a save ("De wijziging is geregistreerd."): the redirect
//! after the POST carries `?bewaard=CODE`, and the page it lands on shows that message at
//! its top. Only the codes below mean anything, so a crafted link can show one of these
//! fixed sentences and nothing else.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse};

use super::{AppError, see_other};

/// What was saved: (code in the URL, catalogue key).
const NOTICES: [(&str, &str); 24] = [
    ("wijziging", "notice-change-saved"),
    ("aansluiting", "notice-affiliation-registered"),
    ("uittreding", "notice-exit-registered"),
    ("uittreding-ingetrokken", "notice-exit-withdrawn"),
    ("toegepast", "notice-upload-applied"),
    ("geannuleerd", "notice-upload-cancelled"),
    ("gebruiker-toegevoegd", "notice-user-added"),
    ("gebruiker", "notice-user-saved"),
    ("toegang-ingetrokken", "notice-access-revoked"),
    ("uitnodiging", "notice-invitation-resent"),
    ("2fa", "notice-second-factor-reset"),
    ("uitnodiging-ingetrokken", "notice-invitation-withdrawn"),
    ("werkgever", "notice-employer-created"),
    ("master", "notice-master-designated"),
    ("contract", "notice-contract-added"),
    ("gegevens", "notice-employer-data-saved"),
    ("notificatieadres", "notice-notification-requested"),
    ("verplaatsing", "notice-category-moved"),
    ("bericht", "notice-message-sent"),
    ("antwoord", "notice-answer-sent"),
    ("contactpunten", "notice-contact-points-saved"),
    ("document", "notice-document-published"),
    ("categorie", "notice-category-added"),
    ("regel", "notice-plan-rule-added"),
];

/// A save to confirm on the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved(&'static str);

impl Saved {
    pub const CHANGE: Saved = Saved("wijziging");
    pub const AFFILIATION: Saved = Saved("aansluiting");
    pub const EXIT: Saved = Saved("uittreding");
    pub const EXIT_WITHDRAWN: Saved = Saved("uittreding-ingetrokken");
    pub const UPLOAD_APPLIED: Saved = Saved("toegepast");
    pub const UPLOAD_CANCELLED: Saved = Saved("geannuleerd");
    pub const USER_ADDED: Saved = Saved("gebruiker-toegevoegd");
    pub const USER: Saved = Saved("gebruiker");
    pub const ACCESS_REVOKED: Saved = Saved("toegang-ingetrokken");
    pub const INVITATION_RESENT: Saved = Saved("uitnodiging");
    pub const SECOND_FACTOR_RESET: Saved = Saved("2fa");
    pub const INVITATION_WITHDRAWN: Saved = Saved("uitnodiging-ingetrokken");
    pub const EMPLOYER: Saved = Saved("werkgever");
    pub const MASTER: Saved = Saved("master");
    pub const CONTRACT: Saved = Saved("contract");
    pub const EMPLOYER_DATA: Saved = Saved("gegevens");
    pub const NOTIFICATION_REQUESTED: Saved = Saved("notificatieadres");
    pub const CATEGORY_MOVED: Saved = Saved("verplaatsing");
    pub const MESSAGE_SENT: Saved = Saved("bericht");
    pub const ANSWER_SENT: Saved = Saved("antwoord");
    pub const CONTACT_POINTS: Saved = Saved("contactpunten");
    pub const DOCUMENT: Saved = Saved("document");
    pub const CATEGORY: Saved = Saved("categorie");
    pub const PLAN_RULE: Saved = Saved("regel");
}

/// Redirect (303) to `location`, which then confirms `saved`.
pub fn see_other_saying(location: &str, saved: Saved) -> HttpResponse {
    let separator = if location.contains('?') { '&' } else { '?' };
    see_other(&format!("{location}{separator}bewaard={}", saved.0))
}

/// The confirmation a page shows, read from `?bewaard=`: the catalogue key, or nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Notice(pub Option<&'static str>);

impl Notice {
    /// Puts the message (when there is one) in the page's context; base.html shows it.
    pub fn insert(self, context: &mut tera::Context) {
        if let Some(key) = self.0 {
            context.insert("notice", key);
        }
    }
}

impl FromRequest for Notice {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let code = req
            .query_string()
            .split('&')
            .find_map(|pair| pair.strip_prefix("bewaard="));
        let key = code.and_then(|code| {
            NOTICES
                .iter()
                .find(|(known, _)| *known == code)
                .map(|(_, key)| *key)
        });
        ready(Ok(Notice(key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_save_has_a_message_and_only_those_codes_are_read() {
        for saved in [
            Saved::CHANGE,
            Saved::AFFILIATION,
            Saved::EXIT,
            Saved::EXIT_WITHDRAWN,
            Saved::UPLOAD_APPLIED,
            Saved::UPLOAD_CANCELLED,
            Saved::USER_ADDED,
            Saved::USER,
            Saved::ACCESS_REVOKED,
            Saved::INVITATION_RESENT,
            Saved::SECOND_FACTOR_RESET,
            Saved::INVITATION_WITHDRAWN,
            Saved::EMPLOYER,
            Saved::MASTER,
            Saved::CONTRACT,
            Saved::EMPLOYER_DATA,
            Saved::NOTIFICATION_REQUESTED,
        ] {
            assert!(
                NOTICES.iter().any(|(code, _)| *code == saved.0),
                "{saved:?}"
            );
        }
        let read = |uri: &str| {
            let req = actix_web::test::TestRequest::with_uri(uri).to_http_request();
            Notice::from_request(&req, &mut Payload::None)
                .into_inner()
                .map(|n| n.0)
                .ok()
                .flatten()
        };
        assert_eq!(read("/x?bewaard=2fa"), Some("notice-second-factor-reset"));
        assert_eq!(
            read("/x?a=1&bewaard=contract"),
            Some("notice-contract-added")
        );
        assert_eq!(read("/x?bewaard=%3Cscript%3E"), None);
        assert_eq!(read("/x?bewaard=notice-user-saved"), None);
        assert_eq!(read("/x"), None);
    }
}
