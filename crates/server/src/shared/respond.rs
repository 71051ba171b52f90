//! Building answers: pages, redirects.

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, Charset, ContentDisposition, DispositionParam, DispositionType,
    ExtendedValue, HeaderValue, LOCATION,
};
use actix_web::{HttpRequest, HttpResponse};

use super::AppError;
use super::templates::render;

pub fn html(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location.to_owned()))
        .finish()
}

pub fn is_https(req: &HttpRequest) -> bool {
    req.connection_info().scheme() == "https"
}

/// A page rendered from `template`, with `status`.
pub fn page(
    status: StatusCode,
    template: &str,
    context: &tera::Context,
) -> Result<HttpResponse, AppError> {
    Ok(html(status, render(template, context)?))
}

/// A file to save (a download, a workbook of errors), never kept in a cache.
pub fn attachment(content_type: &str, file_name: String, content: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            // An ASCII name for old clients, the real one (é, ç…) as RFC 6266's filename*.
            parameters: vec![
                DispositionParam::Filename(ascii_name(&file_name)),
                DispositionParam::FilenameExt(ExtendedValue {
                    charset: Charset::Ext("UTF-8".to_owned()),
                    language_tag: None,
                    value: file_name.into_bytes(),
                }),
            ],
        })
        .body(content)
}

/// `name` with every character outside printable ASCII replaced by "_".
fn ascii_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `response` (its cookies kept) made into the page `body` with `status`: a redirect that
/// set a session becomes the page shown once, such as the recovery codes.
pub fn into_page(mut response: HttpResponse, status: StatusCode, body: String) -> HttpResponse {
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.remove(LOCATION);
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response.set_body(BoxBody::new(body))
}
