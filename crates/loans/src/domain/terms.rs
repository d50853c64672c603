//! A product's terms (产品条件) and the loan-method settings (贷款方式设置) inside them: which
//! repayment methods are allowed, the ranges a loan must fall in, and the parameters a loan
//! signed under this version keeps (RULES.md §1–§6, §12).
//!
//! [`ProductTerms`] is the JSON shape, in and out; decimals travel as strings and are parsed
//! by serde only as far as "is it a number" (400 otherwise). [`ProductTerms::validate`] then
//! checks every rule at once (422) and yields [`ValidTerms`], built from `calc`'s own types.

use calc::allocation::{AllocationRule, Component};
use calc::calculator::{DecimalString, PrepaymentFeeRequest};
use calc::payoff::PayoffBasis;
use calc::prepayment_fee::PrepaymentFee;
use calc::terms::{DEFAULT_MIN_FIRST_PERIOD_DAYS, MAX_ANNUAL_RATE, MAX_PRINCIPAL, MAX_TERM_MONTHS};
use calc::{DayBasis, Method};
use kernel::error::FieldErrors;
use kernel::money::MoneyError;
use kernel::{AppResult, Money, Rate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most grace days (宽限期) a product may give.
pub const MAX_GRACE_DAYS: i64 = 90;

/// What a fee pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeType {
    /// 咨询费
    Consulting,
    /// GPS 费
    Gps,
    /// 服务费
    Service,
}

/// How a fee is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    /// A fixed `amount`.
    Fixed,
    /// `rate` × the principal.
    Percent,
}

/// When a fee is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeTiming {
    /// Once, at signing (never deducted from the principal lent, RULES.md §5).
    AtSigning,
    /// With every installment.
    PerPeriod,
}

/// One fee of the product. Every fee is a cost in the APR (RULES.md §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductFee {
    #[serde(rename = "type")]
    pub fee_type: FeeType,
    pub basis: FeeBasis,
    pub timing: FeeTiming,
    /// For `fixed`: the amount, 2 places at most.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "1500.00")]
    pub amount: Option<DecimalString>,
    /// For `percent`: a fraction of the principal, 0–1 ("0.02" is 2 %).
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "0.02")]
    pub rate: Option<DecimalString>,
}

/// A component of what an installment owes, in allocation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllocationComponent {
    Fees,
    Penalty,
    Compound,
    Interest,
    Principal,
}

impl From<Component> for AllocationComponent {
    fn from(c: Component) -> Self {
        match c {
            Component::Fees => AllocationComponent::Fees,
            Component::Penalty => AllocationComponent::Penalty,
            Component::Compound => AllocationComponent::Compound,
            Component::Interest => AllocationComponent::Interest,
            Component::Principal => AllocationComponent::Principal,
        }
    }
}

impl AllocationComponent {
    pub fn component(self) -> Component {
        match self {
            AllocationComponent::Fees => Component::Fees,
            AllocationComponent::Penalty => Component::Penalty,
            AllocationComponent::Compound => Component::Compound,
            AllocationComponent::Interest => Component::Interest,
            AllocationComponent::Principal => Component::Principal,
        }
    }
}

/// The order a payment settles what is owed (还款冲抵顺序), RULES.md §4.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllocationOrder {
    /// All five components, each once.
    pub components: Vec<AllocationComponent>,
    /// `false` (default): one pass per component across installments, oldest first;
    /// `true`: each installment fully before the next.
    #[serde(default)]
    pub installment_by_installment: bool,
}

impl Default for AllocationOrder {
    fn default() -> Self {
        AllocationOrder {
            components: vec![
                AllocationComponent::Fees,
                AllocationComponent::Penalty,
                AllocationComponent::Compound,
                AllocationComponent::Interest,
                AllocationComponent::Principal,
            ],
            installment_by_installment: false,
        }
    }
}

/// What secures the loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CollateralKind {
    /// 抵押: registered at the vehicle registry, the borrower keeps the car.
    Mortgage,
    /// 质押: the car is kept in the lender's yard.
    Pledge,
}

