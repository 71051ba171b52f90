//! A destructive button (revoke access, reset 2FA, withdraw an exit or an invitation, cancel
//! an upload) posts twice: first without `bevestigd`, which answers a page that says what
//! will happen and asks; then, from that page, with `bevestigd=1`, which does it. The first
//! post changes nothing, so a stray click or a replayed form does no harm.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::respond::page;

/// The `bevestigd` field of a destructive form.
#[derive(Debug, Default, Deserialize)]
pub struct Confirmation {
    bevestigd: Option<String>,
}

impl Confirmation {
    /// The person confirmed on the confirmation page.
    pub fn given(&self) -> bool {
        self.bevestigd.as_deref() == Some("1")
    }
}

/// What the confirmation page asks.
#[derive(Debug, Serialize)]
pub struct Question<'a> {
    /// The key of the page's title and of its confirming button (e.g. "users-revoke").
    pub action_key: &'static str,
    /// The key of the sentence that says what will happen, with `name` as its argument.
    pub text_key: &'static str,
    /// Who or what it is about (a person's name, a file name).
    pub name: &'a str,
    /// Where the confirming form posts (the same path as the first post).
    pub post_to: &'a str,
    /// Where "back" leads, changing nothing.
    pub back_to: &'a str,
}

/// The confirmation page, in the context of the page the button was on.
pub fn confirm_page(
    mut context: tera::Context,
    question: &Question<'_>,
) -> Result<HttpResponse, AppError> {
    context.insert("question", question);
    page(StatusCode::OK, "confirm.html", &context)
}
