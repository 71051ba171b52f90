//! The message forms of "Mail naar uw contactpunt" (a new thread, a reply in one) and the
//! thread view the HR pages and the operator console share: a multipart form read with its
//! attachment, each refusal at its field.

use actix_multipart::Multipart;
use ebdesk_domain::changes::FieldErrors;
use ebdesk_domain::contact::{
    AttachmentType, ContactKind, MAX_ATTACHMENT_BYTES, attachment_name, check_message,
    check_subject,
};
use ebdesk_store::{ContactAttachment, NewAttachment};
use serde::Serialize;

use super::file_field::read_file_form;
use super::notice::Notice;
use super::respond::attachment;
use super::{AppError, Fields, html, render};
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use ebdesk_store::ContactThread;

/// The attachment's field.
const FILE_FIELD: &str = "bijlage";

/// What the form sent, to show it again, and the messages at its fields.
#[derive(Debug, Default, Serialize)]
pub struct MessageForm {
    pub kind: String,
    pub subject: String,
    pub message: String,
    pub employee: Option<i64>,
    pub errors: FieldErrors,
}

/// A message that passed every check.
#[derive(Debug)]
pub struct CheckedMessage {
    pub kind: Option<ContactKind>,
    pub subject: String,
    pub body: String,
    pub attachment: Option<NewAttachment>,
}

/// Reads a message form; `new_thread` also reads and checks the contact point and the
/// subject. The message when every field passed, else the form with its errors.
pub async fn read_message_form(
    multipart: Multipart,
    new_thread: bool,
) -> Result<(MessageForm, Option<CheckedMessage>), AppError> {
    let texts = [
        ("soort", 32),
        ("onderwerp", 2048),
        ("bericht", 64 * 1024),
        ("werknemer", 32),
    ];
    let received = read_file_form(multipart, FILE_FIELD, &texts, MAX_ATTACHMENT_BYTES)
        .await?
        .ok_or(AppError::BadRequest)?;
    let text = |name| received.field(name).unwrap_or_default().to_owned();
    let mut form = MessageForm {
        kind: text("soort"),
        subject: text("onderwerp"),
        message: text("bericht"),
        employee: text("werknemer").parse().ok(),
        errors: FieldErrors::new(),
    };
    let kind = ContactKind::from_db(&form.kind);
    let mut subject = String::new();
    if new_thread {
        if kind.is_none() {
            form.errors.insert("soort", "contact-kind-required");
        }
        match check_subject(&form.subject) {
            Ok(checked) => subject = checked,
            Err(key) => _ = form.errors.insert("onderwerp", key),
        }
    }
    let body = check_message(&form.message)
        .map_err(|key| form.errors.insert("bericht", key))
        .ok();
    let attachment = match (&received.bytes, received.name.is_empty()) {
        (Some(bytes), true) if bytes.is_empty() => None,
        (None, _) => {
            form.errors
                .insert(FILE_FIELD, "contact-attachment-too-large");
            None
        }
        (Some(bytes), _) => match AttachmentType::sniff(bytes) {
            Some(kind) => Some(NewAttachment {
                name: attachment_name(&received.name, kind),
                content_type: kind.content_type().to_owned(),
                bytes: bytes.clone(),
            }),
            None => {
                form.errors.insert(FILE_FIELD, "contact-attachment-type");
                None
            }
        },
    };
    let checked = match body {
        Some(body) if form.errors.is_empty() => Some(CheckedMessage {
            kind,
            subject,
            body,
            attachment,
        }),
        _ => None,
    };
    Ok((form, checked))
}

/// A stored attachment, served to save (never shown inline), its type as stored when this
/// build knows it.
pub fn attachment_response(file: ContactAttachment) -> Result<HttpResponse, AppError> {
    let kind = AttachmentType::from_content_type(&file.attachment_type)
        .ok_or_else(|| AppError::Internal("unknown attachment type".to_owned()))?;
    Ok(attachment(
        kind.content_type(),
        file.attachment_name,
        file.attachment,
    ))
}

/// The employee a contact form starts from (`?werknemer=`), read from a query string.
pub fn employee_of_query(query: &str) -> Option<i64> {
    Fields::from_query(query).get("werknemer").parse().ok()
}

/// A thread's page at `status`, for the HR user or the operator (`context` is the page's
/// own), the reply form at `base`.
pub fn thread_page(
    mut context: tera::Context,
    thread: &ContactThread,
    base: &str,
    form: &MessageForm,
    status: StatusCode,
    notice: Notice,
) -> Result<HttpResponse, AppError> {
    context.insert("thread", thread);
    context.insert("thread_base", base);
    context.insert("form", form);
    notice.insert(&mut context);
    Ok(html(status, render("contact_thread.html", &context)?))
}
