//! Turns what spreadsheet tools store into our values: numbers that lost their leading
//! zeros, dates as serials, datetimes or text, e-mails with blanks and capitals.

use calamine::DataRef;
use chrono::{Datelike, Duration, NaiveDate};
use ebdesk_domain::insured_sheet::format_date;
use ebdesk_domain::national_number::NationalNumberError;
use ebdesk_domain::{EmailAddress, NationalNumber};

use crate::errors::RowError;

/// Day 0 of Excel's 1900 date system: 1899-12-30 absorbs Lotus' fictitious 29/02/1900, so
/// serials are right from March 1900 on (no insured person was born before).
const EXCEL_EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1899, 12, 30) {
    Some(date) => date,
    None => panic!("1899-12-30 is a date"),
};

/// Serial of 9999-12-31, the last day Excel knows.
const MAX_SERIAL: f64 = 2_958_465.0;

/// The Excel serial of a date (1900 system).
pub(crate) fn serial_of(date: NaiveDate) -> f64 {
    (date - EXCEL_EPOCH).num_days() as f64
}

/// A date from an Excel serial in the 1900 system; the time of day is dropped.
pub(crate) fn date_from_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=MAX_SERIAL).contains(&serial) {
        return None;
    }
    EXCEL_EPOCH.checked_add_signed(Duration::days(serial.floor() as i64))
}

/// Dates typed as text: dd/mm/yyyy with `/`, `-` or `.` (day first, as in Belgium), or ISO
/// yyyy-mm-dd with an optional time, as some tools write datetimes.
pub(crate) fn date_from_text(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str| -> Option<u32> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (a, b, c) = (number(a)?, number(b)?, number(c)?);
    let (year, month, day) = if parts[0].len() == 4 {
        (a, b, c)
    } else if parts[2].len() == 4 {
        (c, b, a)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Any cell that holds a date: a date-formatted number, a plain serial, ISO or typed text.
pub(crate) fn date_from_cell(cell: &DataRef<'_>) -> Option<NaiveDate> {
    match cell {
        DataRef::DateTime(dt) => dt.as_datetime().map(|d| d.date()),
        DataRef::Float(f) => date_from_serial(*f),
        DataRef::Int(i) => date_from_serial(*i as f64),
        DataRef::DateTimeIso(s) | DataRef::String(s) => date_from_text(s),
        DataRef::SharedString(s) => date_from_text(s),
        _ => None,
    }
}

/// A number as a person would type it: no `.0` on whole numbers.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// The cell's value as text, for read-only columns and error reports.
pub(crate) fn text_of_cell(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            s.trim().to_owned()
        }
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "WAAR" } else { "ONWAAR" }.to_owned(),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(d) => format_date(d.date()),
            None => number_text(dt.as_f64()),
        },
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Appends a date as dd/mm/yyyy, like [`format_date`]; chrono's format() parses its pattern
/// on every call, and this runs for several cells of every row.
pub(crate) fn push_date(out: &mut String, date: NaiveDate) {
    use std::fmt::Write;
    let _ = write!(
        out,
        "{:02}/{:02}/{:04}",
        date.day(),
        date.month(),
        date.year()
    );
}

/// Appends a read-only cell as compared with the database: text trimmed, dates as
/// dd/mm/yyyy. Writes into the row's one buffer: this runs for 13 cells of every row.
pub(crate) fn push_read_only(out: &mut String, cell: &DataRef<'_>, is_date: bool) {
    if is_date && let Some(date) = date_from_cell(cell) {
        push_date(out, date);
        return;
    }
    match cell {
        DataRef::String(s) => out.push_str(s.trim()),
        DataRef::SharedString(s) => out.push_str(s.trim()),
        DataRef::Empty => {}
        other => out.push_str(&text_of_cell(other)),
    }
}

/// A national number from a number cell: Excel turned `03082175128` into 3082175128.
pub(crate) fn national_number_from_number(f: f64) -> Result<NationalNumber, NationalNumberError> {
    if f.fract() != 0.0 || !(0.0..1e11).contains(&f) {
        return Err(NationalNumberError::WrongLength);
    }
    NationalNumber::parse(&format!("{:011}", f as u64))
}

