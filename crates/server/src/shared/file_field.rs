//! The file of a multipart form, read with a size limit: what every upload form receives.

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::shared::AppError;

/// The file field as received: its name, and its bytes unless there were more than the limit.
pub struct ReceivedFile {
    pub name: String,
    pub bytes: Option<Vec<u8>>,
}

/// Reads the file field `field_name`, stopping (without buffering the rest) past `max`
/// bytes; None when the form has no such field.
pub async fn read_file_field(
    mut multipart: Multipart,
    field_name: &str,
    max: u64,
) -> Result<Option<ReceivedFile>, AppError> {
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| crate::shared::response_policy::body_error(&e.into()))?;
        if field.name() != Some(field_name) {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| crate::shared::response_policy::body_error(&e.into()))?;
            if (bytes.len() + chunk.len()) as u64 > max {
                return Ok(Some(ReceivedFile { name, bytes: None }));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Some(ReceivedFile {
            name,
            bytes: Some(bytes),
        }));
    }
    Ok(None)
}
