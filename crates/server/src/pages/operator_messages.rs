//! The console's inbox: every employer's threads with its contact points (those waiting for
//! an answer first), a thread with its attachments, and the operator's answer.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_app::contact::answer_thread;
use ebdesk_domain::contact::check_message;
use serde::Deserialize;

use crate::shared::messages::{MessageForm, attachment_response, thread_page};
use crate::shared::notice::{Notice, Saved, see_other_saying};
use crate::shared::{AppError, AppState, Operator, RouteExt, actor, html, page_context, render};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/beheer/berichten", inbox)
        .get("/beheer/berichten/{thread}", show_thread)
        .post("/beheer/berichten/{thread}", answer)
        .get("/beheer/berichten/{thread}/bijlagen/{message}", attachment);
}

pub async fn inbox(
    state: web::Data<AppState>,
    operator: Operator,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(&operator.0);
    context.insert("threads", &state.store.list_contact_inbox().await?);
    context.insert("threads_base", "/beheer/berichten");
    context.insert("operator_view", &true);
    Ok(html(
        StatusCode::OK,
        render("operator_inbox.html", &context)?,
    ))
}

async fn thread_view(
    state: &AppState,
    operator: &Operator,
    thread_id: i64,
    form: &MessageForm,
    status: StatusCode,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let thread = state
        .store
        .find_contact_thread_for_operator(thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut context = page_context(&operator.0);
    context.insert("operator_view", &true);
    let base = format!("/beheer/berichten/{thread_id}");
    thread_page(context, &thread, &base, form, status, notice)
}

pub async fn show_thread(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<i64>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let form = MessageForm::default();
    let id = path.into_inner();
    thread_view(&state, &operator, id, &form, StatusCode::OK, notice).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    bericht: String,
}

pub async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<i64>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let thread_id = path.into_inner();
    let body = match check_message(&form.bericht) {
        Ok(body) => body,
        Err(key) => {
            let mut shown = MessageForm {
                message: form.bericht.clone(),
                ..Default::default()
            };
            shown.errors.insert("bericht", key);
            let (status, notice) = (StatusCode::UNPROCESSABLE_ENTITY, Notice::default());
            return thread_view(&state, &operator, thread_id, &shown, status, notice).await;
        }
    };
    let (who, url) = (
        actor(&req, Some(operator.0.user_id)),
        &state.settings.public_url,
    );
    answer_thread(&state.store, thread_id, &body, url, &who, state.now()).await?;
    let path = format!("/beheer/berichten/{thread_id}");
    Ok(see_other_saying(&path, Saved::ANSWER_SENT))
}

pub async fn attachment(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (thread_id, message_id) = path.into_inner();
    let file = state
        .store
        .find_contact_attachment_for_operator(thread_id, message_id)
        .await?
        .ok_or(AppError::NotFound)?;
    attachment_response(file)
}
