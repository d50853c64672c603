//! Sign-in, lockout, token expiry, refresh rotation and reuse, the forced password change.

use reqwest::StatusCode;
use serde_json::json;
use time::Duration;

use crate::helpers::*;

#[tokio::test]
async fn the_administrator_signs_in_and_must_change_the_initial_password_first() {
    let app = spawn_app().await;
    let first = expect_json(app.login("admin", ADMIN_PASSWORD).await, StatusCode::OK).await;
    assert_eq!(first["mustChangePassword"], true);
    assert_eq!(first["user"]["username"], "admin");
    let token = first["accessToken"].as_str().unwrap();

    // Nothing but /me and the change itself until the password is changed.
    expect_problem(
        app.get("/api/v1/departments/tree", token).await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    expect_json(app.get("/api/v1/me", token).await, StatusCode::OK).await;

    let weak = expect_problem(
        app.post(
            "/api/v1/auth/change-password",
            Some(token),
            &json!({"currentPassword": ADMIN_PASSWORD, "newPassword": "short"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&weak),
        vec![("newPassword".into(), "password_too_weak".into())]
    );
    let wrong = expect_problem(
        app.post(
            "/api/v1/auth/change-password",
            Some(token),
            &json!({"currentPassword": "not-it", "newPassword": ADMIN_NEW_PASSWORD}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&wrong),
        vec![("currentPassword".into(), "wrong_current_password".into())]
    );

    let changed = expect_json(
        app.post(
            "/api/v1/auth/change-password",
            Some(token),
            &json!({"currentPassword": ADMIN_PASSWORD, "newPassword": ADMIN_NEW_PASSWORD}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["mustChangePassword"], false);
    let fresh = changed["accessToken"].as_str().unwrap();
    expect_json(
        app.get("/api/v1/departments/tree", fresh).await,
        StatusCode::OK,
    )
    .await;

    // The old password no longer works; the new one does.
    expect_problem(
        app.login("admin", ADMIN_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    expect_json(app.login("admin", ADMIN_NEW_PASSWORD).await, StatusCode::OK).await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    let a = expect_problem(
        app.login("admin", "Wrong-Pass-1").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let b = expect_problem(
        app.login("nobody", "Wrong-Pass-1").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(a, b);
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let app = spawn_app().await;
    for _ in 0..4 {
        expect_problem(
            app.login("admin", "Wrong-Pass-1").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    expect_problem(
        app.login("admin", "Wrong-Pass-1").await,
        StatusCode::UNAUTHORIZED,
        "account_locked",
    )
    .await;
    // Even the right password is refused while locked.
    expect_problem(
        app.login("admin", ADMIN_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "account_locked",
    )
    .await;
    app.clock.advance(Duration::minutes(14));
    expect_problem(
        app.login("admin", ADMIN_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "account_locked",
    )
    .await;
    app.clock
        .advance(Duration::minutes(1) + Duration::seconds(1));
    expect_json(app.login("admin", ADMIN_PASSWORD).await, StatusCode::OK).await;
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let app = spawn_app().await;
    for _ in 0..4 {
        app.login("admin", "Wrong-Pass-1").await;
    }
    expect_json(app.login("admin", ADMIN_PASSWORD).await, StatusCode::OK).await;
    for _ in 0..4 {
        expect_problem(
            app.login("admin", "Wrong-Pass-1").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
}

#[tokio::test]
async fn an_access_token_expires_after_fifteen_minutes_and_refresh_gives_a_new_one() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let login = expect_json(app.login("admin", ADMIN_NEW_PASSWORD).await, StatusCode::OK).await;
    assert_eq!(login["expiresIn"], 900);
    app.clock.advance(Duration::minutes(14));
    expect_json(app.get("/api/v1/me", &token).await, StatusCode::OK).await;
    app.clock.advance(Duration::minutes(1));
    expect_problem(
        app.get("/api/v1/me", &token).await,
        StatusCode::UNAUTHORIZED,
        "token_expired",
    )
    .await;

    let refreshed = expect_json(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refreshToken": login["refreshToken"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        app.get("/api/v1/me", refreshed["accessToken"].as_str().unwrap())
            .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_ends_the_whole_sign_in() {
    let app = spawn_app().await;
    app.admin_token().await;
    let login = expect_json(app.login("admin", ADMIN_NEW_PASSWORD).await, StatusCode::OK).await;
    let first = login["refreshToken"].clone();
    let second = expect_json(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refreshToken": first}),
        )
        .await,
        StatusCode::OK,
    )
    .await["refreshToken"]
        .clone();
    assert_ne!(first, second);

    // The first token again: a thief or a replay. Both it and its successor stop working.
    expect_problem(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refreshToken": first}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_reused",
    )
    .await;
    expect_problem(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refreshToken": second}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_invalid",
    )
    .await;
    // Another sign-in is not affected.
    let other = expect_json(app.login("admin", ADMIN_NEW_PASSWORD).await, StatusCode::OK).await;
    expect_json(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refreshToken": other["refreshToken"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let app = spawn_app().await;
    app.admin_token().await;
    let login = expect_json(app.login("admin", ADMIN_NEW_PASSWORD).await, StatusCode::OK).await;
    let response = app
        .post(
            "/api/v1/auth/logout",
            None,
            &json!({"refreshToken": login["refreshToken"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_problem(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refreshToken": login["refreshToken"]}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_invalid",
    )
    .await;
}

#[tokio::test]
async fn a_refresh_token_expires_after_fourteen_days() {
    let app = spawn_app().await;
    app.admin_token().await;
    let login = expect_json(app.login("admin", ADMIN_NEW_PASSWORD).await, StatusCode::OK).await;
    app.clock.advance(Duration::days(14));
    expect_problem(
        app.post(
            "/api/v1/auth/refresh",
            None,
            &json!({"refreshToken": login["refreshToken"]}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_invalid",
    )
    .await;
}

#[tokio::test]
async fn a_disabled_user_is_refused_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, token) = app.user_token(&admin, "clerk", None, &[]).await;
    expect_json(app.get("/api/v1/me", &token).await, StatusCode::OK).await;
    let user = expect_json(
        app.get(&format!("/api/v1/users/{id}"), &admin).await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        app.post(
            &format!("/api/v1/users/{id}/disable"),
            Some(&admin),
            &json!({"version": user["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        app.get("/api/v1/me", &token).await,
        StatusCode::UNAUTHORIZED,
        "account_disabled",
    )
    .await;
    expect_problem(
        app.login("clerk", USER_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "account_disabled",
    )
    .await;
}

#[tokio::test]
async fn nobody_disables_their_own_account() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    expect_problem(
        app.post(
            "/api/v1/users/1/disable",
            Some(&admin),
            &json!({"version": 2}),
        )
        .await,
        StatusCode::CONFLICT,
        "cannot_disable_self",
    )
    .await;
}
