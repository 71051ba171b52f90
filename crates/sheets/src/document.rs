//! The files the operator publishes under "Documenten": a PDF, an xlsx workbook or a docx
//! text, recognised by what the bytes are, never by the name they came with. Office files
//! pass the same zip checks as uploads (sizes, compression ratio, part names, encryption)
//! and must name their main part in `[Content_Types].xml`; macros are refused.

use std::io::Cursor;

use ebdesk_i18n::Message;
use serde::Serialize;
use thiserror::Error;
use zip::ZipArchive;

use crate::errors::FileRejection;
use crate::inspect::{check_directory, read_small};
use crate::limits::UploadLimits;

const MIB: u64 = 1024 * 1024;
/// Largest document the operator may publish.
pub const MAX_DOCUMENT_BYTES: u64 = 20 * MIB;

const PDF_MAGIC: &[u8] = b"%PDF-";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// What a published document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFormat {
    Pdf,
    Xlsx,
    Docx,
}

impl DocumentFormat {
    /// The media type it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            DocumentFormat::Pdf => "application/pdf",
            DocumentFormat::Xlsx => crate::XLSX_CONTENT_TYPE,
            DocumentFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// The file name's extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            DocumentFormat::Pdf => "pdf",
            DocumentFormat::Xlsx => "xlsx",
            DocumentFormat::Docx => "docx",
        }
    }
}

/// Why a document is refused. Safe to log: it says nothing of the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DocumentRejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: u64 },
    #[error("neither a PDF nor an xlsx or docx file")]
    UnknownType,
    #[error("an office file with macros")]
    Macros,
    #[error("a password-protected file")]
    PasswordProtected,
    #[error("suspicious compression")]
    SuspiciousCompression,
    #[error("damaged zip")]
    Malformed,
}

impl DocumentRejection {
    /// Every rejection (the catalogue test renders each).
    pub const ALL: [DocumentRejection; 7] = [
        DocumentRejection::Empty,
        DocumentRejection::TooLarge {
            max_bytes: MAX_DOCUMENT_BYTES,
        },
        DocumentRejection::UnknownType,
        DocumentRejection::Macros,
        DocumentRejection::PasswordProtected,
        DocumentRejection::SuspiciousCompression,
        DocumentRejection::Malformed,
    ];

    /// Stable key of the cause, in sheets.ftl.
    pub fn code(self) -> &'static str {
        match self {
            DocumentRejection::Empty => "document-file-empty",
            DocumentRejection::TooLarge { .. } => "document-file-too-large",
            DocumentRejection::UnknownType => "document-file-unknown-type",
            DocumentRejection::Macros => "document-file-macros",
            DocumentRejection::PasswordProtected => "document-file-password-protected",
            DocumentRejection::SuspiciousCompression => "document-file-suspicious-compression",
            DocumentRejection::Malformed => "document-file-malformed",
        }
    }

    /// What the operator reads.
    pub fn message(self) -> Message {
        let message = Message::new(self.code());
        match self {
            DocumentRejection::TooLarge { max_bytes } => message.with("mb", max_bytes / MIB),
            _ => message,
        }
    }
}

/// The zip limits of a document: the upload's, for a file of at most 20 MB.
fn document_limits() -> UploadLimits {
    UploadLimits {
        max_file_bytes: MAX_DOCUMENT_BYTES,
        ..UploadLimits::default()
    }
}

/// What `bytes` are, when they may be published.
pub fn inspect_document(bytes: &[u8]) -> Result<DocumentFormat, DocumentRejection> {
    if bytes.is_empty() {
        return Err(DocumentRejection::Empty);
    }
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(DocumentRejection::TooLarge {
            max_bytes: MAX_DOCUMENT_BYTES,
        });
    }
    if bytes.starts_with(PDF_MAGIC) {
        return Ok(DocumentFormat::Pdf);
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(DocumentRejection::UnknownType);
    }
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|_| DocumentRejection::Malformed)?;
    check_directory(&archive, &document_limits()).map_err(|rejection| match rejection {
        FileRejection::PasswordProtected => DocumentRejection::PasswordProtected,
        FileRejection::SuspiciousCompression | FileRejection::TooManyParts { .. } => {
            DocumentRejection::SuspiciousCompression
        }
        _ => DocumentRejection::Malformed,
    })?;
    office_format(&mut archive)
}

