//! The daily close's schedule (定时日终): the console reads what the server was started with
//! (`CHEDAI_CLOSE_AT`), the time of day or nothing; and the scheduler, on the API's database and
//! a test clock, closes the missed days once the clock has passed that time.

use api::ServerOptions;
use reqwest::StatusCode;

use crate::helpers::*;
use crate::money::sign_in;

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

/// The scheduler on the API's database and a test clock: it waits for the time of day, then
/// closes every missed business date up to the calendar's, then waits for the next day.
#[tokio::test]
async fn the_scheduler_closes_the_missed_days_once_the_clock_passes_the_time() {
    use loans::service::close::{CloseContext, CloseOptions};
    use loans::service::close_scheduler::{CloseSchedule, run};
    use time::macros::datetime;

    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // The first read starts the business date at the calendar's: 2026-03-02.
    assert_eq!(business_date(&app, &admin).await, "2026-03-02");
    let ctx = CloseContext {
        db: app.db.clone(),
        clock: app.clock.clone(),
    };
    let mut schedule = CloseSchedule::new(
        "02:00".parse().unwrap(),
        CloseOptions {
            worker: "scheduler-test".into(),
            partition_size: 100,
            parallel: 1,
        },
    );
    // The test clock only moves when told: the scheduler looks at it often.
    schedule.tick = std::time::Duration::from_millis(20);
    let scheduler = tokio::spawn(run(ctx, schedule));

    app.clock.set(datetime!(2026-03-05 02:00 UTC));
    let admin = sign_in(&app, "admin", ADMIN_NEW_PASSWORD).await;
    wait_for_business_date(&app, &admin, "2026-03-05").await;
    let runs = expect_json(app.get("/api/v1/close-runs", &admin).await, StatusCode::OK).await;
    let closed: Vec<(&str, &str)> = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["businessDate"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        closed,
        [
            ("2026-03-04", "done"),
            ("2026-03-03", "done"),
            ("2026-03-02", "done")
        ]
    );

    // The next day, at the time again.
    app.clock.set(datetime!(2026-03-06 02:00 UTC));
    let admin = sign_in(&app, "admin", ADMIN_NEW_PASSWORD).await;
    wait_for_business_date(&app, &admin, "2026-03-06").await;
    scheduler.abort();
}

async fn business_date(app: &TestApp, token: &str) -> String {
    expect_json(
        app.get("/api/v1/business-date", token).await,
        StatusCode::OK,
    )
    .await["today"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Polls until the business date is `date`; the bound only turns a hang into a failure.
async fn wait_for_business_date(app: &TestApp, token: &str, date: &str) {
    let mut seen = String::new();
    for _ in 0..600 {
        seen = business_date(app, token).await;
        if seen == date {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the business date stayed at {seen}, not {date}");
}
