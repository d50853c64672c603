//! The `chedai` binary as scripts use it: the calculator on stdin and stdout, no database.
//! (Building this test also builds the binary the web app's end-to-end tests start.)

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn chedai(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chedai"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chedai starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("JSON output")
}

#[test]
fn calc_schedule_reads_terms_on_stdin_and_prints_the_schedule() {
    let out = chedai(
        &["calc", "schedule"],
        r#"{"method":"equal_principal","principal":"120000","annualRate":"0.12","termMonths":12,"startDate":"2026-01-31"}"#,
    );
    assert!(out.status.success());
    let s = json(&out.stdout);
    // Equal principal: 10,000 a month; the first month's interest is 120,000 × 1 % = 1,200.00.
    assert_eq!(s["installments"][0]["principal"], "10000.00");
    assert_eq!(s["installments"][0]["interest"], "1200.00");
    assert_eq!(s["installments"][11]["interest"], "100.00");
    assert_eq!(s["totalInterest"], "7800.00");
}

#[test]
fn calc_refuses_a_broken_rule_with_exit_1_and_unreadable_input_with_exit_2() {
    let out = chedai(
        &["calc", "overdue"],
        r#"{"method":"flat","principal":"50000","annualRate":"0.072","termMonths":24,"startDate":"2026-01-15","installmentsPaid":0,"asOf":"2026-03-01","penaltyMultiplier":"3"}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let problem = json(&out.stderr);
    assert_eq!(problem["code"], "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "penaltyMultiplier");

    let out = chedai(&["calc", "payoff"], "{not json");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out.stderr)["code"], "malformed_json");
}
