//! Rules for new passwords: a length, and a short hint a person can act on. No strength meter:
//! no well-kept estimator is small enough for the module (README, "Storage").

use serde::Serialize;

use super::CryptoError;

/// Fewest characters (Unicode scalar values, after NFC) a new password may have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Checks a new password (already NFC) and its confirmation.
///
/// # Errors
/// [`CryptoError::ShortPassword`] under [`MIN_PASSWORD_CHARS`] characters, or
/// [`CryptoError::PasswordMismatch`].
pub fn check_new_password(password: &str, confirmation: &str) -> Result<(), CryptoError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CryptoError::ShortPassword);
    }
    if password != confirmation {
        return Err(CryptoError::PasswordMismatch);
    }
    Ok(())
}

/// A short, rule-based hint shown under a new password as it is typed: no strength meter,
/// only what a person can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PasswordHint {
    /// Under [`MIN_PASSWORD_CHARS`] characters: refused.
    TooShort,
    /// One character repeated, or a run such as `12345678` or `abcdefgh`.
    Predictable,
    /// Under 12 characters of one kind only (digits, lower-case letters, upper-case letters,
    /// or other characters).
    OneKind,
    /// 8 to 11 characters: accepted, but longer is stronger.
    Longer,
    /// 12 characters or more.
    Good,
}

/// The hint for a new password (already NFC).
pub fn password_hint(password: &str) -> PasswordHint {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < MIN_PASSWORD_CHARS {
        return PasswordHint::TooShort;
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|pair| i64::from(u32::from(pair[1])) - i64::from(u32::from(pair[0])))
        .collect();
    if steps
        .iter()
        .all(|step| *step == steps[0] && step.abs() <= 1)
    {
        return PasswordHint::Predictable;
    }
    // Kinds: digits, lower-case and upper-case ASCII letters, everything else (symbols,
    // spaces, other scripts). ASCII only: Unicode's tables would cost the module more than
    // the hint is worth.
    let kind = |c: &char| match c {
        '0'..='9' => 0,
        'a'..='z' => 1,
        'A'..='Z' => 2,
        _ => 3,
    };
    let first = kind(&chars[0]);
    let one_kind = chars.iter().all(|c| kind(c) == first);
    match chars.len() {
        ..12 if one_kind => PasswordHint::OneKind,
        ..12 => PasswordHint::Longer,
        _ => PasswordHint::Good,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_have_eight_characters_or_more() {
        assert_eq!(check_new_password("", ""), Err(CryptoError::ShortPassword));
        assert_eq!(
            check_new_password("seven77", "seven77"),
            Err(CryptoError::ShortPassword)
        );
        // Characters, not bytes: eight accented letters are eight characters.
        assert_eq!(check_new_password("éééééééé", "éééééééé"), Ok(()));
        assert_eq!(
            check_new_password("ééééééé", "ééééééé"),
            Err(CryptoError::ShortPassword)
        );
        assert_eq!(
            check_new_password("eight888", "eight889"),
            Err(CryptoError::PasswordMismatch)
        );
        assert_eq!(check_new_password("eight888", "eight888"), Ok(()));
    }

    #[test]
    fn password_hints_follow_short_rules() {
        assert_eq!(password_hint("short"), PasswordHint::TooShort);
        assert_eq!(password_hint("aaaaaaaaaaaa"), PasswordHint::Predictable);
        assert_eq!(password_hint("12345678"), PasswordHint::Predictable);
        assert_eq!(password_hint("hgfedcba"), PasswordHint::Predictable);
        assert_eq!(password_hint("zebrafish"), PasswordHint::OneKind);
        assert_eq!(password_hint("31415926"), PasswordHint::OneKind);
        assert_eq!(password_hint("zebra-42"), PasswordHint::Longer);
        assert_eq!(password_hint("zebrafishlamp"), PasswordHint::Good);
        assert_eq!(password_hint("correct horse battery"), PasswordHint::Good);
    }
}
