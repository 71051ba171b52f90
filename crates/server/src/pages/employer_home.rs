//! The employer's home page: its data, contracts and contact points; its master user asks
//! for a new notification address here.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ebdesk_app::notification_address::Requester;

use crate::shared::notice::{Notice, Saved, see_other_saying};
use crate::shared::notification::{self, NotificationForm};
use crate::shared::{
    AppError, AppState, MasterTenant, RouteExt, Tenant, actor, html, render, tenant_context,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/werkgevers/{employer}", employer_home).post(
        "/werkgevers/{employer}/notificatieadres",
        request_notification_address,
    );
}

async fn home_page(
    state: &AppState,
    tenant: &Tenant,
    form: &NotificationForm,
    status: StatusCode,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let scope = tenant.access.scope();
    let contact_points = state.store.list_contact_points(scope).await?;
    let contracts = state.store.list_contracts(scope).await?;
    let store = &state.store;
    let pending = store.find_pending_notification_change(scope, state.now());
    let mut context = tenant_context(tenant);
    context.insert("contact_points", &contact_points);
    context.insert("contracts", &contracts);
    let post_to = tenant.access.rights().can_manage_users().then(|| {
        let number = &tenant.access.employer().number;
        format!("/werkgevers/{number}/notificatieadres")
    });
    notification::insert(&mut context, pending.await?, form, post_to);
    notice.insert(&mut context);
    Ok(html(status, render("employer_home.html", &context)?))
}

pub async fn employer_home(
    state: web::Data<AppState>,
    tenant: Tenant,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    let form = NotificationForm::default();
    home_page(&state, &tenant, &form, StatusCode::OK, notice).await
}

/// The master asks for a new notification address: a link goes to it; the current one stays
/// in use until the link is confirmed.
pub async fn request_notification_address(
    req: HttpRequest,
    state: web::Data<AppState>,
    master: MasterTenant,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let MasterTenant(tenant) = master;
    let (user, access) = (&tenant.user, &tenant.access);
    let requester = Requester::Master {
        access,
        name: &user.display_name,
    };
    let actor = actor(&req, Some(user.user_id));
    let asked = notification::request(
        &state,
        requester,
        fields.into_inner(),
        &user.language,
        &actor,
    );
    match asked.await? {
        Ok(()) => {
            let home = format!("/werkgevers/{}", access.employer().number);
            Ok(see_other_saying(&home, Saved::NOTIFICATION_REQUESTED))
        }
        Err(form) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            home_page(&state, &tenant, &form, status, Notice::default()).await
        }
    }
}
