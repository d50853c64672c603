//! A GPS device's IMEI: 15 digits whose last is a Luhn check digit, so a mistyped number is
//! caught at the counter rather than when the device goes silent.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imei(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImeiError {
    /// Not exactly 15 digits.
    Format,
    /// The Luhn check digit does not match.
    CheckDigit,
}

impl Imei {
    pub fn parse(raw: &str) -> Result<Imei, ImeiError> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ImeiError::Format);
        }
        // Luhn: from the right, double every second digit, subtract 9 above 9.
        let sum: u32 = digits
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    let twice = d * 2;
                    if twice > 9 { twice - 9 } else { twice }
                } else {
                    d
                }
            })
            .sum();
        if !sum.is_multiple_of(10) {
            return Err(ImeiError::CheckDigit);
        }
        Ok(Imei(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Imei {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_textbook_imei_passes_and_one_changed_digit_fails() {
        // 49015420323751 + Luhn check 8, the example of the IMEI allocation guidelines.
        assert_eq!(
            Imei::parse("490154203237518").unwrap().as_str(),
            "490154203237518"
        );
        assert_eq!(
            Imei::parse("49 0154 2032 37518").unwrap().as_str(),
            "490154203237518"
        );
        assert_eq!(Imei::parse("490154203237517"), Err(ImeiError::CheckDigit));
        assert_eq!(Imei::parse("49015420323751"), Err(ImeiError::Format));
        assert_eq!(Imei::parse("49015420323751X"), Err(ImeiError::Format));
    }
}
