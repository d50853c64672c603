//! The password policy and argon2id hashing.

use argon2::password_hash::PasswordVerifier;
use argon2::{Argon2, PasswordHash, PasswordHasher};
use kernel::{AppError, AppResult};

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 128;

/// Checks a new password: at least ten characters, three of the four kinds (lower, upper,
/// digit, symbol), not the username. Answers 422 on the `field` with `password_too_weak`.
pub fn check_policy(field: &str, password: &str, username: &str) -> AppResult<()> {
    let kinds = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    let length = password.chars().count();
    let problem = if length < MIN_LENGTH {
        Some(format!("use at least {MIN_LENGTH} characters"))
    } else if length > MAX_LENGTH {
        Some(format!("use at most {MAX_LENGTH} characters"))
    } else if kinds < 3 {
        Some("mix at least three of: lower case, upper case, digits, symbols".to_string())
    } else if password.eq_ignore_ascii_case(username) {
        Some("the password may not be the username".to_string())
    } else {
        None
    };
    match problem {
        Some(message) => Err(AppError::invalid_field(field, "password_too_weak", message)),
        None => Ok(()),
    }
}

/// An argon2id PHC string with a fresh salt.
pub fn hash(password: &str) -> AppResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_names_what_to_fix() {
        assert!(check_policy("newPassword", "Short1!", "bob").is_err());
        assert!(check_policy("newPassword", "alllowercaseletters", "bob").is_err());
        assert!(check_policy("newPassword", "Bobbobbob1", "bobbobbob1").is_err());
        assert!(check_policy("newPassword", "Chedai-2026", "bob").is_ok());
        let err = check_policy("newPassword", "short", "bob").unwrap_err();
        assert_eq!(err.field_errors[0].field, "newPassword");
        assert_eq!(err.field_errors[0].code, "password_too_weak");
    }

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("Chedai-2026").unwrap();
        let b = hash("Chedai-2026").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("Chedai-2026", &a));
        assert!(!verify("chedai-2026", &a));
    }
}
