//! The resident identity card number (居民身份证号码, GB 11643-1999): six digits of region,
//! eight of birth date, three of sequence (odd for men) and a check character.

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use utoipa::ToSchema;

use super::Invalid;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// Sex as the ID number records it (性别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// A valid 18-character resident ID number, upper-case `X` as its check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

impl ResidentId {
    pub fn parse(raw: &str) -> Result<ResidentId, Invalid> {
        let value = raw.trim().to_ascii_uppercase();
        let bytes = value.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(Invalid::new(
                "invalid_id_number",
                "an ID number has 17 digits and a final digit or X",
            ));
        }
        if bytes[0] == b'0' {
            return Err(Invalid::new(
                "invalid_id_number",
                "the region code of the ID number is not valid",
            ));
        }
        if birth_date_of(bytes).is_none() {
            return Err(Invalid::new(
                "invalid_id_number",
                "the birth date inside the ID number is not a real date",
            ));
        }
        if check_char(bytes) != bytes[17] {
            return Err(Invalid::new(
                "invalid_id_check_digit",
                "the check digit of the ID number does not match; check every digit",
            ));
        }
        Ok(ResidentId(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> Date {
        birth_date_of(self.0.as_bytes()).expect("checked when parsed")
    }

    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Whole years of age on `on` (周岁): the birthday itself counts as the new year.
    pub fn age_on(&self, on: Date) -> i32 {
        age_on(self.birth_date(), on)
    }
}

/// Whole years from `birth` to `on`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month() as u8, on.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

fn check_char(bytes: &[u8]) -> u8 {
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

fn birth_date_of(bytes: &[u8]) -> Option<Date> {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        std::str::from_utf8(&bytes[range]).ok()?.parse().ok()
    };
    let year = digits(6..10)? as i32;
    let month = Month::try_from(digits(10..12)? as u8).ok()?;
    let day = digits(12..14)? as u8;
    if year < 1900 {
        return None;
    }
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_valid_number_gives_birth_date_sex_and_age() {
        let id = ResidentId::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), date!(1949 - 12 - 31));
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.age_on(date!(2026 - 03 - 02)), 76);
        let man = ResidentId::parse("440306199003071232").unwrap();
        assert_eq!(man.sex(), Sex::Male);
        assert_eq!(man.age_on(date!(2026 - 03 - 06)), 35);
        assert_eq!(man.age_on(date!(2026 - 03 - 07)), 36);
    }

    #[test]
    fn leap_day_births_are_real_dates() {
        let id = ResidentId::parse("320102200002290013").unwrap();
        assert_eq!(id.birth_date(), date!(2000 - 02 - 29));
        assert_eq!(id.age_on(date!(2018 - 02 - 28)), 17);
        assert_eq!(id.age_on(date!(2018 - 03 - 01)), 18);
    }

    #[test]
    fn bad_numbers_say_why() {
        let code = |s: &str| ResidentId::parse(s).unwrap_err().code;
        assert_eq!(code("110105194912310021"), "invalid_id_check_digit");
        assert_eq!(code("11010519491231002"), "invalid_id_number");
        assert_eq!(code("11010519491331002X"), "invalid_id_number");
        assert_eq!(code("1101051949123100ZX"), "invalid_id_number");
        assert_eq!(code("010105194912310021"), "invalid_id_number");
    }

    #[test]
    fn any_single_digit_change_is_caught() {
        let good = b"11010519491231002X";
        for i in 0..17 {
            for d in b'0'..=b'9' {
                if d == good[i] {
                    continue;
                }
                let mut bad = good.to_vec();
                bad[i] = d;
                let s = String::from_utf8(bad).unwrap();
                assert!(ResidentId::parse(&s).is_err(), "{s} should not parse");
            }
        }
    }

    proptest::proptest! {
        /// Any real birth date with any region and sequence, given its computed check
        /// character, parses back to the same birth date and sex; any other check character
        /// is refused.
        #[test]
        fn computed_check_characters_always_parse(
            region in 110000u32..=659999,
            days in 0i64..(120 * 365),
            seq in 0u32..1000,
            wrong in 0usize..11,
        ) {
            let birth = time::macros::date!(1905 - 01 - 01) + time::Duration::days(days);
            let body = format!(
                "{region:06}{:04}{:02}{:02}{seq:03}",
                birth.year(),
                birth.month() as u8,
                birth.day()
            );
            let check = check_char(body.as_bytes()) as char;
            let id = ResidentId::parse(&format!("{body}{check}")).unwrap();
            proptest::prop_assert_eq!(id.birth_date(), birth);
            proptest::prop_assert_eq!(id.sex() == Sex::Male, seq % 2 == 1);
            let other = CHECK[wrong] as char;
            if other != check {
                let bad = format!("{body}{other}");
                proptest::prop_assert!(ResidentId::parse(&bad).is_err());
            }
        }
    }
}
