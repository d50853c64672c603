//! `chedai`: serve the product, migrate, print the OpenAPI document, run the calculator.

mod books_cli;
mod calc_cli;
mod close_cli;
mod config;
mod database;
mod demo;
mod r#gen;
mod gen_loans;
mod gen_portfolio;
mod pii_cli;
mod secrets;

use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use iam::service::bootstrap::{self, AdminBootstrap};
use kernel::SystemClock;
use loans::domain::close_schedule::CloseAt;

use crate::config::Config;

#[derive(Parser)]
#[command(
    name = "chedai",
    version,
    about = "车贷 Chedai — the back office of vehicle-secured lending"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web app (starts a private PostgreSQL when DATABASE_URL is unset).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Re-encrypt personal data under the active key (`--new-key`: add one to the local key
    /// file first).
    RotatePiiKey {
        #[arg(long)]
        new_key: bool,
    },
    /// The loan calculator without a server: the request JSON on stdin, the answer on stdout.
    Calc {
        #[arg(value_enum)]
        calculation: calc_cli::Calculation,
    },
    /// Check the books: the loans' sub-ledgers against the control accounts, and debits
    /// against credits. Prints the checks; exits 1 when they do not reconcile.
    Reconcile,
    /// Move the business date forward by hand, as the administrator, with a reason (audited).
    AdvanceDate {
        /// The new business date, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        #[arg(long)]
        reason: String,
    },
    /// The daily close (日终): close each business date before `--to` (default: today) in
    /// turn. Safe to run on several machines at once, and to run again after a crash.
    CloseDay {
        /// Stop when the business date reaches this day, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
        /// Loans per partition (a worker claims one partition at a time); a worker joining or
        /// resuming a run uses the size the run was started with.
        #[arg(long, default_value_t = 10_000)]
        partition_size: i64,
        /// This worker's name in the partitions it does (default: its process id).
        #[arg(long)]
        worker: Option<String>,
        /// Partitions this worker does at once, each on its own database connection.
        #[arg(long, default_value_t = 1)]
        parallel: usize,
    },
    /// Generate benchmark data, e.g. `gen customers --count 1000000 --seed 1`.
    Gen {
        #[command(subcommand)]
        what: r#gen::GenCommand,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Calc { calculation } => std::process::exit(calc_cli::run(calculation)),
        Command::Openapi => {
            print!("{}", api::openapi_json());
            Ok(())
        }
        Command::Migrate => runtime()?.block_on(async {
            let config = Config::from_env()?;
            init_tracing(&config);
            let db = database::open(&config).await?;
            drop(db);
            Ok(())
        }),
        Command::Serve => runtime()?.block_on(serve()),
        Command::AdvanceDate { to, reason } => {
            runtime()?.block_on(books_cli::advance(&to, &reason))
        }
        Command::CloseDay {
            to,
            partition_size,
            worker,
            parallel,
        } => {
            let ok = runtime()?.block_on(close_cli::close_day(
                to.as_deref(),
                partition_size,
                worker,
                parallel,
            ))?;
            std::process::exit(if ok { 0 } else { 1 })
        }
        Command::Reconcile => {
            let ok = runtime()?.block_on(async {
                let config = Config::from_env()?;
                init_tracing(&config);
                let db = database::open(&config).await?;
                let r = loans::service::reconciliation::run(&db.connection)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("{}", serde_json::to_string_pretty(&r)?);
                anyhow::Ok(r.ok)
            })?;
            std::process::exit(if ok { 0 } else { 1 })
        }
        Command::RotatePiiKey { new_key } => runtime()?.block_on(pii_cli::rotate(new_key)),
        Command::Gen { what } => runtime()?.block_on(r#gen::run(what)),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    // One line per request when its span closes, with the request id, route, status and time.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE);
    if config.log_json {
        let _ = builder.json().flatten_event(true).try_init();
    } else {
        let _ = builder.try_init();
    }
}

async fn serve() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    init_tracing(&config);
    let db = database::open(&config).await?;
    let tokens = secrets::token_keys(&config)?;
    let customer_services = api::CustomerServices {
        pii: secrets::pii_keys(&config)?,
        files: Arc::new(customers::LocalFileStore::new(config.var_dir.join("files"))),
    };
    let state = api::AppState::new(
        db.connection.clone(),
        Arc::new(SystemClock),
        tokens,
        customer_services,
    );

    let initial = config
        .admin_password
        .clone()
        .unwrap_or_else(secrets::random_password);
    match bootstrap::ensure_admin(&state.iam, &initial).await? {
        AdminBootstrap::Created { username } => {
            if config.admin_password.is_none() {
                println!(
                    "\n  First start: the administrator is `{username}` with the one-time password\n\n      {initial}\n\n  It must be changed at first sign-in. This is the only time it is shown.\n"
                );
            } else {
                println!(
                    "First start: the administrator `{username}` was created with CHEDAI_ADMIN_PASSWORD."
                );
            }
            if config.demo_data {
                demo::load(&state).await.context("loading demo data")?;
                println!(
                    "Demo data loaded: sign in as any demo user (e.g. `manager1`) with `{}`.",
                    demo::DEMO_PASSWORD
                );
            }
        }
        AdminBootstrap::AlreadyThere => {}
    }
    bootstrap::sync_admin_permissions(&state.iam).await?;

    if let Some(at) = config.close_at {
        spawn_close_scheduler(&state, at);
    }

    let options = api::ServerOptions {
        web_dir: Some(config.web_dir.clone()),
        cors_origins: config.cors_origins.clone(),
        close_at: config.close_at,
    };
    tracing::info!(bind = %config.bind, web_dir = %config.web_dir.display(), "serving");
    println!("Chedai is serving on http://{}", config.bind);
    // actix handles signals only inside its own runtime; under tokio we stop it ourselves on
    // SIGINT or SIGTERM, gracefully, and the private PostgreSQL stops after it.
    let server = actix_web::HttpServer::new(move || api::build_app(state.clone(), options.clone()))
        .disable_signals()
        .bind(&config.bind)
        .with_context(|| format!("binding {}", config.bind))?
        .run();
    let handle = server.handle();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("stopping on a signal");
        handle.stop(true).await;
    });
    server.await?;
    drop(db);
    Ok(())
}

/// The daily close at `at` every day, on the API's database and clock (the same context as
/// `POST /close-runs`), as a background task that lives as long as the server.
fn spawn_close_scheduler(state: &api::AppState, at: CloseAt) {
    use loans::service::close::{CloseContext, CloseOptions};
    use loans::service::close_scheduler::{self, CloseSchedule};
    let ctx = CloseContext {
        db: state.db.clone(),
        clock: state.clock.clone(),
    };
    let close = CloseOptions {
        worker: format!("serve-{}", std::process::id()),
        ..CloseOptions::default()
    };
    tracing::info!(close_at = %at, "the daily close runs by itself at this time (UTC)");
    tokio::spawn(close_scheduler::run(ctx, CloseSchedule::new(at, close)));
}

/// The first SIGINT (Ctrl-C) or SIGTERM (a service manager, `docker stop`).
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
