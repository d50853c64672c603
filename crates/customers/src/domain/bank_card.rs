//! Bank card numbers (银行卡号): 12–19 digits passing the Luhn check. Plain bank account
//! numbers (对公账户) have no check digit and are only checked for shape.

use super::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BankCardNumber(String);

impl BankCardNumber {
    pub fn parse(raw: &str) -> Result<BankCardNumber, Invalid> {
        let value = digits_only(raw);
        if !(12..=19).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Invalid::new(
                "invalid_card_number",
                "a card number has 12 to 19 digits",
            ));
        }
        if !luhn(&value) {
            return Err(Invalid::new(
                "invalid_card_luhn",
                "the card number fails its check digit (Luhn); check every digit",
            ));
        }
        Ok(BankCardNumber(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A bank account number that is not a card: 6–34 digits or letters.
pub fn parse_account_number(raw: &str) -> Result<String, Invalid> {
    let value = digits_only(raw).to_ascii_uppercase();
    if (6..=34).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(value)
    } else {
        Err(Invalid::new(
            "invalid_account_number",
            "an account number has 6 to 34 digits or letters",
        ))
    }
}

fn digits_only(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// The Luhn (mod 10) check over a string of ASCII digits.
pub fn luhn(digits: &str) -> bool {
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
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_checks_cards() {
        assert!(BankCardNumber::parse("6222 0212 3456 7890 128").is_ok());
        assert!(BankCardNumber::parse("6217000000000012348").is_ok());
        assert!(BankCardNumber::parse("6228480012345671").is_ok());
        assert_eq!(
            BankCardNumber::parse("6222021234567890127")
                .unwrap_err()
                .code,
            "invalid_card_luhn"
        );
        assert_eq!(
            BankCardNumber::parse("12345").unwrap_err().code,
            "invalid_card_number"
        );
        assert!(parse_account_number("1101 0001 2345 6789").is_ok());
        assert!(parse_account_number("12").is_err());
    }

    proptest::proptest! {
        /// Appending the Luhn digit makes any number valid, and changing one digit breaks it.
        #[test]
        fn one_changed_digit_always_fails_luhn(
            digits in proptest::collection::vec(0u8..10, 15..18),
            at in 0usize..15,
            delta in 1u8..10,
        ) {
            let body: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            let check = (0..10u8)
                .map(|c| format!("{body}{c}"))
                .find(|n| luhn(n))
                .unwrap();
            proptest::prop_assert!(BankCardNumber::parse(&check).is_ok());
            let mut bytes = check.into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + delta) % 10;
            proptest::prop_assert!(!luhn(&String::from_utf8(bytes).unwrap()));
        }
    }
}
