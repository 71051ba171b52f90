//! "Mail naar uw contactpunt": what an HR user may write to the insurer's contact points,
//! and which attachments are accepted. Every refusal is a message-catalogue key.

use crate::people::stored_enum;

stored_enum!(
    /// The insurer's contact points of an employer, as the portals name them.
    ContactKind {
        /// "Administratief".
        Administrative => "administrative",
        /// "Commercieel".
        Commercial => "commercial",
        /// "Schadegevallen".
        Claims => "claims",
    }
);

/// Longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 150;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5000;
/// Largest attachment: 10 MB.
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// A subject as typed: required, one line, at most [`MAX_SUBJECT_CHARS`].
pub fn check_subject(subject: &str) -> Result<String, &'static str> {
    let subject = subject.trim();
    if subject.is_empty() {
        return Err("contact-subject-required");
    }
    if subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err("contact-subject-too-long");
    }
    if subject.chars().any(char::is_control) {
        return Err("contact-subject-one-line");
    }
    Ok(subject.to_owned())
}

/// A message as typed: required, at most [`MAX_MESSAGE_CHARS`]; line breaks are kept
/// (as `\n`), other control characters refused.
pub fn check_message(message: &str) -> Result<String, &'static str> {
    let message = message.replace("\r\n", "\n");
    let message = message.trim();
    if message.is_empty() {
        return Err("contact-message-required");
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err("contact-message-too-long");
    }
    if message
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("contact-message-control");
    }
    Ok(message.to_owned())
}

/// The kinds of file an attachment may be, recognised by their first bytes (never by
/// their name): what the contact point can open safely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentType {
    Pdf,
    Png,
    Jpeg,
}

impl AttachmentType {
    /// The type `bytes` start as; `None` for anything else (HTML, scripts, archives, office
    /// files with macros).
    pub fn sniff(bytes: &[u8]) -> Option<AttachmentType> {
        if bytes.starts_with(b"%PDF-") {
            Some(AttachmentType::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(AttachmentType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AttachmentType::Jpeg)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            AttachmentType::Pdf => "application/pdf",
            AttachmentType::Png => "image/png",
            AttachmentType::Jpeg => "image/jpeg",
        }
    }

    /// The stored content type read back; `None` for anything this build does not serve.
    pub fn from_content_type(value: &str) -> Option<AttachmentType> {
        [Self::Pdf, Self::Png, Self::Jpeg]
            .into_iter()
            .find(|t| t.content_type() == value)
    }

    /// The extension the served file name gets, whatever name it was sent with.
    pub fn extension(self) -> &'static str {
        match self {
            AttachmentType::Pdf => "pdf",
            AttachmentType::Png => "png",
            AttachmentType::Jpeg => "jpg",
        }
    }
}

/// A file name safe to send back in a header: the sent name without its folders and
/// extension, letters, digits, spaces, `-`, `_` and `.` only (at most 80), and the
/// extension of the type found in the bytes.
pub fn attachment_name(sent: &str, kind: AttachmentType) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let clean: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        .take(80)
        .collect();
    let clean = clean.trim().trim_matches('.');
    let stem = if clean.is_empty() { "bijlage" } else { clean };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_and_messages_are_required_bounded_and_readable() {
        assert_eq!(
            check_subject("  Vraag over premie "),
            Ok("Vraag over premie".to_owned())
        );
        assert_eq!(check_subject(" "), Err("contact-subject-required"));
        assert_eq!(
            check_subject(&"a".repeat(151)),
            Err("contact-subject-too-long")
        );
        assert_eq!(check_subject("a\nb"), Err("contact-subject-one-line"));
        assert_eq!(
            check_message("Dag,\r\n\r\nGroeten"),
            Ok("Dag,\n\nGroeten".to_owned())
        );
        assert_eq!(check_message("\n\n"), Err("contact-message-required"));
        assert_eq!(
            check_message(&"é".repeat(5001)),
            Err("contact-message-too-long")
        );
        assert_eq!(check_message("a\u{0}b"), Err("contact-message-control"));
        for key in [
            "contact-subject-required",
            "contact-subject-too-long",
            "contact-subject-one-line",
            "contact-message-required",
            "contact-message-too-long",
            "contact-message-control",
        ] {
            assert!(crate::test_catalog::in_catalog(key), "{key}");
        }
    }

    #[test]
    fn attachments_are_known_by_their_bytes_not_their_name() {
        assert_eq!(
            AttachmentType::sniff(b"%PDF-1.7\n"),
            Some(AttachmentType::Pdf)
        );
        assert_eq!(
            AttachmentType::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(AttachmentType::Png)
        );
        assert_eq!(
            AttachmentType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(AttachmentType::Jpeg)
        );
        assert_eq!(AttachmentType::sniff(b"<html><script>"), None);
        assert_eq!(AttachmentType::sniff(b"PK\x03\x04"), None);
        assert_eq!(AttachmentType::sniff(b""), None);
        let pdf = AttachmentType::Pdf;
        assert_eq!(
            attachment_name("C:\\map\\brief juni.PDF", pdf),
            "brief juni.pdf"
        );
        assert_eq!(attachment_name("x.html", pdf), "x.pdf");
        assert_eq!(attachment_name("\"; evil=\r\n.pdf", pdf), "evil.pdf");
        assert_eq!(attachment_name("", AttachmentType::Png), "bijlage.png");
    }
}
