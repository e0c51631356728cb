//! Accounts: who a key belongs to, and how its codes are made.

use std::fmt;

use crate::otp::{Generator, OtpParams, ParamsError};
use crate::secret::Secret;

/// Longest issuer or account name accepted, in characters.
pub const MAX_LABEL_CHARS: usize = 256;

/// A random, stable identifier: 16 bytes from the operating system, as 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(String);

impl AccountId {
    /// A fresh random id.
    ///
    /// # Errors
    /// [`AccountError::Random`] when the system has no random source.
    pub fn random() -> Result<Self, AccountError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|_| AccountError::Random)?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// Accepts an id read back from storage (1–64 characters of `[0-9a-zA-Z_-]`).
    ///
    /// # Errors
    /// [`AccountError::BadId`] for anything else.
    pub fn parse(text: &str) -> Result<Self, AccountError> {
        let valid = !text.is_empty()
            && text.len() <= 64
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(AccountError::BadId)
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why an account cannot be created or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountError {
    /// Neither issuer nor account name was given.
    Unnamed,
    /// An issuer or name longer than [`MAX_LABEL_CHARS`].
    LabelTooLong {
        /// Which field: "issuer" or "account name".
        field: &'static str,
    },
    /// Digits or period out of range.
    Params(ParamsError),
    /// The system random source failed.
    Random,
    /// A stored id is malformed.
    BadId,
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unnamed => f.write_str(
                "Enter an issuer or an account name so you can tell this account apart.",
            ),
            Self::LabelTooLong { field } => write!(
                f,
                "The {field} is too long; use at most {MAX_LABEL_CHARS} characters."
            ),
            Self::Params(error) => error.fmt(f),
            Self::Random => f.write_str("Your system did not provide random numbers; try again."),
            Self::BadId => f.write_str("A stored account id is malformed."),
        }
    }
}

impl std::error::Error for AccountError {}

impl From<ParamsError> for AccountError {
    fn from(error: ParamsError) -> Self {
        Self::Params(error)
    }
}

/// An account before it has an id: what a form or a URI describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDraft {
    /// The service, e.g. "Example Backup".
    pub issuer: String,
    /// The user's name at that service, e.g. "alice@example.com".
    pub name: String,
    /// Kind, algorithm, digits and period or counter.
    pub params: OtpParams,
    /// The key.
    pub secret: Secret,
}

/// One account in the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Random id, stable across edits.
    pub id: AccountId,
    /// The service, e.g. "Example Backup" (may be empty when `name` is not).
    pub issuer: String,
    /// The user's name at that service (may be empty when `issuer` is not).
    pub name: String,
    /// Kind, algorithm, digits and period or counter.
    pub params: OtpParams,
    /// The key.
    pub secret: Secret,
}

impl Account {
    /// Builds a valid account from a draft: labels trimmed and checked, parameters validated.
    ///
    /// # Errors
    /// [`AccountError`] when both labels are empty, one is too long, or parameters are out of
    /// range.
    pub fn from_draft(draft: AccountDraft, id: AccountId) -> Result<Self, AccountError> {
        let (issuer, name) = clean_labels(&draft.issuer, &draft.name)?;
        Ok(Self {
            id,
            issuer,
            name,
            params: draft.params.validated()?,
            secret: draft.secret,
        })
    }

    /// Changes issuer and name, with the same checks as creation.
    ///
    /// # Errors
    /// [`AccountError::Unnamed`] or [`AccountError::LabelTooLong`]; the account is unchanged.
    pub fn rename(&mut self, issuer: &str, name: &str) -> Result<(), AccountError> {
        let (issuer, name) = clean_labels(issuer, name)?;
        self.issuer = issuer;
        self.name = name;
        Ok(())
    }

    /// A code generator for this account's key and parameters.
    ///
    /// # Errors
    /// [`ParamsError`] if the stored parameters are out of range.
    pub fn generator(&self) -> Result<Generator, ParamsError> {
        Generator::new(&self.secret, self.params)
    }

    /// Lower-cased, accent-free "issuer name" text used for search.
    pub fn search_text(&self) -> String {
        fold_for_search(&self.search_label())
    }

    /// The text search looks in before folding: "issuer name".
    pub fn search_label(&self) -> String {
        format!("{} {}", self.issuer, self.name)
    }
}

/// Trims both labels and checks them.
fn clean_labels(issuer: &str, name: &str) -> Result<(String, String), AccountError> {
    let issuer = issuer.trim();
    let name = name.trim();
    if issuer.is_empty() && name.is_empty() {
        return Err(AccountError::Unnamed);
    }
    if issuer.chars().count() > MAX_LABEL_CHARS {
        return Err(AccountError::LabelTooLong { field: "issuer" });
    }
    if name.chars().count() > MAX_LABEL_CHARS {
        return Err(AccountError::LabelTooLong {
            field: "account name",
        });
    }
    Ok((issuer.to_owned(), name.to_owned()))
}

