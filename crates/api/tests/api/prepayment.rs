//! Partial prepayment over HTTP (部分提前还款, RULES.md §6): the quote, the registration's
//! checks, confirmation re-amortising the schedule with its voucher, and a reversal putting
//! the old schedule back. Figures worked out by hand: 100 000 at 12 % over 24 months from
//! 2026-03-10 (PMT 4 707.35; period 1: 1 000.00 + 3 707.35). Prepaying 20 000 on 2026-04-10
//! and keeping the installment: the balance 96 292.65 − 20 000 = 76 292.65 at 4 707.35 a
//! month runs out in 18 periods (r = 0.01: the first k with balance + interest ≤ 4 707.35),
//! the last, period 19 on 2027-10-10, paying 3 595.17 + 35.95. The product charges no
//! prepayment fee. VAT on 1 000.00 interest: round(1000 / 1.06) = 943.40 + 56.60.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::money::{
    Desk, assert_reconciled, business_day, confirm, desk, disbursed, line, post_keyed, voucher,
};

fn prepayment(loan: &Value, amount: &str, principal: Option<&str>, mode: Option<&str>) -> Value {
    let mut body = json!({"loanId": loan["loan"]["id"], "kind": "prepayment", "amount": amount,
        "channel": "bank_transfer", "fundAccountCode": "100201", "reference": "BANK-PREPAY-1",
        "valueDate": "2026-04-10"});
    if let Some(p) = principal {
        body["prepaidPrincipal"] = json!(p);
    }
    if let Some(m) = mode {
        body["reamortisation"] = json!(m);
    }
    body
}