impl CollateralKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CollateralKind::Mortgage => "mortgage",
            CollateralKind::Pledge => "pledge",
        }
    }
}

fn default_day_basis() -> i64 {
    360
}

fn default_multiplier() -> DecimalString {
    DecimalString(calc::overdue::DEFAULT_MULTIPLIER)
}

fn default_min_first_period_days() -> i64 {
    i64::from(DEFAULT_MIN_FIRST_PERIOD_DAYS)
}

/// The terms of one product version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductTerms {
    /// Allowed repayment methods (还款方式), at least one.
    pub methods: Vec<Method>,
    #[schema(example = 12)]
    pub term_months_min: i64,
    #[schema(example = 36)]
    pub term_months_max: i64,
    #[schema(value_type = String, example = "20000.00")]
    pub amount_min: DecimalString,
    #[schema(value_type = String, example = "500000.00")]
    pub amount_max: DecimalString,
    /// Annual rate range; a flat product quotes its annual flat rate (月息 × 12).
    #[schema(value_type = String, example = "0.12")]
    pub rate_min: DecimalString,
    #[schema(value_type = String, example = "0.2399")]
    pub rate_max: DecimalString,
    /// Day-count basis of day-based amounts: 360 (default) or 365.
    #[serde(default = "default_day_basis")]
    #[schema(example = 360)]
    pub day_basis: i64,
    /// Penalty rate = contract rate × this, 1.0–2.0 (default "1.5").
    #[serde(default = "default_multiplier")]
    #[schema(value_type = String, example = "1.5")]
    pub penalty_multiplier: DecimalString,
    /// Days after a due date within which a cured installment bears no penalty, 0–90.
    #[serde(default)]
    pub grace_days: i64,
    #[serde(default)]
    pub allocation: AllocationOrder,
    #[serde(default)]
    pub fees: Vec<ProductFee>,
    /// A fixed repayment day 1–28 (固定还款日); none keeps the start's day of the month.
    #[serde(default)]
    pub repayment_day: Option<i64>,
    /// A broken first period shorter than this moves the first due date a month later, 0–28.
    #[serde(default = "default_min_first_period_days")]
    pub min_first_period_days: i64,
    /// Balloon share of the principal, 0–1 exclusive; required when `balloon` is allowed.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "0.3")]
    pub balloon_ratio: Option<DecimalString>,
    /// Maximum loan-to-value against the appraised value, 0–1 ("0.7" is 70 %).
    #[schema(value_type = String, example = "0.7")]
    pub max_ltv: DecimalString,
    /// The prepayment fee (提前还款违约金); none when omitted.
    #[serde(default)]
    pub prepayment_fee: Option<PrepaymentFeeRequest>,
    pub collateral_kind: CollateralKind,
    /// Whether a GPS device must be installed before disbursement.
    #[serde(default)]
    pub gps_required: bool,
    /// Flat loans: what payoff interest is computed on (default `remaining`).
    #[serde(default)]
    pub flat_payoff_basis: PayoffBasis,
}

/// A fee as the arithmetic uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeCharge {
    Fixed(Money),
    Percent(Decimal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidFee {
    pub fee_type: FeeType,
    pub charge: FeeCharge,
    pub timing: FeeTiming,
}

impl ValidFee {
    /// The fee on a loan of `principal`.
    pub fn on(&self, principal: Money) -> Money {
        match self.charge {
            FeeCharge::Fixed(amount) => amount,
            FeeCharge::Percent(rate) => principal.times(rate),
        }
    }
}

/// Terms that passed every rule, in `calc`'s types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTerms {
    pub methods: Vec<Method>,
    pub term_months_min: u32,
    pub term_months_max: u32,
    pub amount_min: Money,
    pub amount_max: Money,
    pub rate_min: Rate,
    pub rate_max: Rate,
    pub day_basis: DayBasis,
    pub penalty_multiplier: Decimal,
    pub grace_days: u32,
    pub allocation: AllocationRule,
    pub fees: Vec<ValidFee>,
    pub repayment_day: Option<u32>,
    pub min_first_period_days: u32,
    pub balloon_ratio: Option<Decimal>,
    pub max_ltv: Decimal,
    pub prepayment_fee: PrepaymentFee,
    pub collateral_kind: CollateralKind,
    pub gps_required: bool,
    pub flat_payoff_basis: PayoffBasis,
}

