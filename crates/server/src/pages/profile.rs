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

fn profile(
    user: &SessionUser,
    lang: &str,
    saved: bool,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(user);
    // The page speaks the language just chosen.
    context.insert("lang", lang);
    context.insert("languages", &LANGUAGES);
    context.insert("saved", &saved);
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
    let saved = query.bewaard.is_some();
    profile(&user, &user.language.clone(), saved, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LanguageForm {
    language: String,
}

/// Saves the language; anything but a catalog's language is refused (400), nothing stored.
pub async fn change_language(
    state: web::Data<AppState>,
    user: SessionUser,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let language = supported(&form.language).ok_or(AppError::BadRequest)?;
    state.store.set_language(user.user_id, language).await?;
    Ok(see_other("/mijn-account?bewaard=1"))
}
