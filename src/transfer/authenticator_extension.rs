//! The Authenticator browser extension's JSON backups (`authenticator.json`), plain or
//! encrypted. (Its plain text backup is `otpauth://` lines, read by the link list reader.)
//!
//! A backup is one JSON object: every value is a record of the extension's storage. Entries
//! (`OTPStorage`) carry `type` (`totp`, `hotp`, `battle`, `steam`, `hex`, `hhex`), `secret`,
//! `issuer` (`Name` or `Name::site`), `account`, `period`, `digits`, `algorithm` (`SHA256`… or its
//! number), `counter` and `index` (the list order). Encrypted backups add key records and seal
//! either each `secret` (`"encrypted": true`) or whole entries (`EncOTPStorage`); see
//! [`unlock`] for the three schemes. Entries come out in the extension's own order (`index`).

mod unlock;

use serde_json::Value;
use zeroize::Zeroizing;

use super::json_fields::{
    algorithm_named, base32_key, byte_key, damaged, digits, non_empty, number_or, period,
    steam_params, text,
};
use super::{Candidate, Detected, Format, ImportedEntry, Input, Skip, SkippedEntry, TransferError};
use crate::otp::{Algorithm, DEFAULT_PERIOD_SECONDS, OtpKind, OtpParams};
use crate::transfer::Damage;

pub use unlock::{MAX_KEYS, open_text};

const FORMAT: Format = Format::AuthenticatorExtension;

/// One record of a backup that holds (or seals) an account.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Record<'a> {
    /// An entry whose key is in clear.
    Plain(&'a Value),
    /// An entry whose `secret` is sealed (v1 under the password, v2 under the `key` record's
    /// passphrase).
    SealedSecret(&'a Value),
    /// A whole entry sealed under the passphrase of the `Key` record `key_id` (v3).
    SealedEntry {
        /// The `Key` record's id.
        key_id: &'a str,
        /// The sealed entry.
        data: &'a str,
    },
}

/// A backup's structure, read without any key derivation.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup<'a> {
    /// The account records, in the extension's order.
    pub records: Vec<Record<'a>>,
    /// The v2 `key` record, when there is one.
    pub old_key: Option<&'a Value>,
    /// The v3 `Key` records.
    pub keys: Vec<&'a Value>,
}

impl<'a> Backup<'a> {
    /// Sorts the records of a backup. `None` when `json` holds no entry of the extension.
    pub fn parse(json: &'a Value) -> Option<Self> {
        let object = json.as_object()?;
        let mut records = Vec::new();
        let mut keys = Vec::new();
        let mut old_key = None;
        for (name, value) in object {
            if !value.is_object() {
                continue;
            }
            match text(value, "dataType") {
                Some("Key") => keys.push(value),
                Some("EncOTPStorage") => {
                    if let (Some(key_id), Some(data)) = (text(value, "keyId"), text(value, "data"))
                    {
                        records.push((order(value), Record::SealedEntry { key_id, data }));
                    }
                }
                _ if name == "key" && value.get("enc").is_some() => old_key = Some(value),
                _ if value.get("secret").is_some_and(Value::is_string) => {
                    let sealed = value.get("encrypted").is_some_and(|e| e == true);
                    let record = if sealed {
                        Record::SealedSecret(value)
                    } else {
                        Record::Plain(value)
                    };
                    records.push((order(value), record));
                }
                _ => {}
            }
        }
        if records.is_empty() {
            return None;
        }
        records.sort_by_key(|(index, _)| *index);
        Some(Self {
            records: records.into_iter().map(|(_, record)| record).collect(),
            old_key,
            keys,
        })
    }

    /// True when any record is sealed.
    pub fn encrypted(&self) -> bool {
        self.records
            .iter()
            .any(|record| !matches!(record, Record::Plain(_)))
    }
}

/// The `index` of a record (its place in the extension's list); records without one go last.
fn order(value: &Value) -> u64 {
    super::json::opt_u64(value, "index")
        .ok()
        .flatten()
        .unwrap_or(u64::MAX)
}

/// Content check: a JSON object with at least one entry record of the extension.
pub fn detect(input: &Input) -> Option<Detected> {
    let backup = Backup::parse(input.json.as_ref()?)?;
    Some(Detected {
        format: FORMAT,
        encrypted: backup.encrypted(),
    })
}

