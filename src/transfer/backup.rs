//! Our own encrypted backup file (`toolbar-authenticator-backup-YYYY-MM-DD.json`): every
//! account, exactly, under a password of its own.
//!
//! The file is one JSON object (README "Backups and export" documents it for other tools):
//!
//! ```json
//! {
//!   "format": "toolbar-authenticator-backup",
//!   "version": 1,
//!   "created": 1767225600,
//!   "kdf": {"algorithm": "argon2id", "version": 19,
//!           "params": {"memoryKib": 65536, "iterations": 3, "parallelism": 4},
//!           "salt": "<base64, 16 bytes>"},
//!   "cipher": "xchacha20poly1305",
//!   "nonce": "<base64, 24 bytes>",
//!   "check": "<base64, 24-byte nonce + 16-byte tag>",
//!   "accounts": "<base64 ciphertext and tag>"
//! }
//! ```
//!
//! Every field but `accounts` is the header. It is authenticated: the associated data of the
//! `accounts` ciphertext is the header re-serialised canonically (those seven fields in this
//! order, compact JSON), so a changed creation time, salt, cost or nonce makes the file refuse
//! to open, whatever the spacing or key order of the file itself. `check` is the tag of an
//! empty message sealed under the same key (its own nonce, a fixed associated data): it tells
//! a wrong password from a file altered after it was written, and lets a test of a guess cost
//! no more than the ciphertext already allows (one Argon2id derivation).
//!
//! The plaintext is `{"accounts": [{issuer, name, type, algorithm, digits, period | counter,
//! secret}]}`: `type` is `totp`, `hotp` or `steam`, the secret is base32, HOTP counters are
//! exact up to 2^64 − 1. Ids are not kept: a restored account gets a new one, like any import.
//!
//! The key derivation is the vault's ([`crate::crypto::VaultKey`]: Argon2id, at most
//! [`KdfParams::MAXIMUM`] when reading). Reading is in two halves so neither a fuzzer nor the
//! preview pays a derivation it does not need: [`BackupFile::parse`] checks the header without
//! any key, [`BackupFile::open`] decrypts with a derived key.

use std::fmt;

use base64ct::{Base64, Encoding};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use super::json::{self, Scrubbed};
use super::{Candidate, Detected, ExportEntry, Format, ImportedEntry, Input, Skip, TransferError};
use crate::coded::{Coded, MessageValue};
use crate::crypto::{CryptoError, KdfParams, KdfSpec, VaultKey};
use crate::otp::{OtpKind, OtpParams, ParamsError};
use crate::secret::Secret;
use crate::transfer::Damage;

/// The `format` field of every backup file.
pub const FORMAT_NAME: &str = "toolbar-authenticator-backup";

/// The version this build writes and reads.
pub const VERSION: u64 = 1;

/// Fewest characters (Unicode scalar values) a backup password may have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The only cipher written and read.
const CIPHER: &str = "xchacha20poly1305";
/// Bytes of an XChaCha20 nonce.
const NONCE_BYTES: usize = 24;
/// Bytes of a Poly1305 tag.
const TAG_BYTES: usize = 16;
/// Associated data of the key check: an empty message, so only the key decides the tag.
const CHECK_AAD: &[u8] = b"toolbar-authenticator-backup key check";

const FORMAT: Format = Format::Backup;

/// Why a backup cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupError {
    /// A backup password shorter than [`MIN_PASSWORD_CHARS`].
    ShortPassword,
    /// The password and its confirmation differ.
    PasswordMismatch,
    /// Key derivation parameters this version would refuse to read back.
    Parameters,
    /// The system random source failed.
    Random,
}

impl BackupError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ShortPassword => "backup.short-password",
            Self::PasswordMismatch => "backup.password-mismatch",
            Self::Parameters => "backup.kdf-parameters",
            Self::Random => "backup.random",
        }
    }

    /// The form field the error is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::ShortPassword => Some("backup-password"),
            Self::PasswordMismatch => Some("backup-confirm"),
            Self::Parameters | Self::Random => None,
        }
    }
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ShortPassword => write!(
                f,
                "Use at least {MIN_PASSWORD_CHARS} characters for the backup password."
            ),
            Self::PasswordMismatch => f.write_str("The two backup passwords are not the same."),
            Self::Parameters => f.write_str(
                "These key derivation settings are outside what a backup may use; use the defaults.",
            ),
            Self::Random => f.write_str("Your system did not provide random numbers; try again."),
        }
    }
}

