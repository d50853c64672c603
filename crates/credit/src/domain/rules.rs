//! The rule set (风控规则) and scorecard (评分卡) as administrators edit them. A rule set is one
//! JSON document; every saved edit becomes a new, immutable version.

use kernel::error::FieldErrors;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a rule checks (规则).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleCode {
    /// Age on the screening date within `min`..=`max` years (年龄).
    Age,
    /// No blacklist entry in force matches the customer (黑名单).
    Blacklist,
    /// At most `max` applications in the last `windowDays` days (多头申请).
    RecentApplications,
    /// (existing monthly debt + new installment) / monthly income at most `max` (负债收入比).
    DebtToIncome,
    /// Loan amount / vehicle value at most `max` (抵押率).
    LoanToValue,
    /// No overdue loan with us (本机构逾期).
    ExistingOverdue,
    /// An enterprise founded at least `min` months ago (成立年限).
    EnterpriseAge,
    /// Not on the court enforcement list (法院被执行人).
    CourtEnforcement,
}

/// What a rule does when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    /// Send to a person (人工审核).
    Review,
    /// Refuse (拒绝).
    Reject,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub code: RuleCode,
    pub enabled: bool,
    pub action: RuleAction,
    /// Lower bound, where the rule has one (age in years, enterprise age in months).
    pub min: Option<Decimal>,
    /// Upper bound, where the rule has one (age, count, ratio).
    pub max: Option<Decimal>,
    /// The look-back window of `recent_applications`.
    pub window_days: Option<u32>,
}

/// An attribute the scorecard scores (评分项).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Age,
    MonthlyIncome,
    DebtToIncome,
    LoanToValue,
    BureauScore,
    RecentApplications,
}

/// Points for values in `[from, to)`; an open end is unbounded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Band {
    pub from: Option<Decimal>,
    pub to: Option<Decimal>,
    pub points: i32,
}

