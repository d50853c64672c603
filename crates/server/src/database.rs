//! The database: the one named by DATABASE_URL, or a private cluster under `var/pg`.

use std::path::PathBuf;

use anyhow::Context;
use localpg::{Durability, LocalPostgres};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::Config;

/// An open, migrated database, and the private cluster behind it if any (stopped on drop).
pub struct OpenDatabase {
    pub connection: DatabaseConnection,
    _cluster: Option<LocalPostgres>,
}

pub async fn open(config: &Config) -> anyhow::Result<OpenDatabase> {
    let (url, cluster) = match &config.database_url {
        Some(url) => (url.clone(), None),
        None => {
            let dir = data_dir(config)?;
            let cluster = tokio::task::spawn_blocking(move || {
                let pg = LocalPostgres::start(&dir, Durability::Durable)?;
                pg.ensure_database("chedai")?;
                Ok::<_, localpg::LocalPgError>(pg)
            })
            .await??;
            (cluster.url("chedai"), Some(cluster))
        }
    };
    let mut options = ConnectOptions::new(url);
    options.max_connections(32).sqlx_logging(false);
    let connection = Database::connect(options)
        .await
        .context("connecting to PostgreSQL")?;
    Migrator::up(&connection, None)
        .await
        .context("applying migrations")?;
    Ok(OpenDatabase {
        connection,
        _cluster: cluster,
    })
}

/// `var/pg`, unless the `postgres` user (which runs the cluster when we are root) cannot reach
/// it, as under /root; then a folder of ours under /var/lib/chedai named after this checkout.
fn data_dir(config: &Config) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(&config.var_dir)?;
    let var_dir = config.var_dir.canonicalize()?;
    let preferred = var_dir.join("pg");
    if localpg::reachable_by_postgres(&var_dir) {
        return Ok(preferred);
    }
    use sha2::Digest;
    let tag = hex::encode(&sha2::Sha256::digest(var_dir.to_string_lossy().as_bytes())[..6]);
    let fallback = PathBuf::from("/var/lib/chedai").join(format!("pg-{tag}"));
    println!(
        "The postgres user cannot reach {}; keeping the private database in {}",
        preferred.display(),
        fallback.display()
    );
    Ok(fallback)
}
