//! The sheets half of `scripts/bench_sheets.sh`, one step per run so that each gets its own
//! time and peak memory:
//!
//! - `write N FILE`: the download of N invented affiliations.
//! - `rows-json N FILE`: the same rows as JSON, for the openpyxl reference.
//! - `read FILE`: parse and validate an upload (row errors and the one-e-mail rule).
//! - `calamine FILE`: calamine's streaming cell reader alone over the first sheet, with
//!   nothing of ours: the floor any reading of the file stands on, and the figure the issue
//!   quotes for its reference machine (0.5 s for 100 000 rows), to compare machines by.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use ebdesk_domain::insured_sheet::{CellValue, InsuredColumn};
use ebdesk_sheets::{UploadLimits, read_insured_upload, write_insured_overview};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let started = Instant::now();
    match args.get(1).map(String::as_str) {
        Some("write") => {
            let n: usize = args[2].parse().unwrap();
            let rows = support::sample_rows_iter().take(n);
            let bytes = write_insured_overview(rows, &ebdesk_i18n::default_language()).unwrap();
            std::fs::write(&args[3], &bytes).unwrap();
            eprintln!(
                "wrote {n} rows, {} bytes in {:?}",
                bytes.len(),
                started.elapsed()
            );
        }
        Some("rows-json") => {
            let n: usize = args[2].parse().unwrap();
            let rows: Vec<Vec<String>> = support::sample_rows(n)
                .iter()
                .map(|r| {
                    InsuredColumn::ALL
                        .iter()
                        .map(|c| match r.cell(*c) {
                            CellValue::Date(d) => d.to_string(),
                            CellValue::Empty => String::new(),
                            CellValue::Text(text) => text.into_owned(),
                            CellValue::Label(key) => {
                                ebdesk_i18n::lookup(&ebdesk_i18n::default_language(), key, &[])
                            }
                        })
                        .collect()
                })
                .collect();
            std::fs::write(&args[3], serde_json::to_vec(&rows).unwrap()).unwrap();
        }
        Some("read") => {
            let bytes = std::fs::read(&args[2]).unwrap();
            let upload = read_insured_upload(&bytes, &UploadLimits::default()).unwrap();
            let errors = upload.row_errors().count();
            let conflicts = upload.conflicting_emails().len();
            let valid = upload.rows.iter().filter(|r| r.is_valid()).count();
            eprintln!(
                "read {} rows ({valid} valid, {errors} errors, {conflicts} conflicts) in {:?}",
                upload.rows.len(),
                started.elapsed()
            );
        }
        Some("calamine") => {
            use calamine::Reader;
            let bytes = std::fs::read(&args[2]).unwrap();
            let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let name = book.sheet_names()[0].clone();
            let mut cells = book.worksheet_cells_reader(&name).unwrap();
            let (mut count, mut text_bytes) = (0usize, 0usize);
            while let Some(cell) = cells.next_cell().unwrap() {
                count += 1;
                if let calamine::DataRef::String(s) = cell.get_value() {
                    text_bytes += s.len();
                }
            }
            eprintln!(
                "calamine read {count} cells ({text_bytes} bytes of text) in {:?}",
                started.elapsed()
            );
        }
        _ => {
            eprintln!(
                "usage: bench_sheets write N FILE | rows-json N FILE | read FILE | calamine FILE"
            );
            std::process::exit(2);
        }
    }
}
