//! Turns the facts gathered about a customer and a requested loan into a decision with every
//! reason: each enabled rule that fails, each fact that could not be had, and the score.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::{Attribute, RuleAction, RuleCode, RuleSet};

/// What is known at screening time. `None` means the fact could not be had (a provider failed,
/// the customer has no income on record …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Facts {
    pub is_enterprise: bool,
    pub age_years: Option<i32>,
    /// Reasons of the blacklist entries in force that match.
    pub blacklist_hits: Vec<String>,
    /// Applications (screenings) in each rule's window before this one.
    pub recent_applications: Option<u32>,
    pub monthly_income: Option<Decimal>,
    /// Existing monthly debt payments plus the new loan's estimated installment.
    pub monthly_debt_with_new: Option<Decimal>,
    pub loan_amount: Decimal,
    pub vehicle_value: Option<Decimal>,
    pub existing_overdue: Option<bool>,
    pub enterprise_age_months: Option<i32>,
    pub court_enforcement: Option<bool>,
    pub bureau_score: Option<i32>,
    /// External providers that did not answer (timed out, failed, not configured).
    pub unavailable_providers: Vec<String>,
}

impl Facts {
    pub fn debt_to_income(&self) -> Option<Decimal> {
        match (self.monthly_debt_with_new, self.monthly_income) {
            (Some(debt), Some(income)) if income > Decimal::ZERO => {
                Some((debt / income).round_dp_with_strategy(
                    4,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                ))
            }
            _ => None,
        }
    }

    pub fn loan_to_value(&self) -> Option<Decimal> {
        match self.vehicle_value {
            Some(v) if v > Decimal::ZERO => {
                Some((self.loan_amount / v).round_dp_with_strategy(
                    4,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                ))
            }
            _ => None,
        }
    }

    fn attribute(&self, a: Attribute) -> Option<Decimal> {
        match a {
            Attribute::Age => self.age_years.map(Decimal::from),
            Attribute::MonthlyIncome => self.monthly_income,
            Attribute::DebtToIncome => self.debt_to_income(),
            Attribute::LoanToValue => self.loan_to_value(),
            Attribute::BureauScore => self.bureau_score.map(Decimal::from),
            Attribute::RecentApplications => self.recent_applications.map(Decimal::from),
        }
    }
}

/// The suggestion (建议).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pass,
    ManualReview,
    Reject,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pass => "pass",
            Decision::ManualReview => "manual_review",
            Decision::Reject => "reject",
        }
    }
}

/// One reason behind the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The rule (`age`, `debt_to_income` …), `score`, or `data_unavailable:<fact>`.
    pub code: String,
    /// What it pushed the decision to.
    pub effect: Decision,
    pub message: String,
    /// The value found, as text.
    pub value: Option<String>,
    /// The bound it was held against.
    pub threshold: Option<String>,
}

/// The points one attribute earned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScoreLine {
    pub attribute: Attribute,
    pub value: Option<String>,
    pub points: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub decision: Decision,
    pub score: i32,
    pub grade: String,
    pub reasons: Vec<Reason>,
    pub score_lines: Vec<ScoreLine>,
}

fn action_effect(a: RuleAction) -> Decision {
    match a {
        RuleAction::Review => Decision::ManualReview,
        RuleAction::Reject => Decision::Reject,
    }
}

fn text(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.normalize().to_string())
}

