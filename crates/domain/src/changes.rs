//! The rules of the changes an HR user makes to an employee: a new affiliation, an exit and
//! a change of personal data. Every refusal and every warning is a message-catalog key; the
//! store re-checks inside its transaction what needs stored data (overlaps, uniqueness).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::Serialize;

use crate::{EmailAddress, Gender, Language, NationalNumber};

/// Youngest and oldest age at which someone is affiliated (WAP: students and pensioners are
/// not; these bounds catch a birth date typed wrong).
pub const MIN_AFFILIATION_AGE: i32 = 15;
pub const MAX_AFFILIATION_AGE: i32 = 75;

/// Days the employer has to report an exit (WAP).
pub const EXIT_REPORT_DAYS: i64 = 30;

/// Longest employee number we store (names: [`crate::names::MAX_NAME_CHARS`]).
const MAX_EMPLOYEE_NUMBER_LENGTH: usize = 20;

/// A message key per form field that was refused, by the field's name in the form.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;

/// A date as people type it: dd/mm/jjjj (also d/m/jjjj and dd-mm-jjjj), or yyyy-mm-dd as
/// the browser's date field sends it.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .ok()
        .filter(|d| (1900..=2099).contains(&d.year()))
}

/// Whole years between `birth_date` and `on`.
pub fn age_on(birth_date: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth_date.year();
    if (on.month(), on.day()) < (birth_date.month(), birth_date.day()) {
        age -= 1;
    }
    age
}

/// The personal data of an employee, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub national_number: NationalNumber,
    pub last_name: String,
    pub first_name: String,
    pub gender: Gender,
    pub language: Language,
    pub birth_date: NaiveDate,
    pub employee_number: Option<String>,
    /// Checked with [`EmailAddress::parse`] when typed; kept as stored otherwise.
    pub business_email: Option<String>,
}

/// The personal data as typed in a form.
#[derive(Debug, Clone, Default)]
pub struct PersonDraft {
    pub national_number: String,
    pub last_name: String,
    pub first_name: String,
    pub gender: String,
    pub language: String,
    pub birth_date: String,
    pub employee_number: String,
    pub business_email: String,
}

fn required_name(value: &str, field: &'static str, errors: &mut FieldErrors) -> Option<String> {
    match crate::names::check_name(value) {
        Ok(name) => Some(name.to_owned()),
        Err(err) => {
            errors.insert(field, err.code());
            None
        }
    }
}

/// An employee number: optional, letters, digits, `-`, `.` and `/`, at most 20 characters.
pub fn parse_employee_number(text: &str) -> Result<Option<String>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_EMPLOYEE_NUMBER_LENGTH
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/'))
    {
        return Err("employee-number-invalid");
    }
    Ok(Some(text.to_owned()))
}

/// Checks every field of a person on `today` (birth date not in the future, at most 120
/// years ago, national number consistent with birth date and gender) and answers the person
/// or a message per refused field.
pub fn parse_person(draft: &PersonDraft, today: NaiveDate) -> Result<Person, FieldErrors> {
    let mut errors = FieldErrors::new();
    let last_name = required_name(&draft.last_name, "last_name", &mut errors);
    let first_name = required_name(&draft.first_name, "first_name", &mut errors);
    let gender = Gender::from_db(draft.gender.trim());
    if gender.is_none() {
        errors.insert("gender", "gender-required");
    }
    let language = Language::from_db(draft.language.trim());
    if language.is_none() {
        errors.insert("language", "language-required");
    }
    let birth_date = match parse_date(&draft.birth_date) {
        None if draft.birth_date.trim().is_empty() => {
            errors.insert("birth_date", "field-required");
            None
        }
        None => {
            errors.insert("birth_date", "date-invalid");
            None
        }
        Some(d) if d > today || age_on(d, today) > 120 => {
            errors.insert("birth_date", "birth-date-implausible");
            None
        }
        Some(d) => Some(d),
    };
    let national_number = match NationalNumber::parse(&draft.national_number) {
        Ok(n) => Some(n),
        Err(e) => {
            errors.insert("national_number", e.code());
            None
        }
    };
    if let (Some(n), Some(b), Some(g)) = (&national_number, birth_date, gender)
        && let Err(e) = n.check_against(b, g)
    {
        errors.insert("national_number", e.code());
    }
    let employee_number = parse_employee_number(&draft.employee_number)
        .map_err(|code| errors.insert("employee_number", code))
        .ok()
        .flatten();
    let business_email = match draft.business_email.trim() {
        "" => None,
        text => match EmailAddress::parse(text) {
            Ok(address) => Some(address.as_str().to_owned()),
            Err(e) => {
                errors.insert("business_email", e.code());
                None
            }
        },
    };
    match (
        national_number,
        last_name,
        first_name,
        gender,
        language,
        birth_date,
    ) {
        (Some(national_number), Some(last_name), Some(first_name), Some(g), Some(l), Some(b))
            if errors.is_empty() =>
        {
            Ok(Person {
                national_number,
                last_name,
                first_name,
                gender: g,
                language: l,
                birth_date: b,
                employee_number,
                business_email,
            })
        }
        _ => Err(errors),
    }
}

