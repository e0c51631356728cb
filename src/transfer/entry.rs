//! What every format reads into: an entry that can be imported, or one that cannot, with why.

use std::fmt;

use crate::account::{Account, AccountDraft};
use crate::otp::{OtpParams, ParamsError};
use crate::secret::{Secret, SecretError};
use crate::uri::UriError;

/// One account read from another app's file, ready to become an [`crate::account::Account`].
/// Labels are as the file has them (the vault cleans and checks them when importing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEntry {
    /// The service, e.g. "Example" (may be empty).
    pub issuer: String,
    /// The account at that service, e.g. "alice@example.com" (may be empty).
    pub name: String,
    /// Kind, algorithm, digits and period or counter, validated.
    pub params: OtpParams,
    /// The key.
    pub secret: Secret,
}

/// An entry of the file that cannot be imported, with what a person needs to recognise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEntry {
    /// The service, as the file has it (may be empty).
    pub issuer: String,
    /// The account, as the file has it (may be empty).
    pub name: String,
    /// Why it cannot be imported.
    pub reason: Skip,
}

/// Why one entry of an otherwise readable file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// A hash function codes cannot be made with here (e.g. `MD5`).
    Algorithm(String),
    /// A kind of one-time password that is not supported (e.g. `motp`, `yandex`).
    Kind(String),
    /// The entry has no key.
    NoKey,
    /// The key cannot be decoded or is too short.
    Key(SecretError),
    /// Digits or period out of range.
    Params(ParamsError),
    /// A field the format requires is missing or of the wrong type (names the field).
    Field(&'static str),
    /// An `otpauth://` line that cannot be read (or a line that is not a link at all).
    Link(UriError),
    /// A part of the file that cannot be decoded at all, e.g. a Google Authenticator transfer
    /// link whose data is cut off. Says which part by a detail code (`import.damaged-data`,
    /// …), which the view has words for.
    Damaged(&'static str),
}

impl Skip {
    /// Stable machine-readable code (for the view's messages).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Algorithm(_) => "import.algorithm",
            Self::Kind(_) => "import.kind",
            Self::NoKey => "import.no-key",
            Self::Key(_) => "import.key",
            Self::Params(_) => "import.params",
            Self::Field(_) => "import.field",
            Self::Link(_) => "import.link",
            Self::Damaged(_) => "import.damaged",
        }
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Algorithm(name) => write!(f, "{name} is not supported"),
            Self::Kind(name) => write!(f, "{name} codes are not supported"),
            Self::NoKey => f.write_str("no key"),
            Self::Key(error) => error.fmt(f),
            Self::Params(error) => error.fmt(f),
            Self::Field(field) => write!(f, "the field {field} is missing or not valid"),
            Self::Link(error) => error.fmt(f),
            Self::Damaged(part) => {
                let part = match *part {
                    "import.damaged-link" => "the transfer link",
                    "import.damaged-data" => "the transfer link's data",
                    "import.damaged-part-number" => "the transfer link's part number",
                    "import.damaged-accounts" => "the transfer link's accounts",
                    other => other,
                };
                write!(f, "{part} is damaged and cannot be read")
            }
        }
    }
}

impl Skip {
    /// [`Skip::Algorithm`] for a name found in a file, shortened to 40 characters so a long
    /// value cannot flood a message.
    pub fn algorithm(name: &str) -> Self {
        Self::Algorithm(shorten(name))
    }

    /// [`Skip::Kind`] for a type found in a file, shortened to 40 characters.
    pub fn kind(name: &str) -> Self {
        Self::Kind(shorten(name))
    }
}

/// At most 40 characters of text taken from a file, with `…` when cut.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// What a reader yields for each entry of a file, in file order.
pub type Candidate = Result<ImportedEntry, SkippedEntry>;

/// One account as the export writers see it: borrowed from the vault (or from an import), so
/// exporting copies no key until the writer encodes it.
#[derive(Debug, Clone, Copy)]
pub struct ExportEntry<'a> {
    /// The service (may be empty).
    pub issuer: &'a str,
    /// The account at that service (may be empty).
    pub name: &'a str,
    /// Kind, algorithm, digits and period or counter.
    pub params: OtpParams,
    /// The key.
    pub secret: &'a Secret,
}

impl From<AccountDraft> for ImportedEntry {
    /// A draft is already checked (e.g. by [`crate::uri::parse_uri`]), so it is importable as is.
    fn from(draft: AccountDraft) -> Self {
        Self {
            issuer: draft.issuer,
            name: draft.name,
            params: draft.params,
            secret: draft.secret,
        }
    }
}

impl<'a> From<&'a Account> for ExportEntry<'a> {
    fn from(account: &'a Account) -> Self {
        Self {
            issuer: &account.issuer,
            name: &account.name,
            params: account.params,
            secret: &account.secret,
        }
    }
}

impl<'a> From<&'a AccountDraft> for ExportEntry<'a> {
    fn from(draft: &'a AccountDraft) -> Self {
        Self {
            issuer: &draft.issuer,
            name: &draft.name,
            params: draft.params,
            secret: &draft.secret,
        }
    }
}

impl<'a> From<&'a ImportedEntry> for ExportEntry<'a> {
    fn from(entry: &'a ImportedEntry) -> Self {
        Self {
            issuer: &entry.issuer,
            name: &entry.name,
            params: entry.params,
            secret: &entry.secret,
        }
    }
}

impl ImportedEntry {
    /// Builds a candidate from its parts, validating the parameters: the one place every
    /// reader turns fields into an entry, so the checks are the same for every format.
    ///
    /// # Errors
    /// A [`SkippedEntry`] with the labels and the first problem found (key, then parameters).
    pub fn candidate(
        issuer: impl Into<String>,
        name: impl Into<String>,
        params: Result<OtpParams, Skip>,
        secret: Result<Secret, Skip>,
    ) -> Candidate {
        let (issuer, name) = (issuer.into(), name.into());
        let checked = secret.and_then(|secret| {
            let params = params?.validated().map_err(Skip::Params)?;
            Ok((secret, params))
        });
        match checked {
            Ok((secret, params)) => Ok(Self {
                issuer,
                name,
                params,
                secret,
            }),
            Err(reason) => Err(SkippedEntry {
                issuer,
                name,
                reason,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, OtpKind};

    fn key() -> Result<Secret, Skip> {
        Secret::from_base32("JBSWY3DPEHPK3PXP").map_err(Skip::Key)
    }

    #[test]
    fn candidate_validates_parameters() {
        let params = OtpParams {
            kind: OtpKind::Totp { period: 30 },
            algorithm: Algorithm::Sha1,
            digits: 9,
        };
        let skipped = ImportedEntry::candidate("I", "n", Ok(params), key()).unwrap_err();
        assert_eq!(skipped.reason, Skip::Params(ParamsError::Digits(9)));
        assert_eq!(skipped.reason.code(), "import.params");
        assert_eq!((skipped.issuer.as_str(), skipped.name.as_str()), ("I", "n"));
    }

    #[test]
    fn candidate_reports_the_key_first() {
        let skipped = ImportedEntry::candidate(
            "",
            "n",
            Err(Skip::Algorithm("MD5".into())),
            Err(Skip::NoKey),
        )
        .unwrap_err();
        assert_eq!(skipped.reason, Skip::NoKey);
    }

    #[test]
    fn candidate_keeps_a_valid_entry() {
        let entry = ImportedEntry::candidate("I", "n", Ok(OtpParams::default()), key()).unwrap();
        assert_eq!(entry.params, OtpParams::default());
    }
}
