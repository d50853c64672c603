//! Personal data at rest (个人信息保护): AES-256-GCM with a fresh nonce per value and the key id
//! written in front of each ciphertext (`k2:<hex nonce‖ciphertext>`), so a new key can become
//! active while values written under older keys still read until the rotation command
//! re-encrypts them. Exact search goes through a keyed hash (HMAC-SHA256) under a separate key
//! that does not rotate with the encryption keys.
//!
//! The field name is bound into each ciphertext as associated data, so a value cannot be moved
//! from one column to another and still decrypt.

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use kernel::{AppError, AppResult};
use rand::RngCore;
use sha2::Sha256;

const NONCE_BYTES: usize = 12;

/// The encryption keys by id, the active one, and the search-hash key.
#[derive(Clone)]
pub struct PiiKeys {
    keys: BTreeMap<String, [u8; 32]>,
    active: String,
    hash_key: [u8; 32],
}

impl std::fmt::Debug for PiiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key material never reaches a log.
        f.debug_struct("PiiKeys")
            .field("key_ids", &self.keys.keys().collect::<Vec<_>>())
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

fn key_from_hex(id: &str, text: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(text.trim()).map_err(|_| format!("PII key {id} is not hex"))?;
    bytes
        .try_into()
        .map_err(|_| format!("PII key {id} must be 32 bytes (64 hex characters)"))
}

impl PiiKeys {
    /// Parses `k1:<64 hex>,k2:<64 hex>` (commas or new lines between keys). The active key is
    /// `active` when given, else the last one listed.
    pub fn parse(keys: &str, active: Option<&str>, hash_key_hex: &str) -> Result<PiiKeys, String> {
        let mut map = BTreeMap::new();
        let mut last = None;
        for entry in keys
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let (id, hex_key) = entry.split_once(':').ok_or_else(|| {
                format!(
                    "PII key entry `{}…` lacks `id:`",
                    &entry[..entry.len().min(3)]
                )
            })?;
            let id = id.trim();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err("PII key ids use letters, digits, '_' and '-'".into());
            }
            map.insert(id.to_string(), key_from_hex(id, hex_key)?);
            last = Some(id.to_string());
        }
        let active = match active {
            Some(a) => a.trim().to_string(),
            None => last.ok_or("no PII key given")?,
        };
        if !map.contains_key(&active) {
            return Err(format!("the active PII key {active} is not among the keys"));
        }
        Ok(PiiKeys {
            keys: map,
            active,
            hash_key: key_from_hex("hash", hash_key_hex)?,
        })
    }

    /// Fixed keys for tests and examples; never for real data.
    pub fn for_tests() -> PiiKeys {
        PiiKeys::parse(&format!("t1:{}", "11".repeat(32)), None, &"22".repeat(32))
            .expect("test keys parse")
    }

    pub fn active_key_id(&self) -> &str {
        &self.active
    }

    /// Encrypts `plaintext` under the active key, bound to `field`.
    pub fn encrypt(&self, field: &str, plaintext: &str) -> String {
        let key = &self.keys[&self.active];
        let cipher = Aes256Gcm::new(key.into());
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: field.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of a short value cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        format!("{}:{}", self.active, hex::encode(out))
    }

    /// Decrypts a value written by [`PiiKeys::encrypt`] under any key still held.
    pub fn decrypt(&self, field: &str, stored: &str) -> AppResult<String> {
        let (id, body) = stored
            .split_once(':')
            .ok_or_else(|| AppError::internal(format!("{field}: ciphertext without key id")))?;
        let key = self
            .keys
            .get(id)
            .ok_or_else(|| AppError::internal(format!("{field}: PII key {id} is not loaded")))?;
        let bytes = hex::decode(body)
            .map_err(|_| AppError::internal(format!("{field}: ciphertext is not hex")))?;
        if bytes.len() <= NONCE_BYTES {
            return Err(AppError::internal(format!("{field}: ciphertext too short")));
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().expect("split at the nonce length");
        let plain = Aes256Gcm::new(key.into())
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| {
                AppError::internal(format!("{field}: ciphertext does not authenticate"))
            })?;
        String::from_utf8(plain).map_err(|_| AppError::internal(format!("{field}: not UTF-8")))
    }

    /// True when `stored` was written under a key other than the active one.
    pub fn needs_rotation(&self, stored: &str) -> bool {
        stored.split_once(':').map(|(id, _)| id) != Some(self.active.as_str())
    }

    /// The keyed hash for exact search of a normalised value of one `kind` (`id_number`,
    /// `mobile`, `account_number`, `credit_code`).
    pub fn hash(&self, kind: &str, normalised: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.hash_key).expect("HMAC takes any key");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(normalised.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// A fresh random key as 64 hex characters.
pub fn generate_key_hex() -> String {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    hex::encode(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_binds_the_field() {
        let keys = PiiKeys::for_tests();
        let sealed = keys.encrypt("customers.id_number", "11010519491231002X");
        assert!(sealed.starts_with("t1:"));
        assert_ne!(
            sealed,
            keys.encrypt("customers.id_number", "11010519491231002X")
        );
        assert_eq!(
            keys.decrypt("customers.id_number", &sealed).unwrap(),
            "11010519491231002X"
        );
        assert!(keys.decrypt("customers.mobile", &sealed).is_err());
    }

    #[test]
    fn old_keys_still_read_after_a_new_key_becomes_active() {
        let old =
            PiiKeys::parse(&format!("k1:{}", "01".repeat(32)), None, &"09".repeat(32)).unwrap();
        let sealed = old.encrypt("f", "13800138000");
        let both = PiiKeys::parse(
            &format!("k1:{},k2:{}", "01".repeat(32), "02".repeat(32)),
            Some("k2"),
            &"09".repeat(32),
        )
        .unwrap();
        assert_eq!(both.decrypt("f", &sealed).unwrap(), "13800138000");
        assert!(both.needs_rotation(&sealed));
        assert!(!both.needs_rotation(&both.encrypt("f", "x")));
        assert_eq!(
            old.hash("mobile", "13800138000"),
            both.hash("mobile", "13800138000")
        );
        assert_ne!(
            both.hash("mobile", "13800138000"),
            both.hash("id_number", "13800138000")
        );
    }

    #[test]
    fn bad_key_lists_are_refused() {
        assert!(PiiKeys::parse("k1:abcd", None, &"09".repeat(32)).is_err());
        assert!(
            PiiKeys::parse(
                &format!("k1:{}", "01".repeat(32)),
                Some("k9"),
                &"09".repeat(32)
            )
            .is_err()
        );
        assert!(format!("{:?}", PiiKeys::for_tests()).contains("t1"));
        assert!(!format!("{:?}", PiiKeys::for_tests()).contains("1111"));
    }
}
