//! The committed `openapi/openapi.json` must be what the code generates. On failure run
//! `cargo run -p server --bin chedai -- openapi > openapi/openapi.json`.

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../openapi/openapi.json"
    ))
    .expect("openapi/openapi.json exists");
    let generated = api::openapi_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `cargo run -p server --bin chedai -- openapi > openapi/openapi.json`"
    );
}