async fn loan_now(app: &TestApp, d: &Desk, loan: &Value) -> Value {
    expect_json(
        app.get(&format!("/api/v1/loans/{}", loan["loan"]["id"]), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn a_partial_prepayment_shortens_the_loan_and_a_reversal_puts_the_schedule_back() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let loan = disbursed(&app, &mut d).await;
    let id = &loan["loan"]["id"];
    business_day(&app, &mut d, "2026-04-10").await;

    // The quote: what to pay and the schedule that follows.
    let quote = expect_json(
        app.get(
            &format!(
                "/api/v1/loans/{id}/prepayment-quote?date=2026-04-10&principal=20000&reamortisation=keep_installment"
            ),
            &d.cashier,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(quote["dueAmount"], "4707.35");
    assert_eq!(quote["fee"], "0.00");
    assert_eq!(quote["amount"], "24707.35");
    assert_eq!(quote["balanceAfter"], "76292.65");
    assert_eq!(quote["installmentAfter"], "4707.35");
    assert_eq!(
        (&quote["periodsBefore"], &quote["periodsAfter"]),
        (&json!(23), &json!(18))
    );
    assert_eq!(quote["maturityAfter"], "2027-10-10");
    let last = quote["schedule"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (&last["period"], &last["principal"], &last["interest"]),
        (&json!(19), &json!("3595.17"), &json!("35.95"))
    );
    let off_day = expect_problem(
        app.get(
            &format!(
                "/api/v1/loans/{id}/prepayment-quote?date=2026-04-09&principal=20000&reamortisation=keep_term"
            ),
            &d.cashier,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&off_day),
        vec![("valueDate".to_string(), "not_a_due_date".to_string())]
    );

    // The registration says what is missing, misplaced or short, and records nothing.
    for (body, field, code) in [
        (
            prepayment(&loan, "24707.35", None, Some("keep_term")),
            "prepaidPrincipal",
            "required",
        ),
        (
            prepayment(&loan, "24707.35", Some("20000"), None),
            "reamortisation",
            "required",
        ),
        (
            prepayment(&loan, "24707.34", Some("20000"), Some("keep_term")),
            "amount",
            "short_of_prepayment",
        ),
        (
            prepayment(&loan, "200000", Some("96292.65"), Some("keep_term")),
            "prepaidPrincipal",
            "out_of_range",
        ),
        (
            {
                let mut b = prepayment(&loan, "4707.35", Some("20000"), Some("keep_term"));
                b["kind"] = json!("regular");
                b
            },
            "prepaidPrincipal",
            "not_applicable",
        ),
    ] {
        let p = expect_problem(
            post_keyed(
                &app,
                "/api/v1/repayments",
                &d.cashier,
                &format!("bad-{field}-{code}"),
                &body,
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            field_errors(&p).contains(&(field.to_string(), code.to_string())),
            "{field} {code}: {p}"
        );
    }
    let listed = expect_json(
        app.get(&format!("/api/v1/repayments?loanId={id}"), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["total"], 0);

    // 24 800.00 arrives: the installment, 20 000 ahead, and 92.65 kept as credit balance.
    let r = expect_json(
        post_keyed(
            &app,
            "/api/v1/repayments",
            &d.cashier,
            "prepay-0001",
            &prepayment(&loan, "24800.00", Some("20000"), Some("keep_installment")),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(r["prepaidPrincipal"], "20000.00");
    assert_eq!(r["reamortisation"], "keep_installment");
    let c = expect_json(
        confirm(&app, &d, &r, "prepay-ok-0001").await,
        StatusCode::OK,
    )
    .await;
    let a = &c["allocation"];
    assert_eq!(a["totals"]["principal"], "23707.35");
    assert_eq!(a["totals"]["interest"], "1000.00");
    assert_eq!(a["creditAfter"], "92.65");
    assert_eq!(a["prepayment"]["periodsAfter"], 18);
    assert_eq!(
        voucher(&app, &d.checker, &c["voucherId"]).await,
        vec![
            line("100201", "24800.00", "0.00"),
            line("130301", "0.00", "23707.35"),
            line("601101", "0.00", "943.40"),
            line("222101", "0.00", "56.60"),
            line("224101", "0.00", "92.65"),
        ]
    );
    let after = loan_now(&app, &d, &loan).await;
    assert_eq!(after["loan"]["maturityDate"], "2027-10-10");
    assert_eq!(after["loan"]["outstandingPrincipal"], "76292.65");
    assert_eq!(after["balances"]["principalNormal"], "76292.65");
    assert_eq!(after["balances"]["creditBalance"], "92.65");
    let rows = after["installments"].as_array().unwrap();
    assert_eq!(rows.len(), 19);
    assert_eq!(rows[0]["status"], "settled");
    assert_eq!(
        (&rows[1]["interest"], &rows[1]["principal"]),
        // round(76292.65 × 0.01) = 762.93; 4707.35 − 762.93
        (&json!("762.93"), &json!("3944.42"))
    );
    assert_eq!(rows[18]["dueDate"], "2027-10-10");
    assert_reconciled(&app, &d.admin).await;

    // The reversal brings back the 24-month schedule, the balance and the maturity.
    let x = expect_json(
        post_keyed(
            &app,
            &format!("/api/v1/repayments/{}/reversals", r["id"]),
            &d.cashier,
            "prepay-reverse",
            &json!({"reason": "客户申请撤销提前还款"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_json(
        post_keyed(
            &app,
            &format!("/api/v1/repayment-reversals/{}/review", x["id"]),
            &d.checker,
            "prepay-reverse-ok",
            &json!({"decision": "approve", "version": x["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let back = loan_now(&app, &d, &loan).await;
    assert_eq!(back["loan"]["maturityDate"], "2028-03-10");
    assert_eq!(back["balances"]["principalNormal"], "100000.00");
    assert_eq!(back["balances"]["creditBalance"], "0.00");
    let rows = back["installments"].as_array().unwrap();
    assert_eq!(rows.len(), 24);
    assert_eq!(rows[0]["status"], "due_today");
    assert_eq!(
        (&rows[1]["interest"], &rows[1]["principal"]),
        (&json!("962.93"), &json!("3744.42"))
    );
    assert_reconciled(&app, &d.admin).await;
}