/// The start dates of a new affiliation: refused when the affiliation would start before the
/// employment or the person is not 15 to 75 years old then; a later start than the hire date
/// is allowed with a warning (WAP: affiliation from the day of hire).
pub fn check_affiliation_dates(
    birth_date: NaiveDate,
    employment_start: NaiveDate,
    affiliation_start: NaiveDate,
) -> Result<Option<&'static str>, (&'static str, &'static str)> {
    if affiliation_start < employment_start {
        return Err(("affiliation_start", "affiliation-before-employment"));
    }
    let age = age_on(birth_date, affiliation_start);
    if !(MIN_AFFILIATION_AGE..=MAX_AFFILIATION_AGE).contains(&age) {
        return Err(("birth_date", "affiliation-age-out-of-range"));
    }
    Ok((affiliation_start > employment_start).then_some("affiliation-later-than-employment"))
}

/// Whether an existing affiliation `[start, end]` (open when `end` is None) of the same
/// person in the same contract overlaps a new one that starts on `new_start` and has no end.
pub fn overlaps(end: Option<NaiveDate>, new_start: NaiveDate) -> bool {
    end.is_none_or(|end| end >= new_start)
}

/// An exit with `end_date` (inclusive, "tot en met") of an affiliation that started on
/// `affiliation_start`, reported on `reported_on`: refused before the start; late (a
/// warning) when reported more than 30 days after the end date.
pub fn check_exit(
    affiliation_start: NaiveDate,
    end_date: NaiveDate,
    reported_on: NaiveDate,
) -> Result<Option<&'static str>, &'static str> {
    if end_date < affiliation_start {
        return Err("exit-before-affiliation");
    }
    Ok((reported_on - end_date > TimeDelta::days(EXIT_REPORT_DAYS)).then_some("exit-late"))
}

/// Farthest ahead a category move may be dated: a year catches a mistyped year.
pub const MAX_MOVE_AHEAD_DAYS: i64 = 366;

/// A move of an affiliation that started on `affiliation_start`, in category
/// `current_category`, to `new_category` from `from` on (the old one ends the day before),
/// reported on `reported_on`. Refused (field, key) when the category does not change, the
/// move is not after the start (the old affiliation would have no day) or more than a year
/// ahead; late (a warning) when reported more than 30 days after `from`.
pub fn check_category_move(
    affiliation_start: NaiveDate,
    current_category: i64,
    new_category: i64,
    from: NaiveDate,
    reported_on: NaiveDate,
) -> Result<Option<&'static str>, (&'static str, &'static str)> {
    if new_category == current_category {
        return Err(("category", "move-same-category"));
    }
    if from <= affiliation_start {
        return Err(("from", "move-not-after-start"));
    }
    if from - reported_on > TimeDelta::days(MAX_MOVE_AHEAD_DAYS) {
        return Err(("from", "move-too-far-ahead"));
    }
    Ok((reported_on - from > TimeDelta::days(EXIT_REPORT_DAYS)).then_some("move-late"))
}

/// One field of a person that a change sets, as stored values (dates yyyy-mm-dd, national
/// numbers `YY.MM.DD-SSS.CC`, gender and language as their codes); None for empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn field_values(person: &Person) -> [(&'static str, Option<String>); 8] {
    [
        ("last_name", Some(person.last_name.clone())),
        ("first_name", Some(person.first_name.clone())),
        ("gender", Some(person.gender.as_str().to_owned())),
        ("language", Some(person.language.as_str().to_owned())),
        ("birth_date", Some(person.birth_date.to_string())),
        ("national_number", Some(person.national_number.formatted())),
        ("employee_number", person.employee_number.clone()),
        ("business_email", person.business_email.clone()),
    ]
}

