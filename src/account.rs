//! Accounts: who a key belongs to, and how its codes are made.

use std::fmt;

use crate::coded::{Coded, MessageValue};
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

impl Coded for AccountError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unnamed => "account.unnamed",
            Self::LabelTooLong { .. } => "account.label-too-long",
            Self::Params(error) => error.code(),
            Self::Random => "account.random",
            Self::BadId => "account.bad-id",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Unnamed => Some("issuer"),
            Self::LabelTooLong { field } if *field == "issuer" => Some("issuer"),
            Self::LabelTooLong { .. } => Some("name"),
            Self::Params(error) => error.field(),
            Self::Random | Self::BadId => None,
        }
    }

    /// Which label is too long: the issuer or the account name.
    fn detail(&self) -> Option<&'static str> {
        match self {
            Self::LabelTooLong { field } if *field == "issuer" => {
                Some("account.label-too-long-issuer")
            }
            Self::LabelTooLong { .. } => Some("account.label-too-long-name"),
            Self::Params(error) => error.detail(),
            _ => None,
        }
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::LabelTooLong { .. } => vec![MessageValue::number(MAX_LABEL_CHARS)],
            Self::Params(error) => error.values(),
            _ => Vec::new(),
        }
    }
}

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
    /// Builds a valid account from a draft: labels cleaned ([`clean_label`]) and checked,
    /// parameters validated.
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

    /// Rebuilds an account read back from storage: labels cleaned as on creation, so a
    /// record written before labels were cleaned (or by another tool) shows no bidirectional
    /// or invisible characters either. An account whose labels were nothing but such
    /// characters (accepted before they were cleaned) is kept with empty labels rather than
    /// making the whole record unreadable; one stored with no labels at all is refused, as by
    /// [`Account::from_draft`].
    ///
    /// # Errors
    /// [`AccountError::Unnamed`], [`AccountError::LabelTooLong`] or [`AccountError::Params`].
    pub fn from_stored(draft: AccountDraft, id: AccountId) -> Result<Self, AccountError> {
        if draft.issuer.trim().is_empty() && draft.name.trim().is_empty() {
            return Err(AccountError::Unnamed);
        }
        let (issuer, name) = clean_and_measure(&draft.issuer, &draft.name)?;
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

/// Cleans both labels ([`clean_label`]) and checks them.
fn clean_labels(issuer: &str, name: &str) -> Result<(String, String), AccountError> {
    let (issuer, name) = clean_and_measure(issuer, name)?;
    if issuer.is_empty() && name.is_empty() {
        return Err(AccountError::Unnamed);
    }
    Ok((issuer, name))
}

/// Cleans both labels and checks their length, but lets both be empty.
fn clean_and_measure(issuer: &str, name: &str) -> Result<(String, String), AccountError> {
    let issuer = clean_label(issuer);
    let name = clean_label(name);
    if issuer.chars().count() > MAX_LABEL_CHARS {
        return Err(AccountError::LabelTooLong { field: "issuer" });
    }
    if name.chars().count() > MAX_LABEL_CHARS {
        return Err(AccountError::LabelTooLong {
            field: "account name",
        });
    }
    Ok((issuer, name))
}

/// An issuer or account name as it may be stored and shown: without the characters that let
/// one label pose as another, and trimmed.
///
/// Removed: control characters (line breaks and tabs become a space), the bidirectional
/// overrides, embeddings, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
/// U+061C), which can make `moc.lapyap` read as `paypal.com`, and the invisible characters
/// U+200B–U+200D, U+2060–U+2064, U+FEFF, U+00AD, U+180E and U+FFF9–U+FFFB, which can make two
/// labels that look the same differ (or hide a difference from search). Every way a label
/// enters (an `otpauth://` link, the add form, a rename, an import, a stored record) goes
/// through this one function.
///
/// ```
/// use toolbar_authenticator::account::clean_label;
/// assert_eq!(clean_label(" Pay\u{200B}Pal\u{202E}moc. "), "PayPalmoc.");
/// assert_eq!(clean_label("Example\nBank"), "Example Bank");
/// assert_eq!(clean_label("Crédit Agricole"), "Crédit Agricole");
/// ```
pub fn clean_label(text: &str) -> String {
    let mut clean = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible_or_bidi(c) {
            continue;
        }
        // Line and paragraph separators are not controls, but break a label over lines too.
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            if c.is_whitespace() {
                clean.push(' ');
            }
            continue;
        }
        clean.push(c);
    }
    match clean.trim() {
        trimmed if trimmed.len() == clean.len() => clean,
        trimmed => trimmed.to_owned(),
    }
}

