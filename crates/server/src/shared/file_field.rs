//! The file of a multipart form, read with a size limit, and the short text fields that
//! come before it (a year): what every upload form receives.

use actix_multipart::{Field, Multipart};
use futures_util::StreamExt;

use crate::shared::AppError;

/// Longest short text field kept, in bytes; a longer one is cut. Room for a document's
/// title (150 characters).
const MAX_SHORT_FIELD: usize = 1024;

/// The file field as received: its name, its bytes unless there were more than the limit,
/// and the short fields sent before it.
pub struct ReceivedFile {
    pub name: String,
    pub bytes: Option<Vec<u8>>,
    short_fields: Vec<(String, String)>,
}

impl ReceivedFile {
    /// A short text field sent before the file.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.short_fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn body_error(err: actix_multipart::MultipartError) -> AppError {
    crate::shared::response_policy::body_error(&err.into())
}

/// Reads a text field up to `max` bytes: a longer one is cut there (and then fails its
/// own check: too long, or no valid value).
async fn read_text_field(field: &mut Field, max: usize) -> Result<String, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(body_error)?;
        if bytes.len() + chunk.len() > max {
            bytes.extend_from_slice(&chunk[..max - bytes.len()]);
            break;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&bytes).trim().to_owned())
}

/// Reads the file field `file_name`, stopping (without buffering the rest) past `max`
/// bytes, and the fields named in `short` sent before it; None when the form has no file.
pub async fn read_file_field(
    multipart: Multipart,
    file_name: &str,
    short: &[&str],
    max: u64,
) -> Result<Option<ReceivedFile>, AppError> {
    let fields: Vec<(&str, usize)> = short.iter().map(|n| (*n, MAX_SHORT_FIELD)).collect();
    read_file_form(multipart, file_name, &fields, max).await
}

/// As [`read_file_field`], with text fields of their own lengths (`(name, max bytes)`): a
/// message typed before its attachment. A longer text is cut at its limit.
pub async fn read_file_form(
    mut multipart: Multipart,
    file_name: &str,
    texts: &[(&str, usize)],
    max: u64,
) -> Result<Option<ReceivedFile>, AppError> {
    let mut short_fields = Vec::new();
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(body_error)?;
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if let Some((_, limit)) = texts.iter().find(|(n, _)| *n == name) {
            let text = read_text_field(&mut field, *limit).await?;
            short_fields.push((name, text));
            continue;
        }
        if name != file_name {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(body_error)?;
            if (bytes.len() + chunk.len()) as u64 > max {
                return Ok(Some(ReceivedFile {
                    name,
                    bytes: None,
                    short_fields,
                }));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Some(ReceivedFile {
            name,
            bytes: Some(bytes),
            short_fields,
        }));
    }
    Ok(None)
}
