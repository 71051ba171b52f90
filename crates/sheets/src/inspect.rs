//! Everything checked before calamine sees a byte: size, magic bytes, the zip's central
//! directory, content types, and a streaming pass over every part for DTDs and for a
//! shared-strings header that lies about its size (calamine 0.38 reserves `uniqueCount`
//! strings up front and aborts the process when that allocation fails, issue #684).

use std::collections::HashSet;
use std::io::{Cursor, Read};

use memchr::{memchr_iter, memmem};
use zip::{CompressionMethod, ZipArchive};

use crate::errors::FileRejection;
use crate::limits::UploadLimits;

const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const CONTENT_TYPES: &str = "[Content_Types].xml";
/// Small parts read whole (content types, the ODS mimetype).
const SMALL_PART_LIMIT: u64 = 1024 * 1024;

/// Runs every check; `Ok` means calamine may open the bytes.
pub(crate) fn inspect(bytes: &[u8], limits: &UploadLimits) -> Result<(), FileRejection> {
    if bytes.is_empty() {
        return Err(FileRejection::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(FileRejection::TooLarge {
            max_bytes: limits.max_file_bytes,
        });
    }
    check_magic(bytes)?;
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileRejection::Malformed)?;
    check_directory(&archive, limits)?;
    check_content_types(&mut archive)?;
    // The header plus the data rows; checked again, exactly, while reading.
    let max_row_records = u64::from(limits.max_rows) + 1;
    for index in 0..archive.len() {
        let row_records = scan_part(&mut archive, index)?;
        if row_records > max_row_records {
            return Err(FileRejection::TooManyRows {
                max: limits.max_rows,
            });
        }
    }
    Ok(())
}

fn check_magic(bytes: &[u8]) -> Result<(), FileRejection> {
    if bytes.starts_with(&OLE2_MAGIC) {
        // An encrypted xlsx is an OLE2 container with an "EncryptedPackage" stream; any other
        // OLE2 file is taken for the old binary format.
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        return Err(if memmem::find(bytes, &name).is_some() {
            FileRejection::PasswordProtected
        } else {
            FileRejection::OldExcelFormat
        });
    }
    if bytes.starts_with(EMPTY_ZIP_MAGIC) || !bytes.starts_with(ZIP_MAGIC) {
        return Err(FileRejection::NotAWorkbook);
    }
    Ok(())
}

/// Names and declared sizes, from the central directory alone (nothing inflated yet).
pub(crate) fn check_directory(
    archive: &ZipArchive<Cursor<&[u8]>>,
    limits: &UploadLimits,
) -> Result<(), FileRejection> {
    if archive.len() > limits.max_parts {
        return Err(FileRejection::TooManyParts {
            max: limits.max_parts,
        });
    }
    let mut seen = HashSet::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_data(index)
            .map_err(|_| FileRejection::Malformed)?;
        let name = entry.name().map_err(|_| FileRejection::UnsafePartName)?;
        // calamine looks parts up case-insensitively with `\` read as `/`: two names that
        // collide there could show it a part other than the one we checked.
        let normalized = name.replace('\\', "/").to_ascii_lowercase();
        if !safe_name(&normalized) || !seen.insert(normalized) {
            return Err(FileRejection::UnsafePartName);
        }
        if entry.encrypted() {
            return Err(FileRejection::PasswordProtected);
        }
        if !matches!(
            entry.compression(),
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            return Err(FileRejection::Malformed);
        }
        let size = entry.size();
        total = total.saturating_add(size);
        let ratio_too_high = size > limits.ratio_floor_bytes
            && size > entry.compressed_size().saturating_mul(limits.max_ratio);
        if size > limits.max_part_bytes || total > limits.max_total_bytes || ratio_too_high {
            return Err(FileRejection::SuspiciousCompression);
        }
    }
    Ok(())
}

fn safe_name(name: &str) -> bool {
    let drive = name.as_bytes().get(1) == Some(&b':');
    !name.is_empty()
        && !name.starts_with('/')
        && !drive
        && !name.contains('\0')
        && !name.split('/').any(|part| part == "..")
}