/// The bidirectional formatting characters and the invisible ones [`clean_label`] removes.
fn is_invisible_or_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'..='\u{200F}'
            | '\u{061C}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{180E}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
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

    /// Every character the issue names, and the other invisible ones [`clean_label`] removes.
    const REMOVED: &[char] = &[
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{200C}',
        '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{2061}', '\u{2062}', '\u{2063}', '\u{2064}',
        '\u{00AD}', '\u{180E}', '\u{FFF9}', '\u{FFFA}', '\u{FFFB}', '\u{0000}', '\u{0007}',
        '\u{001B}', '\u{007F}', '\u{0080}', '\u{009B}',
    ];

    #[test]
    fn clean_label_removes_bidi_invisible_and_control_characters() {
        for &c in REMOVED {
            let label = format!("{c}Pay{c}Pal{c}");
            assert_eq!(clean_label(&label), "PayPal", "U+{:04X}", u32::from(c));
        }
        // Line breaks and tabs separate words; they do not join them.
        for c in [
            '\n', '\r', '\t', '\u{000B}', '\u{000C}', '\u{0085}', '\u{2028}', '\u{2029}',
        ] {
            assert_eq!(
                clean_label(&format!("A{c}B")),
                "A B",
                "U+{:04X}",
                u32::from(c)
            );
        }
        // "moc.lapyap" after a right-to-left override reads "paypal.com": not any more.
        assert_eq!(clean_label("\u{202E}moc.lapyap\u{202C}"), "moc.lapyap");
        assert_eq!(clean_label("  \u{200B} Example \u{FEFF} "), "Example");
    }

    #[test]
    fn clean_label_keeps_every_script_and_symbol() {
        for label in [
            "Crédit Agricole",
            "Société Générale Zoë",
            "ΟΔΟΣ",
            "שלום עולם",
            "مرحبا بالعالم",
            "日本語のサービス",
            "한국어",
            "Emoji 🔐 ✓",
            "a+b&c=d?e#f%g:h",
            "non\u{00A0}breaking",
        ] {
            assert_eq!(clean_label(label), label);
        }
    }

    #[test]
    fn labels_are_cleaned_on_creation_and_rename() {
        let id = AccountId::parse("x").unwrap();
        let account = Account::from_draft(
            draft("\u{202E}Exa\u{200B}mple", "ali\u{200D}ce\n"),
            id.clone(),
        )
        .unwrap();
        assert_eq!(
            (account.issuer.as_str(), account.name.as_str()),
            ("Example", "alice")
        );
        // Nothing left once cleaned: as unnamed as an empty form.
        assert_eq!(
            Account::from_draft(draft("\u{200B}\u{202E}", "\u{FEFF}"), id.clone()).unwrap_err(),
            AccountError::Unnamed
        );
        let mut account = account;
        account.rename("Ne\u{2066}w", "\u{200F}bob").unwrap();
        assert_eq!(
            (account.issuer.as_str(), account.name.as_str()),
            ("New", "bob")
        );
        assert_eq!(
            account.rename("\u{200B}", "\u{202E}"),
            Err(AccountError::Unnamed)
        );
        assert_eq!(account.issuer, "New");
        // The length limit counts what is kept.
        let padded = format!("{}{}", "x".repeat(MAX_LABEL_CHARS), "\u{200B}".repeat(10));
        assert!(Account::from_draft(draft(&padded, ""), id).is_ok());
    }

    #[test]
    fn stored_accounts_are_cleaned_and_kept_when_nothing_visible_is_left() {
        let id = AccountId::parse("x").unwrap();
        let account =
            Account::from_stored(draft("\u{202E}Example", "\u{200B}"), id.clone()).unwrap();
        assert_eq!(
            (account.issuer.as_str(), account.name.as_str()),
            ("Example", "")
        );
        let nameless = Account::from_stored(draft("\u{200B}", ""), id.clone()).unwrap();
        assert_eq!((nameless.issuer.as_str(), nameless.name.as_str()), ("", ""));
        assert_eq!(
            Account::from_stored(draft(" ", ""), id.clone()).unwrap_err(),
            AccountError::Unnamed
        );
        let mut bad = draft("a", "b");
        bad.params.digits = 9;
        assert!(matches!(
            Account::from_stored(bad, id),
            Err(AccountError::Params(_))
        ));
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