impl ValidTerms {
    /// Fees paid at signing on a loan of `principal`.
    pub fn upfront_fees(&self, principal: Money) -> Money {
        self.fees_at(FeeTiming::AtSigning, principal)
    }

    /// Fees paid with every installment on a loan of `principal`.
    pub fn period_fees(&self, principal: Money) -> Money {
        self.fees_at(FeeTiming::PerPeriod, principal)
    }

    fn fees_at(&self, timing: FeeTiming, principal: Money) -> Money {
        self.fees
            .iter()
            .filter(|f| f.timing == timing)
            .map(|f| f.on(principal))
            .sum()
    }
}

fn amount(field: &str, value: DecimalString, errors: &mut FieldErrors) -> Money {
    match Money::from_decimal(value.0) {
        Ok(m) if m.is_negative() => {
            errors.add(
                field,
                "must_not_be_negative",
                format!("{field} must be 0 or more"),
            );
            Money::ZERO
        }
        Ok(m) => m,
        Err(e) => {
            let message = match e {
                MoneyError::TooManyDecimals => format!("{field} has more than 2 decimal places"),
                MoneyError::NotANumber => format!("{field} is not a number"),
            };
            errors.add(field, e.code(), message);
            Money::ZERO
        }
    }
}

fn rate(field: &str, value: DecimalString, errors: &mut FieldErrors) -> Rate {
    match Rate::annual(value.0) {
        Ok(r) if r.value() > MAX_ANNUAL_RATE => {
            errors.add(
                field,
                "out_of_range",
                format!("{field} is an annual fraction between 0 and 1 (\"0.12\" is 12 %)"),
            );
            Rate::ZERO
        }
        Ok(r) => r,
        Err(e) => {
            errors.add(field, e.code(), format!("{field} is not a valid rate: {e}"));
            Rate::ZERO
        }
    }
}

fn count_in(field: &str, value: i64, low: i64, high: i64, errors: &mut FieldErrors) -> u32 {
    if (low..=high).contains(&value) {
        u32::try_from(value).unwrap_or(0)
    } else {
        errors.add(
            field,
            "out_of_range",
            format!("{field} must be between {low} and {high}"),
        );
        u32::try_from(low).unwrap_or(0)
    }
}

/// A fraction with `low < value ≤ high` (or `low ≤ value` when `low_inclusive`).
fn fraction(
    field: &str,
    value: DecimalString,
    (low, low_inclusive): (Decimal, bool),
    (high, high_inclusive): (Decimal, bool),
    errors: &mut FieldErrors,
) -> Decimal {
    let v = value.0;
    let above = if low_inclusive { v >= low } else { v > low };
    let below = if high_inclusive { v <= high } else { v < high };
    if above && below {
        return v;
    }
    let open = if low_inclusive { "[" } else { "(" };
    let close = if high_inclusive { "]" } else { ")" };
    errors.add(
        field,
        "out_of_range",
        format!("{field} must be in {open}{low}, {high}{close}"),
    );
    low
}

impl ProductTerms {
    /// Checks every rule and fails once, listing every field at fault by its path.
    pub fn validate(&self) -> AppResult<ValidTerms> {
        let mut errors = FieldErrors::new();
        let valid = self.validate_into(&mut errors);
        errors.finish()?;
        Ok(valid)
    }

