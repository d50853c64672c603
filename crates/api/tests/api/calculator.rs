//! The calculator over HTTP: any signed-in user, 400 for what cannot be read, 422 naming each
//! broken rule. The arithmetic itself is tested in `calc` against independent golden figures.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn loan() -> serde_json::Value {
    json!({"method": "equal_installment", "principal": "100000.00", "annualRate": "0.12",
           "termMonths": 12, "startDate": "2026-01-31"})
}

#[tokio::test]
async fn any_signed_in_user_gets_a_schedule() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, clerk) = app.user_token(&admin, "clerk", None, &[]).await;
    let s = expect_json(
        app.post("/api/v1/calculator/schedule", Some(&clerk), &loan())
            .await,
        StatusCode::OK,
    )
    .await;
    let rows = s["installments"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    // 100,000 at 1 % a month over 12 months: PMT = round(100000·0.01·1.01^12/(1.01^12−1)) = 8884.88.
    assert_eq!(rows[0]["total"], "8884.88");
    assert_eq!(rows[0]["interest"], "1000.00");
    assert_eq!(rows[0]["dueDate"], "2026-02-28");
    assert_eq!(rows[2]["dueDate"], "2026-04-30");
    assert_eq!(rows[11]["remainingPrincipal"], "0.00");
    assert_eq!(s["totalPrincipal"], "100000.00");
    expect_problem(
        app.client
            .post(app.url("/api/v1/calculator/schedule"))
            .json(&loan())
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn unreadable_terms_are_400_and_broken_rules_are_422_naming_each_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut bad = loan();
    bad["annualRate"] = json!("abc");
    expect_problem(
        app.post("/api/v1/calculator/schedule", Some(&admin), &bad)
            .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    let mut bad = loan();
    bad["principal"] = json!(100000.5);
    expect_problem(
        app.post("/api/v1/calculator/schedule", Some(&admin), &bad)
            .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;

    let mut bad = loan();
    bad["termMonths"] = json!(0);
    bad["repaymentDay"] = json!(29);
    bad["principal"] = json!("100.001");
    let p = expect_problem(
        app.post("/api/v1/calculator/schedule", Some(&admin), &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut fields: Vec<_> = field_errors(&p).into_iter().map(|(f, _)| f).collect();
    fields.sort();
    assert_eq!(fields, vec!["principal", "repaymentDay", "termMonths"]);

    let mut balloon = loan();
    balloon["method"] = json!("balloon");
    balloon["balloonRatio"] = json!("1");
    let p = expect_problem(
        app.post("/api/v1/calculator/schedule", Some(&admin), &balloon)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_errors(&p)[0].0, "balloonRatio");

    let mut overdue = loan();
    overdue["installmentsPaid"] = json!(0);
    overdue["asOf"] = json!("2026-04-15");
    overdue["penaltyMultiplier"] = json!("3");
    let p = expect_problem(
        app.post("/api/v1/calculator/overdue", Some(&admin), &overdue)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_errors(&p)[0].0, "penaltyMultiplier");
}

#[tokio::test]
async fn payoff_and_overdue_answer_with_amounts_as_strings() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut payoff = loan();
    payoff["installmentsPaid"] = json!(3);
    payoff["payoffDate"] = json!("2026-04-30");
    let quote = expect_json(
        app.post("/api/v1/calculator/payoff", Some(&admin), &payoff)
            .await,
        StatusCode::OK,
    )
    .await;
    // On a due date after that installment is paid, with no fee: the remaining principal.
    assert_eq!(quote["remainingPrincipal"], "76108.02");
    assert_eq!(quote["accruedInterest"], "0.00");
    assert_eq!(quote["payoffAmount"], "76108.02");

    let mut overdue = loan();
    overdue["installmentsPaid"] = json!(0);
    overdue["asOf"] = json!("2026-03-10");
    overdue["penaltyMultiplier"] = json!("1.5");
    let o = expect_json(
        app.post("/api/v1/calculator/overdue", Some(&admin), &overdue)
            .await,
        StatusCode::OK,
    )
    .await;
    // Period 1 (due 02-28) is 10 days late: penalty = 7884.88 × 0.18/360 × 10 = 39.4244 → 39.42;
    // compound = 1000.00 × 0.18/360 × 10 = 5.00.
    assert_eq!(o["daysPastDue"], 10);
    assert_eq!(o["installments"][0]["penaltyInterest"], "39.42");
    assert_eq!(o["installments"][0]["compoundInterest"], "5.00");
    assert_eq!(o["riskClass"], "special_mention");
}
