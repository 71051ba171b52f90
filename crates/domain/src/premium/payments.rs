//! Payments received for statements, as the operator types one in or reads a bank's CSV
//! export: the date, the amount, the structured communication that names the charge, and
//! the bank's own reference (so a file read twice counts each payment once).
//!
//! A bank file has a header row naming its columns (Dutch, French or English names, in any
//! order), separated by ';' or ','. Every other row is read on its own: a bad row is
//! reported with its line number and never stops the good ones.

use chrono::NaiveDate;

use super::{Cents, StructuredCommunication};

/// Rows a bank file may have: a month of payments of a large insurer fits many times over.
pub const MAX_BANK_ROWS: usize = 20_000;

/// Longest bank reference kept.
const MAX_REFERENCE: usize = 100;

/// One payment, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankPayment {
    pub communication: StructuredCommunication,
    pub amount: Cents,
    pub paid_on: NaiveDate,
    pub reference: String,
}

/// A row of a bank file: its line number (1 is the header) and what was read, or the
/// message key of what is wrong with it.
pub type BankRow = (usize, Result<BankPayment, &'static str>);

/// Reads the amount field: a positive amount in euro.
pub fn payment_amount(text: &str) -> Result<Cents, &'static str> {
    match Cents::parse_euro(text) {
        Some(amount) if amount.0 > 0 => Ok(amount),
        Some(_) => Err("payment-amount-not-positive"),
        None => Err("payment-amount-invalid"),
    }
}

/// Reads a date as banks and people write it: 30/11/2026, 30-11-2026 or 2026-11-30.
pub fn payment_date(text: &str) -> Result<NaiveDate, &'static str> {
    let text = text.trim();
    ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .ok_or("payment-date-invalid")
}

/// Reads the communication field.
pub fn payment_communication(text: &str) -> Result<StructuredCommunication, &'static str> {
    StructuredCommunication::parse(text).ok_or("payment-communication-invalid")
}

/// Reads the bank's reference: required in a file, at most 100 characters.
pub fn payment_reference(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        Err("payment-reference-missing")
    } else if text.chars().count() > MAX_REFERENCE {
        Err("payment-reference-too-long")
    } else {
        Ok(text.to_owned())
    }
}

#[derive(Clone, Copy)]
enum Column {
    Date,
    Amount,
    Communication,
    Reference,
}

fn column_of(name: &str) -> Option<Column> {
    match name.trim().to_lowercase().as_str() {
        "datum" | "date" | "valutadatum" | "date valeur" => Some(Column::Date),
        "bedrag" | "montant" | "amount" => Some(Column::Amount),
        "mededeling"
        | "communication"
        | "gestructureerde mededeling"
        | "communication structurée" => Some(Column::Communication),
        "referentie" | "référence" | "reference" | "ref" => Some(Column::Reference),
        _ => None,
    }
}

/// Reads a bank file. Err(message key) when the file itself cannot be read (no header with
/// the four columns, too many rows); otherwise every data row, good or bad.
pub fn read_bank_csv(text: &str) -> Result<Vec<BankRow>, &'static str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header = text.lines().next().ok_or("payment-file-empty")?;
    let separator = if header.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let names = reader
        .headers()
        .map_err(|_| "payment-file-unreadable")?
        .clone();
    let mut at = [None; 4];
    for (index, name) in names.iter().enumerate() {
        if let Some(column) = column_of(name) {
            at[column as usize].get_or_insert(index);
        }
    }
    let [
        Some(date),
        Some(amount),
        Some(communication),
        Some(reference),
    ] = at
    else {
        return Err("payment-file-columns");
    };
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        if index >= MAX_BANK_ROWS {
            return Err("payment-file-too-many-rows");
        }
        let line = index + 2;
        let Ok(record) = record else {
            rows.push((line, Err("payment-row-unreadable")));
            continue;
        };
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or_default();
        let read = || -> Result<BankPayment, &'static str> {
            Ok(BankPayment {
                paid_on: payment_date(field(date))?,
                amount: payment_amount(field(amount))?,
                communication: payment_communication(field(communication))?,
                reference: payment_reference(field(reference))?,
            })
        };
        rows.push((line, read()));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn communication(number: u64) -> String {
        StructuredCommunication::for_number(number)
            .unwrap()
            .to_string()
    }

    #[test]
    fn a_bank_file_is_read_row_by_row_in_any_column_order() {
        let ok = communication(101);
        let text = format!(
            "\u{feff}Referentie;Bedrag;Datum;Mededeling\n\
             B1;1.234,56;30/11/2026;{ok}\n\
             B2;-5,00;30/11/2026;{ok}\n\
             B3;10,00;31/11/2026;{ok}\n\
             B4;10,00;01/12/2026;+++000/0000/10199+++\n\
             ;10,00;01/12/2026;{ok}\n\
             ;;;\n\
             B6;\"2,50\";2026-12-02;{ok}\n"
        );
        let rows = read_bank_csv(&text).unwrap();
        let summary: Vec<(usize, Result<i64, &str>)> = rows
            .iter()
            .map(|(line, r)| (*line, r.as_ref().map(|p| p.amount.0).map_err(|e| *e)))
            .collect();
        assert_eq!(
            summary,
            [
                (2, Ok(123_456)),
                (3, Err("payment-amount-not-positive")),
                (4, Err("payment-date-invalid")),
                (5, Err("payment-communication-invalid")),
                (6, Err("payment-reference-missing")),
                (8, Ok(250)),
            ]
        );
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!(first.communication.number(), 101);
        assert_eq!(first.reference, "B1");
        assert_eq!(
            first.paid_on,
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
    }

    #[test]
    fn a_file_without_the_four_columns_is_refused_as_a_whole() {
        assert_eq!(read_bank_csv(""), Err("payment-file-empty"));
        assert_eq!(
            read_bank_csv("datum,bedrag,mededeling\n01/12/2026,1,x\n"),
            Err("payment-file-columns")
        );
        let french = format!(
            "date,montant,communication,référence\n2026-12-01,\"12,00\",{},R\n",
            communication(7)
        );
        assert!(read_bank_csv(&french).unwrap()[0].1.is_ok());
    }
}