    /// The terms as they are stored and shown: methods once each, amounts with 2 places.
    pub fn normalized(&self) -> ProductTerms {
        let fen = |d: DecimalString| DecimalString(Money::round(d.0).amount());
        let mut methods = Vec::new();
        for m in &self.methods {
            if !methods.contains(m) {
                methods.push(*m);
            }
        }
        ProductTerms {
            methods,
            amount_min: fen(self.amount_min),
            amount_max: fen(self.amount_max),
            fees: self
                .fees
                .iter()
                .map(|f| ProductFee {
                    amount: f.amount.map(fen),
                    ..f.clone()
                })
                .collect(),
            prepayment_fee: self.prepayment_fee.clone().map(|p| PrepaymentFeeRequest {
                cap: p.cap.map(fen),
                ..p
            }),
            ..self.clone()
        }
    }

    /// Adds one field error per broken rule, so a caller can merge its own; the result is only
    /// meaningful when no error was added.
    pub fn validate_into(&self, errors: &mut FieldErrors) -> ValidTerms {
        let methods = self.check_methods(errors);
        let max_term = i64::from(MAX_TERM_MONTHS);
        let term_min = count_in("termMonthsMin", self.term_months_min, 1, max_term, errors);
        let term_max = count_in("termMonthsMax", self.term_months_max, 1, max_term, errors);
        if self.term_months_min > self.term_months_max {
            errors.add(
                "termMonthsMax",
                "less_than_min",
                "termMonthsMax must not be less than termMonthsMin",
            );
        }
        let (amount_min, amount_max) = self.check_amounts(errors);
        let rate_min = rate("rateMin", self.rate_min, errors);
        let rate_max = rate("rateMax", self.rate_max, errors);
        if rate_min > rate_max {
            errors.add(
                "rateMax",
                "less_than_min",
                "rateMax must not be less than rateMin",
            );
        }
        let day_basis = DayBasis::from_days(self.day_basis).unwrap_or_else(|| {
            errors.add("dayBasis", "out_of_range", "dayBasis is 360 or 365");
            DayBasis::Days360
        });
        let penalty_multiplier = fraction(
            "penaltyMultiplier",
            self.penalty_multiplier,
            (Decimal::ONE, true),
            (Decimal::TWO, true),
            errors,
        );
        let grace_days = count_in("graceDays", self.grace_days, 0, MAX_GRACE_DAYS, errors);
        let allocation = self.check_allocation(errors);
        let fees = self.check_fees(errors);
        let repayment_day = self
            .repayment_day
            .map(|d| count_in("repaymentDay", d, 1, 28, errors));
        let min_first_period_days = count_in(
            "minFirstPeriodDays",
            self.min_first_period_days,
            0,
            28,
            errors,
        );
        let balloon_ratio = self.check_balloon(&methods, errors);
        let max_ltv = fraction(
            "maxLtv",
            self.max_ltv,
            (Decimal::ZERO, false),
            (Decimal::ONE, true),
            errors,
        );
        let prepayment_fee = self
            .prepayment_fee
            .as_ref()
            .map(|p| p.rule(errors))
            .unwrap_or_default();
        ValidTerms {
            methods,
            term_months_min: term_min,
            term_months_max: term_max,
            amount_min,
            amount_max,
            rate_min,
            rate_max,
            day_basis,
            penalty_multiplier,
            grace_days,
            allocation,
            fees,
            repayment_day,
            min_first_period_days,
            balloon_ratio,
            max_ltv,
            prepayment_fee,
            collateral_kind: self.collateral_kind,
            gps_required: self.gps_required,
            flat_payoff_basis: self.flat_payoff_basis,
        }
    }

    fn check_methods(&self, errors: &mut FieldErrors) -> Vec<Method> {
        if self.methods.is_empty() {
            errors.add("methods", "required", "allow at least one repayment method");
        }
        let mut methods = Vec::new();
        for (i, m) in self.methods.iter().enumerate() {
            if methods.contains(m) {
                errors.add(
                    format!("methods[{i}]"),
                    "duplicate",
                    "each method is listed once",
                );
            } else {
                methods.push(*m);
            }
        }
        methods
    }

