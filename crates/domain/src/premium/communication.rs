//! The Belgian structured communication ("gestructureerde mededeling", "communication
//! structurée") that pays a statement: ten digits and their mod-97 check, written
//! +++123/4567/89002+++. A bank's payment carries it back, so payments match their
//! statement without reading names.

use std::fmt;

/// The demo insurer's account, which statements name unless the installation says which
/// account its insurer has (`ebdesk serve --insurer-iban`).
pub const DEMO_INSURER_ACCOUNT: &str = "BE35 3101 2345 6737";

/// The account statements are paid to: one insurer per installation. A valid IBAN (ISO 13616
/// and the country's own account rules, as iban_validate checks them), in print format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsurerAccount(String);

impl InsurerAccount {
    /// Reads an IBAN with or without its spaces, in any case; None when it is not valid.
    pub fn parse(text: &str) -> Option<InsurerAccount> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let iban = compact.parse::<iban::Iban>().ok()?;
        Some(InsurerAccount(iban.to_string()))
    }

    /// In groups of four: "BE35 3101 2345 6737".
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for InsurerAccount {
    fn default() -> Self {
        InsurerAccount(DEMO_INSURER_ACCOUNT.to_owned())
    }
}

impl std::str::FromStr for InsurerAccount {
    type Err = &'static str;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        InsurerAccount::parse(text).ok_or("not a valid IBAN")
    }
}

/// A valid structured communication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StructuredCommunication(u64);

impl StructuredCommunication {
    /// The communication of `number` (below 10¹⁰), e.g. a statement's number.
    pub fn for_number(number: u64) -> Option<StructuredCommunication> {
        (number < 10_000_000_000).then(|| StructuredCommunication(number * 100 + check(number)))
    }

    /// Reads one as banks and people write it: with or without +++ or ***, slashes and
    /// spaces; None unless there are exactly twelve digits with the right check.
    pub fn parse(text: &str) -> Option<StructuredCommunication> {
        let trimmed = text.trim().trim_matches(|c| c == '+' || c == '*');
        let mut digits = String::with_capacity(12);
        for c in trimmed.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '/' | ' ' => {}
                _ => return None,
            }
        }
        if digits.len() != 12 {
            return None;
        }
        let all: u64 = digits.parse().ok()?;
        let (number, given) = (all / 100, all % 100);
        (check(number) == given).then_some(StructuredCommunication(all))
    }

    /// The number it carries (without the check).
    pub fn number(self) -> u64 {
        self.0 / 100
    }
}

/// The check: the number modulo 97, and 97 where that is 0.
fn check(number: u64) -> u64 {
    match number % 97 {
        0 => 97,
        rest => rest,
    }
}

impl fmt::Display for StructuredCommunication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = format!("{:012}", self.0);
        write!(
            f,
            "+++{}/{}/{}+++",
            &digits[..3],
            &digits[3..7],
            &digits[7..]
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn accounts_are_checked_and_printed_in_groups_of_four() {
        assert_eq!(InsurerAccount::default().as_str(), DEMO_INSURER_ACCOUNT);
        let typed = InsurerAccount::parse("be35310123456737").unwrap();
        assert_eq!(typed.as_str(), DEMO_INSURER_ACCOUNT);
        // One digit off breaks the check digits; a foreign IBAN is fine.
        assert_eq!(InsurerAccount::parse("BE35 3101 2345 6738"), None);
        assert_eq!(InsurerAccount::parse("<script>"), None);
        let german = InsurerAccount::parse("DE44500105175407324931").unwrap();
        assert_eq!(german.as_str(), "DE44 5001 0517 5407 3249 31");
    }

    #[test]
    fn the_demo_account_is_a_valid_belgian_iban() {
        let compact: String = DEMO_INSURER_ACCOUNT
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(compact.starts_with("BE") && compact.len() == 16);
        // ISO 13616: the country and check digits move to the end, letters become numbers
        // (B = 11, E = 14), and the whole is 1 modulo 97.
        let moved = format!("{}1114{}", &compact[4..], &compact[2..4]);
        let remainder = moved
            .bytes()
            .fold(0_u64, |r, digit| (r * 10 + u64::from(digit - b'0')) % 97);
        assert_eq!(remainder, 1);
        // The Belgian account's own check: the first ten digits modulo 97.
        let account: u64 = compact[4..14].parse().unwrap();
        assert_eq!(account % 97, compact[14..].parse::<u64>().unwrap());
    }

    #[test]
    fn the_check_is_the_number_modulo_97_and_97_for_zero() {
        // 0123456789 mod 97 = 39.
        let c = StructuredCommunication::for_number(123_456_789).unwrap();
        assert_eq!(c.to_string(), "+++012/3456/78939+++");
        // 97 000 mod 97 = 0: the check is 97.
        let zero = StructuredCommunication::for_number(97_000).unwrap();
        assert_eq!(zero.to_string(), "+++000/0097/00097+++");
        assert!(StructuredCommunication::for_number(10_000_000_000).is_none());
    }

    #[test]
    fn it_reads_back_as_banks_write_it_and_refuses_a_wrong_check() {
        let c = StructuredCommunication::for_number(530_101_202).unwrap();
        let written = [
            c.to_string(),
            c.to_string().replace('+', "*"),
            format!("{:012}", c.0),
        ];
        for text in written {
            assert_eq!(StructuredCommunication::parse(&text), Some(c), "{text}");
        }
        assert_eq!(c.number(), 530_101_202);
        let wrong = format!("{:012}", c.0 + 1);
        assert_eq!(StructuredCommunication::parse(&wrong), None);
        for bad in [
            "",
            "+++012/3456/7893+++",
            "012345678939x",
            "+++012/3456/789390+++",
        ] {
            assert_eq!(StructuredCommunication::parse(bad), None, "{bad}");
        }
    }
}
