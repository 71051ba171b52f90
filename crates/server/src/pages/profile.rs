//! "Mijn account": the logged-in person's own settings: the language they read ebdesk and
//! its e-mails in, and whether they want the daily e-mail about new documents
//! (`ebdesk_app::digest`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::shared::language::{LANGUAGES, supported};
use crate::shared::respond::page;
use crate::shared::{AppError, AppState, RouteExt, SessionUser, page_context, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/mijn-account", profile_page)
        .post("/mijn-account", save_settings);
}

/// What the page says besides the form: the save, or what was wrong with the choice.
enum Said {
    Nothing,
    Saved,
    UnknownLanguage,
}

/// The page, with the settings as shown: the language and the digest's checkbox.
fn profile(
    user: &SessionUser,
    (lang, document_notices): (&str, bool),
    said: Said,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(user);
    // The page speaks the language just chosen.
    context.insert("lang", lang);
    context.insert("languages", &LANGUAGES);
    context.insert("document_notices", &document_notices);
    context.insert("saved", &matches!(said, Said::Saved));
    let status = match said {
        Said::UnknownLanguage => {
            context.insert("language_error", "profile-language-unknown");
            StatusCode::BAD_REQUEST
        }
        Said::Nothing | Said::Saved => StatusCode::OK,
    };
    page(status, "profile.html", &context)
}

#[derive(Deserialize)]
pub struct ProfileQuery {
    /// Set after a save: the page confirms it.
    bewaard: Option<String>,
}

pub async fn profile_page(
    state: web::Data<AppState>,
    user: SessionUser,
    query: web::Query<ProfileQuery>,
) -> Result<HttpResponse, AppError> {
    let said = match query.bewaard {
        Some(_) => Said::Saved,
        None => Said::Nothing,
    };
    let notices = state.store.document_notices(user.user_id).await?;
    profile(&user, (&user.language, notices), said)
}

#[derive(Deserialize)]
pub struct SettingsForm {
    language: String,
    /// The checkbox: present when checked.
    document_notices: Option<String>,
}

/// Saves the language and the digest's choice; anything but a catalog's language is
/// refused (400, said at the field), nothing stored.
pub async fn save_settings(
    state: web::Data<AppState>,
    user: SessionUser,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let notices = form.document_notices.is_some();
    let Some(language) = supported(&form.language) else {
        return profile(&user, (&user.language, notices), Said::UnknownLanguage);
    };
    state.store.set_language(user.user_id, language).await?;
    state
        .store
        .set_document_notices(user.user_id, notices)
        .await?;
    Ok(see_other("/mijn-account?bewaard=1"))
}