impl std::error::Error for BackupError {}

impl Coded for BackupError {
    fn code(&self) -> &'static str {
        BackupError::code(self)
    }

    fn field(&self) -> Option<&'static str> {
        BackupError::field(self)
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::ShortPassword => vec![MessageValue::number(MIN_PASSWORD_CHARS)],
            _ => Vec::new(),
        }
    }
}

impl From<CryptoError> for BackupError {
    fn from(error: CryptoError) -> Self {
        match error {
            CryptoError::Random => Self::Random,
            CryptoError::EmptyPassword => Self::ShortPassword,
            _ => Self::Parameters,
        }
    }
}

/// Checks a new backup password and its confirmation: at least [`MIN_PASSWORD_CHARS`]
/// characters, and the same twice.
///
/// # Errors
/// [`BackupError::ShortPassword`] or [`BackupError::PasswordMismatch`].
pub fn check_password(password: &str, confirmation: &str) -> Result<(), BackupError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(BackupError::ShortPassword);
    }
    if password != confirmation {
        return Err(BackupError::PasswordMismatch);
    }
    Ok(())
}

/// The authenticated header: what the associated data is made of, in this field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Header<'a> {
    format: &'a str,
    version: u64,
    created: u64,
    kdf: &'a KdfSpec,
    cipher: &'a str,
    nonce: &'a str,
    check: &'a str,
}

/// The file as written: the header's fields in their order, then the ciphertext.
#[derive(Serialize)]
struct Written<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    accounts: String,
}

/// The file as stored: the header's fields and the ciphertext.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    format: String,
    version: u64,
    created: u64,
    kdf: KdfSpec,
    cipher: String,
    nonce: String,
    check: String,
    accounts: String,
}

/// A backup file read without its password: the header checked, the ciphertext not yet
/// opened.
pub struct BackupFile {
    created: u64,
    kdf: KdfSpec,
    nonce: [u8; NONCE_BYTES],
    check: Vec<u8>,
    ciphertext: Vec<u8>,
    aad: Vec<u8>,
}

impl fmt::Debug for BackupFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupFile")
            .field("created", &self.created)
            .field("kdf", &self.kdf)
            .field("ciphertext_bytes", &self.ciphertext.len())
            .finish_non_exhaustive()
    }
}

impl BackupFile {
    /// Writes `accounts` as a backup sealed under `password` (checked: at least
    /// [`MIN_PASSWORD_CHARS`] characters), with a fresh salt and Argon2id at `params`
    /// ([`KdfParams::DEFAULT`] in the extension). This runs the key derivation; to write many
    /// backups under one password, derive once with [`VaultKey::create`] and use
    /// [`BackupFile::seal_with_key`].
    ///
    /// # Errors
    /// [`BackupError::ShortPassword`], [`BackupError::Parameters`] for `params` outside
    /// [`KdfParams::MINIMUM`]..=[`KdfParams::MAXIMUM`], [`BackupError::Random`].
    pub fn seal(
        accounts: &[ExportEntry<'_>],
        password: &str,
        params: KdfParams,
        created_unix_seconds: u64,
    ) -> Result<Vec<u8>, BackupError> {
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(BackupError::ShortPassword);
        }
        check_params(&params).map_err(|_| BackupError::Parameters)?;
        let key = VaultKey::create(password, params)?;
        Self::seal_with_key(accounts, &key, created_unix_seconds)
    }

