//! Decimal numbers that travel as JSON strings.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A decimal number written as a string (`"100000.00"`, `"0.12"`). Parsing only checks that it
/// is a number; how many places it may have is a rule checked afterwards (422, not 400), so
/// `"0.001"` parses and is then refused as an amount. JSON numbers are refused (400): a float
/// would already have lost the exact value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecimalString(pub Decimal);

impl DecimalString {
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for DecimalString {
    fn from(value: Decimal) -> Self {
        DecimalString(value)
    }
}

impl FromStr for DecimalString {
    type Err = &'static str;

    /// Digits with an optional leading `-` and at most one `.`; no exponent, no spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const NOT_A_NUMBER: &str = "a decimal number as a string, like \"0.12\" or \"100000.00\"";
        let digits = s.strip_prefix('-').unwrap_or(s);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || s.ends_with('.') {
            return Err(NOT_A_NUMBER);
        }
        Decimal::from_str(s)
            .map(DecimalString)
            .map_err(|_| NOT_A_NUMBER)
    }
}

impl fmt::Display for DecimalString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for DecimalString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

struct DecimalStringVisitor;

impl Visitor<'_> for DecimalStringVisitor {
    type Value = DecimalString;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number as a string, like \"0.12\" or \"100000.00\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DecimalString, E> {
        v.parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl<'de> Deserialize<'de> for DecimalString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DecimalStringVisitor)
    }
}

impl utoipa::PartialSchema for DecimalString {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^-?\d+(\.\d+)?$"))
            .description(Some("A decimal number as a string; never a JSON number"))
            .into()
    }
}

impl utoipa::ToSchema for DecimalString {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_decimal_strings_parse() {
        assert!("100000.00".parse::<DecimalString>().is_ok());
        assert!("0.001".parse::<DecimalString>().is_ok());
        assert!("-5".parse::<DecimalString>().is_ok());
        for bad in [
            "abc", "", "1e5", "1_000", " 1", "1.", ".5", "1.2.3", "+1", "--1",
        ] {
            assert!(bad.parse::<DecimalString>().is_err(), "{bad}");
        }
    }

    #[test]
    fn json_numbers_are_refused() {
        assert!(serde_json::from_str::<DecimalString>("0.12").is_err());
        assert!(serde_json::from_str::<DecimalString>("12").is_err());
        let d: DecimalString = serde_json::from_str("\"0.12\"").unwrap();
        assert_eq!(d.to_string(), "0.12");
    }
}