/// Folds text for case- and accent-insensitive matching: lower case, Latin accents removed.
///
/// ```
/// use toolbar_authenticator::account::fold_for_search;
/// assert_eq!(fold_for_search("Crédit Agricole ÅÉÎ"), "credit agricole aei");
/// ```
pub fn fold_for_search(text: &str) -> String {
    let lower: String = text.chars().flat_map(char::to_lowercase).collect();
    fold_lowercase(&lower)
}

/// The rest of [`fold_for_search`] for text already lower-cased by Unicode's rules (such as
/// JavaScript's `toLowerCase`), so that a caller with such a lower-casing at hand does not
/// carry Unicode's case tables (12 KB of WebAssembly).
///
/// ```
/// use toolbar_authenticator::account::{fold_for_search, fold_lowercase};
/// assert_eq!(fold_lowercase("crédit agricole οδος"), fold_for_search("CRÉDIT Agricole ΟΔΟΣ"));
/// ```
pub fn fold_lowercase(lower: &str) -> String {
    lower.chars().map(search_form).collect()
}

/// True when `text` contains every word of `words` (both already folded for search).
///
/// Compares bytes rather than calling `str::contains(&str)`, whose two-way searcher and
/// string-slicing panics are 4 KB of WebAssembly; for UTF-8 the two agree.
///
/// ```
/// use toolbar_authenticator::account::contains_all;
/// assert!(contains_all("societe generale zoe", &["gen", "zo"]));
/// assert!(!contains_all("societe generale zoe", &["gen", "x"]));
/// assert!(contains_all("anything", &[] as &[&str]));
/// ```
pub fn contains_all<W: AsRef<str>>(text: &str, words: &[W]) -> bool {
    let text = text.as_bytes();
    words.iter().all(|word| {
        let word = word.as_ref().as_bytes();
        word.is_empty() || text.windows(word.len()).any(|window| window == word)
    })
}

/// Maps a lower-case letter to the form search compares: Latin letters lose their diacritic,
/// and final sigma is sigma (lower-casing a whole word gives `ς` at its end, a single
/// character `σ`; typed queries may have either).
fn search_form(c: char) -> char {
    match c {
        'ς' => 'σ',
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => 's',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpKind;

    fn draft(issuer: &str, name: &str) -> AccountDraft {
        AccountDraft {
            issuer: issuer.into(),
            name: name.into(),
            params: OtpParams::default(),
            secret: Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        }
    }

    #[test]
    fn ids_are_random_hex() {
        let a = AccountId::random().unwrap();
        let b = AccountId::random().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 32);
        assert_eq!(AccountId::parse(a.as_str()).unwrap(), a);
        assert_eq!(AccountId::parse("bad id"), Err(AccountError::BadId));
        assert_eq!(AccountId::parse(""), Err(AccountError::BadId));
    }

    #[test]
    fn labels_are_trimmed_and_required() {
        let id = AccountId::parse("x").unwrap();
        let account = Account::from_draft(draft("  Example ", " alice "), id.clone()).unwrap();
        assert_eq!(
            (account.issuer.as_str(), account.name.as_str()),
            ("Example", "alice")
        );
        assert_eq!(
            Account::from_draft(draft(" ", ""), id.clone()).unwrap_err(),
            AccountError::Unnamed
        );
        let long = "x".repeat(MAX_LABEL_CHARS + 1);
        assert!(Account::from_draft(draft(&long, "a"), id.clone()).is_err());
        let mut bad = draft("a", "b");
        bad.params.kind = OtpKind::Totp { period: 0 };
        assert!(matches!(
            Account::from_draft(bad, id),
            Err(AccountError::Params(_))
        ));
    }

    #[test]
    fn rename_leaves_account_unchanged_on_error() {
        let mut account =
            Account::from_draft(draft("Example", "alice"), AccountId::parse("x").unwrap()).unwrap();
        assert!(account.rename("", "").is_err());
        assert_eq!(account.issuer, "Example");
        account.rename("New", "bob").unwrap();
        assert_eq!(
            (account.issuer.as_str(), account.name.as_str()),
            ("New", "bob")
        );
    }

    #[test]
    fn search_folding() {
        let account = Account::from_draft(
            draft("Société Générale", "Zoë"),
            AccountId::parse("x").unwrap(),
        )
        .unwrap();
        assert_eq!(account.search_text(), "societe generale zoe");
    }

    #[test]
    fn contains_all_agrees_with_str_contains() {
        let texts = ["", "a", "société générale", "οδοσ σ", "aaab", "abab"];
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "aab",
            "é",
            "ét",
            "οσ",
            "σ σ",
            "x",
            "générale!",
        ];
        for text in texts {
            for word in words {
                assert_eq!(
                    contains_all(text, &[word]),
                    text.contains(word),
                    "{text:?} {word:?}"
                );
            }
        }
    }

    #[test]
    fn final_sigma_folds_to_sigma() {
        assert_eq!(fold_for_search("ΟΔΟΣ ς"), "οδοσ σ");
        assert_eq!(fold_lowercase("οδος"), "οδοσ");
    }
}