    /// Writes `accounts` as a backup sealed under a key already derived from the backup
    /// password (its salt and parameters go into the header). No key derivation runs.
    ///
    /// # Errors
    /// [`BackupError::Random`] when no nonce can be drawn.
    pub fn seal_with_key(
        accounts: &[ExportEntry<'_>],
        key: &VaultKey,
        created_unix_seconds: u64,
    ) -> Result<Vec<u8>, BackupError> {
        let nonce = super::cipher::random::<NONCE_BYTES>()?;
        let check_nonce = super::cipher::random::<NONCE_BYTES>()?;
        let mut check = check_nonce.to_vec();
        check.extend(key.encrypt_with(&check_nonce, &[], CHECK_AAD)?);
        let nonce_text = Base64::encode_string(nonce.as_ref());
        let check_text = Base64::encode_string(&check);
        let header = Header {
            format: FORMAT_NAME,
            version: VERSION,
            created: created_unix_seconds,
            kdf: key.spec(),
            cipher: CIPHER,
            nonce: &nonce_text,
            check: &check_text,
        };
        let aad = canonical(&header);
        let plaintext = content(accounts);
        let sealed = key.encrypt_with(&nonce, &plaintext, &aad)?;
        let file = Written {
            header,
            accounts: Base64::encode_string(&sealed),
        };
        Ok(serde_json::to_vec_pretty(&file).unwrap_or_default())
    }

    /// Reads a backup file's header and ciphertext without any key: the format, version,
    /// cipher, nonce and key derivation are checked here, before anything costly runs.
    ///
    /// # Errors
    /// [`TransferError::UnsupportedVersion`] for a version other than [`VERSION`],
    /// [`TransferError::KdfTooCostly`] for Argon2id parameters beyond [`KdfParams::MAXIMUM`],
    /// [`TransferError::Damaged`] for anything else that is not a backup header.
    pub fn parse(bytes: &[u8]) -> Result<Self, TransferError> {
        let value: Value =
            serde_json::from_slice(strip_bom(bytes)).map_err(|_| damaged(Damage::NotJson))?;
        if value.get("format").and_then(Value::as_str) != Some(FORMAT_NAME) {
            return Err(damaged(Damage::NotThisFormat));
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(VERSION) => {}
            Some(version) => {
                return Err(TransferError::UnsupportedVersion {
                    format: FORMAT,
                    version,
                });
            }
            None => return Err(damaged(Damage::Missing("version"))),
        }
        let stored: Stored =
            serde_json::from_value(value).map_err(|_| damaged(Damage::Invalid("header")))?;
        if stored.cipher != CIPHER {
            return Err(damaged(Damage::Unsupported("cipher")));
        }
        if stored.kdf.algorithm != "argon2id" || stored.kdf.version != 0x13 {
            return Err(damaged(Damage::Unsupported("kdf")));
        }
        check_params(&stored.kdf.params).map_err(|error| match error {
            CryptoError::ExcessiveParameters => TransferError::KdfTooCostly { format: FORMAT },
            _ => damaged(Damage::WeakKdf),
        })?;
        let nonce = decode(&stored.nonce)
            .and_then(|n| <[u8; NONCE_BYTES]>::try_from(n).ok())
            .ok_or_else(|| damaged(Damage::Invalid("nonce")))?;
        let check = decode(&stored.check)
            .filter(|c| c.len() == NONCE_BYTES + TAG_BYTES)
            .ok_or_else(|| damaged(Damage::Invalid("check")))?;
        let ciphertext = decode(&stored.accounts)
            .filter(|c| c.len() >= TAG_BYTES)
            .ok_or_else(|| damaged(Damage::Invalid("accounts")))?;
        let aad = canonical(&Header {
            format: &stored.format,
            version: stored.version,
            created: stored.created,
            kdf: &stored.kdf,
            cipher: &stored.cipher,
            nonce: &stored.nonce,
            check: &stored.check,
        });
        Ok(Self {
            created: stored.created,
            kdf: stored.kdf,
            nonce,
            check,
            ciphertext,
            aad,
        })
    }

    /// When the backup was written, in Unix seconds (as its header says).
    pub fn created_unix_seconds(&self) -> u64 {
        self.created
    }

    /// How the key is derived from the password.
    pub fn kdf(&self) -> &KdfSpec {
        &self.kdf
    }

    /// Derives the key from `password` (the costly part: one Argon2id run).
    ///
    /// # Errors
    /// [`TransferError::WrongPassword`] for an empty password, [`TransferError::KdfTooCostly`]
    /// or [`TransferError::Damaged`] as [`BackupFile::parse`] would have said.
    pub fn key(&self, password: &str) -> Result<VaultKey, TransferError> {
        VaultKey::derive(password, &self.kdf).map_err(|error| match error {
            CryptoError::EmptyPassword => TransferError::WrongPassword { format: FORMAT },
            CryptoError::ExcessiveParameters => TransferError::KdfTooCostly { format: FORMAT },
            _ => damaged(Damage::Invalid("kdf")),
        })
    }

    /// Decrypts the accounts with a key from [`BackupFile::key`].
    ///
    /// # Errors
    /// [`TransferError::WrongPassword`] when the key check fails (wrong password, or a changed
    /// salt or cost), [`TransferError::Damaged`] when the key is right but the header or the
    /// accounts were changed after the file was written, or the contents cannot be read.
    pub fn open(&self, key: &VaultKey) -> Result<Vec<Candidate>, TransferError> {
        let (check_nonce, check_tag) = self.check.split_at(NONCE_BYTES);
        let check_nonce: &[u8; NONCE_BYTES] = check_nonce
            .try_into()
            .map_err(|_| damaged(Damage::Invalid("check")))?;
        if key
            .decrypt_with(check_nonce, check_tag, CHECK_AAD)
            .is_none()
        {
            return Err(TransferError::WrongPassword { format: FORMAT });
        }
        let plain = key
            .decrypt_with(&self.nonce, &self.ciphertext, &self.aad)
            .ok_or_else(|| damaged(Damage::Altered))?;
        read_content_json(&plain)
    }
}

/// The weakest and strongest Argon2id parameters a backup may have: the vault's bounds.
fn check_params(params: &KdfParams) -> Result<(), CryptoError> {
    let (min, max) = (KdfParams::MINIMUM, KdfParams::MAXIMUM);
    if params.memory_kib > max.memory_kib
        || params.iterations > max.iterations
        || params.parallelism > max.parallelism
    {
        return Err(CryptoError::ExcessiveParameters);
    }
    if params.memory_kib < min.memory_kib
        || params.iterations < min.iterations
        || params.parallelism < min.parallelism
    {
        return Err(CryptoError::WeakParameters);
    }
    Ok(())
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes)
}

