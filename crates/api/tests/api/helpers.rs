//! `spawn_app()`: a fresh, migrated database and a running server for one test.

use std::net::TcpListener;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use api::{AppState, ServerOptions};
use iam::service::TokenKeys;
use kernel::ManualClock;
use localpg::LocalPostgres;
use migration::{Migrator, MigratorTrait};
use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use time::macros::datetime;

pub const ADMIN_PASSWORD: &str = "Initial-Pass-1";
pub const ADMIN_NEW_PASSWORD: &str = "Changed-Pass-2";
pub const USER_PASSWORD: &str = "User-Pass-2026";
const TEMPLATE: &str = "chedai_template";

struct Cluster {
    pg: LocalPostgres,
}

/// The run's cluster, with a migrated template database every test copies.
fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let pg = LocalPostgres::start_temporary().expect("a throw-away PostgreSQL starts");
        pg.ensure_database(TEMPLATE).expect("template database");
        let url = pg.url(TEMPLATE);
        // Migrate on a runtime of our own: the calling test's runtime is busy awaiting us.
        std::thread::spawn(move || {
            tokio::runtime::Runtime::new().unwrap().block_on(async {
                let db = Database::connect(&url).await.expect("connect to template");
                Migrator::up(&db, None).await.expect("migrations apply");
                db.close().await.expect("close template");
            })
        })
        .join()
        .expect("migration thread");
        Cluster { pg }
    })
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub db: DatabaseConnection,
    /// The test database's URL, for the reconciliation every test ends with.
    pub db_url: String,
}

/// Every API test scenario ends with the books reconciled: the loans' sub-ledgers equal the
/// general ledger's control accounts and debits equal credits (a test that failed already
/// is left to report its own failure).
impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let url = self.db_url.clone();
        let outcome = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the reconciliation");
            runtime.block_on(async move {
                let db = Database::connect(&url)
                    .await
                    .expect("connect for the reconciliation");
                let result = loans::service::reconciliation::run(&db).await;
                db.close().await.ok();
                result
            })
        })
        .join()
        .expect("the reconciliation thread");
        let r = outcome.expect("the reconciliation runs");
        assert!(r.ok, "the books do not reconcile after this test: {r:#?}");
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(ServerOptions::default()).await
}

pub async fn spawn_app_with(options: ServerOptions) -> TestApp {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let cluster = cluster();
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let admin = Database::connect(cluster.pg.url("postgres")).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
        .await
        .expect("create the test database");
    admin.close().await.unwrap();
    let db_url = cluster.pg.url(&name);
    let db = Database::connect(&db_url).await.unwrap();

    let clock = ManualClock::new(datetime!(2026-03-02 09:00 UTC));
    let state = AppState::new(
        db.clone(),
        clock.clone(),
        TokenKeys::from_secret(&[42u8; 32]).unwrap(),
        api::CustomerServices {
            pii: customers::PiiKeys::for_tests(),
            files: Arc::new(customers::LocalFileStore::new(
                std::env::temp_dir().join(format!("chedai-test-files-{name}")),
            )),
        },
    );
    iam::service::bootstrap::ensure_admin(&state.iam, ADMIN_PASSWORD)
        .await
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = actix_web::HttpServer::new(move || api::build_app(state.clone(), options.clone()))
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
    tokio::spawn(server);
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::new(),
        clock,
        db,
        db_url,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut r = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Sends raw bytes as JSON, for bodies that cannot be parsed.
    pub async fn post_raw(&self, path: &str, token: &str, body: &'static str) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            None,
            &json!({"username": username, "password": password}),
        )
        .await
    }

    /// Signs in as the administrator, doing the forced first password change, and returns an
    /// access token.
    pub async fn admin_token(&self) -> String {
        let first = expect_json(self.login("admin", ADMIN_PASSWORD).await, StatusCode::OK).await;
        assert_eq!(first["mustChangePassword"], true);
        let changed = expect_json(
            self.post(
                "/api/v1/auth/change-password",
                first["accessToken"].as_str(),
                &json!({"currentPassword": ADMIN_PASSWORD, "newPassword": ADMIN_NEW_PASSWORD}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        changed["accessToken"].as_str().unwrap().to_string()
    }

    /// Creates a user with `roles` and signs them in (doing their first password change).
    pub async fn user_token(
        &self,
        admin: &str,
        username: &str,
        department_id: Option<i64>,
        role_ids: &[i64],
    ) -> (i64, String) {
        let user = expect_json(
            self.post(
                "/api/v1/users",
                Some(admin),
                &json!({"username": username, "displayName": username,
                        "departmentId": department_id, "roleIds": role_ids,
                        "initialPassword": "First-Pass-2026"}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        let first = expect_json(
            self.login(username, "First-Pass-2026").await,
            StatusCode::OK,
        )
        .await;
        let changed = expect_json(
            self.post(
                "/api/v1/auth/change-password",
                first["accessToken"].as_str(),
                &json!({"currentPassword": "First-Pass-2026", "newPassword": USER_PASSWORD}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        (
            user["id"].as_i64().unwrap(),
            changed["accessToken"].as_str().unwrap().to_string(),
        )
    }

    pub async fn create_department(&self, token: &str, parent: Option<i64>, code: &str) -> Value {
        expect_json(
            self.post(
                "/api/v1/departments",
                Some(token),
                &json!({"parentId": parent, "name": format!("部门{code}"), "code": code}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await
    }

    pub async fn create_role(
        &self,
        token: &str,
        code: &str,
        scope: &str,
        permissions: &[&str],
    ) -> i64 {
        expect_json(
            self.post(
                "/api/v1/roles",
                Some(token),
                &json!({"code": code, "name": code, "dataScope": scope, "permissions": permissions}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await["id"]
            .as_i64()
            .unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }
}

/// Asserts the status and returns the JSON body.
pub async fn expect_json(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "unexpected status; body: {body}");
    body
}

/// Asserts a problem+json answer with this status and code, and returns it.
pub async fn expect_problem(response: Response, status: StatusCode, code: &str) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|h| h.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = expect_json(response, status).await;
    assert_eq!(content_type, "application/problem+json", "body: {body}");
    assert_eq!(body["code"], code, "body: {body}");
    assert_eq!(body["status"], status.as_u16());
    body
}

/// The field errors of a 422 as (field, code) pairs.
pub fn field_errors(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap().to_string(),
                        e["code"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
