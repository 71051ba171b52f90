//! Invented affiliates and hand-built xlsx packages for the tests and the benchmark.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Write};

use chrono::NaiveDate;
use ebdesk_domain::insured_sheet::InsuredRow;
use ebdesk_domain::{AffiliationStatus, EmailAddress, Gender, Language, NationalNumber};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const LAST_NAMES: [&str; 12] = [
    "Vermeulen",
    "Claes",
    "Van den Broeck",
    "Dubois",
    "Lambrechts",
    "Willems",
    "Dierckx",
    "Maes",
    "Renard",
    "De Ridder",
    "Goossens",
    "Lefèvre",
];
const FIRST_NAMES_MEN: [&str; 6] = ["Jonas", "Wout", "Mathieu", "Stijn", "Arne", "Lucas"];
const FIRST_NAMES_WOMEN: [&str; 6] = ["Fien", "Elise", "Noor", "Camille", "Lotte", "Zoë"];
/// Names a spreadsheet would take for a formula if they were not text.
pub const FORMULA_LIKE_NAMES: [&str; 4] = ["=Vermeulen", "+Claes", "-Maes", "@Dubois"];

/// A small deterministic generator, so every run invents the same people.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// `n` invented affiliations; every fifth person has a second affiliation on the next
/// row, the first rows carry formula-looking names and employee numbers with leading zeros.
pub fn sample_rows(n: usize) -> Vec<InsuredRow> {
    sample_rows_iter().take(n).collect()
}

/// The same people, made one at a time so that a benchmark measures the writer, not a
/// vector of 100 000 rows.
pub fn sample_rows_iter() -> impl Iterator<Item = InsuredRow> {
    let mut rng = Lcg(42);
    let mut person = 0u64;
    let mut pending: Option<InsuredRow> = None;
    std::iter::from_fn(move || {
        if let Some(second) = pending.take() {
            return Some(second);
        }
        person += 1;
        let row = invent(&mut rng, person);
        if person.is_multiple_of(5) {
            let mut second = row.clone();
            second.contract_number = "530/000202".into();
            second.category = "Kaderleden".into();
            pending = Some(second);
        }
        Some(row)
    })
}

fn invent(rng: &mut Lcg, person: u64) -> InsuredRow {
    let birth = date(
        1955 + rng.next(50) as i32,
        1 + rng.next(12) as u32,
        1 + rng.next(28) as u32,
    );
    let gender = if rng.next(2) == 0 {
        Gender::Male
    } else {
        Gender::Female
    };
    let serial = 2 * (1 + rng.next(498) as u16) - u16::from(gender == Gender::Male);
    let national_number = if person.is_multiple_of(17) {
        NationalNumber::bis_from_birth_date(birth, serial)
    } else {
        NationalNumber::from_birth_date(birth, serial)
    }
    .unwrap();
    let last_name = if (person as usize) <= FORMULA_LIKE_NAMES.len() {
        FORMULA_LIKE_NAMES[person as usize - 1].to_owned()
    } else {
        LAST_NAMES[rng.next(12) as usize].to_owned()
    };
    let first_name = match gender {
        Gender::Male => FIRST_NAMES_MEN[rng.next(6) as usize],
        Gender::Female => FIRST_NAMES_WOMEN[rng.next(6) as usize],
    };
    let start = date(2005 + rng.next(19) as i32, 1 + rng.next(12) as u32, 1);
    let status = match rng.next(10) {
        0 => AffiliationStatus::Passive,
        1 => AffiliationStatus::Terminated,
        _ => AffiliationStatus::Active,
    };
    let end_date = (status != AffiliationStatus::Active).then(|| date(2024, 4, 30));
    let email = (rng.next(2) == 0).then(|| {
        let local: String = format!("{first_name}.{last_name}{person}")
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        EmailAddress::parse(&format!("{local}@voorbeeld-bedrijf.be")).unwrap()
    });
    InsuredRow {
        contract_number: "530/000101".into(),
        category: "Bedienden".into(),
        employee_number: (!person.is_multiple_of(3)).then(|| format!("{person:06}")),
        national_number,
        last_name,
        first_name: first_name.to_owned(),
        gender,
        language: [
            Language::Dutch,
            Language::French,
            Language::German,
            Language::English,
        ][rng.next(4) as usize],
        birth_date: birth,
        employment_start: start,
        affiliation_start: start,
        status,
        end_date,
        business_email: email,
        private_email_known: rng.next(3) == 0,
    }
}