fn decode(text: &str) -> Option<Vec<u8>> {
    Base64::decode_vec(text).ok()
}

/// The header's canonical bytes: compact JSON, fields in [`Header`]'s order.
fn canonical(header: &Header<'_>) -> Vec<u8> {
    // Strings and integers only: serialising cannot fail.
    serde_json::to_vec(header).unwrap_or_default()
}

fn damaged(detail: Damage) -> TransferError {
    TransferError::Damaged {
        format: FORMAT,
        detail,
    }
}

/// Content check: a JSON object whose `format` is [`FORMAT_NAME`] (always encrypted).
pub fn detect(input: &Input) -> Option<Detected> {
    let format = input.json.as_ref()?.get("format")?.as_str()?;
    (format == FORMAT_NAME).then_some(Detected {
        format: FORMAT,
        encrypted: true,
    })
}

/// Reads a backup file with its password: [`BackupFile::parse`], then the key derivation,
/// then [`BackupFile::open`].
///
/// # Errors
/// [`TransferError::PasswordNeeded`] without a password, and the errors of the three steps.
pub fn read(input: &Input, password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    let file = BackupFile::parse(input.bytes)?;
    let password = password.ok_or(TransferError::PasswordNeeded { format: FORMAT })?;
    let key = file.key(password)?;
    file.open(&key)
}

/// One account in the plaintext.
#[derive(Serialize)]
struct Entry<'a> {
    issuer: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    algorithm: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
    secret: &'a str,
}

/// The plaintext for `accounts`; zeroised when dropped.
fn content(accounts: &[ExportEntry<'_>]) -> Zeroizing<Vec<u8>> {
    let secrets: Vec<Zeroizing<String>> = accounts.iter().map(|a| a.secret.to_base32()).collect();
    let entries: Vec<Entry<'_>> = accounts
        .iter()
        .zip(&secrets)
        .map(|(account, secret)| {
            let (kind, period, counter) = match account.params.kind {
                OtpKind::Totp { period } => ("totp", Some(period), None),
                OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
                OtpKind::Steam => ("steam", None, None),
            };
            Entry {
                issuer: account.issuer,
                name: account.name,
                kind,
                algorithm: account.params.algorithm.name(),
                digits: account.params.digits,
                period,
                counter,
                secret: secret.as_str(),
            }
        })
        .collect();
    #[derive(Serialize)]
    struct Content<'a> {
        accounts: Vec<Entry<'a>>,
    }
    // Strings and integers only: serialising cannot fail.
    Zeroizing::new(serde_json::to_vec(&Content { accounts: entries }).unwrap_or_default())
}