/// The office format `[Content_Types].xml` names as the main part.
fn office_format(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
) -> Result<DocumentFormat, DocumentRejection> {
    let types = read_small(archive, "[Content_Types].xml")
        .map_err(|_| DocumentRejection::Malformed)?
        .ok_or(DocumentRejection::UnknownType)?;
    let types = String::from_utf8_lossy(&types).to_ascii_lowercase();
    let macro_part = archive
        .file_names()
        .flatten()
        .any(|name| name.to_ascii_lowercase().ends_with("vbaproject.bin"));
    if macro_part || types.contains("macroenabled") || types.contains("vbaproject") {
        return Err(DocumentRejection::Macros);
    }
    if types.contains("spreadsheetml.sheet.main+xml") {
        Ok(DocumentFormat::Xlsx)
    } else if types.contains("wordprocessingml.document.main+xml") {
        Ok(DocumentFormat::Docx)
    } else {
        Err(DocumentRejection::UnknownType)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            out.start_file(*name, options).unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    const DOCX_TYPES: &[u8] = br#"<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

    #[test]
    fn a_pdf_is_known_by_its_first_bytes_whatever_it_is_called() {
        assert_eq!(inspect_document(b"%PDF-1.7\n..."), Ok(DocumentFormat::Pdf));
        assert_eq!(
            inspect_document(b"<html><body>%PDF-</body></html>"),
            Err(DocumentRejection::UnknownType)
        );
        assert_eq!(inspect_document(b""), Err(DocumentRejection::Empty));
    }

    #[test]
    fn our_own_workbook_is_an_xlsx_and_a_word_package_a_docx() {
        let lang = ebdesk_i18n::default_language();
        let book = crate::write_charges_book(&[], 2026, &lang).unwrap();
        assert_eq!(inspect_document(&book), Ok(DocumentFormat::Xlsx));
        let docx = zip_of(&[
            ("[Content_Types].xml", DOCX_TYPES),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(inspect_document(&docx), Ok(DocumentFormat::Docx));
    }

    #[test]
    fn the_generated_letters_are_pdfs() {
        let letter = crate::write_text_pdf("Brief", &["Geachte, …".to_owned()]);
        assert_eq!(inspect_document(&letter), Ok(DocumentFormat::Pdf));
    }

    #[test]
    fn other_zips_macros_and_bombs_are_refused() {
        let plain = zip_of(&[("readme.txt", b"hallo")]);
        assert_eq!(
            inspect_document(&plain),
            Err(DocumentRejection::UnknownType)
        );
        let docm = zip_of(&[
            ("[Content_Types].xml", DOCX_TYPES),
            ("word/vbaProject.bin", b"x"),
        ]);
        assert_eq!(inspect_document(&docm), Err(DocumentRejection::Macros));
        let zeros = vec![0u8; 64 * 1024 * 1024];
        let bomb = zip_of(&[("[Content_Types].xml", DOCX_TYPES), ("word/a.xml", &zeros)]);
        assert!(bomb.len() < 1024 * 1024);
        assert_eq!(
            inspect_document(&bomb),
            Err(DocumentRejection::SuspiciousCompression)
        );
    }

    #[test]
    fn a_file_over_twenty_megabytes_is_refused_before_it_is_read() {
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(20 * 1024 * 1024 + 1, b' ');
        assert_eq!(
            inspect_document(&big),
            Err(DocumentRejection::TooLarge {
                max_bytes: MAX_DOCUMENT_BYTES
            })
        );
    }
}
