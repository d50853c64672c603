//! Golden tables from `tools/golden/golden.py`, computed independently of this crate from
//! RULES.md with Python's decimal module (half-up). Every field the script wrote must match the
//! calculator's answer exactly. Regenerate with `python3 tools/golden/golden.py`.

use calc::apr::{self, CashFlows, FirstPeriod};
use calc::calculator::{self, OverdueRequest, PayoffRequest, ScheduleRequest};
use kernel::Money;
use serde::Serialize;
use serde_json::Value;

fn cases(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/golden/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// Every key of `expected` must be in `actual` with the same value, recursively.
fn assert_contains(case: &str, path: &str, expected: &Value, actual: &Value) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let got = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{case}: {path}.{k} missing"));
                assert_contains(case, &format!("{path}.{k}"), v, got);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{case}: {path} length");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_contains(case, &format!("{path}[{i}]"), ev, av);
            }
        }
        _ => assert_eq!(expected, actual, "{case}: {path}"),
    }
}

fn run<Req, Resp, F>(file: &str, answer: F) -> usize
where
    Req: serde::de::DeserializeOwned,
    Resp: Serialize,
    F: Fn(&Req) -> kernel::AppResult<Resp>,
{
    let all = cases(file);
    for case in &all {
        let name = case["name"].as_str().unwrap_or("?");
        let request: Req = serde_json::from_value(case["request"].clone())
            .unwrap_or_else(|e| panic!("{name}: request does not parse: {e}"));
        let response = answer(&request).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let actual = serde_json::to_value(response).expect("response serialises");
        assert_contains(name, "", &case["expected"], &actual);
    }
    all.len()
}

#[test]
fn schedules_match_the_independent_tables() {
    let n = run::<ScheduleRequest, _, _>("schedules.json", calculator::schedule);
    assert!(n >= 20, "expected every method and edge case, found {n}");
}

#[test]
fn payoffs_match_the_independent_tables() {
    let n = run::<PayoffRequest, _, _>("payoffs.json", calculator::payoff);
    assert!(n >= 10);
}

#[test]
fn overdue_matches_the_independent_tables() {
    let n = run::<OverdueRequest, _, _>("overdue.json", calculator::overdue);
    assert!(n >= 5);
}

#[test]
fn the_public_apr_example_matches() {
    for case in cases("apr.json") {
        let money = |v: &Value| {
            v.as_str()
                .and_then(|s| s.parse::<Money>().ok())
                .expect("amount")
        };
        let flows = CashFlows {
            net_advance: money(&case["netAdvance"]),
            payments: case["payments"]
                .as_array()
                .expect("payments")
                .iter()
                .map(money)
                .collect(),
            first_period: FirstPeriod::Months(1),
        };
        let apr = apr::solve(&flows).expect("solves");
        assert_eq!(apr.simple_pct.to_string(), case["expected"]["aprSimplePct"]);
        assert_eq!(
            apr.compound_pct.to_string(),
            case["expected"]["aprCompoundPct"]
        );
        // RULES.md §5 shows them to 2 places.
        assert_eq!(
            kernel::round_half_up(apr.simple_pct, 2).to_string(),
            "12.80"
        );
        assert_eq!(
            kernel::round_half_up(apr.compound_pct, 2).to_string(),
            "13.58"
        );
    }
}
