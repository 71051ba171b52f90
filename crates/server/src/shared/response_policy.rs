//! What every answer gets, whatever route made it: no caching of pages (they hold personal
//! data; a route that allows caching, like the static files, says so itself), HSTS over
//! HTTPS, and a deadline for receiving the body, so that a client that sends its body a byte
//! at a time does not hold a worker for ever.

use std::time::Duration;

use std::io;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use futures_util::StreamExt;
use tokio::time::Instant;

use super::AppError;

/// How long a request's body may take to arrive.
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadlines {
    /// A form (at most 64 KB).
    pub form: Duration,
    /// An upload (multipart, up to 20 MB), over a slow line.
    pub upload: Duration,
}

impl Default for BodyDeadlines {
    fn default() -> Self {
        BodyDeadlines {
            form: Duration::from_secs(30),
            upload: Duration::from_secs(300),
        }
    }
}

const HSTS: &str = "max-age=31536000; includeSubDomains";

pub async fn response_policy(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
    deadlines: BodyDeadlines,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let https = req.connection_info().scheme() == "https";
    let deadline = if req.content_type() == "multipart/form-data" {
        deadlines.upload
    } else {
        deadlines.form
    };
    let payload = req.take_payload();
    req.set_payload(with_deadline(payload, Instant::now() + deadline));
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    Ok(response)
}

/// The body as a stream that fails once `deadline` has passed.
fn with_deadline(payload: Payload, deadline: Instant) -> Payload {
    let stream = futures_util::stream::unfold(Some(payload), move |state| async move {
        let mut payload = state?;
        match tokio::time::timeout_at(deadline, payload.next()).await {
            Ok(Some(chunk)) => Some((chunk, Some(payload))),
            Ok(None) => None,
            Err(_) => Some((
                Err(PayloadError::Io(io::Error::from(io::ErrorKind::TimedOut))),
                None,
            )),
        }
    });
    // The multipart reader polls again after the end: a fused stream answers None again.
    let boxed: std::pin::Pin<Box<dyn futures_util::Stream<Item = _>>> = Box::pin(stream.fuse());
    Payload::from(boxed)
}

/// What a body that could not be read means for the user: too slow, or not understood.
pub fn body_error(err: &actix_web::Error) -> AppError {
    let timed_out = err
        .as_error::<PayloadError>()
        .is_some_and(|e| matches!(e, PayloadError::Io(io) if io.kind() == io::ErrorKind::TimedOut));
    if timed_out {
        AppError::Timeout
    } else {
        AppError::BadRequest
    }
}
