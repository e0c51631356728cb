//! Why a vault could not be read or changed, and what is wrong with one stored account.

use std::fmt;

use super::MAX_ACCOUNTS;
use crate::account::AccountError;
use crate::coded::{Coded, MessageValue};
use crate::crypto::CryptoError;
use crate::otp::ParamsError;

/// Why a vault could not be read or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultError {
    /// The bytes are not a vault record at all.
    Corrupt(&'static str),
    /// Written by a newer version of the extension.
    FutureSchema {
        /// The schema found.
        found: u64,
    },
    /// An account in the record is invalid.
    BadAccount {
        /// 1-based position in the record.
        position: usize,
        /// What is wrong with it.
        reason: StoredProblem,
    },
    /// No account has that id (it was deleted elsewhere, perhaps).
    NoSuchAccount,
    /// The same issuer, name and key are already present.
    Duplicate,
    /// Only HOTP accounts have a counter to advance.
    NotHotp,
    /// [`MAX_ACCOUNTS`] reached.
    Full,
    /// The change itself is invalid.
    Account(AccountError),
    /// A password-protected record could not be opened.
    Crypto(CryptoError),
    /// The stored value is not text (written by a future version or another tool).
    NotText,
    /// A plain record where a password-protected one was expected.
    Downgraded,
    /// A record older than one already written here.
    RolledBack {
        /// Its revision.
        found: u64,
        /// The revision already seen.
        seen: u64,
    },
    /// A password is already set.
    AlreadyProtected,
    /// The browser refused to store more.
    StorageFull,
}

impl fmt::Display for VaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Corrupt(detail) => write!(f, "The stored accounts cannot be read ({detail})."),
            Self::FutureSchema { found } => write!(
                f,
                "The stored accounts were saved by a newer version of Toolbar Authenticator (format {found}); update the extension to read them."
            ),
            Self::BadAccount { position, reason } => {
                write!(f, "Stored account {position} is damaged: {reason}")
            }
            Self::NoSuchAccount => f.write_str(
                "That account no longer exists; it may have been deleted in another window.",
            ),
            Self::Duplicate => f.write_str("This account is already in your list."),
            Self::NotHotp => f.write_str("Only counter-based (HOTP) accounts have a next code."),
            Self::Full => write!(f, "You cannot store more than {MAX_ACCOUNTS} accounts."),
            Self::Account(error) => error.fmt(f),
            Self::Crypto(error) => error.fmt(f),
            Self::NotText => f.write_str(
                "The stored accounts are not text: another program or a newer version wrote them. They were kept as they are.",
            ),
            Self::Downgraded => f.write_str(
                "A record without password protection was found where your protected accounts were; it was not used.",
            ),
            Self::RolledBack { found, seen } => write!(
                f,
                "The stored accounts (revision {found}) are older than ones already saved here (revision {seen}); an old copy may have been put back, so they were not used."
            ),
            Self::AlreadyProtected => f.write_str(
                "A password is already set (perhaps in another window); use Change password instead.",
            ),
            Self::StorageFull => f.write_str(
                "Storage is full: nothing was changed. Delete records kept aside (Settings) or other extensions' data, then try again.",
            ),
        }
    }
}

impl std::error::Error for VaultError {}

/// What is wrong with one stored account: for native diagnostics and tests (the view says only
/// which account). Never holds key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredProblem {
    /// Its id is malformed.
    Id,
    /// Its type does not go with its fields (e.g. `totp` without a period).
    Kind,
    /// An unknown algorithm.
    Algorithm,
    /// Digits or period out of range.
    Params(ParamsError),
    /// Its key cannot be decoded (a refused character is not shown: it may be a key's).
    Key,
    /// The account itself is refused (e.g. unnamed).
    Account(AccountError),
    /// Another account has the same id.
    DuplicateId,
}

impl fmt::Display for StoredProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id => f.write_str("its id is malformed"),
            Self::Kind => f.write_str("its type does not go with its fields"),
            Self::Algorithm => f.write_str("its algorithm is unknown"),
            Self::Params(error) => error.fmt(f),
            Self::Key => f.write_str("its key cannot be decoded"),
            Self::Account(error) => error.fmt(f),
            Self::DuplicateId => f.write_str("its id is used by another account"),
        }
    }
}

/// Wrapped account and password errors report as themselves. The technical details of a
/// record that cannot be read (`Corrupt`, `BadAccount`'s reason) stay out of the view's
/// words: they are the parser's, not the reader's.
impl Coded for VaultError {
    fn code(&self) -> &'static str {
        match self {
            Self::Corrupt(_) => "vault.corrupt",
            Self::FutureSchema { .. } => "vault.future-schema",
            Self::BadAccount { .. } => "vault.bad-account",
            Self::NoSuchAccount => "vault.no-such-account",
            Self::Duplicate => "vault.duplicate",
            Self::NotHotp => "vault.not-hotp",
            Self::Full => "vault.full",
            Self::Account(error) => error.code(),
            Self::Crypto(error) => error.code(),
            Self::NotText => "vault.not-text",
            Self::Downgraded => "vault.downgraded",
            Self::RolledBack { .. } => "vault.rolled-back",
            Self::AlreadyProtected => "vault.already-protected",
            Self::StorageFull => "storage.full",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Duplicate => Some("secret"),
            Self::Account(error) => error.field(),
            Self::Crypto(error) => error.field(),
            _ => None,
        }
    }

    fn detail(&self) -> Option<&'static str> {
        match self {
            Self::Account(error) => error.detail(),
            Self::Crypto(error) => error.detail(),
            _ => None,
        }
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::FutureSchema { found } => vec![MessageValue::Number(*found)],
            Self::BadAccount { position, .. } => vec![MessageValue::number(*position)],
            Self::Full => vec![MessageValue::number(MAX_ACCOUNTS)],
            Self::Account(error) => error.values(),
            Self::Crypto(error) => error.values(),
            Self::RolledBack { found, seen } => {
                vec![MessageValue::Number(*found), MessageValue::Number(*seen)]
            }
            _ => Vec::new(),
        }
    }
}

impl From<CryptoError> for VaultError {
    fn from(error: CryptoError) -> Self {
        Self::Crypto(error)
    }
}

impl From<AccountError> for VaultError {
    fn from(error: AccountError) -> Self {
        Self::Account(error)
    }
}