/// The key column: empty is its own error, everything else goes through the lenient parse.
pub(crate) fn national_number_from_cell(cell: &DataRef<'_>) -> Result<NationalNumber, RowError> {
    let invalid = |reason| RowError::InvalidNationalNumber {
        value: text_of_cell(cell),
        reason,
    };
    let parsed = match cell {
        DataRef::Empty => return Err(RowError::MissingNationalNumber),
        DataRef::Float(f) => national_number_from_number(*f),
        DataRef::Int(i) => national_number_from_number(*i as f64),
        DataRef::String(s) => NationalNumber::parse_lenient(s),
        DataRef::SharedString(s) => NationalNumber::parse_lenient(s),
        _ => Err(NationalNumberError::NotDigits),
    };
    match parsed {
        Ok(n) => Ok(n),
        Err(NationalNumberError::Empty) => Err(RowError::MissingNationalNumber),
        Err(reason) => Err(invalid(reason)),
    }
}

/// The e-mail column: blank means "no address known"; anything else must be an address.
pub(crate) fn email_from_cell(cell: &DataRef<'_>) -> Result<Option<EmailAddress>, RowError> {
    let text = text_of_cell(cell);
    if text.trim().is_empty() {
        return Ok(None);
    }
    EmailAddress::parse(&text)
        .map(Some)
        .map_err(|reason| RowError::InvalidEmail {
            value: text.trim().to_owned(),
            reason,
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn serials_match_excel() {
        // Values Excel shows for these dates in the 1900 system (from March 1900 on, where
        // its fictitious 29/02/1900 no longer shifts the count).
        assert_eq!(date_from_serial(61.0), Some(date(1900, 3, 1)));
        assert_eq!(date_from_serial(31258.0), Some(date(1985, 7, 30)));
        assert_eq!(date_from_serial(45658.75), Some(date(2025, 1, 1)));
        assert_eq!(serial_of(date(2025, 1, 1)), 45658.0);
        assert_eq!(date_from_serial(0.0), None);
        assert_eq!(date_from_serial(-3.0), None);
        assert_eq!(date_from_serial(f64::NAN), None);
        assert_eq!(date_from_serial(3e6), None);
    }

    #[test]
    fn dates_typed_as_text_are_read_day_first() {
        assert_eq!(date_from_text("30/07/1985"), Some(date(1985, 7, 30)));
        assert_eq!(date_from_text(" 1/2/2001 "), Some(date(2001, 2, 1)));
        assert_eq!(date_from_text("01-02-2001"), Some(date(2001, 2, 1)));
        assert_eq!(date_from_text("01.02.2001"), Some(date(2001, 2, 1)));
        assert_eq!(date_from_text("2001-02-01"), Some(date(2001, 2, 1)));
        assert_eq!(
            date_from_text("2001-02-01T00:00:00"),
            Some(date(2001, 2, 1))
        );
        assert_eq!(
            date_from_text("2001-02-01 00:00:00"),
            Some(date(2001, 2, 1))
        );
        assert_eq!(date_from_text("31/02/2001"), None);
        assert_eq!(
            date_from_text("1/2/01"),
            None,
            "two-digit years are ambiguous"
        );
        assert_eq!(date_from_text("gisteren"), None);
        assert_eq!(date_from_text(""), None);
    }

    #[test]
    fn national_numbers_that_became_numbers_get_their_zeros_back() {
        // 03082175128 would be born 2003-08-21; Excel drops the leading zero.
        let expected = NationalNumber::from_birth_date(date(2003, 8, 21), 751).unwrap();
        let as_number: f64 = expected.as_str().parse().unwrap();
        assert!(as_number < 1e10, "the leading zero is gone");
        assert_eq!(
            national_number_from_cell(&DataRef::Float(as_number)).unwrap(),
            expected
        );
        assert_eq!(
            national_number_from_cell(&DataRef::Int(as_number as i64)).unwrap(),
            expected
        );
        let text = format!("{as_number:.1}");
        assert_eq!(
            national_number_from_cell(&DataRef::String(text)).unwrap(),
            expected
        );
        assert_eq!(
            national_number_from_cell(&DataRef::Float(1.5)),
            Err(RowError::InvalidNationalNumber {
                value: "1.5".into(),
                reason: NationalNumberError::WrongLength
            })
        );
        assert_eq!(
            national_number_from_cell(&DataRef::Empty),
            Err(RowError::MissingNationalNumber)
        );
        assert_eq!(
            national_number_from_cell(&DataRef::String("  ".into())),
            Err(RowError::MissingNationalNumber)
        );
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased_and_blank_means_none() {
        let cell = DataRef::String("  Jan.Peeters@Voorbeeld.BE ".into());
        assert_eq!(
            email_from_cell(&cell).unwrap().unwrap().as_str(),
            "jan.peeters@voorbeeld.be"
        );
        assert_eq!(email_from_cell(&DataRef::Empty), Ok(None));
        assert_eq!(email_from_cell(&DataRef::SharedString("   ")), Ok(None));
        let err = email_from_cell(&DataRef::String(" jan peeters@x.be ".into())).unwrap_err();
        assert_eq!(err.value(), "jan peeters@x.be");
        assert_eq!(err.code(), "email-contains-space");
        let err = email_from_cell(&DataRef::Float(12.0)).unwrap_err();
        assert_eq!(err.value(), "12");
    }

    #[test]
    fn read_only_cells_are_trimmed_and_dates_shown_day_first() {
        let mut out = String::new();
        push_read_only(&mut out, &DataRef::SharedString("  Bedienden "), false);
        out.push('|');
        push_read_only(&mut out, &DataRef::Float(31258.0), true);
        out.push('|');
        push_read_only(&mut out, &DataRef::String("1/2/2001".into()), true);
        out.push('|');
        push_read_only(&mut out, &DataRef::Float(123.0), false);
        out.push('|');
        push_read_only(&mut out, &DataRef::String("morgen".into()), true);
        assert_eq!(out, "Bedienden|30/07/1985|01/02/2001|123|morgen");
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1900i32..=2099, 1u32..=12, 1u32..=31)
            .prop_filter_map("real dates", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
    }

    proptest! {
        #[test]
        fn a_national_number_survives_every_way_a_tool_stores_it(
            birth in any_date(), serial in 1u16..=998, bis in any::<bool>(),
        ) {
            let nn = if bis {
                NationalNumber::bis_from_birth_date(birth, serial)
            } else {
                NationalNumber::from_birth_date(birth, serial)
            }.unwrap();
            let number: u64 = nn.as_str().parse().unwrap();
            let cells = [
                DataRef::Float(number as f64),
                DataRef::Int(number as i64),
                DataRef::String(format!("{number}.0")),
                DataRef::String(nn.formatted()),
                DataRef::String(format!(" {} ", nn.as_str())),
                DataRef::SharedString(nn.as_str()),
                DataRef::String(format!("'{}", nn.as_str())),
            ];
            for cell in cells {
                prop_assert_eq!(national_number_from_cell(&cell), Ok(nn.clone()));
            }
        }

        #[test]
        fn a_date_survives_serial_and_text(d in any_date()) {
            prop_assume!(d.year() >= 1900 && (d > date(1900, 2, 28)));
            prop_assert_eq!(date_from_serial(serial_of(d)), Some(d));
            prop_assert_eq!(date_from_cell(&DataRef::Float(serial_of(d) + 0.5)), Some(d));
            prop_assert_eq!(date_from_text(&format_date(d)), Some(d));
            prop_assert_eq!(date_from_text(&d.format("%-d/%-m/%Y").to_string()), Some(d));
            prop_assert_eq!(date_from_text(&d.format("%Y-%m-%d").to_string()), Some(d));
        }

        #[test]
        fn emails_come_out_the_same_whatever_the_case_and_blanks(
            local in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,8}){0,2}",
            domain in "[a-z0-9]{1,10}\\.[a-z]{2,4}",
            pad_left in " {0,3}", pad_right in "[ \t]{0,3}", upper in any::<bool>(),
        ) {
            let address = format!("{local}@{domain}");
            let typed = if upper { address.to_uppercase() } else { address.clone() };
            let cell = DataRef::String(format!("{pad_left}{typed}{pad_right}"));
            let email = email_from_cell(&cell).unwrap().unwrap();
            prop_assert_eq!(email.as_str(), address.as_str());
        }

        #[test]
        fn normalizers_never_panic(text in any::<String>(), f in any::<f64>()) {
            let _ = date_from_text(&text);
            let _ = date_from_serial(f);
            let _ = national_number_from_cell(&DataRef::String(text.clone()));
            let _ = national_number_from_cell(&DataRef::Float(f));
            let _ = email_from_cell(&DataRef::String(text));
            let _ = text_of_cell(&DataRef::Float(f));
        }
    }
}
