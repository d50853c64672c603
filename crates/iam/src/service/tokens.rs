//! Access tokens (JWT, HS256, 15 minutes) and refresh tokens (random, stored hashed, 14 days).
//!
//! Expiry is checked against our [`kernel::Clock`], not the machine's, so tests move time
//! instead of sleeping.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use kernel::{AppError, AppResult};

pub const ACCESS_TTL: Duration = Duration::minutes(15);
pub const REFRESH_TTL: Duration = Duration::days(14);

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenKeys {
    /// Keys from the signing secret (at least 32 bytes).
    pub fn from_secret(secret: &[u8]) -> AppResult<TokenKeys> {
        if secret.len() < 32 {
            return Err(AppError::internal(
                "the JWT secret must be at least 32 bytes",
            ));
        }
        Ok(TokenKeys {
            encoding: EncodingKey::from_secret(secret).map_err(AppError::internal)?,
            decoding: DecodingKey::from_secret(secret).map_err(AppError::internal)?,
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The sign-in (refresh-token family) this token belongs to.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

pub fn issue_access(
    keys: &TokenKeys,
    user_id: i64,
    family: &str,
    now: OffsetDateTime,
) -> AppResult<String> {
    let claims = Claims {
        sub: user_id.to_string(),
        sid: family.to_string(),
        iat: now.unix_timestamp(),
        exp: (now + ACCESS_TTL).unix_timestamp(),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding)
        .map_err(AppError::internal)
}

/// The user id in a valid, unexpired access token; else 401 (`token_expired` when only the
/// time is wrong, so clients know to refresh).
pub fn verify_access(keys: &TokenKeys, token: &str, now: OffsetDateTime) -> AppResult<i64> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.required_spec_claims = ["exp", "sub"].into_iter().map(String::from).collect();
    let data =
        jsonwebtoken::decode::<Claims>(token, &keys.decoding, &validation).map_err(|_| {
            AppError::unauthenticated("unauthenticated", "the access token is not valid")
        })?;
    if data.claims.exp <= now.unix_timestamp() {
        return Err(AppError::unauthenticated(
            "token_expired",
            "the access token has expired; refresh it",
        ));
    }
    data.claims
        .sub
        .parse()
        .map_err(|_| AppError::unauthenticated("unauthenticated", "the access token is not valid"))
}

/// A fresh refresh token (what the client keeps) and its hash (what we keep).
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn an_access_token_expires_by_our_clock() {
        let keys = TokenKeys::from_secret(&[7u8; 32]).unwrap();
        let t0 = datetime!(2026-01-01 08:00 UTC);
        let token = issue_access(&keys, 42, "f", t0).unwrap();
        assert_eq!(verify_access(&keys, &token, t0).unwrap(), 42);
        let late = verify_access(&keys, &token, t0 + ACCESS_TTL).unwrap_err();
        assert_eq!(late.code, "token_expired");
        let other = TokenKeys::from_secret(&[8u8; 32]).unwrap();
        assert_eq!(
            verify_access(&other, &token, t0).unwrap_err().code,
            "unauthenticated"
        );
    }
}
