//! Turns `validator`'s report into our field errors, with camelCase paths.

use kernel::{AppError, AppResult, FieldError};
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

/// Validates `input`; on failure a 422 listing every field at fault.
pub fn validate(input: &impl Validate) -> AppResult<()> {
    input
        .validate()
        .map_err(|e| AppError::validation(field_errors(&e)))
}

pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect("", errors, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            camel(field)
        } else {
            format!("{prefix}.{}", camel(field))
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("{path} is not valid ({})", e.code));
                    out.push(FieldError::new(path.clone(), e.code.clone(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Validate)]
    struct Form {
        #[validate(length(min = 1, max = 3, code = "too_long", message = "at most 3"))]
        display_name: String,
    }

    #[test]
    fn reports_camel_case_paths_with_codes() {
        let e = validate(&Form {
            display_name: "abcd".into(),
        })
        .unwrap_err();
        assert_eq!(e.field_errors[0].field, "displayName");
        assert_eq!(e.field_errors[0].code, "too_long");
    }
}

/// A mainland mobile number: eleven digits starting 13–19.
pub fn mobile_phone(value: &str) -> Result<(), validator::ValidationError> {
    let ok = value.len() == 11
        && value.starts_with('1')
        && value.as_bytes()[1].is_ascii_digit()
        && value.as_bytes()[1] >= b'3'
        && value.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(error(
            "invalid_phone",
            "use an 11-digit mobile number such as 13800138000",
        ))
    }
}

/// Codes of departments, roles and positions: letters, digits, `_` and `-`.
pub fn code(value: &str) -> Result<(), validator::ValidationError> {
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Ok(())
    } else {
        Err(error(
            "invalid_format",
            "use letters, digits, '_' and '-' only",
        ))
    }
}

/// Usernames: 3–50 lower-case letters, digits, `.`, `_`, `-`.
pub fn username(value: &str) -> Result<(), validator::ValidationError> {
    let ok = (3..=50).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(error(
            "invalid_format",
            "use 3–50 lower-case letters, digits, '.', '_' or '-'",
        ))
    }
}

/// Text that must not be blank once trimmed.
pub fn not_blank(value: &str) -> Result<(), validator::ValidationError> {
    if value.trim().is_empty() {
        Err(error("required", "this field is required"))
    } else {
        Ok(())
    }
}

fn error(code: &'static str, message: &'static str) -> validator::ValidationError {
    validator::ValidationError::new(code).with_message(message.into())
}

#[cfg(test)]
mod rule_tests {
    use super::*;

    #[test]
    fn phones_codes_and_usernames() {
        assert!(mobile_phone("13800138000").is_ok());
        assert!(mobile_phone("12800138000").is_err());
        assert!(mobile_phone("1380013800").is_err());
        assert!(code("HQ-01").is_ok());
        assert!(code("总部").is_err());
        assert!(username("li.lei").is_ok());
        assert!(username("Li").is_err());
        assert!(not_blank("  ").is_err());
    }
}
