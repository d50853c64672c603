//! `chedai serve` with `CHEDAI_CLOSE_AT` closes the missed business dates by itself. Two
//! servers on one database, both scheduled at 00:00 UTC (a time of day that has always
//! passed), find the business date three days behind the calendar: between them they close
//! each missed day once, the business date becomes today, and neither logs an error.
//!
//! The servers run on the machine's clock, so the days are counted back from today's UTC
//! date; the polls' bound only turns a hang into a failure, it times nothing.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use localpg::LocalPostgres;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use time::OffsetDateTime;

const DAYS_BEHIND: i64 = 3;
const PASSWORD: &str = "Initial-Pass-1";
const NEW_PASSWORD: &str = "Changed-Pass-2";

struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    /// A test that fails half-way leaves no server behind (after `stop` this finds it gone).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn stop(mut self) -> Vec<String> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        self.log.lock().unwrap().clone()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(url: &str, var: &std::path::Path, close_at: Option<&str>) -> Server {
    let port = free_port();
    let mut c = Command::new(env!("CARGO_BIN_EXE_chedai"));
    c.arg("serve")
        .env("DATABASE_URL", url)
        .env("CHEDAI_VAR_DIR", var)
        .env("CHEDAI_BIND", format!("127.0.0.1:{port}"))
        .env("CHEDAI_ADMIN_PASSWORD", PASSWORD)
        .env("CHEDAI_DEMO_DATA", "0")
        .env("CHEDAI_LOG_FORMAT", "json")
        .env_remove("RUST_LOG")
        .env_remove("CHEDAI_CLOSE_AT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(at) = close_at {
        c.env("CHEDAI_CLOSE_AT", at);
    }
    let mut child = c.spawn().expect("chedai serve starts");
    let log = Arc::new(Mutex::new(vec![]));
    for out in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                log.lock().unwrap().push(line);
            }
        });
    }
    let server = Server { child, port, log };
    for _ in 0..1200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server never listened: {:?}", server.stop());
}

async fn admin_token(client: &reqwest::Client, port: u16) -> String {
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let first: Value = client
        .post(format!("{base}/auth/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let changed: Value = client
        .post(format!("{base}/auth/change-password"))
        .bearer_auth(first["accessToken"].as_str().expect("signed in"))
        .json(&json!({"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    changed["accessToken"].as_str().unwrap().to_string()
}

async fn get(client: &reqwest::Client, port: u16, path: &str, token: &str) -> Value {
    let r = client
        .get(format!("http://127.0.0.1:{port}/api/v1{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_scheduled_servers_close_the_missed_days_once_between_them() {
    let mut pg = LocalPostgres::start_temporary().expect("a throw-away PostgreSQL starts");
    pg.ensure_database("sched").unwrap();
    let url = pg.url("sched");
    let var = std::env::temp_dir().join(format!("chedai-close-scheduler-{}", std::process::id()));

    // A first start without the schedule migrates and creates the administrator, so that
    // the two scheduled servers do not race each other for it.
    let first = serve(&url, &var, None);
    first.stop();
    let today = OffsetDateTime::now_utc().date();
    let behind = today - time::Duration::days(DAYS_BEHIND);
    let db = Database::connect(&url).await.unwrap();
    db.execute_unprepared(&format!(
        "INSERT INTO business_date (id, today, updated_at) VALUES (TRUE, '{behind}', now()) \
         ON CONFLICT (id) DO UPDATE SET today = EXCLUDED.today"
    ))
    .await
    .unwrap();
    db.close().await.unwrap();

    let a = serve(&url, &var, Some("00:00"));
    let b = serve(&url, &var, Some("00:00"));
    let client = reqwest::Client::new();
    let token = admin_token(&client, a.port).await;
    let (mut runs, mut date) = (Value::Null, Value::Null);
    for _ in 0..1200 {
        runs = get(&client, b.port, "/close-runs?pageSize=50", &token).await;
        date = get(&client, a.port, "/business-date", &token).await;
        if date["today"] == today.to_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let logs = [a.stop(), b.stop()];
    pg.stop();
    let _ = std::fs::remove_dir_all(&var);

    assert_eq!(date["today"], today.to_string(), "{runs:#}");
    let closed: Vec<(String, String)> = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["businessDate"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = (1..=DAYS_BEHIND)
        .map(|k| {
            (
                (today - time::Duration::days(k)).to_string(),
                "done".to_string(),
            )
        })
        .collect();
    assert_eq!(closed, expected);
    assert_eq!(runs["total"], DAYS_BEHIND);
    for log in &logs {
        assert!(
            log.iter()
                .any(|l| l.contains("the daily close runs by itself")),
            "each server says it is scheduled: {log:#?}"
        );
        assert!(
            !log.iter().any(|l| l.contains("\"level\":\"ERROR\"")),
            "no server logs an error: {log:#?}"
        );
    }
    assert!(
        logs.iter()
            .flatten()
            .any(|l| l.contains("closed by the schedule")),
        "the schedule did the closing: {logs:#?}"
    );
}
