//! Rate caps on the disclosed APR, RULES.md §5: refuse above the hard cap (24 %), warn above
//! 4 × the one-year LPR (贷款市场报价利率) in force on the contract date. Both compare the
//! simple APR rounded to 2 places, strictly greater than the cap. Caps and the LPR table are
//! configurable and dated; [`ONE_YEAR_LPR`] is the default table.

use kernel::round_half_up;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;
use utoipa::ToSchema;

/// A one-year LPR in force from `effective`, as a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LprEntry {
    pub effective: Date,
    pub rate_pct: Decimal,
}

const fn lpr(effective: Date, basis_points: i64) -> LprEntry {
    LprEntry {
        effective,
        rate_pct: Decimal::from_parts(basis_points as u32, 0, 0, false, 2),
    }
}

/// The one-year LPR since the reform of 2019-08-20, each change on its announcement date
/// (published by the National Interbank Funding Center). Add a row when it changes.
pub const ONE_YEAR_LPR: &[LprEntry] = &[
    lpr(date!(2019 - 08 - 20), 425),
    lpr(date!(2019 - 09 - 20), 420),
    lpr(date!(2019 - 11 - 20), 415),
    lpr(date!(2020 - 02 - 20), 405),
    lpr(date!(2020 - 04 - 20), 385),
    lpr(date!(2021 - 12 - 20), 380),
    lpr(date!(2022 - 01 - 20), 370),
    lpr(date!(2022 - 08 - 22), 365),
    lpr(date!(2023 - 06 - 20), 355),
    lpr(date!(2023 - 08 - 21), 345),
    lpr(date!(2024 - 07 - 22), 335),
    lpr(date!(2024 - 10 - 21), 310),
    lpr(date!(2025 - 05 - 20), 300),
];

/// The LPR in force on `date` in `table` (sorted by date), if the table reaches back that far.
pub fn lpr_on(table: &[LprEntry], date: Date) -> Option<LprEntry> {
    table.iter().rev().find(|e| e.effective <= date).copied()
}

/// The caps a company applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapPolicy<'a> {
    /// Refused above this percent (24.00).
    pub hard_cap_pct: Decimal,
    /// Warned above this multiple of the LPR (4).
    pub lpr_multiple: Decimal,
    pub lpr_table: &'a [LprEntry],
}

impl Default for CapPolicy<'static> {
    fn default() -> Self {
        CapPolicy {
            hard_cap_pct: Decimal::new(2400, 2),
            lpr_multiple: Decimal::from(4),
            lpr_table: ONE_YEAR_LPR,
        }
    }
}

/// The verdict of the cap check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CapStatus {
    Ok,
    /// Above 4 × LPR: allowed, but disclose and review.
    Warning,
    /// Above the hard cap: the loan cannot be made.
    Refused,
}

/// Why the status is what it is: `above_hard_cap`, `above_lpr_cap`, or the note
/// `lpr_not_available` when the table does not reach back to the contract date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CapReason {
    #[schema(example = "above_lpr_cap")]
    pub code: String,
    pub message: String,
}

/// The cap check of one APR, in the calculator's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapCheck {
    pub status: CapStatus,
    /// The simple APR rounded half-up to 2 places: the figure compared with the caps.
    #[schema(value_type = String, example = "12.80")]
    #[serde(rename = "aprSimplePct2dp")]
    pub apr_simple_pct_2dp: Decimal,
    #[schema(value_type = String, example = "24.00")]
    pub hard_cap_pct: Decimal,
    /// The one-year LPR on the contract date.
    #[schema(value_type = Option<String>, example = "3.00")]
    pub lpr_pct: Option<Decimal>,
    #[schema(value_type = Option<String>, example = "2025-05-20")]
    pub lpr_effective_date: Option<Date>,
    /// lprPct × 4.
    #[schema(value_type = Option<String>, example = "12.00")]
    pub lpr_cap_pct: Option<Decimal>,
    pub reasons: Vec<CapReason>,
}

fn two_places(value: Decimal) -> Decimal {
    let mut v = round_half_up(value, 2);
    v.rescale(2);
    v
}

/// Checks `apr_simple_pct` (a percent, any places) for a contract dated `contract_date`.
pub fn check(apr_simple_pct: Decimal, contract_date: Date, policy: &CapPolicy) -> CapCheck {
    let apr = two_places(apr_simple_pct);
    let hard = two_places(policy.hard_cap_pct);
    let lpr = lpr_on(policy.lpr_table, contract_date);
    let lpr_cap = lpr.map(|e| two_places(e.rate_pct * policy.lpr_multiple));
    let mut reasons = Vec::new();
    let mut status = CapStatus::Ok;
    if apr > hard {
        status = CapStatus::Refused;
        reasons.push(CapReason {
            code: "above_hard_cap".into(),
            message: format!(
                "the simple APR {apr} % is above the {hard} % cap: the loan cannot be made"
            ),
        });
    }
    match lpr_cap {
        Some(cap) if apr > cap => {
            if status == CapStatus::Ok {
                status = CapStatus::Warning;
            }
            reasons.push(CapReason {
                code: "above_lpr_cap".into(),
                message: format!(
                    "the simple APR {apr} % is above {} × the one-year LPR ({cap} %)",
                    policy.lpr_multiple
                ),
            });
        }
        Some(_) => {}
        None => reasons.push(CapReason {
            code: "lpr_not_available".into(),
            message: format!(
                "no one-year LPR is on record for {contract_date}; only the hard cap was checked"
            ),
        }),
    }
    CapCheck {
        status,
        apr_simple_pct_2dp: apr,
        hard_cap_pct: hard,
        lpr_pct: lpr.map(|e| two_places(e.rate_pct)),
        lpr_effective_date: lpr.map(|e| e.effective),
        lpr_cap_pct: lpr_cap,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn caps_compare_two_places_strictly() {
        let p = CapPolicy::default();
        let d = date!(2026 - 01 - 31);
        assert_eq!(check(dec!(12.0049), d, &p).status, CapStatus::Ok);
        assert_eq!(check(dec!(12.0050), d, &p).status, CapStatus::Warning);
        assert_eq!(check(dec!(24.0049), d, &p).status, CapStatus::Warning);
        let refused = check(dec!(24.0050), d, &p);
        assert_eq!(refused.status, CapStatus::Refused);
        assert_eq!(refused.reasons.len(), 2);
        assert_eq!(refused.lpr_cap_pct, Some(dec!(12.00)));
    }

    #[test]
    fn the_lpr_in_force_on_the_contract_date_applies() {
        let p = CapPolicy::default();
        let before = check(dec!(12.40), date!(2025 - 05 - 19), &p);
        assert_eq!(before.lpr_pct, Some(dec!(3.10)));
        assert_eq!(before.status, CapStatus::Ok);
        assert_eq!(
            check(dec!(12.40), date!(2025 - 05 - 20), &p).status,
            CapStatus::Warning
        );
        let old = check(dec!(12.50), date!(2019 - 01 - 01), &p);
        assert_eq!(old.lpr_pct, None);
        assert_eq!(old.reasons[0].code, "lpr_not_available");
    }
}
