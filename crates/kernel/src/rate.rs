//! Annual interest rates as decimals (`0.072` is 7.2 %), never rounded (RULES.md §1).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The most places a rate may carry.
pub const RATE_MAX_PLACES: u32 = 8;

/// An annual rate. Month and day rates derive from it at full precision.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rate(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("not a decimal number")]
    NotANumber,
    #[error("more than eight decimal places")]
    TooManyDecimals,
    #[error("negative")]
    Negative,
}

impl RateError {
    pub fn code(&self) -> &'static str {
        match self {
            RateError::NotANumber => "invalid_rate",
            RateError::TooManyDecimals => "too_many_decimals",
            RateError::Negative => "negative_rate",
        }
    }
}

impl Rate {
    pub const ZERO: Rate = Rate(Decimal::ZERO);

    pub fn annual(value: Decimal) -> Result<Rate, RateError> {
        let v = value.normalize();
        if v.scale() > RATE_MAX_PLACES {
            return Err(RateError::TooManyDecimals);
        }
        if v.is_sign_negative() && !v.is_zero() {
            return Err(RateError::Negative);
        }
        Ok(Rate(v))
    }

    /// The annual decimal (0.12 for 12 %).
    pub fn value(self) -> Decimal {
        self.0
    }

    /// i / 12, unrounded.
    pub fn monthly(self) -> Decimal {
        self.0 / Decimal::from(12)
    }

    /// i / basis (360 or 365), unrounded.
    pub fn daily(self, day_basis: u32) -> Decimal {
        self.0 / Decimal::from(day_basis)
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// This rate times a factor (the penalty multiplier), still unrounded.
    pub fn scaled(self, factor: Decimal) -> Rate {
        Rate(self.0 * factor)
    }
}

impl FromStr for Rate {
    type Err = RateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let d = Decimal::from_str(s.trim()).map_err(|_| RateError::NotANumber)?;
        Rate::annual(d)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rate({})", self.0)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Rate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("Annual rate as a decimal string (\"0.12\" is 12 %)"))
            .examples([serde_json::json!("0.12")])
            .into()
    }
}

impl utoipa::ToSchema for Rate {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_rates_are_not_rounded() {
        let r: Rate = "0.12".parse().unwrap();
        assert_eq!(r.monthly().to_string(), "0.01");
        let r: Rate = "0.1".parse().unwrap();
        assert!(r.daily(360).scale() > 8);
    }

    #[test]
    fn refuses_nine_places_and_negatives() {
        assert_eq!(
            "0.123456789".parse::<Rate>(),
            Err(RateError::TooManyDecimals)
        );
        assert_eq!("-0.1".parse::<Rate>(), Err(RateError::Negative));
        assert_eq!("x".parse::<Rate>(), Err(RateError::NotANumber));
    }
}
