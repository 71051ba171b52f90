//! "Mail naar uw contactpunt": any user of the employer writes to its administrative,
//! commercial or claims contact point, optionally about an employee of their scope (the
//! form opened from that employee's page) and with one attachment.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_domain::contact::ContactKind;
use ebdesk_store::{EmployeeDetail, NewContactThread};

use crate::shared::messages::{MessageForm, employee_of_query, read_message_form};
use crate::shared::notice::{Saved, see_other_saying};
use crate::shared::{
    AppError, AppState, RouteExt, Tenant, actor, employee_in_scope, html, render, tenant_context,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}/contact", contact_form)
        .post("/werkgevers/{employer}/contact", send_message);
}

async fn form_page(
    state: &AppState,
    tenant: &Tenant,
    form: &MessageForm,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let employee: Option<EmployeeDetail> = match form.employee {
        Some(id) => Some(employee_in_scope(state, tenant, id).await?),
        None => None,
    };
    let points = state
        .store
        .list_contact_points(tenant.access.scope())
        .await?;
    let mut context = tenant_context(tenant);
    context.insert("form", form);
    context.insert("about_employee", &employee);
    context.insert("contact_points", &points);
    context.insert(
        "contact_kinds",
        &ContactKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
    );
    Ok(html(status, render("contact_form.html", &context)?))
}

pub async fn contact_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: Tenant,
) -> Result<HttpResponse, AppError> {
    let query = req.query_string();
    let form = MessageForm {
        kind: crate::shared::Fields::from_query(query).get("soort"),
        employee: employee_of_query(query),
        ..Default::default()
    };
    form_page(&state, &tenant, &form, StatusCode::OK).await
}

pub async fn send_message(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: Tenant,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let (mut form, checked) = read_message_form(multipart, true).await?;
    let Some((message, kind)) = checked.and_then(|m| m.kind.map(|k| (m, k))) else {
        return form_page(&state, &tenant, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewContactThread {
        kind,
        subject: message.subject,
        body: message.body,
        employee_id: form.employee,
        attachment: message.attachment,
    };
    let employer = tenant.access.employer();
    let written = ebdesk_app::contact::write_to_contact_point(
        &state.store,
        tenant.access.scope(),
        &employer.name,
        &new,
        &state.settings.public_url,
        &actor(&req, Some(tenant.user.user_id)),
        state.now(),
    )
    .await;
    match written {
        Ok(id) => {
            let path = format!("/werkgevers/{}/correspondentie/{id}", employer.number);
            Ok(see_other_saying(&path, Saved::MESSAGE_SENT))
        }
        Err(ebdesk_app::Error::Refused(key)) => {
            form.errors.insert("soort", key);
            form_page(&state, &tenant, &form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err) => Err(err.into()),
    }
}