    fn check_amounts(&self, errors: &mut FieldErrors) -> (Money, Money) {
        let min = amount("amountMin", self.amount_min, errors);
        let max = amount("amountMax", self.amount_max, errors);
        if self.amount_min.0 <= Decimal::ZERO {
            errors.add(
                "amountMin",
                "must_be_positive",
                "amountMin must be greater than 0",
            );
        }
        if self.amount_max.0 > MAX_PRINCIPAL {
            errors.add(
                "amountMax",
                "out_of_range",
                format!("amountMax must be at most {MAX_PRINCIPAL}"),
            );
        } else if self.amount_min.0 > self.amount_max.0 {
            errors.add(
                "amountMax",
                "less_than_min",
                "amountMax must not be less than amountMin",
            );
        }
        (min, max)
    }

    fn check_allocation(&self, errors: &mut FieldErrors) -> AllocationRule {
        let given = &self.allocation.components;
        let complete = given.len() == 5
            && AllocationOrder::default()
                .components
                .iter()
                .all(|c| given.contains(c));
        if !complete {
            errors.add(
                "allocation.components",
                "invalid_order",
                "list fees, penalty, compound, interest and principal, each once",
            );
            return AllocationRule::default();
        }
        let mut components = Component::DEFAULT_ORDER;
        for (slot, c) in components.iter_mut().zip(given) {
            *slot = c.component();
        }
        AllocationRule {
            components,
            installment_by_installment: self.allocation.installment_by_installment,
        }
    }

    fn check_fees(&self, errors: &mut FieldErrors) -> Vec<ValidFee> {
        let mut fees = Vec::new();
        for (i, fee) in self.fees.iter().enumerate() {
            let charge = match fee.basis {
                FeeBasis::Fixed => {
                    if fee.rate.is_some() {
                        errors.add(
                            format!("fees[{i}].rate"),
                            "not_applicable",
                            "a fixed fee has an amount, not a rate",
                        );
                    }
                    match fee.amount {
                        Some(a) => {
                            FeeCharge::Fixed(amount(&format!("fees[{i}].amount"), a, errors))
                        }
                        None => {
                            errors.add(
                                format!("fees[{i}].amount"),
                                "required",
                                "a fixed fee needs an amount, e.g. \"1500.00\"",
                            );
                            FeeCharge::Fixed(Money::ZERO)
                        }
                    }
                }
                FeeBasis::Percent => {
                    if fee.amount.is_some() {
                        errors.add(
                            format!("fees[{i}].amount"),
                            "not_applicable",
                            "a percentage fee has a rate, not an amount",
                        );
                    }
                    match fee.rate {
                        Some(r) => FeeCharge::Percent(fraction(
                            &format!("fees[{i}].rate"),
                            r,
                            (Decimal::ZERO, true),
                            (Decimal::ONE, false),
                            errors,
                        )),
                        None => {
                            errors.add(
                                format!("fees[{i}].rate"),
                                "required",
                                "a percentage fee needs a rate, e.g. \"0.02\"",
                            );
                            FeeCharge::Percent(Decimal::ZERO)
                        }
                    }
                }
            };
            fees.push(ValidFee {
                fee_type: fee.fee_type,
                charge,
                timing: fee.timing,
            });
        }
        fees
    }

    fn check_balloon(&self, methods: &[Method], errors: &mut FieldErrors) -> Option<Decimal> {
        let balloon = methods.contains(&Method::Balloon);
        match self.balloon_ratio {
            None if balloon => {
                errors.add(
                    "balloonRatio",
                    "required",
                    "a balloon method needs balloonRatio, e.g. \"0.3\"",
                );
                None
            }
            None => None,
            Some(_) if !balloon => {
                errors.add(
                    "balloonRatio",
                    "not_applicable",
                    "balloonRatio applies to balloon loans only; leave it out",
                );
                None
            }
            Some(r) => Some(fraction(
                "balloonRatio",
                r,
                (Decimal::ZERO, false),
                (Decimal::ONE, false),
                errors,
            )),
        }
    }
}