/// Applies `set` to `facts`.
pub fn evaluate(set: &RuleSet, facts: &Facts) -> Outcome {
    let mut reasons = Vec::new();
    for rule in set.rules.iter().filter(|r| r.enabled) {
        let fail = |message: &str, value: Option<String>, threshold: Option<String>| Reason {
            code: code_of(rule.code).into(),
            effect: action_effect(rule.action),
            message: message.into(),
            value,
            threshold,
        };
        let missing = |fact: &str| Reason {
            code: format!("data_unavailable:{fact}"),
            effect: Decision::ManualReview,
            message: format!("{fact} could not be established; a person must check it"),
            value: None,
            threshold: None,
        };
        match rule.code {
            RuleCode::Age if !facts.is_enterprise => match facts.age_years {
                Some(age) => {
                    let age = Decimal::from(age);
                    if rule.min.is_some_and(|m| age < m) || rule.max.is_some_and(|m| age > m) {
                        reasons.push(fail(
                            "age outside the allowed bounds",
                            text(Some(age)),
                            Some(format!(
                                "{}–{}",
                                text(rule.min).unwrap_or_default(),
                                text(rule.max).unwrap_or_default()
                            )),
                        ));
                    }
                }
                None => reasons.push(missing("age")),
            },
            RuleCode::Blacklist => {
                for hit in &facts.blacklist_hits {
                    reasons.push(fail(&format!("blacklisted: {hit}"), None, None));
                }
            }
            RuleCode::RecentApplications => match facts.recent_applications {
                Some(n) if rule.max.is_some_and(|m| Decimal::from(n) > m) => reasons.push(fail(
                    &format!(
                        "too many applications in the last {} days",
                        rule.window_days.unwrap_or(0)
                    ),
                    Some(n.to_string()),
                    text(rule.max),
                )),
                Some(_) => {}
                None => reasons.push(missing("recent_applications")),
            },
            RuleCode::DebtToIncome if !facts.is_enterprise => match facts.debt_to_income() {
                Some(r) if rule.max.is_some_and(|m| r > m) => reasons.push(fail(
                    "debt-to-income above the limit",
                    text(Some(r)),
                    text(rule.max),
                )),
                Some(_) => {}
                None => reasons.push(missing("debt_to_income")),
            },
            RuleCode::LoanToValue => match facts.loan_to_value() {
                Some(r) if rule.max.is_some_and(|m| r > m) => reasons.push(fail(
                    "loan-to-value above the limit",
                    text(Some(r)),
                    text(rule.max),
                )),
                Some(_) => {}
                None => reasons.push(missing("vehicle_value")),
            },
            RuleCode::ExistingOverdue => match facts.existing_overdue {
                Some(true) => reasons.push(fail("an existing loan with us is overdue", None, None)),
                Some(false) => {}
                None => reasons.push(missing("existing_overdue")),
            },
            RuleCode::EnterpriseAge if facts.is_enterprise => match facts.enterprise_age_months {
                Some(m) if rule.min.is_some_and(|min| Decimal::from(m) < min) => {
                    reasons.push(fail(
                        "the enterprise is younger than allowed (months)",
                        Some(m.to_string()),
                        text(rule.min),
                    ))
                }
                Some(_) => {}
                None => reasons.push(missing("enterprise_age")),
            },
            RuleCode::CourtEnforcement => match facts.court_enforcement {
                Some(true) => reasons.push(fail("on the court enforcement list", None, None)),
                Some(false) => {}
                None => reasons.push(missing("court_enforcement")),
            },
            // Age and debt-to-income are for people, enterprise age for enterprises.
            RuleCode::Age | RuleCode::DebtToIncome | RuleCode::EnterpriseAge => {}
        }
    }

    for provider in &facts.unavailable_providers {
        reasons.push(Reason {
            code: format!("provider_unavailable:{provider}"),
            effect: Decision::ManualReview,
            message: format!("the {provider} provider did not answer; a person must check"),
            value: None,
            threshold: None,
        });
    }

    let card = &set.scorecard;
    let mut score = card.base_points;
    let mut score_lines = Vec::new();
    for c in &card.characteristics {
        let value = facts.attribute(c.attribute);
        let points = value
            .and_then(|v| c.bands.iter().find(|b| b.contains(v)))
            .map(|b| b.points)
            .unwrap_or(0);
        score += points;
        score_lines.push(ScoreLine {
            attribute: c.attribute,
            value: text(value),
            points,
        });
    }
    let grade = card
        .grades
        .iter()
        .filter(|g| score >= g.min_score)
        .max_by_key(|g| g.min_score)
        .map(|g| g.grade.clone())
        .unwrap_or_default();
    let by_score = if score >= card.pass_score {
        Decision::Pass
    } else if score >= card.review_score {
        Decision::ManualReview
    } else {
        Decision::Reject
    };
    reasons.push(Reason {
        code: "score".into(),
        effect: by_score,
        message: format!("score {score}, grade {grade}"),
        value: Some(score.to_string()),
        threshold: Some(format!(
            "pass ≥ {}, review ≥ {}",
            card.pass_score, card.review_score
        )),
    });
    let decision = reasons
        .iter()
        .map(|r| r.effect)
        .max()
        .unwrap_or(Decision::Pass);
    Outcome {
        decision,
        score,
        grade,
        reasons,
        score_lines,
    }
}

