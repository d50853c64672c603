//! Configuration from the environment (every setting has a local-run default).

use std::path::PathBuf;

use anyhow::Context;
use loans::domain::close_schedule::CloseAt;

#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`: the PostgreSQL to use; unset runs a private one under `var_dir/pg`.
    pub database_url: Option<String>,
    /// `CHEDAI_VAR_DIR` (default `./var`): the private database, development secrets, files.
    pub var_dir: PathBuf,
    /// `CHEDAI_BIND` (default `127.0.0.1:8080`).
    pub bind: String,
    /// `CHEDAI_WEB_DIR` (default `./web/dist`): the built SPA.
    pub web_dir: PathBuf,
    /// `CHEDAI_ADMIN_PASSWORD`: the first administrator's initial password (else generated
    /// and printed once).
    pub admin_password: Option<String>,
    /// `CHEDAI_JWT_SECRET` or `CHEDAI_JWT_SECRET_FILE`; else a development key under `var_dir`.
    pub jwt_secret: Option<Vec<u8>>,
    /// `CHEDAI_CORS_ORIGINS`: comma-separated origins allowed to call the API from a browser.
    pub cors_origins: Vec<String>,
    /// `CHEDAI_DEMO_DATA` (default on): load demo data on first start.
    pub demo_data: bool,
    /// `CHEDAI_LOG_FORMAT` = `json` (default) or `pretty`.
    pub log_json: bool,
    /// `CHEDAI_PII_KEYS` (`k1:<64 hex>,k2:<64 hex>`) or `CHEDAI_PII_KEYS_FILE`: the personal-data
    /// encryption keys; else development keys under `var_dir/secrets`.
    pub pii_keys: Option<String>,
    /// `CHEDAI_PII_ACTIVE_KEY`: the key id new values are encrypted under (default: the last).
    pub pii_active_key: Option<String>,
    /// `CHEDAI_PII_HASH_KEY` (64 hex): the key of the search hashes; it never rotates.
    pub pii_hash_key: Option<String>,
    /// `CHEDAI_CLOSE_AT` (`HH:MM`, UTC): `serve` runs the daily close (定时日终) once the time
    /// of day has passed it and the business date is behind the calendar; unset: only by hand.
    pub close_at: Option<CloseAt>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets and the database password never reach a log.
        f.debug_struct("Config")
            .field("database_url", &self.database_url.as_ref().map(|_| "<set>"))
            .field("var_dir", &self.var_dir)
            .field("bind", &self.bind)
            .field("web_dir", &self.web_dir)
            .field("close_at", &self.close_at.map(|t| t.to_string()))
            .finish_non_exhaustive()
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let jwt_secret = match (var("CHEDAI_JWT_SECRET"), var("CHEDAI_JWT_SECRET_FILE")) {
            (Some(secret), _) => Some(secret.into_bytes()),
            (None, Some(file)) => Some(
                std::fs::read(&file)
                    .with_context(|| format!("reading CHEDAI_JWT_SECRET_FILE {file}"))?,
            ),
            (None, None) => None,
        };
        Ok(Config {
            database_url: var("DATABASE_URL"),
            var_dir: PathBuf::from(var("CHEDAI_VAR_DIR").unwrap_or_else(|| "./var".into())),
            bind: var("CHEDAI_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            web_dir: PathBuf::from(var("CHEDAI_WEB_DIR").unwrap_or_else(|| "./web/dist".into())),
            admin_password: var("CHEDAI_ADMIN_PASSWORD"),
            jwt_secret,
            cors_origins: var("CHEDAI_CORS_ORIGINS")
                .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
                .unwrap_or_default(),
            demo_data: !matches!(
                var("CHEDAI_DEMO_DATA").as_deref(),
                Some("0" | "false" | "no" | "off")
            ),
            log_json: var("CHEDAI_LOG_FORMAT").as_deref() != Some("pretty"),
            pii_keys: match (var("CHEDAI_PII_KEYS"), var("CHEDAI_PII_KEYS_FILE")) {
                (Some(keys), _) => Some(keys),
                (None, Some(file)) => Some(
                    std::fs::read_to_string(&file)
                        .with_context(|| format!("reading CHEDAI_PII_KEYS_FILE {file}"))?,
                ),
                (None, None) => None,
            },
            pii_active_key: var("CHEDAI_PII_ACTIVE_KEY"),
            pii_hash_key: var("CHEDAI_PII_HASH_KEY"),
            close_at: var("CHEDAI_CLOSE_AT")
                .map(|v| v.parse::<CloseAt>())
                .transpose()
                .map_err(|e| anyhow::anyhow!("CHEDAI_CLOSE_AT: {e}"))?,
        })
    }
}
