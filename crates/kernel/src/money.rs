//! Money: CNY with exactly two decimal places, rounded half-up (四舍五入) to the fen.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Rounds half away from zero to `dp` places: the only rounding money may use.
///
/// rust_decimal's `round`/`round_dp` are banker's rounding (half to even), which is wrong for
/// Chinese lending arithmetic; `clippy.toml` bans them so every rounding passes through here.
pub fn round_half_up(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// An amount of money in yuan with exactly two places. Always valid: it can only be built by
/// rounding ([`Money::round`]) or from a value that already has at most two places.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a decimal number")]
    NotANumber,
    #[error("more than two decimal places")]
    TooManyDecimals,
}

impl MoneyError {
    /// The machine code a field error carries for this refusal.
    pub fn code(&self) -> &'static str {
        match self {
            MoneyError::NotANumber => "invalid_amount",
            MoneyError::TooManyDecimals => "too_many_decimals",
        }
    }
}

impl Money {
    // Scale 2, so an empty sum still prints "0.00".
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// Rounds any decimal half-up to the fen.
    pub fn round(value: Decimal) -> Money {
        let mut d = round_half_up(value, 2);
        d.rescale(2);
        // −0.004 rounds to zero, which must not print as "-0.00".
        if d.is_zero() {
            d.set_sign_positive(true);
        }
        Money(d)
    }

    /// Accepts a value with at most two significant decimal places ("100", "100.5", "100.50",
    /// "100.500"), refuses "0.001": amounts in requests are never silently rounded.
    pub fn from_decimal(value: Decimal) -> Result<Money, MoneyError> {
        let normalized = value.normalize();
        if normalized.scale() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let mut d = normalized;
        d.rescale(2);
        if d.is_zero() {
            d.set_sign_positive(true);
        }
        Ok(Money(d))
    }

    /// Whole yuan, for tests and seeds.
    pub fn yuan(amount: i64) -> Money {
        Money(Decimal::new(amount * 100, 2))
    }

    /// From fen (分), e.g. `Money::from_fen(1234)` is 12.34.
    pub fn from_fen(fen: i64) -> Money {
        Money(Decimal::new(fen, 2))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    pub fn min(self, other: Money) -> Money {
        if self <= other { self } else { other }
    }

    pub fn max(self, other: Money) -> Money {
        if self >= other { self } else { other }
    }

    /// `self × factor`, rounded half-up to the fen.
    pub fn times(self, factor: Decimal) -> Money {
        Money::round(self.0 * factor)
    }
}

impl Default for Money {
    fn default() -> Money {
        Money::ZERO
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let d = Decimal::from_str(s.trim()).map_err(|_| MoneyError::NotANumber)?;
        Money::from_decimal(d)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.0)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::round(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

impl From<Money> for Decimal {
    fn from(m: Money) -> Decimal {
        m.0
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// Amounts travel as strings ("12345.67"); a JSON number is refused so no float ever carries
/// money.
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^-?\d+(\.\d{1,2})?$"))
            .description(Some("Amount in CNY as a decimal string with two places"))
            .examples([serde_json::json!("12345.67")])
            .into()
    }
}

impl utoipa::ToSchema for Money {}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn zero_never_prints_with_a_minus_sign() {
        assert_eq!(Money::round(dec!(-0.004)).to_string(), "0.00");
        assert_eq!((-Money::ZERO).to_string(), "0.00");
        assert_eq!(Money::from_decimal(dec!(-0)).unwrap().to_string(), "0.00");
        assert_eq!(Money::round(dec!(-0.005)).to_string(), "-0.01");
    }

    #[test]
    fn rounds_half_up_not_to_even() {
        assert_eq!(Money::round(dec!(0.125)).to_string(), "0.13");
        assert_eq!(Money::round(dec!(0.135)).to_string(), "0.14");
        assert_eq!(Money::round(dec!(-0.125)).to_string(), "-0.13");
        assert_eq!(Money::round(dec!(2.5)).to_string(), "2.50");
    }

    #[test]
    fn accepts_at_most_two_places() {
        assert_eq!("100000".parse::<Money>().unwrap().to_string(), "100000.00");
        assert_eq!(
            "100000.5".parse::<Money>().unwrap().to_string(),
            "100000.50"
        );
        assert_eq!("1.500".parse::<Money>().unwrap().to_string(), "1.50");
        assert_eq!("0.001".parse::<Money>(), Err(MoneyError::TooManyDecimals));
        assert_eq!("abc".parse::<Money>(), Err(MoneyError::NotANumber));
    }

    #[test]
    fn serialises_as_a_string_with_two_places() {
        let json = serde_json::to_string(&Money::yuan(5)).unwrap();
        assert_eq!(json, "\"5.00\"");
        let back: Money = serde_json::from_str("\"12.3\"").unwrap();
        assert_eq!(back, Money::from_fen(1230));
        assert!(serde_json::from_str::<Money>("12.3").is_err());
    }

    proptest::proptest! {
        #[test]
        fn sum_of_parts_is_exact(fens in proptest::collection::vec(-1_000_000_000i64..1_000_000_000, 0..50)) {
            let total: Money = fens.iter().map(|f| Money::from_fen(*f)).sum();
            proptest::prop_assert_eq!(total, Money::from_fen(fens.iter().sum()));
        }
    }
}

#[cfg(test)]
mod zero_tests {
    use super::*;

    #[test]
    fn zero_and_empty_sums_print_two_places() {
        assert_eq!(Money::ZERO.to_string(), "0.00");
        let none: Vec<Money> = vec![];
        assert_eq!(none.iter().sum::<Money>().to_string(), "0.00");
        assert_eq!(Money::default().to_string(), "0.00");
    }
}
