//! "Correspondentie": the threads with the contact points that the user sees (their own; all
//! of them for a master user), each with its messages, a reply form and the attachments.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_app::contact::reply_to_contact_point;
use ebdesk_store::ContactReply;

use crate::shared::messages::{MessageForm, attachment_response, read_message_form, thread_page};
use crate::shared::notice::{Notice, Saved, see_other_saying};
use crate::shared::{AppError, AppState, RouteExt, Tenant, actor, html, render, tenant_context};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/correspondentie", threads_page)
        .get(
            "/werkgevers/{employer}/correspondentie/{thread}",
            show_thread,
        )
        .post("/werkgevers/{employer}/correspondentie/{thread}", reply)
        .get(
            "/werkgevers/{employer}/correspondentie/{thread}/bijlagen/{message}",
            attachment,
        );
}

pub async fn threads_page(
    state: web::Data<AppState>,
    tenant: Tenant,
) -> Result<HttpResponse, AppError> {
    let threads = state
        .store
        .list_contact_threads(tenant.access.scope())
        .await?;
    let mut context = tenant_context(&tenant);
    let base = format!(
        "/werkgevers/{}/correspondentie",
        tenant.access.employer().number
    );
    context.insert("threads", &threads);
    context.insert("threads_base", &base);
    Ok(html(
        StatusCode::OK,
        render("correspondence.html", &context)?,
    ))
}

async fn thread_view(
    state: &AppState,
    tenant: &Tenant,
    thread_id: i64,
    form: &MessageForm,
    status: StatusCode,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let thread = state
        .store
        .find_contact_thread(tenant.access.scope(), thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let number = &tenant.access.employer().number;
    let base = format!("/werkgevers/{number}/correspondentie/{thread_id}");
    thread_page(tenant_context(tenant), &thread, &base, form, status, notice)
}

pub async fn show_thread(
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, i64)>,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let (_, thread_id) = path.into_inner();
    let form = MessageForm::default();
    thread_view(&state, &tenant, thread_id, &form, StatusCode::OK, notice).await
}

pub async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, i64)>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let (_, thread_id) = path.into_inner();
    let (mut form, checked) = read_message_form(multipart, false).await?;
    if let Some(message) = checked {
        let reply = ContactReply {
            thread_id,
            body: &message.body,
            attachment: message.attachment.as_ref(),
        };
        match send_reply(&req, &state, &tenant, reply).await {
            Ok(()) => {
                let number = &tenant.access.employer().number;
                let path = format!("/werkgevers/{number}/correspondentie/{thread_id}");
                return Ok(see_other_saying(&path, Saved::MESSAGE_SENT));
            }
            Err(ebdesk_app::Error::Refused(key)) => _ = form.errors.insert("bericht", key),
            Err(err) => return Err(err.into()),
        }
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    thread_view(&state, &tenant, thread_id, &form, status, Notice::default()).await
}

async fn send_reply(
    req: &HttpRequest,
    state: &AppState,
    tenant: &Tenant,
    reply: ContactReply<'_>,
) -> Result<(), ebdesk_app::Error> {
    let who = actor(req, Some(tenant.user.user_id));
    let employer = &tenant.access.employer().name;
    let (scope, url) = (tenant.access.scope(), &state.settings.public_url);
    reply_to_contact_point(&state.store, scope, employer, reply, url, &who, state.now()).await
}

pub async fn attachment(
    state: web::Data<AppState>,
    tenant: Tenant,
    path: web::Path<(String, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (_, thread_id, message_id) = path.into_inner();
    let file = state
        .store
        .find_contact_attachment(tenant.access.scope(), thread_id, message_id)
        .await?
        .ok_or(AppError::NotFound)?;
    attachment_response(file)
}
