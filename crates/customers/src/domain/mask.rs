//! Masking (脱敏) of personal data in responses: enough to recognise, not enough to use.

/// Keeps the first `head` and last `tail` characters and stars the rest.
pub fn keep(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// `110***********123X`.
pub fn id_number(value: &str) -> String {
    keep(value, 3, 4)
}

/// `138****5678`.
pub fn mobile(value: &str) -> String {
    keep(value, 3, 4)
}

/// `6222***********0128`.
pub fn account_number(value: &str) -> String {
    keep(value, 4, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_as_the_issue_shows() {
        assert_eq!(id_number("11010519491231123X"), "110***********123X");
        assert_eq!(mobile("13812345678"), "138****5678");
        assert_eq!(account_number("6222021234567890128"), "6222***********0128");
        assert_eq!(keep("abc", 3, 4), "***");
    }
}