/// Reads every account, in the extension's order. Plain backups ignore `password`.
///
/// # Errors
/// [`TransferError::PasswordNeeded`], [`TransferError::WrongPassword`],
/// [`TransferError::KdfTooCostly`] (a key record's hash asks for more than the caps in
/// `unseal`), [`TransferError::Damaged`] (a key record missing or malformed, more than
/// [`MAX_KEYS`] keys), [`TransferError::UnknownFormat`] when this is not such a backup.
pub fn read(input: &Input, password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    let json = input.json.as_ref().ok_or(TransferError::UnknownFormat)?;
    let backup = Backup::parse(json).ok_or(TransferError::UnknownFormat)?;
    if !backup.encrypted() {
        return non_empty(FORMAT, backup.records.iter().map(plain_record).collect());
    }
    let password = password.ok_or(TransferError::PasswordNeeded { format: FORMAT })?;
    let mut keys = Keys::new(&backup, password)?;
    let mut entries = Vec::with_capacity(backup.records.len());
    for record in &backup.records {
        entries.push(match *record {
            Record::Plain(value) => entry(value, None),
            Record::SealedSecret(value) => keys.open_secret(value)?,
            Record::SealedEntry { key_id, data } => keys.open_entry(key_id, data)?,
        });
    }
    non_empty(FORMAT, entries)
}

/// The passphrases unlocked so far.
struct Keys<'a> {
    backup: &'a Backup<'a>,
    password: &'a str,
    /// What seals `secret` fields: the v2 passphrase, or the password itself (v1).
    secret_passphrase: Zeroizing<String>,
    /// True once a v1 secret opened: later failures are damaged entries, not a wrong password.
    secret_opened: bool,
    /// v3 passphrases by key id.
    unlocked: Vec<(&'a str, Zeroizing<String>)>,
}