/// The API name of a method (`equal_installment` …), for messages.
pub fn method_name(method: Method) -> &'static str {
    match method {
        Method::EqualInstallment => "equal_installment",
        Method::EqualPrincipal => "equal_principal",
        Method::InterestOnly => "interest_only",
        Method::Flat => "flat",
        Method::Bullet => "bullet",
        Method::Balloon => "balloon",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use kernel::FieldError;
    use serde_json::json;

    /// A 车抵贷 product that passes every rule.
    pub fn sample() -> serde_json::Value {
        json!({
            "methods": ["equal_installment", "interest_only"],
            "termMonthsMin": 12, "termMonthsMax": 36,
            "amountMin": "20000", "amountMax": "500000",
            "rateMin": "0.12", "rateMax": "0.18",
            "fees": [{"type": "gps", "basis": "fixed", "timing": "at_signing", "amount": "1500"}],
            "maxLtv": "0.7", "collateralKind": "mortgage", "gpsRequired": true
        })
    }

    fn terms(value: serde_json::Value) -> ProductTerms {
        serde_json::from_value(value).unwrap()
    }

    fn fields(value: serde_json::Value) -> Vec<(String, String)> {
        let err = terms(value).validate().unwrap_err();
        err.field_errors
            .into_iter()
            .map(|FieldError { field, code, .. }| (field, code.into_owned()))
            .collect()
    }

    #[test]
    fn a_sound_product_validates_with_defaults() {
        let t = terms(sample()).validate().unwrap();
        assert_eq!(t.day_basis, DayBasis::Days360);
        assert_eq!(t.penalty_multiplier, Decimal::new(15, 1));
        assert_eq!(t.upfront_fees(Money::yuan(100_000)), Money::yuan(1500));
        assert_eq!(t.period_fees(Money::yuan(100_000)), Money::ZERO);
        assert_eq!(t.allocation, AllocationRule::default());
        let n = terms(sample()).normalized();
        assert_eq!(n.amount_min.0.to_string(), "20000.00");
        assert_eq!(n.fees[0].amount.unwrap().0.to_string(), "1500.00");
    }

    #[test]
    fn every_broken_rule_is_named_by_its_path() {
        let mut v = sample();
        v["methods"] = json!(["flat", "flat"]);
        v["termMonthsMin"] = json!(40);
        v["amountMax"] = json!("100.001");
        v["penaltyMultiplier"] = json!("2.5");
        v["dayBasis"] = json!(366);
        v["fees"] = json!([
            {"type": "gps", "basis": "fixed", "timing": "at_signing", "amount": "1500"},
            {"type": "service", "basis": "percent", "timing": "per_period", "rate": "1.5"},
            {"type": "consulting", "basis": "percent", "timing": "at_signing"}
        ]);
        v["maxLtv"] = json!("0");
        v["allocation"] =
            json!({"components": ["fees", "fees", "interest", "principal", "penalty"]});
        v["balloonRatio"] = json!("0.3");
        v["prepaymentFee"] = json!({"kind": "months_interest"});
        let got = fields(v);
        let expected: Vec<(String, String)> = [
            ("methods[1]", "duplicate"),
            ("termMonthsMax", "less_than_min"),
            ("amountMax", "too_many_decimals"),
            ("amountMax", "less_than_min"),
            ("dayBasis", "out_of_range"),
            ("penaltyMultiplier", "out_of_range"),
            ("allocation.components", "invalid_order"),
            ("fees[1].rate", "out_of_range"),
            ("fees[2].rate", "required"),
            ("balloonRatio", "not_applicable"),
            ("maxLtv", "out_of_range"),
            ("prepaymentFee.months", "required"),
        ]
        .into_iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_balloon_needs_its_ratio_and_ranges_must_be_ordered() {
        let mut v = sample();
        v["methods"] = json!(["balloon"]);
        v["rateMin"] = json!("0.2");
        v["rateMax"] = json!("0.1");
        v["amountMin"] = json!("0");
        assert_eq!(
            fields(v),
            vec![
                ("amountMin".to_string(), "must_be_positive".to_string()),
                ("rateMax".to_string(), "less_than_min".to_string()),
                ("balloonRatio".to_string(), "required".to_string()),
            ]
        );
    }
}
