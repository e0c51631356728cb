//! Why sealing or opening a password-protected record failed.

use std::fmt;

use super::MIN_PASSWORD_CHARS;
use crate::coded::{Coded, MessageValue};

/// Why sealing or opening failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// The password does not open the vault (or the record was altered).
    WrongPassword,
    /// The sealed record is not well formed.
    Malformed(&'static str),
    /// The header asks for key derivation weaker than this version accepts.
    WeakParameters,
    /// The header asks for key derivation beyond what this version will attempt.
    ExcessiveParameters,
    /// The key is right (its check value matches) but the record does not open: it was
    /// altered or damaged after it was written.
    Altered,
    /// Empty password.
    EmptyPassword,
    /// A new password shorter than [`MIN_PASSWORD_CHARS`].
    ShortPassword,
    /// The two password fields differ.
    PasswordMismatch,
    /// The system random source failed.
    Random,
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongPassword => f.write_str("Wrong password"),
            Self::Malformed(detail) => write!(f, "The encrypted accounts are damaged ({detail})."),
            Self::WeakParameters => f.write_str(
                "The encrypted accounts ask for weaker protection than this version allows; they may have been tampered with.",
            ),
            Self::ExcessiveParameters => f.write_str(
                "The encrypted accounts ask for more memory or time than this version will use.",
            ),
            Self::Altered => f.write_str(
                "The password is right, but the encrypted accounts were changed or damaged after they were saved.",
            ),
            Self::EmptyPassword => f.write_str("Enter a password."),
            Self::ShortPassword => write!(
                f,
                "Use at least {MIN_PASSWORD_CHARS} characters; a few unrelated words are easy to remember."
            ),
            Self::PasswordMismatch => f.write_str("The two passwords are not the same."),
            Self::Random => f.write_str("Your system did not provide random numbers; try again."),
        }
    }
}

impl std::error::Error for CryptoError {}

/// `Malformed`'s technical detail stays out of the view's words.
impl Coded for CryptoError {
    fn code(&self) -> &'static str {
        match self {
            Self::WrongPassword => "crypto.wrong-password",
            Self::Malformed(_) => "crypto.malformed",
            Self::Altered => "crypto.altered",
            Self::ShortPassword => "crypto.short-password",
            Self::WeakParameters => "crypto.weak-parameters",
            Self::ExcessiveParameters => "crypto.excessive-parameters",
            Self::EmptyPassword => "crypto.empty-password",
            Self::PasswordMismatch => "crypto.mismatch",
            Self::Random => "crypto.random",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Self::WrongPassword => Some("current"),
            Self::EmptyPassword | Self::ShortPassword => Some("password"),
            Self::PasswordMismatch => Some("confirm"),
            _ => None,
        }
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::ShortPassword => vec![MessageValue::number(MIN_PASSWORD_CHARS)],
            _ => Vec::new(),
        }
    }
}