impl Band {
    pub fn contains(&self, value: Decimal) -> bool {
        self.from.is_none_or(|f| value >= f) && self.to.is_none_or(|t| value < t)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Characteristic {
    pub attribute: Attribute,
    pub bands: Vec<Band>,
}

/// A score at or above `minScore` earns `grade` (the highest that applies wins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GradeBand {
    pub min_score: i32,
    pub grade: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Scorecard {
    pub base_points: i32,
    pub characteristics: Vec<Characteristic>,
    pub grades: Vec<GradeBand>,
    /// At or above: pass (on the score alone).
    pub pass_score: i32,
    /// At or above (and below `passScore`): manual review; below: reject.
    pub review_score: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub scorecard: Scorecard,
}

fn rule(code: RuleCode, action: RuleAction) -> Rule {
    Rule {
        code,
        enabled: true,
        action,
        min: None,
        max: None,
        window_days: None,
    }
}

fn band(from: Option<Decimal>, to: Option<Decimal>, points: i32) -> Band {
    Band { from, to, points }
}

impl Default for RuleSet {
    /// The rule set in force until an administrator saves one.
    fn default() -> RuleSet {
        use Attribute as A;
        use RuleAction::{Reject, Review};
        use RuleCode as R;
        RuleSet {
            rules: vec![
                Rule {
                    min: Some(dec!(18)),
                    max: Some(dec!(65)),
                    ..rule(R::Age, Reject)
                },
                rule(R::Blacklist, Reject),
                Rule {
                    max: Some(dec!(3)),
                    window_days: Some(30),
                    ..rule(R::RecentApplications, Review)
                },
                Rule {
                    max: Some(dec!(0.55)),
                    ..rule(R::DebtToIncome, Reject)
                },
                Rule {
                    max: Some(dec!(0.80)),
                    ..rule(R::LoanToValue, Review)
                },
                rule(R::ExistingOverdue, Reject),
                Rule {
                    min: Some(dec!(24)),
                    ..rule(R::EnterpriseAge, Review)
                },
                rule(R::CourtEnforcement, Reject),
            ],
            scorecard: Scorecard {
                base_points: 600,
                characteristics: vec![
                    Characteristic {
                        attribute: A::Age,
                        bands: vec![
                            band(None, Some(dec!(25)), -20),
                            band(Some(dec!(25)), Some(dec!(45)), 40),
                            band(Some(dec!(45)), Some(dec!(60)), 20),
                            band(Some(dec!(60)), None, -30),
                        ],
                    },
                    Characteristic {
                        attribute: A::MonthlyIncome,
                        bands: vec![
                            band(None, Some(dec!(5000)), -40),
                            band(Some(dec!(5000)), Some(dec!(10000)), 0),
                            band(Some(dec!(10000)), Some(dec!(20000)), 30),
                            band(Some(dec!(20000)), None, 50),
                        ],
                    },
                    Characteristic {
                        attribute: A::DebtToIncome,
                        bands: vec![
                            band(None, Some(dec!(0.3)), 40),
                            band(Some(dec!(0.3)), Some(dec!(0.5)), 0),
                            band(Some(dec!(0.5)), None, -60),
                        ],
                    },
                    Characteristic {
                        attribute: A::LoanToValue,
                        bands: vec![
                            band(None, Some(dec!(0.5)), 40),
                            band(Some(dec!(0.5)), Some(dec!(0.7)), 10),
                            band(Some(dec!(0.7)), None, -40),
                        ],
                    },
                    Characteristic {
                        attribute: A::BureauScore,
                        bands: vec![
                            band(None, Some(dec!(550)), -80),
                            band(Some(dec!(550)), Some(dec!(650)), 0),
                            band(Some(dec!(650)), Some(dec!(750)), 30),
                            band(Some(dec!(750)), None, 60),
                        ],
                    },
                ],
                grades: vec![
                    GradeBand {
                        min_score: 700,
                        grade: "A".into(),
                    },
                    GradeBand {
                        min_score: 640,
                        grade: "B".into(),
                    },
                    GradeBand {
                        min_score: 580,
                        grade: "C".into(),
                    },
                    GradeBand {
                        min_score: i32::MIN,
                        grade: "D".into(),
                    },
                ],
                pass_score: 640,
                review_score: 580,
            },
        }
    }
}

impl RuleSet {
    /// Checks the rule set is coherent, naming each field at fault.
    pub fn check(&self) -> kernel::AppResult<()> {
        let mut errors = FieldErrors::new();
        let mut seen = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            let at = |f: &str| format!("ruleSet.rules[{i}].{f}");
            if seen.contains(&r.code) {
                errors.add(at("code"), "duplicate", "each rule appears once");
            }
            seen.push(r.code);
            let needs_min = matches!(r.code, RuleCode::Age | RuleCode::EnterpriseAge);
            let needs_max = matches!(
                r.code,
                RuleCode::Age
                    | RuleCode::RecentApplications
                    | RuleCode::DebtToIncome
                    | RuleCode::LoanToValue
            );
            if needs_min && r.min.is_none() {
                errors.add(at("min"), "required", "this rule needs a lower bound");
            }
            if needs_max && r.max.is_none() {
                errors.add(at("max"), "required", "this rule needs an upper bound");
            }
            if r.min.is_some_and(|m| m.is_sign_negative())
                || r.max.is_some_and(|m| m.is_sign_negative())
            {
                errors.add(at("max"), "negative", "bounds cannot be negative");
            }
            if let (Some(min), Some(max)) = (r.min, r.max)
                && min > max
            {
                errors.add(
                    at("max"),
                    "below_min",
                    "the upper bound is below the lower one",
                );
            }
            if r.code == RuleCode::RecentApplications
                && !r.window_days.is_some_and(|d| (1..=3650).contains(&d))
            {
                errors.add(at("windowDays"), "out_of_range", "look back 1 to 3650 days");
            }
        }
        let card = &self.scorecard;
        for (i, c) in card.characteristics.iter().enumerate() {
            for (j, b) in c.bands.iter().enumerate() {
                if let (Some(from), Some(to)) = (b.from, b.to)
                    && from >= to
                {
                    errors.add(
                        format!("ruleSet.scorecard.characteristics[{i}].bands[{j}].to"),
                        "below_from",
                        "a band ends after it starts",
                    );
                }
            }
        }
        if card.review_score > card.pass_score {
            errors.add(
                "ruleSet.scorecard.reviewScore",
                "above_pass",
                "the review score cannot be above the pass score",
            );
        }
        if card.grades.is_empty() {
            errors.add(
                "ruleSet.scorecard.grades",
                "required",
                "give at least one grade",
            );
        }
        errors.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_rule_set_is_coherent_and_bands_are_half_open() {
        RuleSet::default().check().unwrap();
        let b = band(Some(dec!(25)), Some(dec!(45)), 1);
        assert!(b.contains(dec!(25)) && b.contains(dec!(44.99)) && !b.contains(dec!(45)));
    }

    #[test]
    fn an_incoherent_rule_set_names_its_fields() {
        let mut set = RuleSet::default();
        set.rules[0].max = Some(dec!(10));
        set.rules[2].window_days = None;
        set.scorecard.review_score = 700;
        let e = set.check().unwrap_err();
        let fields: Vec<_> = e.field_errors.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"ruleSet.rules[0].max"));
        assert!(fields.contains(&"ruleSet.rules[2].windowDays"));
        assert!(fields.contains(&"ruleSet.scorecard.reviewScore"));
    }
}