/// For fuzzing, and the last step of [`BackupFile::open`]: the decrypted plaintext.
///
/// # Errors
/// [`TransferError::Damaged`] when it is not the plaintext of a backup.
#[doc(hidden)]
pub fn read_content_json(bytes: &[u8]) -> Result<Vec<Candidate>, TransferError> {
    let content = Scrubbed::parse(bytes).ok_or_else(|| damaged(Damage::Contents))?;
    let accounts = content
        .0
        .get("accounts")
        .and_then(Value::as_array)
        .ok_or_else(|| damaged(Damage::Missing("accounts")))?;
    Ok(accounts.iter().map(read_entry).collect())
}

fn read_entry(entry: &Value) -> Candidate {
    let secret = match json::opt_str(entry, "secret") {
        Err(skip) => Err(skip),
        Ok(None | Some("")) => Err(Skip::NoKey),
        Ok(Some(text)) => Secret::from_base32(text).map_err(Skip::Key),
    };
    ImportedEntry::candidate(
        json::label(entry, "issuer"),
        json::label(entry, "name"),
        params(entry),
        secret,
    )
}

fn params(entry: &Value) -> Result<OtpParams, Skip> {
    let kind = match json::opt_str(entry, "type")? {
        Some("totp") => {
            let period = json::opt_u64(entry, "period")?.ok_or(Skip::Field("period"))?;
            OtpKind::Totp {
                period: u32::try_from(period)
                    .map_err(|_| Skip::Params(ParamsError::Period(period)))?,
            }
        }
        Some("hotp") => OtpKind::Hotp {
            counter: json::opt_u64(entry, "counter")?.ok_or(Skip::Field("counter"))?,
        },
        Some("steam") => OtpKind::Steam,
        Some(other) => return Err(Skip::kind(other)),
        None => return Err(Skip::Field("type")),
    };
    Ok(OtpParams {
        kind,
        algorithm: json::algorithm(entry, "algorithm")?,
        digits: json::digits(entry, "digits", 6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Algorithm;

    /// The cheapest parameters a backup may have: unit tests derive at most a few keys.
    const FAST: KdfParams = KdfParams::MINIMUM;

    fn secret() -> Secret {
        Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()
    }

    fn sample(secret: &Secret) -> Vec<ExportEntry<'_>> {
        vec![
            ExportEntry {
                issuer: "Émile",
                name: "a:b",
                params: OtpParams::default(),
                secret,
            },
            ExportEntry {
                issuer: "",
                name: "counter",
                params: OtpParams {
                    kind: OtpKind::Hotp { counter: u64::MAX },
                    algorithm: Algorithm::Sha512,
                    digits: 8,
                },
                secret,
            },
        ]
    }

    fn key() -> VaultKey {
        VaultKey::create("correct horse", FAST).unwrap()
    }

    fn file(key: &VaultKey) -> Value {
        let bytes = BackupFile::seal_with_key(&sample(&secret()), key, 1_767_225_600).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    fn open(doc: &Value, key: &VaultKey) -> Result<Vec<Candidate>, TransferError> {
        BackupFile::parse(&serde_json::to_vec(doc).unwrap())?.open(key)
    }

    #[test]
    fn header_fields_are_what_readme_documents() {
        let doc = file(&key());
        let mut fields: Vec<_> = doc.as_object().unwrap().keys().cloned().collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                "accounts", "check", "cipher", "created", "format", "kdf", "nonce", "version"
            ]
        );
        assert_eq!(doc["format"], FORMAT_NAME);
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["created"], 1_767_225_600);
        assert_eq!(doc["cipher"], "xchacha20poly1305");
        assert_eq!(doc["kdf"]["algorithm"], "argon2id");
        assert_eq!(doc["kdf"]["params"]["memoryKib"], FAST.memory_kib);
        assert!(!doc.to_string().contains("JBSWY3DP"));
    }

    #[test]
    fn opens_with_its_key_in_any_layout() {
        let key = key();
        let doc = file(&key);
        // Compact, and with the keys in another order: the header is canonicalised.
        let mut reordered = serde_json::Map::new();
        for field in [
            "accounts", "nonce", "kdf", "check", "created", "version", "format",
        ] {
            reordered.insert(field.into(), doc[field].clone());
        }
        reordered.insert("cipher".into(), doc["cipher"].clone());
        for doc in [doc, Value::Object(reordered)] {
            let entries = open(&doc, &key).unwrap();
            let hotp = entries[1].as_ref().unwrap();
            assert_eq!(hotp.params.kind, OtpKind::Hotp { counter: u64::MAX });
            assert_eq!(entries[0].as_ref().unwrap().issuer, "Émile");
        }
    }

    #[test]
    fn a_changed_header_is_refused() {
        let key = key();
        let doc = file(&key);
        let changed = |field: &str, value: Value| {
            let mut doc = doc.clone();
            doc[field] = value;
            open(&doc, &key).unwrap_err()
        };
        let altered = "transfer.damaged";
        assert_eq!(changed("created", 1_767_225_601.into()).code(), altered);
        let other_nonce = Base64::encode_string(&[7u8; NONCE_BYTES]);
        assert_eq!(changed("nonce", other_nonce.into()).code(), altered);
        let mut kdf = doc["kdf"].clone();
        kdf["params"]["iterations"] = 3.into();
        // Another cost derives another key: the key check fails first.
        let kdf_spec: KdfSpec = serde_json::from_value(kdf.clone()).unwrap();
        let other_key = VaultKey::derive("correct horse", &kdf_spec).unwrap();
        let mut doc2 = doc.clone();
        doc2["kdf"] = kdf;
        assert_eq!(
            open(&doc2, &other_key).unwrap_err(),
            TransferError::WrongPassword { format: FORMAT }
        );
        // An unknown field, or one missing, is not a backup header.
        let mut extra = doc.clone();
        extra["note"] = "hi".into();
        assert_eq!(open(&extra, &key).unwrap_err().code(), altered);
        let mut missing = doc.clone();
        missing.as_object_mut().unwrap().remove("check");
        assert_eq!(open(&missing, &key).unwrap_err().code(), altered);
        assert_eq!(changed("cipher", "aes256gcm".into()).code(), altered);
    }

    #[test]
    fn wrong_key_is_a_wrong_password_and_altered_accounts_are_damage() {
        let key = key();
        let doc = file(&key);
        let other = VaultKey::derive("correct horsf", key.spec()).unwrap();
        assert_eq!(
            open(&doc, &other).unwrap_err(),
            TransferError::WrongPassword { format: FORMAT }
        );
        let mut sealed = Base64::decode_vec(doc["accounts"].as_str().unwrap()).unwrap();
        sealed[0] ^= 1;
        let mut altered = doc.clone();
        altered["accounts"] = Base64::encode_string(&sealed).into();
        let err = open(&altered, &key).unwrap_err();
        assert_eq!(err.code(), "transfer.damaged");
        assert!(
            err.to_string().contains("changed after it was written"),
            "{err}"
        );
    }

    #[test]
    fn versions_and_costs_are_checked_before_any_key_is_derived() {
        let doc = file(&key());
        let parse = |doc: &Value| BackupFile::parse(&serde_json::to_vec(doc).unwrap());
        let mut newer = doc.clone();
        newer["version"] = 2.into();
        assert_eq!(
            parse(&newer).unwrap_err(),
            TransferError::UnsupportedVersion {
                format: FORMAT,
                version: 2
            }
        );
        let mut costly = doc.clone();
        costly["kdf"]["params"]["memoryKib"] = (KdfParams::MAXIMUM.memory_kib + 1).into();
        assert_eq!(
            parse(&costly).unwrap_err(),
            TransferError::KdfTooCostly { format: FORMAT }
        );
        let mut weak = doc.clone();
        weak["kdf"]["params"]["iterations"] = 1.into();
        assert_eq!(parse(&weak).unwrap_err().code(), "transfer.damaged");
        let mut odd = doc.clone();
        odd["kdf"]["algorithm"] = "scrypt".into();
        assert_eq!(parse(&odd).unwrap_err().code(), "transfer.damaged");
        let file = parse(&doc).unwrap();
        assert_eq!(file.created_unix_seconds(), 1_767_225_600);
        assert!(format!("{file:?}").starts_with("BackupFile"));
    }

    #[test]
    fn through_the_import_dispatch() {
        let secret = secret();
        let bytes =
            BackupFile::seal(&sample(&secret), "correct horse", FAST, 1_767_225_600).unwrap();
        let input = Input::new(&bytes).unwrap();
        assert_eq!(
            detect(&input),
            Some(Detected {
                format: FORMAT,
                encrypted: true
            })
        );
        assert_eq!(
            read(&input, None).unwrap_err(),
            TransferError::PasswordNeeded { format: FORMAT }
        );
        assert_eq!(
            read(&input, Some("")).unwrap_err(),
            TransferError::WrongPassword { format: FORMAT }
        );
        assert_eq!(read(&input, Some("correct horse")).unwrap().len(), 2);
    }

    #[test]
    fn backup_passwords_have_eight_characters_or_more() {
        assert_eq!(
            check_password("short", "short"),
            Err(BackupError::ShortPassword)
        );
        // Characters, not bytes: seven two-byte letters are still too short.
        assert_eq!(
            check_password("ééééééé", "ééééééé"),
            Err(BackupError::ShortPassword)
        );
        assert_eq!(
            check_password("long enough", "long enougH"),
            Err(BackupError::PasswordMismatch)
        );
        assert_eq!(check_password("ëight chr", "ëight chr"), Ok(()));
        let secret = secret();
        assert_eq!(
            BackupFile::seal(&sample(&secret), "1234567", FAST, 0).unwrap_err(),
            BackupError::ShortPassword
        );
        let weak = KdfParams {
            iterations: 1,
            ..FAST
        };
        assert_eq!(
            BackupFile::seal(&sample(&secret), "12345678", weak, 0).unwrap_err(),
            BackupError::Parameters
        );
        let codes = [
            BackupError::ShortPassword,
            BackupError::PasswordMismatch,
            BackupError::Parameters,
            BackupError::Random,
        ]
        .map(|e| e.code());
        assert_eq!(
            codes.len(),
            codes.iter().collect::<std::collections::HashSet<_>>().len()
        );
    }

    #[test]
    fn contents_that_cannot_be_imported_say_why() {
        let key = "JBSWY3DPEHPK3PXP";
        let content = serde_json::json!({"accounts": [
            {"issuer": "A", "name": "a", "type": "totp", "algorithm": "SHA1", "digits": 6, "secret": key},
            {"issuer": "B", "name": "b", "type": "hotp", "algorithm": "SHA1", "digits": 6, "secret": key},
            {"issuer": "C", "name": "c", "type": "motp", "secret": key},
            {"issuer": "D", "name": "d", "type": "totp", "period": 30, "algorithm": "MD5", "secret": key},
            {"issuer": "E", "name": "e", "type": "totp", "period": 5_000_000_000_u64, "secret": key},
            {"issuer": "F", "name": "f", "type": "steam", "secret": ""},
            {"issuer": "G", "name": "g", "type": "steam", "digits": 5, "secret": key},
        ]});
        let entries = read_content_json(&serde_json::to_vec(&content).unwrap()).unwrap();
        let reasons: Vec<_> = entries
            .iter()
            .map(|c| c.as_ref().err().map(|s| s.reason.clone()))
            .collect();
        assert_eq!(
            reasons,
            [
                Some(Skip::Field("period")),
                Some(Skip::Field("counter")),
                Some(Skip::Kind("motp".into())),
                Some(Skip::Algorithm("MD5".into())),
                Some(Skip::Params(ParamsError::Period(5_000_000_000))),
                Some(Skip::NoKey),
                None,
            ]
        );
        assert_eq!(
            read_content_json(b"[]").unwrap_err().code(),
            "transfer.damaged"
        );
        assert_eq!(
            read_content_json(b"nope").unwrap_err().code(),
            "transfer.damaged"
        );
    }
}