/// An xlsx package put together part by part, to craft what no tool would write.
pub struct Package {
    pub parts: Vec<(String, Vec<u8>)>,
    pub method: CompressionMethod,
    /// Deflate level: 1 is quick for big test files, 9 is what a zip bomb uses.
    pub level: i64,
}

pub const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Verzekerden" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A column's header as the Dutch download writes it.
pub fn dutch_header(column: ebdesk_domain::insured_sheet::InsuredColumn) -> String {
    ebdesk_i18n::lookup(&ebdesk_i18n::default_language(), column.key(), &[])
}

/// The header row as inline strings, columns A to O.
pub fn header_row_xml(row: u32) -> String {
    let mut out = format!(r#"<row r="{row}">"#);
    for (i, column) in ebdesk_domain::insured_sheet::InsuredColumn::ALL
        .iter()
        .enumerate()
    {
        out.push_str(&inline_cell(
            &cell_ref(i as u32, row),
            &dutch_header(*column),
        ));
    }
    out.push_str("</row>");
    out
}

pub fn cell_ref(col: u32, row: u32) -> String {
    let mut name = String::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        name.insert(0, (b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{name}{row}")
}

pub fn inline_cell(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

pub fn sheet_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

pub fn shared_strings_xml(unique_count: &str, items: &[&str]) -> String {
    let si: String = items
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{unique_count}">{si}</sst>"#,
        n = items.len()
    )
}

/// A valid national number row: key in D, e-mail in N.
pub fn data_row_xml(row: u32, national_number: &str, email: &str) -> String {
    format!(
        "<row r=\"{row}\">{}{}</row>",
        inline_cell(&format!("D{row}"), national_number),
        inline_cell(&format!("N{row}"), email)
    )
}

impl Package {
    /// A minimal workbook: one sheet "Verzekerden" with the header and `rows_xml`.
    pub fn minimal(rows_xml: &str) -> Package {
        let sheet = sheet_xml(&format!("{}{rows_xml}", header_row_xml(1)));
        Package {
            parts: vec![
                ("[Content_Types].xml".into(), CONTENT_TYPES.into()),
                ("_rels/.rels".into(), ROOT_RELS.into()),
                ("xl/workbook.xml".into(), WORKBOOK.into()),
                ("xl/_rels/workbook.xml.rels".into(), WORKBOOK_RELS.into()),
                ("xl/worksheets/sheet1.xml".into(), sheet.into_bytes()),
                (
                    "xl/sharedStrings.xml".into(),
                    shared_strings_xml("0", &[]).into_bytes(),
                ),
            ],
            method: CompressionMethod::Deflated,
            level: 1,
        }
    }

    pub fn set(&mut self, name: &str, bytes: impl Into<Vec<u8>>) -> &mut Package {
        let bytes = bytes.into();
        match self.parts.iter_mut().find(|(n, _)| n == name) {
            Some((_, b)) => *b = bytes,
            None => self.parts.push((name.to_owned(), bytes)),
        }
        self
    }

    pub fn zip(&self) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let level = (self.method == CompressionMethod::Deflated).then_some(self.level);
        let options = SimpleFileOptions::default()
            .compression_method(self.method)
            .compression_level(level)
            .large_file(false);
        for (name, bytes) in &self.parts {
            writer.start_file(name.as_str(), options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }
}

/// Limits of a parser child in the tests: tighter than production, so a runaway child ends
/// quickly.
pub fn child_limits() -> ebdesk_sheets::child::IsolationLimits {
    ebdesk_sheets::child::IsolationLimits {
        memory_bytes: 512 * 1024 * 1024,
        cpu_seconds: 5,
        wall_clock: std::time::Duration::from_secs(20),
        ..ebdesk_sheets::child::IsolationLimits::default()
    }
}
