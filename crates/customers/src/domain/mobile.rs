//! Mainland mobile numbers (手机号码): eleven digits starting 13–19.

use super::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(raw: &str) -> Result<MobileNumber, Invalid> {
        let value: String = raw
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect();
        let value = value.strip_prefix("+86").unwrap_or(&value).to_string();
        let b = value.as_bytes();
        if b.len() == 11
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
            && b.iter().all(u8::is_ascii_digit)
        {
            Ok(MobileNumber(value))
        } else {
            Err(Invalid::new(
                "invalid_phone",
                "use an 11-digit mobile number such as 13800138000",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert_eq!(
            MobileNumber::parse("138 0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            MobileNumber::parse("+8613800138000").unwrap().as_str(),
            "13800138000"
        );
        assert!(MobileNumber::parse("12800138000").is_err());
        assert!(MobileNumber::parse("1380013800").is_err());
        assert!(MobileNumber::parse("1380013800a").is_err());
    }
}
