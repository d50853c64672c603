//! `chedai rotate-pii-key`: re-encrypts personal data under the active key.
//!
//! In a deployment, add the new key to `CHEDAI_PII_KEYS`, point `CHEDAI_PII_ACTIVE_KEY` at it,
//! restart the servers (they read old and new keys), run this command, then drop the old key.
//! For a local run, `--new-key` appends a freshly generated key to `var/secrets/pii.keys` and
//! makes it active first.

use anyhow::Context;

use crate::config::Config;
use crate::{database, secrets};

pub async fn rotate(new_key: bool) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    if new_key {
        anyhow::ensure!(
            config.pii_keys.is_none(),
            "--new-key works on the local key file only; with CHEDAI_PII_KEYS add the key there"
        );
        // Make sure the file exists, then append the next key.
        secrets::pii_keys(&config)?;
        let path = secrets::development_pii_keys_path(&config);
        let text = std::fs::read_to_string(&path).context("reading the local PII keys")?;
        let id = format!(
            "dev{}",
            text.lines().filter(|l| !l.trim().is_empty()).count() + 1
        );
        let mut text = text.trim_end().to_string();
        text.push_str(&format!("\n{id}:{}\n", customers::pii::generate_key_hex()));
        std::fs::write(&path, text).context("writing the local PII keys")?;
        println!(
            "Added PII key {id} to {} and made it active.",
            path.display()
        );
    }
    let keys = secrets::pii_keys(&config)?;
    let db = database::open(&config).await?;
    let report = customers::service::rotation::rotate(&db.connection, &keys)
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    println!("Personal data is now under key {}:", report.active_key);
    for (column, count) in report.columns {
        println!("  {column}: {count} re-encrypted");
    }
    drop(db);
    Ok(())
}