pub(crate) fn read_small(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<Vec<u8>>, FileRejection> {
    let part = match archive.by_name(name) {
        Ok(part) => part,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(FileRejection::Malformed),
    };
    let mut out = Vec::new();
    part.take(SMALL_PART_LIMIT)
        .read_to_end(&mut out)
        .map_err(|_| FileRejection::Malformed)?;
    Ok(Some(out))
}

/// Tells an xlsx from its look-alikes: ODS, xlsm, xlsb, docx or any other zip.
fn check_content_types(archive: &mut ZipArchive<Cursor<&[u8]>>) -> Result<(), FileRejection> {
    if let Some(mimetype) = read_small(archive, "mimetype")?
        && mimetype.starts_with(b"application/vnd.oasis.opendocument")
    {
        return Err(FileRejection::OpenDocument);
    }
    let macro_part = archive.file_names().flatten().any(|name| {
        let lower = name.to_ascii_lowercase();
        lower.ends_with("vbaproject.bin") || lower.contains("macrosheets/")
    });
    let Some(types) = read_small(archive, CONTENT_TYPES)? else {
        return Err(FileRejection::NotAWorkbook);
    };
    let types = String::from_utf8_lossy(&types).to_ascii_lowercase();
    if types.contains("sheet.binary") {
        return Err(FileRejection::BinaryWorkbook);
    }
    if macro_part
        || types.contains("macroenabled")
        || types.contains("vbaproject")
        || types.contains("macrosheet")
    {
        return Err(FileRejection::Macros);
    }
    if !types.contains("spreadsheetml.sheet.main+xml")
        && !types.contains("spreadsheetml.template.main+xml")
    {
        return Err(FileRejection::NotAWorkbook);
    }
    Ok(())
}

/// Bytes read from a part at a time.
const CHUNK: usize = 64 * 1024;
/// Bytes a check may look ahead of a `<`; the rest waits for the next chunk.
const LOOKAHEAD: usize = 16;
/// The root start tag must fit in this much (namespace lists make it long, not this long).
const MAX_ROOT_TAG: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Root {
    /// Not seen yet.
    Pending,
    /// The shared-strings table: count the `<si>` elements.
    SharedStrings { unique_count: Option<u64> },
    /// A worksheet: count its `<row>` records.
    Worksheet,
    /// Any other XML part.
    Other,
    /// Not XML (an image): only look for DTD keywords.
    Binary,
}

/// Inflates one part in chunks; the real size is bounded by zip, which refuses to inflate
/// past the declared size. Returns the number of row records of a worksheet (0 otherwise),
/// so that a sheet far too long is refused without parsing it.
fn scan_part(archive: &mut ZipArchive<Cursor<&[u8]>>, index: usize) -> Result<u64, FileRejection> {
    let mut part = archive
        .by_index(index)
        .map_err(|_| FileRejection::Malformed)?;
    if part.is_dir() {
        return Ok(0);
    }
    let mut scan = Scan {
        root: Root::Pending,
        si_count: 0,
        row_count: 0,
    };
    let mut buf = vec![0u8; CHUNK + LOOKAHEAD];
    let mut filled = 0;
    let mut first = true;
    loop {
        if filled == buf.len() {
            if buf.len() >= MAX_ROOT_TAG {
                return Err(FileRejection::Malformed);
            }
            buf.resize(buf.len() * 2, 0);
        }
        let n = part
            .read(&mut buf[filled..])
            .map_err(|_| FileRejection::Malformed)?;
        let eof = n == 0;
        filled += n;
        if first {
            if filled < 4 && !eof {
                continue;
            }
            scan.root = classify(&buf[..filled])?;
            first = false;
        }
        let done = scan.process(&buf[..filled], eof)?;
        if eof {
            break;
        }
        buf.copy_within(done..filled, 0);
        filled -= done;
    }
    if let Root::SharedStrings {
        unique_count: Some(declared),
    } = scan.root
    {
        // A header that promises more strings than the part holds is crafted or broken.
        if declared > scan.si_count {
            return Err(FileRejection::Malformed);
        }
    }
    Ok(scan.row_count)
}

/// XML in UTF-8 (the only encoding the byte patterns below can see through) or binary.
fn classify(start: &[u8]) -> Result<Root, FileRejection> {
    let utf16 = start.starts_with(&[0xFF, 0xFE])
        || start.starts_with(&[0xFE, 0xFF])
        || start.starts_with(b"<\0")
        || start.starts_with(b"\0<");
    if utf16 {
        return Err(FileRejection::Malformed);
    }
    let body = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => Ok(Root::Pending),
        _ => Ok(Root::Binary),
    }
}

struct Scan {
    root: Root,
    si_count: u64,
    row_count: u64,
}

impl Scan {
    /// Checks every `<` whose lookahead is in `window`; returns how far it got.
    fn process(&mut self, window: &[u8], eof: bool) -> Result<usize, FileRejection> {
        let limit = if eof {
            window.len()
        } else {
            window.len().saturating_sub(LOOKAHEAD)
        };
        match self.root {
            Root::Binary => {
                for at in memmem::find_iter(window, b"<!") {
                    if at >= limit {
                        break;
                    }
                    if is_dtd_keyword(&window[at + 2..]) {
                        return Err(FileRejection::DtdOrEntity);
                    }
                }
                Ok(limit)
            }
            Root::Other | Root::Worksheet => self.process_rest(window, 0, limit),
            Root::Pending | Root::SharedStrings { .. } => {
                for at in memchr_iter(b'<', &window[..limit]) {
                    let tag = &window[at..];
                    match tag.get(1) {
                        Some(b'!') => check_bang(tag)?,
                        Some(b'?') if self.root == Root::Pending && tag.starts_with(b"<?xml") => {
                            let Some(end) = memmem::find(tag, b"?>") else {
                                if eof {
                                    return Err(FileRejection::Malformed);
                                }
                                return Ok(at);
                            };
                            check_declaration(&tag[..end])?;
                        }
                        Some(b'?') | Some(b'/') => {}
                        _ if self.root == Root::Pending => {
                            let Some(end) = memchr::memchr(b'>', tag) else {
                                if eof {
                                    return Err(FileRejection::Malformed);
                                }
                                // Wait for the whole root tag.
                                return Ok(at);
                            };
                            self.root = root_of(&tag[..end])?;
                            if matches!(self.root, Root::Other | Root::Worksheet) {
                                // Whatever follows only needs the DTD check.
                                return self.process_rest(window, at + end, limit);
                            }
                        }
                        _ => {
                            if local_name(&tag[1..]) == b"si" {
                                self.si_count += 1;
                            }
                        }
                    }
                }
                Ok(limit)
            }
        }
    }

