//! "Invullijst salarissen": the request of the salary list of a year (any user of the
//! employer, as the overview), queued like the overview download.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use ebdesk_domain::ActionKind;
use ebdesk_i18n::Message;
use ebdesk_store::NewAction;
use serde::Deserialize;
use serde_json::json;

use crate::shared::downloads::{queue_download, render_downloads, salary_years};
use crate::shared::local::display_date;
use crate::shared::{AppError, AppState, RouteExt, Tenant};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.post(
        "/werkgevers/{employer}/downloads/invullijst-salarissen",
        request_salary_list,
    );
}

#[derive(Deserialize)]
pub struct SalaryListForm {
    /// The list's year; this year when absent.
    jaar: Option<String>,
}

/// Queues the salary list of the chosen year and shows its action, as the overview does.
pub async fn request_salary_list(
    state: web::Data<AppState>,
    tenant: Tenant,
    form: web::Form<SalaryListForm>,
) -> Result<HttpResponse, AppError> {
    let (years, this_year) = salary_years(&state);
    let year = match form.jaar.as_deref().map(str::trim) {
        None | Some("") => Some(this_year),
        Some(text) => text.parse::<i32>().ok().filter(|y| years.contains(y)),
    };
    let Some(year) = year else {
        return render_downloads(&state, &tenant, StatusCode::UNPROCESSABLE_ENTITY, |c| {
            c.insert("salary_year_error", &true);
        })
        .await;
    };
    let action = NewAction {
        kind: ActionKind::SalaryListDownload,
        description: Message::new("action-description-salary-list")
            .with("year", year.to_string())
            .with("date", display_date(state.today()))
            .to_stored(),
        employee_id: None,
        payload: json!({ "language": tenant.user.language, "year": year }).to_string(),
        effective_date: None,
    };
    queue_download(&state, &tenant, &action).await
}
