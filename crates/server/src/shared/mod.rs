//! The shared web layer every page stands on: extractors (the user, the tenant with its
//! rights, the operator, the employee in scope), answers (pages, redirects, refusals), the
//! page context, sessions, CSRF, throttling, templates and the views two pages share.
//! Pages import from here, never from one another.

pub mod audit;
pub mod confirm;
pub mod contact_points;
pub mod context;
pub mod csrf;
pub mod decisions;
pub mod downloads;
pub mod error;
pub mod extract;
pub mod file_field;
pub mod forms;
pub mod history;
pub mod language;
pub mod local;
pub mod login;
pub mod messages;
pub mod notice;
pub mod notification;
pub mod pager;
pub mod plan_rules;
pub mod preview;
pub mod respond;
pub mod response_policy;
pub mod routes;
pub mod secrets;
pub mod session;
pub mod state;
pub mod templates;
pub mod throttle;
pub mod totp;

pub use context::{page_context, tenant_context};
pub use error::AppError;
pub use extract::{
    ChangeTenant, EmployeeToChange, MasterTenant, Operator, Tenant, actor, employee_in_scope,
};
pub use forms::Fields;
pub use respond::{html, is_https, see_other};
pub use routes::RouteExt;
pub use session::SessionUser;
pub use state::{AppSettings, AppState};
pub use templates::render;
