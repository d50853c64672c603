//! A role's data scope limits every list and read of employees and users.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn employee(app: &TestApp, token: &str, no: &str, department: &Value) -> i64 {
    expect_json(
        app.post(
            "/api/v1/employees",
            Some(token),
            &json!({
        "employeeNo": no, "name": no, "departmentId": department["id"]}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

fn numbers(page: &Value) -> Vec<String> {
    let mut n: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["employeeNo"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

#[tokio::test]
async fn each_scope_sees_its_own_part_of_the_organisation() {
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
    employee(&app, &admin, "E-HQ", &hq).await;
    employee(&app, &admin, "E-BIZ", &biz).await;
    let in_team = employee(&app, &admin, "E-TEAM", &team).await;
    let in_risk = employee(&app, &admin, "E-RISK", &risk).await;

    let read = ["org:employee:read", "org:employee:write", "org:user:read"];
    let tree_role = app
        .create_role(&admin, "head", "department_tree", &read)
        .await;
    let dept_role = app.create_role(&admin, "dept", "department", &read).await;
    let self_role = app.create_role(&admin, "own", "self", &read).await;

    let (_, head) = app
        .user_token(&admin, "head1", biz["id"].as_i64(), &[tree_role])
        .await;
    let (_, dept) = app
        .user_token(&admin, "dept1", biz["id"].as_i64(), &[dept_role])
        .await;
    let (own_id, own) = app
        .user_token(&admin, "own1", team["id"].as_i64(), &[self_role])
        .await;

    let all = expect_json(app.get("/api/v1/employees", &admin).await, StatusCode::OK).await;
    assert_eq!(numbers(&all), vec!["E-BIZ", "E-HQ", "E-RISK", "E-TEAM"]);
    let below = expect_json(app.get("/api/v1/employees", &head).await, StatusCode::OK).await;
    assert_eq!(numbers(&below), vec!["E-BIZ", "E-TEAM"]);
    assert_eq!(below["total"], 2);
    let same = expect_json(app.get("/api/v1/employees", &dept).await, StatusCode::OK).await;
    assert_eq!(numbers(&same), vec!["E-BIZ"]);
    let mine = expect_json(app.get("/api/v1/employees", &own).await, StatusCode::OK).await;
    assert_eq!(numbers(&mine), Vec::<String>::new());

    // Reading outside the scope is a 404, as if the record did not exist.
    expect_json(
        app.get(&format!("/api/v1/employees/{in_team}"), &head)
            .await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        app.get(&format!("/api/v1/employees/{in_risk}"), &head)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_problem(
        app.get(&format!("/api/v1/employees/{in_team}"), &dept)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // What a "self" user creates is theirs to see.
    employee(&app, &own, "E-OWN", &team).await;
    let mine = expect_json(app.get("/api/v1/employees", &own).await, StatusCode::OK).await;
    assert_eq!(numbers(&mine), vec!["E-OWN"]);

    // Users are scoped the same way: the "self" user sees only their own account.
    let users = expect_json(app.get("/api/v1/users", &own).await, StatusCode::OK).await;
    assert_eq!(users["total"], 1);
    assert_eq!(users["items"][0]["id"], own_id);
    let users = expect_json(app.get("/api/v1/users", &head).await, StatusCode::OK).await;
    let mut names: Vec<_> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, vec!["dept1", "head1", "own1"]);
}
