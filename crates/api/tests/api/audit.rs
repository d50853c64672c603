//! Every change leaves an audit record with who, when, what, before and after.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn changes_are_audited_with_before_and_after() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hq = app.create_department(&admin, None, "HQ").await;
    expect_json(
        app.put(
            &format!("/api/v1/departments/{}", hq["id"]),
            &admin,
            &json!({"name": "总公司", "code": "HQ", "version": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let employee = expect_json(
        app.post(
            "/api/v1/employees",
            Some(&admin),
            &json!({
        "employeeNo": "E1", "name": "李娜", "departmentId": hq["id"]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let log = expect_json(
        app.get(
            &format!("/api/v1/audit-logs?entity=department&entityId={}", hq["id"]),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 2);
    let update = &log["items"][0];
    assert_eq!(update["action"], "update");
    assert_eq!(update["actorName"], "管理员");
    assert_eq!(update["before"]["name"], "部门HQ");
    assert_eq!(update["after"]["name"], "总公司");
    assert_eq!(log["items"][1]["action"], "create");
    assert_eq!(log["items"][1]["before"], serde_json::Value::Null);

    let log = expect_json(
        app.get("/api/v1/audit-logs?entity=employee&action=create", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["items"][0]["entityId"], employee["id"].to_string());
    assert_eq!(log["items"][0]["after"]["name"], "李娜");
    // The password change of the admin is recorded too, without the password.
    let log = expect_json(
        app.get("/api/v1/audit-logs?action=change_password", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 1);
    assert!(!log.to_string().contains(ADMIN_NEW_PASSWORD));
}

#[tokio::test]
async fn a_refused_change_leaves_no_audit_record() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let before = app.count("audit_log").await;
    app.post(
        "/api/v1/departments",
        Some(&admin),
        &json!({"name": "", "code": "!"}),
    )
    .await;
    assert_eq!(app.count("audit_log").await, before);
}

#[tokio::test]
async fn the_audit_log_needs_its_permission_and_cannot_be_rewritten() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, clerk) = app.user_token(&admin, "clerk", None, &[]).await;
    expect_problem(
        app.get("/api/v1/audit-logs", &clerk).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let tampering = app
        .db
        .execute_unprepared("UPDATE audit_log SET actor_name = 'nobody'")
        .await;
    assert!(
        tampering.is_err(),
        "the database refuses to rewrite the audit log"
    );
    assert!(
        app.db
            .execute_unprepared("DELETE FROM audit_log")
            .await
            .is_err()
    );
}