pub fn code_of(code: RuleCode) -> &'static str {
    match code {
        RuleCode::Age => "age",
        RuleCode::Blacklist => "blacklist",
        RuleCode::RecentApplications => "recent_applications",
        RuleCode::DebtToIncome => "debt_to_income",
        RuleCode::LoanToValue => "loan_to_value",
        RuleCode::ExistingOverdue => "existing_overdue",
        RuleCode::EnterpriseAge => "enterprise_age",
        RuleCode::CourtEnforcement => "court_enforcement",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn good() -> Facts {
        Facts {
            is_enterprise: false,
            age_years: Some(35),
            blacklist_hits: vec![],
            recent_applications: Some(0),
            monthly_income: Some(dec!(20000)),
            monthly_debt_with_new: Some(dec!(5000)),
            loan_amount: dec!(100000),
            vehicle_value: Some(dec!(250000)),
            existing_overdue: Some(false),
            enterprise_age_months: None,
            court_enforcement: Some(false),
            bureau_score: Some(720),
            unavailable_providers: vec![],
        }
    }

    #[test]
    fn a_good_borrower_passes_with_the_score_as_the_only_reason() {
        let out = evaluate(&RuleSet::default(), &good());
        // 600 + 40 (age) + 50 (income) + 40 (DTI 0.25) + 40 (LTV 0.4) + 30 (bureau).
        assert_eq!(out.score, 800);
        assert_eq!(out.grade, "A");
        assert_eq!(out.decision, Decision::Pass);
        assert_eq!(out.reasons.len(), 1);
        assert_eq!(out.reasons[0].code, "score");
    }

    #[test]
    fn every_failing_rule_is_listed_and_the_worst_effect_wins() {
        let facts = Facts {
            age_years: Some(70),
            blacklist_hits: vec!["法院失信".into()],
            monthly_debt_with_new: Some(dec!(15000)),
            vehicle_value: Some(dec!(110000)),
            ..good()
        };
        let out = evaluate(&RuleSet::default(), &facts);
        let codes: Vec<_> = out.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "age",
                "blacklist",
                "debt_to_income",
                "loan_to_value",
                "score"
            ]
        );
        assert_eq!(out.decision, Decision::Reject);
        assert_eq!(out.reasons[2].value.as_deref(), Some("0.75"));
        assert_eq!(out.reasons[3].effect, Decision::ManualReview);
    }

    #[test]
    fn missing_external_data_means_manual_review_not_failure() {
        let facts = Facts {
            court_enforcement: None,
            bureau_score: None,
            ..good()
        };
        let out = evaluate(&RuleSet::default(), &facts);
        assert_eq!(out.decision, Decision::ManualReview);
        assert!(
            out.reasons
                .iter()
                .any(|r| r.code == "data_unavailable:court_enforcement")
        );
        assert_eq!(out.score, 770);
    }

    #[test]
    fn a_threshold_or_a_band_edit_changes_the_decision() {
        let facts = Facts {
            monthly_debt_with_new: Some(dec!(10000)),
            ..good()
        };
        let mut set = RuleSet::default();
        assert_eq!(evaluate(&set, &facts).decision, Decision::Pass);
        set.rules[3].max = Some(dec!(0.40));
        assert_eq!(evaluate(&set, &facts).decision, Decision::Reject);
        let mut set = RuleSet::default();
        set.scorecard.characteristics[4].bands[2].points = -200;
        let out = evaluate(&set, &facts);
        assert_eq!(out.decision, Decision::Reject);
        assert_eq!(out.grade, "D");
    }

    #[test]
    fn an_enterprise_is_held_to_its_age_not_a_persons() {
        let facts = Facts {
            is_enterprise: true,
            age_years: None,
            monthly_income: None,
            monthly_debt_with_new: None,
            enterprise_age_months: Some(18),
            ..good()
        };
        let out = evaluate(&RuleSet::default(), &facts);
        let codes: Vec<_> = out.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, vec!["enterprise_age", "score"]);
        assert_eq!(out.reasons[0].effect, Decision::ManualReview);
        assert_eq!(out.decision, Decision::ManualReview);
    }
}
