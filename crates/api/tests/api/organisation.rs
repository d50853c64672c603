//! Departments, positions, roles, users and employees: create, edit with versions, disable.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn departments_form_a_tree_and_move_with_their_subtree() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hq = app.create_department(&admin, None, "HQ").await;
    let biz = app
        .create_department(&admin, hq["id"].as_i64(), "BIZ")
        .await;
    let team = app
        .create_department(&admin, biz["id"].as_i64(), "BIZ-1")
        .await;
    let risk = app
        .create_department(&admin, hq["id"].as_i64(), "RISK")
        .await;

    let tree = expect_json(
        app.get("/api/v1/departments/tree", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(tree[0]["code"], "HQ");
    assert_eq!(tree[0]["children"][0]["code"], "BIZ");
    assert_eq!(tree[0]["children"][0]["children"][0]["code"], "BIZ-1");

    // BIZ moves under RISK, taking BIZ-1 with it.
    let moved = expect_json(app.put(&format!("/api/v1/departments/{}", biz["id"]), &admin,
        &json!({"parentId": risk["id"], "name": "业务部", "code": "BIZ", "version": biz["version"]})).await,
        StatusCode::OK).await;
    assert_eq!(moved["parentId"], risk["id"]);
    assert_eq!(moved["version"], 2);
    let tree = expect_json(
        app.get("/api/v1/departments/tree", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(tree[0]["children"][0]["code"], "RISK");
    assert_eq!(
        tree[0]["children"][0]["children"][0]["children"][0]["code"],
        "BIZ-1"
    );

    // HQ cannot move under its own grandchild.
    let p = expect_problem(
        app.put(
            &format!("/api/v1/departments/{}", hq["id"]),
            &admin,
            &json!({"parentId": team["id"], "name": "总部", "code": "HQ", "version": 1}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_errors(&p), vec![("parentId".into(), "cycle".into())]);
}

#[tokio::test]
async fn a_stale_version_is_a_409_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hq = app.create_department(&admin, None, "HQ").await;
    let path = format!("/api/v1/departments/{}", hq["id"]);
    expect_json(
        app.put(
            &path,
            &admin,
            &json!({"name": "总公司", "code": "HQ", "version": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        app.put(
            &path,
            &admin,
            &json!({"name": "另一个名字", "code": "HQ", "version": 1}),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    let now = expect_json(app.get(&path, &admin).await, StatusCode::OK).await;
    assert_eq!(now["name"], "总公司");
    assert_eq!(now["version"], 2);
}

#[tokio::test]
async fn a_duplicate_code_is_a_409_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_department(&admin, None, "HQ").await;
    let p = expect_problem(
        app.post(
            "/api/v1/departments",
            Some(&admin),
            &json!({"name": "又一个", "code": "hq"}),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    assert_eq!(field_errors(&p), vec![("code".into(), "duplicate".into())]);
    assert_eq!(app.count("departments").await, 1);
}

#[tokio::test]
async fn a_department_with_active_children_cannot_be_disabled() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hq = app.create_department(&admin, None, "HQ").await;
    let biz = app
        .create_department(&admin, hq["id"].as_i64(), "BIZ")
        .await;
    expect_problem(
        app.post(
            &format!("/api/v1/departments/{}/disable", hq["id"]),
            Some(&admin),
            &json!({"version": 1}),
        )
        .await,
        StatusCode::CONFLICT,
        "has_active_children",
    )
    .await;
    let disabled = expect_json(
        app.post(
            &format!("/api/v1/departments/{}/disable", biz["id"]),
            Some(&admin),
            &json!({"version": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(disabled["status"], "disabled");
    // A disabled department takes no new members.
    let p = expect_problem(
        app.post(
            "/api/v1/departments",
            Some(&admin),
            &json!({"parentId": biz["id"], "name": "x", "code": "X"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("parentId".into(), "unknown_reference".into())]
    );
    expect_json(
        app.post(
            &format!("/api/v1/departments/{}/disable", hq["id"]),
            Some(&admin),
            &json!({"version": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn roles_take_only_catalogued_permissions_and_the_admin_role_is_protected() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let p = expect_problem(app.post("/api/v1/roles", Some(&admin), &json!({
        "code": "odd", "name": "odd", "dataScope": "all", "permissions": ["org:user:read", "loans:steal"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_errors(&p),
        vec![("permissions[1]".into(), "invalid_value".into())]
    );
    expect_problem(
        app.post(
            "/api/v1/roles",
            Some(&admin),
            &json!({
        "code": "odd", "name": "odd", "dataScope": "everything", "permissions": []}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;

    let catalogue = expect_json(app.get("/api/v1/permissions", &admin).await, StatusCode::OK).await;
    assert!(
        catalogue
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "org:user:write" && p["name"] == "管理用户")
    );

    let admin_role = expect_json(app.get("/api/v1/roles/1", &admin).await, StatusCode::OK).await;
    assert_eq!(admin_role["builtin"], true);
    expect_problem(
        app.post(
            "/api/v1/roles/1/disable",
            Some(&admin),
            &json!({"version": admin_role["version"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "builtin_role",
    )
    .await;
    expect_problem(app.put("/api/v1/roles/1", &admin, &json!({
        "code": "admin", "name": "管理员", "dataScope": "self", "permissions": [], "version": admin_role["version"]})).await,
        StatusCode::CONFLICT, "builtin_role").await;
}

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let role = app.create_role(&admin, "reader", "all", &[]).await;
    let (_, token) = app.user_token(&admin, "reader1", None, &[role]).await;
    expect_problem(
        app.get("/api/v1/positions", &token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_json(app.put(&format!("/api/v1/roles/{role}"), &admin, &json!({
        "code": "reader", "name": "reader", "dataScope": "all", "permissions": ["org:position:read"], "version": 1})).await,
        StatusCode::OK).await;
    expect_json(app.get("/api/v1/positions", &token).await, StatusCode::OK).await;
}

#[tokio::test]
async fn users_are_created_edited_reset_and_disabled() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hq = app.create_department(&admin, None, "HQ").await;
    let role = app.create_role(&admin, "clerk", "self", &[]).await;
    let p = expect_problem(
        app.post(
            "/api/v1/users",
            Some(&admin),
            &json!({
        "username": "Li Lei", "displayName": "", "roleIds": [999], "initialPassword": "weak"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![
            ("displayName".into(), "required".into()),
            ("username".into(), "invalid_format".into()),
        ]
    );
    let user = expect_json(
        app.post(
            "/api/v1/users",
            Some(&admin),
            &json!({
        "username": "lilei", "displayName": "李雷", "departmentId": hq["id"], "roleIds": [role],
        "initialPassword": "First-Pass-2026"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(user["mustChangePassword"], true);
    assert_eq!(user["roleIds"], json!([role]));
    expect_problem(app.post("/api/v1/users", Some(&admin), &json!({
        "username": "lilei", "displayName": "李雷", "roleIds": [], "initialPassword": "First-Pass-2026"})).await,
        StatusCode::CONFLICT, "duplicate").await;

    let id = user["id"].as_i64().unwrap();
    let edited = expect_json(
        app.put(
            &format!("/api/v1/users/{id}"),
            &admin,
            &json!({
        "displayName": "李雷雷", "departmentId": null, "roleIds": [], "version": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["displayName"], "李雷雷");
    assert_eq!(edited["roleIds"], json!([]));

    let reset = expect_json(
        app.post(
            &format!("/api/v1/users/{id}/reset-password"),
            Some(&admin),
            &json!({
        "newPassword": "Reset-Pass-2026", "version": 2}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reset["mustChangePassword"], true);
    let login = expect_json(app.login("lilei", "Reset-Pass-2026").await, StatusCode::OK).await;
    assert_eq!(login["mustChangePassword"], true);

    let list = expect_json(
        app.get("/api/v1/users?keyword=lei", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
    let disabled = expect_json(
        app.post(
            &format!("/api/v1/users/{id}/disable"),
            Some(&admin),
            &json!({"version": 3}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(disabled["status"], "disabled");
    let active = expect_json(
        app.get("/api/v1/users?status=active", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(active["total"], 1, "only the administrator is active");
}

#[tokio::test]
async fn employees_belong_to_a_department_and_a_position() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hq = app.create_department(&admin, None, "HQ").await;
    let position = expect_json(
        app.post(
            "/api/v1/positions",
            Some(&admin),
            &json!({"code": "CM", "name": "客户经理"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let employee = expect_json(
        app.post(
            "/api/v1/employees",
            Some(&admin),
            &json!({
        "employeeNo": "E0001", "name": "李娜", "phone": "13800138000", "email": "lina@example.com",
        "departmentId": hq["id"], "positionId": position["id"], "hiredOn": "2025-07-01"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(employee["departmentName"], "部门HQ");
    assert_eq!(employee["positionName"], "客户经理");
    assert_eq!(employee["hiredOn"], "2025-07-01");
    expect_problem(
        app.post(
            "/api/v1/employees",
            Some(&admin),
            &json!({
        "employeeNo": "e0001", "name": "重复", "departmentId": hq["id"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    let found = expect_json(
        app.get("/api/v1/employees?keyword=李", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["total"], 1);
    let id = employee["id"].as_i64().unwrap();
    let edited = expect_json(app.put(&format!("/api/v1/employees/{id}"), &admin, &json!({
        "employeeNo": "E0001", "name": "李娜", "phone": null, "departmentId": hq["id"], "version": 1})).await,
        StatusCode::OK).await;
    assert_eq!(edited["phone"], serde_json::Value::Null);
    assert_eq!(edited["positionId"], serde_json::Value::Null);
}

#[tokio::test]
async fn nobody_grants_more_than_they_hold() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hq = app.create_department(&admin, None, "HQ").await;
    let hr = app
        .create_role(
            &admin,
            "hr",
            "department_tree",
            &["org:user:read", "org:user:write", "org:role:write"],
        )
        .await;
    let (hr_id, hr_token) = app
        .user_token(&admin, "hr1", hq["id"].as_i64(), &[hr])
        .await;

    // The administrator role (id 1) would make them administrator: refused, on the field.
    let me = expect_json(
        app.get(&format!("/api/v1/users/{hr_id}"), &hr_token).await,
        StatusCode::OK,
    )
    .await;
    let p = expect_problem(app.put(&format!("/api/v1/users/{hr_id}"), &hr_token, &json!({
        "displayName": "hr1", "departmentId": hq["id"], "roleIds": [hr, 1], "version": me["version"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_errors(&p),
        vec![("roleIds[1]".into(), "cannot_grant_role".into())]
    );
    let p = expect_problem(
        app.post(
            "/api/v1/users",
            Some(&hr_token),
            &json!({
        "username": "crony", "displayName": "crony", "departmentId": hq["id"], "roleIds": [1],
        "initialPassword": "First-Pass-2026"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("roleIds[0]".into(), "cannot_grant_role".into())]
    );

    // Nor can they write a role with a permission they lack, or that sees more than they do.
    let p = expect_problem(
        app.post(
            "/api/v1/roles",
            Some(&hr_token),
            &json!({
        "code": "wide", "name": "wide", "dataScope": "department", "permissions": ["audit:read"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("permissions[0]".into(), "cannot_grant_role".into())]
    );
    let p = expect_problem(
        app.post(
            "/api/v1/roles",
            Some(&hr_token),
            &json!({
        "code": "all", "name": "all", "dataScope": "all", "permissions": ["org:user:read"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("dataScope".into(), "cannot_grant_role".into())]
    );

    // What they do hold, they may grant.
    let clerk = expect_json(app.post("/api/v1/roles", Some(&hr_token), &json!({
        "code": "clerk", "name": "clerk", "dataScope": "department", "permissions": ["org:user:read"]})).await,
        StatusCode::CREATED).await;
    expect_json(app.post("/api/v1/users", Some(&hr_token), &json!({
        "username": "clerk1", "displayName": "clerk1", "departmentId": hq["id"], "roleIds": [clerk["id"]],
        "initialPassword": "First-Pass-2026"})).await, StatusCode::CREATED).await;
    assert_eq!(
        app.count("users").await,
        3,
        "admin, hr1 and clerk1; nothing from the refused requests"
    );
}
