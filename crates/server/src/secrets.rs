//! Secrets: from the environment in a deployment; generated under `var/` for a local run.

use std::path::Path;

use anyhow::Context;
use iam::service::TokenKeys;
use rand::RngCore;

use crate::config::Config;

pub fn token_keys(config: &Config) -> anyhow::Result<TokenKeys> {
    let secret = match &config.jwt_secret {
        Some(s) => s.clone(),
        None => development_key(&config.var_dir.join("secrets").join("jwt.key"))?,
    };
    TokenKeys::from_secret(&secret).map_err(|e| anyhow::anyhow!(e.message))
}

/// Reads the key file, creating it with 64 random bytes on first start.
fn development_key(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(text) = std::fs::read_to_string(path) {
        return hex::decode(text.trim()).context("the development JWT key is not hex");
    }
    let mut key = [0u8; 64];
    rand::rng().fill_bytes(&mut key);
    std::fs::create_dir_all(path.parent().context("key path has a folder")?)?;
    std::fs::write(path, hex::encode(key))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    println!(
        "Generated a development JWT signing key at {} (set CHEDAI_JWT_SECRET in production).",
        path.display()
    );
    Ok(key.to_vec())
}

/// A one-time password that meets the policy.
pub fn random_password() -> String {
    let mut bytes = [0u8; 9];
    rand::rng().fill_bytes(&mut bytes);
    format!("Cd-{}9a", hex::encode(bytes))
}
