//! `chedai serve` on a fresh machine, as the README's first command runs it: its own
//! PostgreSQL, migrations, the administrator and the demo data, then a clean stop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn a_first_start_loads_the_demo_data_and_stops_cleanly() {
    let var = std::env::temp_dir().join(format!("chedai-demo-test-{}", std::process::id()));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chedai"))
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env("CHEDAI_VAR_DIR", &var)
        .env("CHEDAI_BIND", format!("127.0.0.1:{port}"))
        .env("CHEDAI_ADMIN_PASSWORD", "Initial-Pass-1")
        .env("CHEDAI_DEMO_DATA", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chedai starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // Waiting for the server is not timing it: the bound only stops a hung start.
    let mut loaded = false;
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(180)) {
        if line.contains("Demo data loaded") {
            loaded = true;
            break;
        }
    }
    // Then it serves: once the port answers, actix has its signal handlers.
    let mut serving = false;
    for _ in 0..600 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            serving = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().unwrap();

    // The books commands work on the same private database once the server has stopped.
    let command = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_chedai"))
            .args(args)
            .env_remove("DATABASE_URL")
            .env("CHEDAI_VAR_DIR", &var)
            .output()
            .expect("chedai runs")
    };
    let reconcile = command(&["reconcile"]);
    // The business date started at today's date; it cannot pass the calendar.
    let tomorrow = command(&["advance-date", "--to", "2999-01-01", "--reason", "测试"]);
    let _ = std::fs::remove_dir_all(&var);
    assert!(loaded, "the demo data loaded on the first start");
    assert!(serving, "the server listens after loading");
    assert!(status.success(), "a clean stop on SIGTERM: {status:?}");
    let out = String::from_utf8_lossy(&reconcile.stdout);
    assert!(
        reconcile.status.success(),
        "the demo books reconcile: {out}\n{}",
        String::from_utf8_lossy(&reconcile.stderr)
    );
    assert!(out.contains("\"ok\": true"), "{out}");
    assert!(!tomorrow.status.success());
    assert!(
        String::from_utf8_lossy(&tomorrow.stderr).contains("in_future"),
        "the refusal says why: {}",
        String::from_utf8_lossy(&tomorrow.stderr)
    );
}
