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
    attachment_response(content_type, file_name).body(content)
}

/// A stored file to save, sent a chunk at a time as the store reads them (see
/// [`ebdesk_store::StoredFile`]); a chunk purged meanwhile ends the answer early.
pub fn stored_attachment(
    store: ebdesk_store::Store,
    file: ebdesk_store::StoredFile,
) -> HttpResponse {
    let (content_type, file_name, size) = (
        file.content_type.clone(),
        file.file_name.clone(),
        file.byte_size,
    );
    let chunks = futures_util::stream::try_unfold(0_i64, move |seq| {
        let (store, file) = (store.clone(), file.clone());
        async move {
            if seq >= file.chunk_count() {
                return Ok(None);
            }
            let chunk = store.read_file_chunk(&file, seq).await?;
            let chunk = chunk.ok_or(AppError::NotFound)?;
            Ok::<_, AppError>(Some((actix_web::web::Bytes::from(chunk), seq + 1)))
        }
    });
    attachment_response(&content_type, file_name)
        .no_chunking(size)
        .streaming(chunks)
}

/// The headers of a file to save.
fn attachment_response(content_type: &str, file_name: String) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
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
        });
    response
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
