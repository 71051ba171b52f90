//! "Mijn account": the logged-in person's own settings. For now the language they read
//! ebdesk and its e-mails in.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::shared::language::{LANGUAGES, supported};
use crate::shared::respond::page;
use crate::shared::{AppError, AppState, RouteExt, SessionUser, page_context, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/mijn-account", profile_page)
        .post("/mijn-account", change_language);
}

/// What the page says besides the form: the save, or what was wrong with the choice.
enum Said {
    Nothing,
    Saved,
    UnknownLanguage,
}

fn profile(user: &SessionUser, lang: &str, said: Said) -> Result<HttpResponse, AppError> {
    let mut context = page_context(user);
    // The page speaks the language just chosen.
    context.insert("lang", lang);
    context.insert("languages", &LANGUAGES);
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
    user: SessionUser,
    query: web::Query<ProfileQuery>,
) -> Result<HttpResponse, AppError> {
    let said = match query.bewaard {
        Some(_) => Said::Saved,
        None => Said::Nothing,
    };
    profile(&user, &user.language, said)
}

#[derive(Deserialize)]
pub struct LanguageForm {
    language: String,
}

/// Saves the language; anything but a catalog's language is refused (400, said at the
/// field), nothing stored.
pub async fn change_language(
    state: web::Data<AppState>,
    user: SessionUser,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let Some(language) = supported(&form.language) else {
        return profile(&user, &user.language, Said::UnknownLanguage);
    };
    state.store.set_language(user.user_id, language).await?;
    Ok(see_other("/mijn-account?bewaard=1"))
}
