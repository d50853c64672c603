//! The calculator's bodies render as OpenAPI schemas: amounts, rates and percents as strings.

use calc::calculator::{
    OverdueRequest, OverdueResponse, PayoffRequest, PayoffResponse, ScheduleRequest,
    ScheduleResponse,
};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(components(schemas(
    ScheduleRequest,
    ScheduleResponse,
    PayoffRequest,
    PayoffResponse,
    OverdueRequest,
    OverdueResponse
)))]
struct Doc;

#[test]
fn amounts_rates_and_percents_are_strings_in_the_schema() {
    let doc = serde_json::to_value(Doc::openapi()).expect("serialises");
    let schemas = &doc["components"]["schemas"];
    // A property is a string itself or a reference to a string schema.
    let is_string = |property: &serde_json::Value| {
        let resolved = match property["$ref"].as_str() {
            Some(r) => &schemas[r.trim_start_matches("#/components/schemas/")],
            None => property,
        };
        resolved["type"] == "string"
    };
    let request = &schemas["ScheduleRequest"]["properties"];
    for field in ["principal", "annualRate", "startDate"] {
        assert!(is_string(&request[field]), "{field}: {}", request[field]);
    }
    let response = &schemas["ScheduleResponse"]["properties"];
    for field in ["aprSimplePct", "aprCompoundPct", "totalInterest"] {
        assert!(is_string(&response[field]), "{field}: {}", response[field]);
    }
    let text = doc.to_string();
    for name in [
        "InstallmentRow",
        "CapCheck",
        "Method",
        "RiskClass",
        "PrepaymentFeeRequest",
    ] {
        assert!(text.contains(name), "{name} missing from the document");
    }
}
