//! Why a whole input cannot be read. Nothing is stored when any of these happens.

use std::fmt;

use super::{Format, MAX_INPUT_BYTES};
use crate::coded::{Coded, MessageValue};

/// What is wrong with a damaged file: data for the view's words, with the file's own name for
/// the part concerned (`db`, `header.slots`, `servicesEncrypted`, …), which no language
/// translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The file is not JSON.
    NotJson,
    /// The contents (decrypted, or within the file) are not what the format holds.
    Contents,
    /// A part the format requires is missing.
    Missing(&'static str),
    /// A part cannot be read: bad base64, a wrong length, an incomplete record.
    Invalid(&'static str),
    /// The contents do not decrypt although the password was verified: changed or damaged
    /// after it was written.
    Altered,
    /// It ends before its header does.
    Truncated,
    /// It looked like this format but is not.
    NotThisFormat,
    /// It names a cipher or key derivation (the part named) this version does not know.
    Unsupported(&'static str),
    /// Its key derivation is weaker than any genuine file's.
    WeakKdf,
    /// An Aegis vault without a password slot (only other ways to unlock it).
    NoPasswordSlot,
    /// A CSV row that cannot be read, numbered as a spreadsheet numbers lines.
    Row(usize),
}

impl Damage {
    /// Stable machine-readable code: the detail of `transfer.damaged`.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotJson => "transfer.damaged-not-json",
            Self::Contents => "transfer.damaged-contents",
            Self::Missing(_) => "transfer.damaged-missing",
            Self::Invalid(_) => "transfer.damaged-invalid",
            Self::Altered => "transfer.damaged-altered",
            Self::Truncated => "transfer.damaged-truncated",
            Self::NotThisFormat => "transfer.damaged-other-format",
            Self::Unsupported(_) => "transfer.damaged-unsupported",
            Self::WeakKdf => "transfer.damaged-weak-kdf",
            Self::NoPasswordSlot => "transfer.damaged-no-password-slot",
            Self::Row(_) => "transfer.damaged-row",
        }
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson => f.write_str("it is not JSON"),
            Self::Contents => f.write_str("its contents are not readable"),
            Self::Missing(part) => write!(f, "its \u{201c}{part}\u{201d} is missing"),
            Self::Invalid(part) => write!(f, "its \u{201c}{part}\u{201d} is not valid"),
            Self::Altered => f.write_str("it was changed after it was written"),
            Self::Truncated => f.write_str("it ends too early"),
            Self::NotThisFormat => f.write_str("it is not such a file after all"),
            Self::Unsupported(part) => write!(
                f,
                "its \u{201c}{part}\u{201d} names something this version does not know"
            ),
            Self::WeakKdf => f.write_str("its key derivation is weaker than any genuine file's"),
            Self::NoPasswordSlot => {
                f.write_str("it has no password slot (only other ways to unlock it)")
            }
            Self::Row(row) => write!(f, "row {row} cannot be read as CSV"),
        }
    }
}

/// Why an input (a file, pasted text, a link) cannot be read at all. Entries that cannot be
/// imported one by one are [`super::SkippedEntry`] instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferError {
    /// Larger than [`MAX_INPUT_BYTES`].
    TooLarge {
        /// The input's size.
        bytes: usize,
    },
    /// Not a format this extension reads.
    UnknownFormat,
    /// The file is encrypted: ask for its password.
    PasswordNeeded {
        /// The format recognised.
        format: Format,
    },
    /// The password does not open the file.
    WrongPassword {
        /// The format recognised.
        format: Format,
    },
    /// The file is of a known format but broken (truncated, a field of the wrong type, an
    /// authentication tag that fails although the password was verified).
    Damaged {
        /// The format recognised.
        format: Format,
        /// What is wrong (never key material).
        detail: Damage,
    },
    /// A version of the format newer (or older) than any this extension reads.
    UnsupportedVersion {
        /// The format recognised.
        format: Format,
        /// The version the file states.
        version: u64,
    },
    /// Key derivation parameters beyond what a browser page can afford (memory or time).
    KdfTooCostly {
        /// The format recognised.
        format: Format,
    },
    /// A readable file without a single entry.
    Empty {
        /// The format recognised.
        format: Format,
    },
}

