//! Secrets: from the environment in a deployment; generated under `var/` for a local run.

use std::path::Path;

use anyhow::Context;
use customers::{PiiKeys, pii};
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

/// The personal-data keys: from the environment in a deployment (`CHEDAI_PII_KEYS` needs
/// `CHEDAI_PII_HASH_KEY` with it); for a local run from `var/secrets/pii.keys` and
/// `var/secrets/pii-hash.key`, generated on first start.
pub fn pii_keys(config: &Config) -> anyhow::Result<PiiKeys> {
    let active = config.pii_active_key.as_deref();
    let parsed = match (&config.pii_keys, &config.pii_hash_key) {
        (Some(keys), Some(hash)) => PiiKeys::parse(keys, active, hash),
        (Some(_), None) => anyhow::bail!("CHEDAI_PII_KEYS is set: set CHEDAI_PII_HASH_KEY too"),
        (None, _) => {
            let folder = config.var_dir.join("secrets");
            let keys = development_pii_file(&folder.join("pii.keys"), || {
                format!("dev1:{}\n", pii::generate_key_hex())
            })?;
            let hash = match &config.pii_hash_key {
                Some(h) => h.clone(),
                None => development_pii_file(&folder.join("pii-hash.key"), pii::generate_key_hex)?,
            };
            PiiKeys::parse(&keys, active, &hash)
        }
    };
    parsed.map_err(|e| anyhow::anyhow!(e))
}

/// The local key list, to which `chedai rotate-pii-key --new-key` appends.
pub fn development_pii_keys_path(config: &Config) -> std::path::PathBuf {
    config.var_dir.join("secrets").join("pii.keys")
}

fn development_pii_file(path: &Path, make: impl FnOnce() -> String) -> anyhow::Result<String> {
    if let Ok(text) = std::fs::read_to_string(path) {
        return Ok(text);
    }
    let text = make();
    std::fs::create_dir_all(path.parent().context("key path has a folder")?)?;
    std::fs::write(path, &text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    println!(
        "Generated a development personal-data key at {} (set CHEDAI_PII_KEYS and CHEDAI_PII_HASH_KEY in production).",
        path.display()
    );
    Ok(text)
}

/// A one-time password that meets the policy.
pub fn random_password() -> String {
    let mut bytes = [0u8; 9];
    rand::rng().fill_bytes(&mut bytes);
    format!("Cd-{}9a", hex::encode(bytes))
}