    fn process_rest(
        &mut self,
        window: &[u8],
        from: usize,
        limit: usize,
    ) -> Result<usize, FileRejection> {
        for at in memmem::find_iter(&window[from..], b"<!") {
            let at = from + at;
            if at >= limit {
                break;
            }
            check_bang(&window[at..])?;
        }
        if self.root == Root::Worksheet {
            for at in memmem::find_iter(&window[from..], b"<row") {
                let at = from + at;
                if at >= limit {
                    break;
                }
                // `<row ` or `<row>`, not `<rowBreaks`.
                if matches!(window.get(at + 4), Some(b) if b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
                {
                    self.row_count += 1;
                }
            }
        }
        Ok(limit.max(from))
    }
}

/// The byte patterns here only see through ASCII-compatible encodings, and every tool that
/// writes xlsx writes UTF-8.
fn check_declaration(declaration: &[u8]) -> Result<(), FileRejection> {
    const ALLOWED: [&[u8]; 7] = [
        b"utf-8",
        b"utf8",
        b"us-ascii",
        b"ascii",
        b"iso-8859-1",
        b"latin1",
        b"windows-1252",
    ];
    for (name, value) in attributes(declaration)? {
        if name == b"encoding" && !ALLOWED.iter().any(|a| value.eq_ignore_ascii_case(a)) {
            return Err(FileRejection::Malformed);
        }
    }
    Ok(())
}

/// `<!` in XML: a comment or CDATA is fine, anything else is a DTD construct.
fn check_bang(tag: &[u8]) -> Result<(), FileRejection> {
    if tag.starts_with(b"<!--") || tag.starts_with(b"<![CDATA[") {
        Ok(())
    } else {
        Err(FileRejection::DtdOrEntity)
    }
}

fn is_dtd_keyword(after_bang: &[u8]) -> bool {
    let starts = |word: &[u8]| {
        after_bang.len() >= word.len() && after_bang[..word.len()].eq_ignore_ascii_case(word)
    };
    starts(b"DOCTYPE") || starts(b"ENTITY")
}

/// The element name after `<`, without a namespace prefix.
fn local_name(after_lt: &[u8]) -> &[u8] {
    let end = after_lt
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        .unwrap_or(after_lt.len());
    let name = &after_lt[..end];
    match memchr::memrchr(b':', name) {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// Reads the root start tag (without its `>`); for `sst`, its `uniqueCount`.
fn root_of(tag: &[u8]) -> Result<Root, FileRejection> {
    match local_name(&tag[1..]) {
        b"sst" => {}
        b"worksheet" => return Ok(Root::Worksheet),
        _ => return Ok(Root::Other),
    }
    let mut unique_count = None;
    for (name, value) in attributes(tag)? {
        let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
        if local == b"uniqueCount" || local == b"count" {
            let number = plain_number(value).ok_or(FileRejection::Malformed)?;
            if local == b"uniqueCount" {
                unique_count = Some(number);
            }
        }
    }
    Ok(Root::SharedStrings { unique_count })
}

fn plain_number(value: &[u8]) -> Option<u64> {
    if value.is_empty() || value.len() > 19 || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// `name="value"` pairs of a start tag; refuses what an XML parser would refuse.
/// An attribute's name and raw value.
type Attribute<'t> = (&'t [u8], &'t [u8]);

fn attributes(tag: &[u8]) -> Result<Vec<Attribute<'_>>, FileRejection> {
    let name_end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let mut rest = &tag[name_end..];
    let mut out = Vec::new();
    loop {
        rest = trim_start(rest);
        if rest.is_empty() || rest == b"/" {
            return Ok(out);
        }
        let eq = memchr::memchr(b'=', rest).ok_or(FileRejection::Malformed)?;
        let name = trim_end(&rest[..eq]);
        rest = trim_start(&rest[eq + 1..]);
        let quote = *rest.first().ok_or(FileRejection::Malformed)?;
        if quote != b'"' && quote != b'\'' {
            return Err(FileRejection::Malformed);
        }
        let close = memchr::memchr(quote, &rest[1..]).ok_or(FileRejection::Malformed)?;
        out.push((name, &rest[1..=close]));
        rest = &rest[close + 2..];
    }
}

fn trim_start(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    &s[start..]
}

fn trim_end(s: &[u8]) -> &[u8] {
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    &s[..end]
}
