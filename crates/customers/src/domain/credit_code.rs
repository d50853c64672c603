//! The unified social credit code (统一社会信用代码, GB 32100-2015) of an enterprise: 18
//! characters from a 31-character alphabet, the last a check character.

use super::Invalid;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(raw: &str) -> Result<CreditCode, Invalid> {
        let value = raw.trim().to_ascii_uppercase();
        let bytes = value.as_bytes();
        let values: Option<Vec<u32>> = bytes.iter().map(|b| index(*b)).collect();
        let Some(values) = values.filter(|v| v.len() == 18) else {
            return Err(Invalid::new(
                "invalid_credit_code",
                "a credit code has 18 digits or capital letters (no I, O, Z, S, V)",
            ));
        };
        let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        if check != values[17] {
            return Err(Invalid::new(
                "invalid_credit_code_check",
                "the check character of the credit code does not match",
            ));
        }
        Ok(CreditCode(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn index(b: u8) -> Option<u32> {
    ALPHABET.iter().position(|a| *a == b).map(|i| i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_codes_parse_and_bad_ones_say_why() {
        for good in [
            "91350100M000100Y43",
            "91110108ma01ab2c3t",
            "91440300708461136T",
        ] {
            assert!(CreditCode::parse(good).is_ok(), "{good}");
        }
        let code = |s: &str| CreditCode::parse(s).unwrap_err().code;
        assert_eq!(code("91350100M000100Y44"), "invalid_credit_code_check");
        assert_eq!(code("91350100M000100Y4"), "invalid_credit_code");
        assert_eq!(code("91350100M000100I43"), "invalid_credit_code");
    }
}