impl<'a> Keys<'a> {
    /// Unlocks the v2 key when there is one, and checks the number of v3 keys.
    fn new(backup: &'a Backup<'a>, password: &'a str) -> Result<Self, TransferError> {
        let mut ids: Vec<&str> = backup
            .records
            .iter()
            .filter_map(|record| match record {
                Record::SealedEntry { key_id, .. } => Some(*key_id),
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MAX_KEYS {
            return Err(damaged(FORMAT, Damage::Invalid("key")));
        }
        let has_sealed_secret = backup
            .records
            .iter()
            .any(|record| matches!(record, Record::SealedSecret(_)));
        let secret_passphrase = match (backup.old_key, has_sealed_secret) {
            (Some(old_key), true) => unlock::v2_passphrase(old_key, password)?,
            _ => Zeroizing::new(password.to_owned()),
        };
        Ok(Self {
            backup,
            password,
            secret_opened: backup.old_key.is_some(),
            secret_passphrase,
            unlocked: Vec::new(),
        })
    }

    /// An entry whose `secret` is sealed.
    fn open_secret(&mut self, value: &Value) -> Result<Candidate, TransferError> {
        let sealed = text(value, "secret").unwrap_or_default();
        let secret = open_text(sealed, &self.secret_passphrase)
            .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
            .map(Zeroizing::new)
            .filter(|secret| looks_like_a_key(secret));
        match secret {
            Some(secret) => {
                self.secret_opened = true;
                Ok(entry(value, Some(&secret)))
            }
            // v1 has no password check but the keys themselves.
            None if !self.secret_opened => Err(TransferError::WrongPassword { format: FORMAT }),
            None => Ok(skipped(value, Skip::Field("secret"))),
        }
    }

    /// A whole sealed entry (v3).
    fn open_entry(&mut self, key_id: &'a str, data: &str) -> Result<Candidate, TransferError> {
        let passphrase = self.passphrase(key_id)?;
        // The password is verified by now: an entry that does not open or is not JSON is a
        // damaged entry, skipped like the extension skips it, not a reason to refuse the file.
        let json = open_text(data, passphrase)
            .and_then(|plain| serde_json::from_slice::<Value>(&plain).ok());
        Ok(match json {
            Some(json) => entry(&json, None),
            None => skipped(&Value::Null, Skip::Field("data")),
        })
    }

    /// The passphrase of the `Key` record `key_id`, unlocking it on first use.
    fn passphrase(&mut self, key_id: &'a str) -> Result<&str, TransferError> {
        if let Some(i) = self.unlocked.iter().position(|(id, _)| *id == key_id) {
            return Ok(&self.unlocked[i].1);
        }
        let record = self
            .backup
            .keys
            .iter()
            .find(|key| text(key, "id") == Some(key_id))
            .ok_or_else(|| damaged(FORMAT, Damage::Missing("key")))?;
        let passphrase = unlock::v3_passphrase(record, self.password)?;
        self.unlocked.push((key_id, passphrase));
        Ok(&self.unlocked[self.unlocked.len() - 1].1)
    }
}

/// What the extension accepts as a decrypted key: base32, hex, or a `blz-`/`bliz-`/`stm-`
/// prefixed key, at least 8 characters.
fn looks_like_a_key(secret: &str) -> bool {
    let body = ["blz-", "bliz-", "stm-"]
        .iter()
        .find_map(|prefix| secret.strip_prefix(prefix))
        .unwrap_or(secret);
    secret.len() >= 8
        && !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'=' || b == b' ')
}

/// A record whose key is in clear.
fn plain_record(record: &Record) -> Candidate {
    match record {
        Record::Plain(value) => entry(value, None),
        _ => Err(SkippedEntry {
            issuer: String::new(),
            name: String::new(),
            reason: Skip::NoKey,
        }),
    }
}

/// The labels of an entry: the issuer before any `::site` suffix, and the account.
fn labels(value: &Value) -> (String, String) {
    let issuer = text(value, "issuer").unwrap_or_default();
    let issuer = issuer.split("::").next().unwrap_or_default();
    (
        issuer.to_owned(),
        text(value, "account").unwrap_or_default().to_owned(),
    )
}

/// A skipped entry under the labels `value` has.
fn skipped(value: &Value, reason: Skip) -> Candidate {
    let (issuer, name) = labels(value);
    Err(SkippedEntry {
        issuer,
        name,
        reason,
    })
}

/// One entry; `secret` replaces the record's own (sealed) one.
fn entry(value: &Value, secret: Option<&str>) -> Candidate {
    let (issuer, name) = labels(value);
    let mut kind = text(value, "type").unwrap_or("totp").to_ascii_lowercase();
    let mut secret = secret.or_else(|| text(value, "secret")).unwrap_or_default();
    if let Some(rest) = secret.strip_prefix("stm-") {
        (kind, secret) = ("steam".into(), rest);
    } else if let Some(rest) = ["blz-", "bliz-"]
        .iter()
        .find_map(|prefix| secret.strip_prefix(prefix))
    {
        (kind, secret) = ("battle".into(), rest);
    }
    let hex = matches!(kind.as_str(), "hex" | "hhex") || looks_hex_only(secret);
    let key = if hex {
        base16ct::mixed::decode_vec(secret.trim())
            .map_err(|_| Skip::Field("secret"))
            .and_then(byte_key)
    } else {
        base32_key(Some(secret))
    };
    ImportedEntry::candidate(issuer, name, params(value, &kind), key)
}

/// True for a key written in hex that is not also valid base32 (how the extension tells them
/// apart for `totp` and `hotp` entries).
fn looks_hex_only(secret: &str) -> bool {
    let secret = secret.trim();
    let base32 = secret
        .trim_end_matches('=')
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || (b'2'..=b'7').contains(&b));
    !secret.is_empty() && !base32 && secret.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Kind, algorithm, digits and period or counter of one entry.
fn params(value: &Value, kind: &str) -> Result<OtpParams, Skip> {
    let kind = match kind {
        "totp" | "hex" => OtpKind::Totp {
            period: period(value, "period", DEFAULT_PERIOD_SECONDS)?,
        },
        "hotp" | "hhex" => OtpKind::Hotp {
            counter: number_or(value, "counter", 0)?,
        },
        "steam" => return Ok(steam_params()),
        "battle" => {
            return Ok(OtpParams {
                digits: 8,
                ..OtpParams::default()
            });
        }
        other => return Err(Skip::Kind(other.to_owned())),
    };
    Ok(OtpParams {
        kind,
        algorithm: algorithm(value)?,
        digits: digits(value, "digits", 6)?,
    })
}

/// The algorithm: a name (`SHA256`, `GOST3411_2012_256`…) or the extension's number for it
/// (1 SHA-1, 2 SHA-256, 3 SHA-512, 4 and 5 GOST).
fn algorithm(value: &Value) -> Result<Algorithm, Skip> {
    match value.get("algorithm") {
        None | Some(Value::Null) => Ok(Algorithm::Sha1),
        Some(Value::String(name)) => match name.trim().parse::<u64>() {
            Ok(number) => numbered_algorithm(number),
            Err(_) => algorithm_named(name),
        },
        Some(Value::Number(n)) => n
            .as_u64()
            .map_or(Err(Skip::Field("algorithm")), numbered_algorithm),
        Some(_) => Err(Skip::Field("algorithm")),
    }
}

/// The extension's algorithm numbers.
fn numbered_algorithm(number: u64) -> Result<Algorithm, Skip> {
    match number {
        1 => Ok(Algorithm::Sha1),
        2 => Ok(Algorithm::Sha256),
        3 => Ok(Algorithm::Sha512),
        4 => Err(Skip::Algorithm("GOST3411_2012_256".into())),
        5 => Err(Skip::Algorithm("GOST3411_2012_512".into())),
        other => Err(Skip::Algorithm(format!("algorithm {other}"))),
    }
}

#[cfg(test)]
mod tests;
