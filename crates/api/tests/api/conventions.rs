//! HTTP conventions: 401/403 with codes, 400 versus 422, problem+json, paging, the OpenAPI
//! document, Swagger UI offline, health, the SPA fallback.

use api::ServerOptions;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_request_without_a_valid_token_is_401_with_a_code() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/v1/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    expect_problem(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    expect_problem(
        app.get("/api/v1/users", "not-a-jwt").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_user_without_the_permission_gets_403() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let viewer = app
        .create_role(&admin, "viewer", "all", &["org:department:read"])
        .await;
    let (_, token) = app.user_token(&admin, "viewer1", None, &[viewer]).await;
    expect_json(
        app.get("/api/v1/departments/tree", &token).await,
        StatusCode::OK,
    )
    .await;
    let p = expect_problem(
        app.get("/api/v1/users", &token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("org:user:read"));
    expect_problem(
        app.post(
            "/api/v1/departments",
            Some(&token),
            &json!({"name": "x", "code": "X"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.count("departments").await,
        0,
        "a refused request changes nothing"
    );
}

#[tokio::test]
async fn unparseable_bodies_are_400_and_rule_breaks_are_422_with_field_names() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    expect_problem(
        app.post_raw("/api/v1/departments", &admin, "{\"name\": ")
            .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    expect_problem(
        app.post(
            "/api/v1/departments",
            Some(&admin),
            &json!({"name": "总部", "code": "HQ", "parentId": "abc"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    let p = expect_problem(
        app.post(
            "/api/v1/departments",
            Some(&admin),
            &json!({"name": "  ", "code": "总部"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![
            ("code".to_string(), "invalid_format".to_string()),
            ("name".to_string(), "required".to_string()),
        ]
    );
    let hq = app.create_department(&admin, None, "HQ").await;
    let p = expect_problem(
        app.post(
            "/api/v1/employees",
            Some(&admin),
            &json!({
            "employeeNo": "E1", "name": "李娜", "phone": "12345", "email": "nope",
            "departmentId": hq["id"], "positionId": 999}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![
            ("email".to_string(), "invalid_email".to_string()),
            ("phone".to_string(), "invalid_phone".to_string()),
        ]
    );
    let p = expect_problem(
        app.post(
            "/api/v1/employees",
            Some(&admin),
            &json!({
            "employeeNo": "E1", "name": "李娜", "departmentId": hq["id"], "positionId": 999}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("positionId".to_string(), "unknown_reference".to_string())]
    );
    assert_eq!(app.count("employees").await, 0, "bad input changes nothing");
    expect_problem(
        app.get("/api/v1/users?page=abc", &admin).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_problem(
        app.get("/api/v1/users/abc", &admin).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let huge = "x".repeat(api::state::JSON_LIMIT_BYTES + 10);
    expect_problem(
        app.post(
            "/api/v1/departments",
            Some(&admin),
            &json!({"name": huge, "code": "X"}),
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
}

#[tokio::test]
async fn lists_page_with_page_and_page_size() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for i in 0..5 {
        expect_json(
            app.post(
                "/api/v1/positions",
                Some(&admin),
                &json!({"code": format!("P{i}"), "name": format!("职务{i}")}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let page = expect_json(
        app.get("/api/v1/positions?page=2&pageSize=2", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["total"], 5);
    assert_eq!(page["page"], 2);
    assert_eq!(page["pageSize"], 2);
    let codes: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].clone())
        .collect();
    assert_eq!(codes, vec![json!("P2"), json!("P3")]);
}

#[tokio::test]
async fn an_unknown_api_path_is_a_404_problem_not_the_web_app() {
    let app = spawn_app().await;
    expect_problem(
        app.client
            .get(app.url("/api/v1/nothing-here"))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let ready = expect_json(
        app.client.get(app.url("/readyz")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(ready["status"], "ready");
}

#[tokio::test]
async fn the_openapi_document_and_offline_docs_are_served() {
    let app = spawn_app().await;
    let doc = expect_json(
        app.client
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(doc["paths"]["/api/v1/auth/login"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/departments/{id}"]["put"].is_object());
    let page = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger"), "the Swagger UI page");
    for cdn in ["unpkg.com", "cdn.jsdelivr", "cdnjs"] {
        assert!(!html.contains(cdn), "no CDN: {cdn}");
    }
}

#[tokio::test]
async fn every_protected_operation_names_its_permission_or_says_none_is_needed() {
    let doc = api::openapi();
    let json = serde_json::to_value(&doc).unwrap();
    for (path, item) in json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let text = format!("{} {}", op["summary"], op["description"]);
            assert!(
                text.contains("Permission: `")
                    || text.contains("No permission needed")
                    || text.contains("Needs a signed-in user"),
                "{method} {path} does not say which permission it needs"
            );
        }
    }
}

#[tokio::test]
async fn operation_ids_are_unique_so_typed_clients_do_not_merge_endpoints() {
    let json = serde_json::to_value(api::openapi()).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for item in json["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let id = op["operationId"]
                .as_str()
                .expect("every operation has an id");
            assert!(
                seen.insert(id.to_string()),
                "operationId {id} is used twice"
            );
        }
    }
}

#[tokio::test]
async fn client_routes_fall_back_to_the_web_app() {
    let dir = std::env::temp_dir().join(format!("chedai-web-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<html>chedai spa</html>").unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log(1)").unwrap();
    let app = spawn_app_with(ServerOptions {
        web_dir: Some(dir.clone()),
        cors_origins: vec![],
        close_at: None,
    })
    .await;
    for path in ["/", "/org/departments", "/login"] {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.text().await.unwrap().contains("chedai spa"), "{path}");
    }
    let js = app
        .client
        .get(app.url("/assets/app.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.text().await.unwrap(), "console.log(1)");
    expect_problem(
        app.client
            .get(app.url("/api/v1/missing"))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    std::fs::remove_dir_all(dir).ok();
}

/// utoipa keys schemas by name and silently lets a second type replace the first, which once
/// gave the web app a position (职务) shaped like a diagram point. Every schema name is unique.
#[test]
fn no_two_schema_types_share_a_name() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut names: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut stack = vec![crates];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("target") && !path.ends_with("tests") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !(line.trim_start().starts_with("#[derive(") && line.contains("ToSchema")) {
                    continue;
                }
                let mut alias = None;
                for next in lines.iter().skip(i + 1).take(8) {
                    let t = next.trim_start();
                    if let Some(rest) = t.strip_prefix("#[schema(as = ") {
                        alias = rest.split(')').next().map(str::to_string);
                    }
                    let declared = t
                        .strip_prefix("pub struct ")
                        .or_else(|| t.strip_prefix("pub enum "))
                        .or_else(|| t.strip_prefix("struct "))
                        .or_else(|| t.strip_prefix("enum "));
                    if let Some(rest) = declared {
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        names
                            .entry(alias.clone().unwrap_or(name))
                            .or_default()
                            .push(path.display().to_string());
                        break;
                    }
                }
            }
        }
    }
    let clashes: Vec<_> = names.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(clashes.is_empty(), "schema names used twice: {clashes:?}");
    assert!(
        names.len() > 100,
        "the scan found the schemas ({})",
        names.len()
    );
}