impl TransferError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "transfer.too-large",
            Self::UnknownFormat => "transfer.unknown-format",
            Self::PasswordNeeded { .. } => "transfer.password-needed",
            Self::WrongPassword { .. } => "transfer.wrong-password",
            Self::Damaged { .. } => "transfer.damaged",
            Self::UnsupportedVersion { .. } => "transfer.version",
            Self::KdfTooCostly { .. } => "transfer.kdf-limits",
            Self::Empty { .. } => "transfer.empty",
        }
    }

    /// The format recognised, when one was.
    pub fn format(&self) -> Option<Format> {
        match self {
            Self::TooLarge { .. } | Self::UnknownFormat => None,
            Self::PasswordNeeded { format }
            | Self::WrongPassword { format }
            | Self::Damaged { format, .. }
            | Self::UnsupportedVersion { format, .. }
            | Self::KdfTooCostly { format }
            | Self::Empty { format } => Some(*format),
        }
    }
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { bytes } => write!(
                f,
                "This file is too large ({bytes} bytes); files up to {MAX_INPUT_BYTES} bytes \
                 can be imported."
            ),
            Self::UnknownFormat => {
                f.write_str("This is not a file this extension can import. It reads ")?;
                for (i, format) in Format::ALL.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(format.app_name())?;
                }
                f.write_str(".")
            }
            Self::PasswordNeeded { format } => write!(
                f,
                "This {} file is encrypted: enter its password.",
                format.app_name()
            ),
            Self::WrongPassword { .. } => f.write_str("Wrong password for this file."),
            Self::Damaged { format, detail } => write!(
                f,
                "This {} file is damaged and cannot be read: {detail}.",
                format.app_name()
            ),
            Self::UnsupportedVersion { format, version } => write!(
                f,
                "This {} file uses version {version} of its format, which this extension \
                 cannot read.",
                format.app_name()
            ),
            Self::KdfTooCostly { format } => write!(
                f,
                "This {} file's encryption settings need more memory or time than a browser \
                 page can spend.",
                format.app_name()
            ),
            Self::Empty { format } => {
                write!(f, "This {} file holds no accounts.", format.app_name())
            }
        }
    }
}

impl std::error::Error for TransferError {}

/// The format recognised is not among the values: the view names it from
/// [`TransferError::format`] in the reader's language, as its `$1`.
impl Coded for TransferError {
    fn code(&self) -> &'static str {
        TransferError::code(self)
    }

    fn detail(&self) -> Option<&'static str> {
        match self {
            Self::Damaged { detail, .. } => Some(detail.code()),
            _ => None,
        }
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::TooLarge { bytes } => vec![
                MessageValue::number(*bytes),
                MessageValue::number(MAX_INPUT_BYTES),
            ],
            Self::Damaged { detail, .. } => match detail {
                Damage::Missing(part) | Damage::Invalid(part) | Damage::Unsupported(part) => {
                    vec![MessageValue::text(*part)]
                }
                Damage::Row(row) => vec![MessageValue::number(*row)],
                _ => Vec::new(),
            },
            Self::UnsupportedVersion { version, .. } => vec![MessageValue::Number(*version)],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_format_names_every_format() {
        let text = TransferError::UnknownFormat.to_string();
        for format in Format::ALL {
            assert!(text.contains(format.app_name()), "{text}");
        }
    }

    #[test]
    fn codes_are_distinct() {
        let f = Format::Aegis;
        let all = [
            TransferError::TooLarge { bytes: 1 },
            TransferError::UnknownFormat,
            TransferError::PasswordNeeded { format: f },
            TransferError::WrongPassword { format: f },
            TransferError::Damaged {
                format: f,
                detail: Damage::NotJson,
            },
            TransferError::UnsupportedVersion {
                format: f,
                version: 9,
            },
            TransferError::KdfTooCostly { format: f },
            TransferError::Empty { format: f },
        ];
        let mut codes: Vec<_> = all.iter().map(TransferError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
