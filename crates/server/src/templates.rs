//! Templates and static files, embedded in the binary so it runs from anywhere.

use std::sync::LazyLock;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use rust_embed::RustEmbed;

use crate::AppError;

#[derive(RustEmbed)]
#[folder = "../../web/templates"]
struct TemplateFiles;

#[derive(RustEmbed)]
#[folder = "../../web/static"]
struct StaticFiles;

fn load() -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    let mut sources = Vec::new();
    for name in TemplateFiles::iter() {
        if let Some(file) = TemplateFiles::get(&name) {
            let text = String::from_utf8_lossy(&file.data).into_owned();
            sources.push((name.to_string(), text));
        }
    }
    tera.add_raw_templates(sources)?;
    tera.autoescape_on(vec![".html"]);
    tera.register_function("t", crate::i18n::tera_function);
    Ok(tera)
}

static TERA: LazyLock<Result<tera::Tera, String>> =
    LazyLock::new(|| load().map_err(|e| format!("{e:?}")));

/// Names of all embedded templates (a test renders each one).
pub fn template_names() -> Vec<String> {
    TemplateFiles::iter().map(|n| n.to_string()).collect()
}

/// Renders a template to HTML.
pub fn render(name: &str, context: &tera::Context) -> Result<String, AppError> {
    let tera = TERA
        .as_ref()
        .map_err(|e| AppError::Internal(format!("templates did not load: {e}")))?;
    Ok(tera.render(name, context)?)
}

/// The Dutch error page; falls back to plain text if even that cannot render.
pub fn render_error_page(key: &str, status: u16) -> String {
    let mut context = tera::Context::new();
    context.insert("lang", "nl");
    context.insert("key", key);
    context.insert("status", &status);
    render("error.html", &context).unwrap_or_else(|err| {
        tracing::error!(error = %err, "error page did not render");
        format!(
            "<!doctype html><title>Fout {status}</title><p>Er ging iets mis (fout {status}).</p>"
        )
    })
}

pub async fn static_file(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let name = path.into_inner();
    let file = StaticFiles::get(&name).ok_or(AppError::NotFound)?;
    let content_type = match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((CACHE_CONTROL, "public, max-age=3600"))
        .body(file.data.into_owned()))
}
