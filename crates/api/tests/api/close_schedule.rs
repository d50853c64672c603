//! The close console reads the schedule the server was started with (`CHEDAI_CLOSE_AT`): the
//! time of day, or nothing when the close is only started by hand.

use api::ServerOptions;
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_close_schedule_is_shown_to_those_who_may_read_the_close() {
    let app = spawn_app_with(ServerOptions {
        close_at: Some("02:30".parse().unwrap()),
        ..ServerOptions::default()
    })
    .await;
    let admin = app.admin_token().await;
    let s = expect_json(
        app.get("/api/v1/close-schedule", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s, serde_json::json!({"closeAt": "02:30"}));

    let role = app
        .create_role(&admin, "NO-CLOSE", "all", &["loan:read"])
        .await;
    let (_, clerk) = app.user_token(&admin, "clerk", None, &[role]).await;
    expect_problem(
        app.get("/api/v1/close-schedule", &clerk).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let anonymous = app
        .client
        .get(app.url("/api/v1/close-schedule"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_a_schedule_the_close_is_started_by_hand() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let s = expect_json(
        app.get("/api/v1/close-schedule", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s, serde_json::json!({"closeAt": null}));
}
