//! The notification address form that two pages carry (the employer's home for its master
//! user, the operator's employer page): one request through the use case, one way to show
//! its refusal at the field and the request that waits for its confirmation.

use ebdesk_app::notification_address::{self, Requester};
use ebdesk_store::{Actor, PendingNotificationChange};
use serde::Serialize;

use super::{AppError, AppState, Fields};

/// The field of the form, as the templates name it.
pub const FIELD: &str = "notification_email";

/// What the form shows again: the address typed, and the message at the field.
#[derive(Debug, Default, Serialize)]
pub struct NotificationForm {
    pub value: String,
    pub error: Option<&'static str>,
}

/// Asks for the address typed in `fields`, in the requester's `language`: `Ok(())` when
/// the link is on its way, or the form with its message when the address is refused.
pub async fn request(
    state: &AppState,
    requester: Requester<'_>,
    fields: Vec<(String, String)>,
    language: &str,
    actor: &Actor,
) -> Result<Result<(), NotificationForm>, AppError> {
    let typed = Fields::new(fields).get(FIELD);
    let url = &state.settings.public_url;
    let now = state.now();
    match notification_address::request_change(
        &state.store,
        requester,
        &typed,
        language,
        url,
        actor,
        now,
    )
    .await
    {
        Ok(()) => Ok(Ok(())),
        Err(ebdesk_app::Error::Refused(key)) => Ok(Err(NotificationForm {
            value: typed,
            error: Some(key),
        })),
        Err(err) => Err(err.into()),
    }
}

/// The page context of the form: the request waiting for confirmation (if any), the form,
/// and where it posts (None: the reader may not change the address).
pub fn insert(
    context: &mut tera::Context,
    pending: Option<PendingNotificationChange>,
    form: &NotificationForm,
    post_to: Option<String>,
) {
    context.insert("notification", &pending);
    context.insert("notification_form", form);
    context.insert("notification_action", &post_to);
}
