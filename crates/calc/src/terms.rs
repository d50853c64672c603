//! The terms a schedule is drawn from (贷款条件), with the range checks RULES.md §1–2 set.
//!
//! Field names in errors are the camelCase names the calculator API and the product screens use
//! (`termMonths`, `balloonRatio`), so a caller can pass them on unchanged.

use kernel::error::FieldErrors;
use kernel::{AppResult, Money, Rate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

/// The longest term a loan may have, in months.
pub const MAX_TERM_MONTHS: u32 = 360;
/// The highest annual rate the arithmetic accepts (100 %). Far above any legal loan; it keeps
/// `(1 + r)^n` inside Decimal's range for 360 periods.
pub const MAX_ANNUAL_RATE: Decimal = Decimal::ONE;
/// The largest principal accepted (1,000,000,000 yuan), so every intermediate product fits.
pub const MAX_PRINCIPAL: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// Default minimum length of a broken first period, in days (RULES.md §2.7).
pub const DEFAULT_MIN_FIRST_PERIOD_DAYS: u32 = 10;

/// How the loan is repaid (还款方式), RULES.md §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 等额本息: the same installment every period (annuity).
    EqualInstallment,
    /// 等额本金: the same principal every period, interest on the balance.
    EqualPrincipal,
    /// 先息后本: interest every period, all principal at maturity.
    InterestOnly,
    /// 等本等息: equal principal, interest on the original principal every period.
    Flat,
    /// 一次性还本付息: principal and interest in one payment at maturity.
    Bullet,
    /// 气球贷: an annuity that leaves a balloon for the last period.
    Balloon,
}

impl Method {
    /// Whether a fixed repayment day (固定还款日) may apply; a bullet has one due date only.
    pub fn allows_repayment_day(self) -> bool {
        self != Method::Bullet
    }
}

/// The divisor of the day rate: i/360 or i/365 (RULES.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DayBasis {
    #[default]
    Days360,
    Days365,
}

impl DayBasis {
    pub fn days(self) -> u32 {
        match self {
            DayBasis::Days360 => 360,
            DayBasis::Days365 => 365,
        }
    }

    /// 360 or 365; anything else is not a basis.
    pub fn from_days(days: i64) -> Option<DayBasis> {
        match days {
            360 => Some(DayBasis::Days360),
            365 => Some(DayBasis::Days365),
            _ => None,
        }
    }

    pub fn as_decimal(self) -> Decimal {
        Decimal::from(self.days())
    }
}

/// How a bullet loan counts its interest (RULES.md §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulletInterest {
    /// round(P·r·n): whole months.
    #[default]
    Months,
    /// round(P·i·days/basis): actual days from start to maturity.
    Days,
}

/// Everything a schedule depends on. Build it, then [`crate::schedule::generate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanTerms {
    pub method: Method,
    pub principal: Money,
    pub annual_rate: Rate,
    pub term_months: u32,
    /// The value date (起息日): interest runs from here.
    pub start_date: Date,
    /// A fixed repayment day 1–28 (固定还款日); `None` keeps the start's day (对月对日).
    pub repayment_day: Option<u32>,
    pub day_basis: DayBasis,
    /// Balloon share of the principal, 0 < ratio < 1; required for balloon loans only.
    pub balloon_ratio: Option<Decimal>,
    pub bullet_interest: BulletInterest,
    /// A broken first period shorter than this moves the first due date a month later.
    pub min_first_period_days: u32,
}

impl LoanTerms {
    /// Terms with the RULES.md defaults: anniversary due dates, basis 360, bullet by months.
    pub fn new(
        method: Method,
        principal: Money,
        annual_rate: Rate,
        term_months: u32,
        start_date: Date,
    ) -> LoanTerms {
        LoanTerms {
            method,
            principal,
            annual_rate,
            term_months,
            start_date,
            repayment_day: None,
            day_basis: DayBasis::Days360,
            balloon_ratio: None,
            bullet_interest: BulletInterest::Months,
            min_first_period_days: DEFAULT_MIN_FIRST_PERIOD_DAYS,
        }
    }

    /// The month rate r = i/12, unrounded.
    pub fn monthly_rate(&self) -> Decimal {
        self.annual_rate.monthly()
    }

    /// Checks every range rule and fails once listing all fields at fault.
    pub fn validate(&self) -> AppResult<()> {
        let mut errors = FieldErrors::new();
        self.validate_into(&mut errors);
        errors.finish()
    }

    /// Adds one field error per broken rule, so a caller can merge its own parse errors.
    pub fn validate_into(&self, errors: &mut FieldErrors) {
        if !self.principal.is_positive() {
            errors.add(
                "principal",
                "must_be_positive",
                "principal must be greater than 0",
            );
        } else if self.principal.amount() > MAX_PRINCIPAL {
            errors.add(
                "principal",
                "out_of_range",
                format!("principal must be at most {MAX_PRINCIPAL}"),
            );
        }
        if self.annual_rate.value() > MAX_ANNUAL_RATE {
            errors.add(
                "annualRate",
                "out_of_range",
                "annualRate is a decimal fraction between 0 and 1 (\"0.12\" is 12 %)",
            );
        }
        if !(1..=MAX_TERM_MONTHS).contains(&self.term_months) {
            errors.add(
                "termMonths",
                "out_of_range",
                format!("termMonths must be between 1 and {MAX_TERM_MONTHS}"),
            );
        }
        self.validate_repayment_day(errors);
        self.validate_balloon(errors);
    }

    fn validate_repayment_day(&self, errors: &mut FieldErrors) {
        let Some(day) = self.repayment_day else {
            return;
        };
        if !self.method.allows_repayment_day() {
            errors.add(
                "repaymentDay",
                "not_applicable",
                "a bullet loan has a single due date; leave repaymentDay out",
            );
        } else if !(1..=28).contains(&day) {
            errors.add(
                "repaymentDay",
                "out_of_range",
                "repaymentDay must be between 1 and 28 so every month has it",
            );
        }
        if self.min_first_period_days > 28 {
            errors.add(
                "minFirstPeriodDays",
                "out_of_range",
                "minFirstPeriodDays must be between 0 and 28",
            );
        }
    }

    fn validate_balloon(&self, errors: &mut FieldErrors) {
        match (self.method, self.balloon_ratio) {
            (Method::Balloon, None) => errors.add(
                "balloonRatio",
                "required",
                "a balloon loan needs balloonRatio, e.g. \"0.3\" for a 30 % balloon",
            ),
            (Method::Balloon, Some(ratio)) if ratio <= Decimal::ZERO || ratio >= Decimal::ONE => {
                errors.add(
                    "balloonRatio",
                    "out_of_range",
                    "balloonRatio must be greater than 0 and less than 1",
                )
            }
            (Method::Balloon, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.add(
                "balloonRatio",
                "not_applicable",
                "balloonRatio applies to balloon loans only; leave it out",
            ),
        }
    }
}
