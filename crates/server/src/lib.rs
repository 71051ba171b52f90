#![recursion_limit = "512"]
//! The web application: routes, extractors, sessions, CSRF, login, rendering, error pages.
//! The only crate that speaks HTTP.

mod pages;
mod shared;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{DefaultHeaders, Logger, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use ebdesk_jobs::JobNotifier;
use ebdesk_store::Store;

pub use shared::error::AppError;
pub use shared::response_policy::BodyDeadlines;
pub use shared::routes::registered_routes;
pub use shared::secrets::SecretKey;
pub use shared::templates::template_names;
pub use shared::totp::{code_at as totp_code_at, generate_secret as generate_totp_secret};
pub use shared::{AppSettings, AppState};
use shared::{RouteExt, csrf, error, response_policy, session, templates};

/// A running server: its bound address and the future that drives it.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds `bind` (port 0 picks a free one, as tests do) and builds the server; `jobs`
    /// wakes the worker of this process (a node without one polls nothing: the others do).
    pub fn build(
        store: Store,
        bind: &str,
        settings: AppSettings,
        jobs: JobNotifier,
    ) -> std::io::Result<Application> {
        Application::build_with(store, bind, settings, jobs, BodyDeadlines::default())
    }

    /// [`Application::build`] with other deadlines for receiving request bodies.
    pub fn build_with(
        store: Store,
        bind: &str,
        settings: AppSettings,
        jobs: JobNotifier,
        deadlines: BodyDeadlines,
    ) -> std::io::Result<Application> {
        let listener = TcpListener::bind(bind)?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(AppState {
            store,
            settings,
            jobs,
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(
                    web::QueryConfig::default().error_handler(|_, _| AppError::BadRequest.into()),
                )
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .app_data(
                    web::FormConfig::default()
                        .limit(64 * 1024)
                        .error_handler(|err, _| match err {
                            actix_web::error::UrlencodedError::Payload(payload) => {
                                response_policy::body_error(&payload.into()).into()
                            }
                            _ => AppError::BadRequest.into(),
                        }),
                )
                .configure(routes)
                .default_service(web::to(|| async {
                    Err::<HttpResponse, _>(AppError::NotFound)
                }))
                .wrap(from_fn(csrf::verify_csrf))
                .wrap(from_fn(error::error_pages_in_language))
                .wrap(from_fn(session::load_session))
                .wrap(from_fn(move |req, next| {
                    response_policy::response_policy(req, next, deadlines)
                }))
                .wrap(security_headers())
                // The path without its query (searches may hold a national number), and
                // without the tokens of activation and reset links.
                .wrap(
                    Logger::new("%s \"%{path}xi\" %Dms")
                        .custom_request_replace("path", |req| redacted_path(req.path())),
                )
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the server stops (SIGINT/SIGTERM stop it gracefully).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// A path as the access log may show it: the secret part of a link replaced by `…`.
fn redacted_path(path: &str) -> String {
    for prefix in [
        "/activeren/",
        "/wachtwoord-herstellen/",
        "/notificatieadres/",
    ] {
        if path.starts_with(prefix) {
            return format!("{prefix}…");
        }
    }
    path.to_owned()
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.get("/healthz", healthz)
        .get("/robots.txt", robots)
        .get("/static/{file}", templates::static_file)
        .configure(pages::routes);
}

async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.store.ping().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ok"),
        Err(err) => {
            tracing::error!(error = %err, "health check: database not answering");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}

/// Also the trivial reference route of the benchmark: no database, no session work.
async fn robots() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain")
        .body("User-agent: *\nDisallow: /\n")
}
