//! The calculator's error contract: what cannot be parsed fails in serde (400), what breaks a
//! rule is a 422 naming every field, and answers use strings with fixed places.

use calc::calculator::{self, OverdueRequest, PayoffRequest, ScheduleRequest};
use kernel::ErrorKind;
use serde_json::{Value, json};

fn base() -> Value {
    json!({
        "method": "equal_installment", "principal": "100000.00", "annualRate": "0.12",
        "termMonths": 12, "startDate": "2026-01-31"
    })
}

fn with(mut body: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().expect("object") {
        body[k] = v.clone();
    }
    body
}

fn parse<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(body)
}

/// The `(field, code)` pairs of a 422.
fn field_codes(err: kernel::AppError) -> Vec<(String, String)> {
    assert_eq!(err.kind, ErrorKind::Validation, "{err:?}");
    assert_eq!(err.code, "validation_failed");
    err.field_errors
        .into_iter()
        .map(|f| {
            assert!(!f.message.is_empty());
            (f.field, f.code.into_owned())
        })
        .collect()
}

fn schedule_errors(extra: Value) -> Vec<(String, String)> {
    let request: ScheduleRequest = parse(with(base(), extra)).expect("parses");
    field_codes(calculator::schedule(&request).expect_err("refused"))
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

#[test]
fn what_cannot_be_parsed_fails_in_deserialisation() {
    let bad = [
        json!({"annualRate": "abc"}),
        json!({"startDate": "2026-13-01"}),
        json!({"principal": 100000}),
        json!({"annualRate": 0.12}),
        json!({"termMonths": "12"}),
        json!({"method": "annuity"}),
        json!({"bulletInterest": "weeks"}),
        json!({"principal": "1e5"}),
    ];
    for extra in bad {
        assert!(
            parse::<ScheduleRequest>(with(base(), extra.clone())).is_err(),
            "{extra}"
        );
        let payoff = with(
            base(),
            json!({"installmentsPaid": 0, "payoffDate": "2026-03-01"}),
        );
        assert!(
            parse::<PayoffRequest>(with(payoff, extra.clone())).is_err(),
            "payoff {extra}"
        );
    }
    let missing = json!({"method": "flat", "principal": "1.00"});
    assert!(parse::<ScheduleRequest>(missing).is_err());
}

#[test]
fn an_amount_with_three_decimals_parses_then_is_refused() {
    assert_eq!(
        schedule_errors(json!({"principal": "100000.001"})),
        vec![pair("principal", "too_many_decimals")]
    );
    assert_eq!(
        schedule_errors(json!({"upfrontFees": "1.005", "periodFees": "-1"})),
        vec![
            pair("upfrontFees", "too_many_decimals"),
            pair("periodFees", "must_not_be_negative")
        ]
    );
}

#[test]
fn every_broken_rule_is_listed_at_once() {
    let errors = schedule_errors(json!({
        "method": "balloon", "principal": "-5", "annualRate": "-0.1", "termMonths": 0,
        "repaymentDay": 29, "dayBasis": 366, "balloonRatio": "1", "minFirstPeriodDays": 40
    }));
    for expected in [
        pair("principal", "must_be_positive"),
        pair("annualRate", "negative_rate"),
        pair("termMonths", "out_of_range"),
        pair("repaymentDay", "out_of_range"),
        pair("dayBasis", "invalid_value"),
        pair("balloonRatio", "out_of_range"),
        pair("minFirstPeriodDays", "out_of_range"),
    ] {
        assert!(errors.contains(&expected), "{expected:?} not in {errors:?}");
    }
}

#[test]
fn method_specific_fields_are_checked() {
    assert_eq!(
        schedule_errors(json!({"method": "balloon"})),
        vec![pair("balloonRatio", "required")]
    );
    assert_eq!(
        schedule_errors(json!({"balloonRatio": "0.3"})),
        vec![pair("balloonRatio", "not_applicable")]
    );
    assert_eq!(
        schedule_errors(json!({"method": "bullet", "repaymentDay": 10})),
        vec![pair("repaymentDay", "not_applicable")]
    );
    assert_eq!(
        schedule_errors(json!({"termMonths": 361})),
        vec![pair("termMonths", "out_of_range")]
    );
    assert_eq!(
        schedule_errors(json!({"termMonths": -1})),
        vec![pair("termMonths", "out_of_range")]
    );
    assert_eq!(
        schedule_errors(json!({"balloonRatio": "0", "method": "balloon"})),
        vec![pair("balloonRatio", "out_of_range")]
    );
}

#[test]
fn a_principal_too_small_to_amortise_is_refused() {
    assert_eq!(
        schedule_errors(json!({"principal": "0.05", "method": "equal_principal"})),
        vec![pair("principal", "principal_too_small")]
    );
    assert_eq!(
        schedule_errors(json!({"principal": "100", "annualRate": "0.24", "termMonths": 360})),
        vec![pair("principal", "principal_too_small")]
    );
}

#[test]
fn overdue_refuses_a_multiplier_of_three_and_paying_past_the_term() {
    let body = with(
        base(),
        json!({"installmentsPaid": 13, "asOf": "2026-06-01", "penaltyMultiplier": "3"}),
    );
    let request: OverdueRequest = parse(body).expect("parses");
    let errors = field_codes(calculator::overdue(&request).expect_err("refused"));
    assert_eq!(
        errors,
        vec![
            pair("installmentsPaid", "out_of_range"),
            pair("penaltyMultiplier", "out_of_range")
        ]
    );
}

#[test]
fn payoff_checks_the_fee_rule_and_the_basis() {
    let body = with(
        base(),
        json!({
            "installmentsPaid": 5, "payoffDate": "2026-05-01", "payoffBasis": "original",
            "prepaymentFee": {"kind": "percent_of_remaining", "cap": "1.001"}
        }),
    );
    let request: PayoffRequest = parse(body).expect("parses");
    let errors = field_codes(calculator::payoff(&request).expect_err("refused"));
    assert_eq!(
        errors,
        vec![
            pair("payoffBasis", "not_applicable"),
            pair("prepaymentFee.rate", "required"),
            pair("prepaymentFee.cap", "too_many_decimals"),
        ]
    );
    let ahead = with(
        base(),
        json!({"installmentsPaid": 5, "payoffDate": "2026-05-01"}),
    );
    let request: PayoffRequest = parse(ahead).expect("parses");
    let errors = field_codes(calculator::payoff(&request).expect_err("refused"));
    assert_eq!(errors, vec![pair("installmentsPaid", "paid_ahead")]);
}

#[test]
fn answers_use_strings_with_fixed_places() {
    let request: ScheduleRequest =
        parse(with(base(), json!({"upfrontFees": "1000"}))).expect("parses");
    let answer = serde_json::to_value(calculator::schedule(&request).expect("ok")).expect("json");
    assert_eq!(answer["installments"][0]["dueDate"], "2026-02-28");
    assert_eq!(answer["installments"][1]["dueDate"], "2026-03-31");
    assert_eq!(answer["installments"][0]["principal"], "7884.88");
    assert_eq!(answer["installments"][11]["remainingPrincipal"], "0.00");
    assert_eq!(answer["totalPrincipal"], "100000.00");
    assert_eq!(answer["totalFees"], "1000.00");
    assert_eq!(answer["aprSimplePct"], "13.9131");
    let cap = &answer["capCheck"];
    assert_eq!(cap["status"], "warning");
    assert_eq!(cap["aprSimplePct2dp"], "13.91");
    assert_eq!(cap["hardCapPct"], "24.00");
    assert_eq!(cap["lprPct"], "3.00");
    assert_eq!(cap["lprCapPct"], "12.00");
    assert_eq!(cap["lprEffectiveDate"], "2025-05-20");
    assert_eq!(cap["reasons"][0]["code"], "above_lpr_cap");
}

#[test]
fn the_overdue_answer_names_the_risk_class() {
    let body = with(
        base(),
        json!({"installmentsPaid": 0, "asOf": "2026-06-01", "penaltyMultiplier": "1.5"}),
    );
    let request: OverdueRequest = parse(body).expect("parses");
    let answer = serde_json::to_value(calculator::overdue(&request).expect("ok")).expect("json");
    assert_eq!(answer["daysPastDue"], 93);
    assert_eq!(answer["riskClass"], "substandard");
    assert_eq!(answer["nonAccrual"], true);
    assert_eq!(answer["installments"].as_array().map(Vec::len), Some(4));
}