/// What a change of `before` into `after` sets, field by field, in the form's order.
pub fn diff_person(before: &Person, after: &Person) -> Vec<FieldChange> {
    field_values(before)
        .into_iter()
        .zip(field_values(after))
        .filter(|((_, b), (_, a))| a != b)
        .map(|((field, before), (_, after))| FieldChange {
            field: field.to_owned(),
            before,
            after,
        })
        .collect()
}

/// The changes as the action and the audit log keep them: national numbers masked, as in
/// every list (the employee page shows the current one in full).
pub fn for_the_record(changes: &[FieldChange]) -> Vec<FieldChange> {
    let mask = |value: &Option<String>| {
        value
            .as_deref()
            .map(|v| NationalNumber::parse(v).map_or_else(|_| "***".to_owned(), |n| n.masked()))
    };
    changes
        .iter()
        .map(|c| match c.field.as_str() {
            "national_number" => FieldChange {
                field: c.field.clone(),
                before: mask(&c.before),
                after: mask(&c.after),
            },
            _ => c.clone(),
        })
        .collect()
}

/// Warnings the confirmation of a change shows: a new national number (the employee logs in
/// to the employee site with it), especially the definitive number replacing a BIS number.
pub fn personal_data_warnings(before: &Person, after: &Person) -> Vec<&'static str> {
    use crate::national_number::NumberKind;
    let mut warnings = Vec::new();
    if before.national_number != after.national_number {
        if before.national_number.kind() != NumberKind::Register
            && after.national_number.kind() == NumberKind::Register
        {
            warnings.push("personal-data-bis-to-register");
        } else {
            warnings.push("personal-data-national-number-changed");
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn draft() -> PersonDraft {
        let birth = d(1990, 3, 14);
        PersonDraft {
            national_number: NationalNumber::from_birth_date(birth, 123)
                .map(|n| n.formatted())
                .unwrap_or_default(),
            last_name: " Janssens ".to_owned(),
            first_name: "Lotte".to_owned(),
            gender: "M".to_owned(),
            language: "nl".to_owned(),
            birth_date: "14/03/1990".to_owned(),
            employee_number: "".to_owned(),
            business_email: "Lotte.Janssens@Bedrijf.be".to_owned(),
        }
    }

    #[test]
    fn dates_are_read_as_people_and_browsers_write_them() {
        assert_eq!(parse_date("01/05/2026"), Some(d(2026, 5, 1)));
        assert_eq!(parse_date("1/5/2026"), Some(d(2026, 5, 1)));
        assert_eq!(parse_date("2026-05-01"), Some(d(2026, 5, 1)));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("01/05/26"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn a_valid_person_is_trimmed_and_its_email_lower_cased() {
        let person = parse_person(&draft(), d(2026, 12, 1)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(person.last_name, "Janssens");
        assert_eq!(
            person.business_email.as_deref(),
            Some("lotte.janssens@bedrijf.be")
        );
        assert_eq!(person.employee_number, None);
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let mut bad = draft();
        bad.last_name = "  ".to_owned();
        bad.gender = "X".to_owned();
        bad.language = "es".to_owned();
        bad.birth_date = "14/13/1990".to_owned();
        bad.employee_number = "12 34".to_owned();
        bad.business_email = "lotte@".to_owned();
        let errors = parse_person(&bad, d(2026, 12, 1)).err().unwrap_or_default();
        assert_eq!(errors.get("last_name"), Some(&"field-required"));
        assert_eq!(errors.get("gender"), Some(&"gender-required"));
        assert_eq!(errors.get("language"), Some(&"language-required"));
        assert_eq!(errors.get("birth_date"), Some(&"date-invalid"));
        assert_eq!(
            errors.get("employee_number"),
            Some(&"employee-number-invalid")
        );
        assert_eq!(errors.get("business_email"), Some(&"email-invalid-domain"));
        assert!(!errors.contains_key("first_name"));
    }

    #[test]
    fn the_national_number_must_fit_birth_date_and_gender() {
        let mut other_day = draft();
        other_day.birth_date = "15/03/1990".to_owned();
        let errors = parse_person(&other_day, d(2026, 12, 1))
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors.get("national_number"),
            Some(&"national-number-birth-date-mismatch")
        );
        let mut woman = draft();
        woman.gender = "F".to_owned();
        let errors = parse_person(&woman, d(2026, 12, 1))
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors.get("national_number"),
            Some(&"national-number-gender-mismatch")
        );
        let mut typo = draft();
        typo.national_number = "90.03.14-123.00".to_owned();
        let errors = parse_person(&typo, d(2026, 12, 1))
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors.get("national_number"),
            Some(&"national-number-check-digits")
        );
    }

    #[test]
    fn a_bis_number_with_unknown_gender_fits_either_gender_and_month_00_any_month() {
        // BIS with gender unknown: month + 20, serial parity means nothing.
        let birth = d(1985, 7, 9);
        let bis = NationalNumber::bis_from_birth_date(birth, 124)
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default();
        let mut digits: Vec<u8> = bis.bytes().collect();
        digits[2] -= 2; // month + 40 -> + 20
        let body: u64 = String::from_utf8_lossy(&digits[..9]).parse().unwrap_or(0);
        let check = format!("{:02}", 97 - body % 97);
        let unknown = format!("{}{check}", String::from_utf8_lossy(&digits[..9]));
        for gender in ["M", "F"] {
            let mut p = draft();
            p.national_number = unknown.clone();
            p.birth_date = "09/07/1985".to_owned();
            p.gender = gender.to_owned();
            assert!(parse_person(&p, d(2026, 12, 1)).is_ok(), "{gender}");
        }
        // Month 00 (birth date partly unknown): only the year is compared.
        let body = 850_009_123_u64;
        let number = format!("{body:09}{:02}", 97 - body % 97);
        let mut p = draft();
        p.national_number = number;
        p.birth_date = "20/11/1985".to_owned();
        assert!(parse_person(&p, d(2026, 12, 1)).is_ok());
        p.birth_date = "20/11/1986".to_owned();
        assert!(parse_person(&p, d(2026, 12, 1)).is_err());
    }

    #[test]
    fn people_born_in_2000_or_later_use_the_2_prefix() {
        let birth = d(2004, 2, 29);
        let mut p = draft();
        p.national_number = NationalNumber::from_birth_date(birth, 2)
            .map(|n| n.formatted())
            .unwrap_or_default();
        p.birth_date = "29/02/2004".to_owned();
        p.gender = "F".to_owned();
        assert!(parse_person(&p, d(2026, 12, 1)).is_ok());
        // The same digits computed the 19xx way do not check.
        let body = 40_229_002_u64;
        p.national_number = format!("{body:09}{:02}", 97 - body % 97);
        assert!(parse_person(&p, d(2026, 12, 1)).is_err());
    }

    #[test]
    fn a_birth_date_in_the_future_is_implausible() {
        let mut p = draft();
        p.birth_date = "02/12/2026".to_owned();
        let errors = parse_person(&p, d(2026, 12, 1)).err().unwrap_or_default();
        assert_eq!(errors.get("birth_date"), Some(&"birth-date-implausible"));
    }

    #[test]
    fn a_move_changes_the_category_after_the_start_and_within_a_year() {
        let start = d(2024, 3, 1);
        let today = d(2026, 12, 7);
        assert_eq!(
            check_category_move(start, 1, 2, d(2026, 12, 1), today),
            Ok(None)
        );
        assert_eq!(
            check_category_move(start, 1, 1, d(2026, 12, 1), today),
            Err(("category", "move-same-category"))
        );
        // The old affiliation keeps at least its first day.
        assert_eq!(
            check_category_move(start, 1, 2, start, today),
            Err(("from", "move-not-after-start"))
        );
        assert_eq!(
            check_category_move(start, 1, 2, d(2024, 3, 2), today),
            Ok(Some("move-late"))
        );
        assert_eq!(
            check_category_move(start, 1, 2, d(2026, 11, 7), today),
            Ok(None)
        );
        assert_eq!(
            check_category_move(start, 1, 2, d(2026, 11, 6), today),
            Ok(Some("move-late"))
        );
        assert_eq!(
            check_category_move(start, 1, 2, d(2027, 12, 8), today),
            Ok(None)
        );
        assert_eq!(
            check_category_move(start, 1, 2, d(2027, 12, 9), today),
            Err(("from", "move-too-far-ahead"))
        );
    }

    #[test]
    fn affiliation_dates_follow_the_hire_date_and_the_age_bounds() {
        let birth = d(1990, 3, 14);
        assert_eq!(
            check_affiliation_dates(birth, d(2026, 1, 1), d(2026, 1, 1)),
            Ok(None)
        );
        assert_eq!(
            check_affiliation_dates(birth, d(2026, 1, 1), d(2026, 2, 1)),
            Ok(Some("affiliation-later-than-employment"))
        );
        assert_eq!(
            check_affiliation_dates(birth, d(2026, 2, 1), d(2026, 1, 31)),
            Err(("affiliation_start", "affiliation-before-employment"))
        );
        // 15th birthday: in; the day before: out. 75 still in, 76 out.
        let young = d(2011, 3, 14);
        assert!(check_affiliation_dates(young, d(2026, 3, 14), d(2026, 3, 14)).is_ok());
        assert_eq!(
            check_affiliation_dates(young, d(2026, 3, 13), d(2026, 3, 13)),
            Err(("birth_date", "affiliation-age-out-of-range"))
        );
        let old = d(1950, 6, 1);
        assert!(check_affiliation_dates(old, d(2026, 5, 31), d(2026, 5, 31)).is_ok());
        assert!(check_affiliation_dates(old, d(2026, 6, 1), d(2026, 6, 1)).is_err());
    }

    #[test]
    fn affiliations_overlap_unless_the_old_one_ended_before_the_new_start() {
        assert!(overlaps(None, d(2026, 1, 1)));
        assert!(overlaps(Some(d(2026, 1, 1)), d(2026, 1, 1)));
        assert!(!overlaps(Some(d(2025, 12, 31)), d(2026, 1, 1)));
    }

    #[test]
    fn an_exit_ends_inclusively_and_is_late_after_30_days() {
        let start = d(2020, 1, 1);
        assert_eq!(check_exit(start, d(2026, 4, 30), d(2026, 5, 30)), Ok(None));
        assert_eq!(
            check_exit(start, d(2026, 4, 30), d(2026, 5, 31)),
            Ok(Some("exit-late"))
        );
        assert_eq!(
            check_exit(start, d(2019, 12, 31), d(2026, 1, 1)),
            Err("exit-before-affiliation")
        );
        // Leaving on the day of affiliation: one day covered.
        assert_eq!(check_exit(start, start, start), Ok(None));
    }

    #[test]
    fn a_diff_names_only_the_fields_that_change() {
        let before = parse_person(&draft(), d(2026, 12, 1)).unwrap_or_else(|e| panic!("{e:?}"));
        let mut after = before.clone();
        after.last_name = "Peeters".to_owned();
        after.business_email = None;
        let changes = diff_person(&before, &after);
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "last_name".to_owned(),
                    before: Some("Janssens".to_owned()),
                    after: Some("Peeters".to_owned()),
                },
                FieldChange {
                    field: "business_email".to_owned(),
                    before: Some("lotte.janssens@bedrijf.be".to_owned()),
                    after: None,
                },
            ]
        );
        assert!(diff_person(&before, &before).is_empty());
        let mut renumbered = before.clone();
        renumbered.national_number = NationalNumber::from_birth_date(d(1990, 3, 14), 125)
            .unwrap_or_else(|| panic!("number"));
        let recorded = for_the_record(&diff_person(&before, &renumbered));
        assert_eq!(recorded[0].after.as_deref(), Some("90.03.14-***.**"));
    }

    #[test]
    fn replacing_a_bis_number_warns_about_the_employee_site_login() {
        let birth = d(1990, 3, 14);
        let before = Person {
            national_number: NationalNumber::bis_from_birth_date(birth, 123)
                .unwrap_or_else(|| panic!("bis")),
            ..parse_person(&draft(), d(2026, 12, 1)).unwrap_or_else(|e| panic!("{e:?}"))
        };
        let after = parse_person(&draft(), d(2026, 12, 1)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            personal_data_warnings(&before, &after),
            vec!["personal-data-bis-to-register"]
        );
        assert!(personal_data_warnings(&after, &after).is_empty());
    }
}
