//! Aegis Authenticator vaults (`aegis-*.json`), plain and encrypted, read and written.
//!
//! The layout is Aegis's own (`docs/vault.md` in its repository): `{version: 1, header, db}`.
//! Plain, `db` is the content object `{version, entries}`. Encrypted, `db` is base64 of the
//! content sealed with AES-256-GCM under a random master key (nonce and tag in
//! `header.params`), and each `header.slots` entry holds that master key wrapped with
//! AES-256-GCM under one credential. Only password slots (type 1: scrypt with the slot's `n`,
//! `r`, `p` and `salt`) can be opened here; biometric slots are ignored.
//!
//! Limits: scrypt's memory `128·n·r·p` at most 256 MiB (Aegis writes n = 32768, r = 8, p = 1:
//! 32 MiB), and at most [`MAX_PASSWORD_SLOTS`] password slots tried.

use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::cipher::{self, NONCE_BYTES, TAG_BYTES};
use super::json::{self, Scrubbed};
use super::{Candidate, Detected, ExportEntry, Format, ImportedEntry, Input, Skip, TransferError};
use crate::crypto::CryptoError;
use crate::otp::{DEFAULT_PERIOD_SECONDS, OtpKind, OtpParams};
use crate::secret::Secret;
use crate::transfer::Damage;

/// Most bytes of memory scrypt may use for one slot: `128·n·r·p`.
pub const MAX_SCRYPT_BYTES: u64 = 256 * 1024 * 1024;

/// Most password slots tried (each costs one scrypt run).
pub const MAX_PASSWORD_SLOTS: usize = 4;

/// Newest content (`db.version`) this reader knows.
const CONTENT_VERSION: u64 = 3;

const FORMAT: Format = Format::Aegis;

/// Content check: a JSON object with a `header` holding `slots`, and a `db`.
pub fn detect(input: &Input) -> Option<Detected> {
    let vault = input.json.as_ref()?.as_object()?;
    let header = vault.get("header")?.as_object()?;
    let db = vault.get("db")?;
    (header.contains_key("slots") && (db.is_object() || db.is_string())).then_some(Detected {
        format: FORMAT,
        encrypted: db.is_string(),
    })
}

/// Reads every entry of a plain vault, or of an encrypted one opened with `password`.
///
/// # Errors
/// [`TransferError::PasswordNeeded`] for an encrypted vault without a password,
/// [`TransferError::WrongPassword`] when no password slot opens with it,
/// [`TransferError::KdfTooCostly`] when every password slot is beyond the limits,
/// [`TransferError::UnsupportedVersion`] for vault versions other than 1 and content versions
/// above 3, [`TransferError::Damaged`] for anything else that cannot be read.
pub fn read(input: &Input, password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    let vault = input
        .json
        .as_ref()
        .ok_or_else(|| damaged(Damage::NotJson))?;
    match vault.get("version").and_then(Value::as_u64) {
        Some(1) => {}
        Some(version) => {
            return Err(TransferError::UnsupportedVersion {
                format: FORMAT,
                version,
            });
        }
        None => return Err(damaged(Damage::Missing("version"))),
    }
    match vault.get("db") {
        Some(db @ Value::Object(_)) => read_content(db),
        Some(Value::String(sealed)) => {
            let header = Header::parse(vault.get("header").unwrap_or(&Value::Null))?;
            let password = password.ok_or(TransferError::PasswordNeeded { format: FORMAT })?;
            let master = header.unlock(password)?;
            let sealed = cipher::base64(sealed).ok_or_else(|| damaged(Damage::Invalid("db")))?;
            let mut sealed_with_tag = sealed;
            sealed_with_tag.extend_from_slice(&header.tag);
            let plain = cipher::open(&master, &header.nonce, &sealed_with_tag)
                .ok_or_else(|| damaged(Damage::Altered))?;
            read_content_json(&plain)
        }
        _ => Err(damaged(Damage::Missing("db"))),
    }
}

/// For fuzzing, and the second half of [`read`]: the decrypted content (`db`) as JSON bytes.
///
/// # Errors
/// As [`read`], for the content part.
#[doc(hidden)]
pub fn read_content_json(bytes: &[u8]) -> Result<Vec<Candidate>, TransferError> {
    let content = Scrubbed::parse(bytes).ok_or_else(|| damaged(Damage::Contents))?;
    read_content(&content.0)
}

fn damaged(detail: Damage) -> TransferError {
    TransferError::Damaged {
        format: FORMAT,
        detail,
    }
}

/// `{version, entries: [...]}`.
fn read_content(db: &Value) -> Result<Vec<Candidate>, TransferError> {
    match db.get("version").and_then(Value::as_u64) {
        Some(version) if version > CONTENT_VERSION => {
            return Err(TransferError::UnsupportedVersion {
                format: FORMAT,
                version,
            });
        }
        _ => {}
    }
    let entries = db
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| damaged(Damage::Missing("entries")))?;
    Ok(entries.iter().map(read_entry).collect())
}

fn read_entry(entry: &Value) -> Candidate {
    let issuer = json::label(entry, "issuer");
    let name = json::label(entry, "name");
    let info = entry.get("info").filter(|info| info.is_object());
    let secret = match info.map(|info| json::opt_str(info, "secret")) {
        None => Err(Skip::Field("info")),
        Some(Err(skip)) => Err(skip),
        Some(Ok(None | Some(""))) => Err(Skip::NoKey),
        Some(Ok(Some(text))) => Secret::from_base32(text).map_err(Skip::Key),
    };
    let params = info
        .ok_or(Skip::Field("info"))
        .and_then(|info| params(entry, info));
    ImportedEntry::candidate(issuer, name, params, secret)
}

fn params(entry: &Value, info: &Value) -> Result<OtpParams, Skip> {
    let kind = match json::opt_str(entry, "type")? {
        Some(kind) => kind.to_ascii_lowercase(),
        None => return Err(Skip::Field("type")),
    };
    let kind = match kind.as_str() {
        "totp" => OtpKind::Totp {
            period: json::period(info, "period", DEFAULT_PERIOD_SECONDS)?,
        },
        "hotp" => OtpKind::Hotp {
            counter: json::opt_u64(info, "counter")?.unwrap_or(0),
        },
        "steam" => OtpKind::Steam,
        other => return Err(Skip::kind(other)),
    };
    Ok(OtpParams {
        kind,
        algorithm: json::algorithm(info, "algo")?,
        digits: json::digits(info, "digits", 6)?,
    })
}

/// The parts of an encrypted vault's header this reader needs.
struct Header {
    slots: Vec<PasswordSlot>,
    nonce: [u8; NONCE_BYTES],
    tag: [u8; TAG_BYTES],
}

/// A password slot: scrypt parameters, and the master key sealed under the derived key.
struct PasswordSlot {
    log_n: u8,
    r: u32,
    p: u32,
    salt: Vec<u8>,
    /// The wrapped master key followed by its tag.
    key: Vec<u8>,
    nonce: [u8; NONCE_BYTES],
}

impl Header {
    fn parse(header: &Value) -> Result<Self, TransferError> {
        let params = header
            .get("params")
            .ok_or_else(|| damaged(Damage::Missing("header.params")))?;
        let (nonce, tag) =
            nonce_and_tag(params).ok_or_else(|| damaged(Damage::Invalid("header.params")))?;
        let slots = header
            .get("slots")
            .and_then(Value::as_array)
            .ok_or_else(|| damaged(Damage::Missing("header.slots")))?;
        let slots = slots
            .iter()
            .filter(|slot| slot.get("type").and_then(Value::as_u64) == Some(1))
            .take(MAX_PASSWORD_SLOTS)
            .map(PasswordSlot::parse)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| damaged(Damage::Invalid("header.slots")))?;
        if slots.is_empty() {
            return Err(damaged(Damage::NoPasswordSlot));
        }
        Ok(Self { slots, nonce, tag })
    }

    /// The master key from the first password slot `password` opens.
    fn unlock(&self, password: &str) -> Result<Zeroizing<[u8; 32]>, TransferError> {
        let mut tried = false;
        for slot in &self.slots {
            let Some(params) = slot.scrypt_params() else {
                continue;
            };
            tried = true;
            let mut derived = Zeroizing::new([0u8; 32]);
            if scrypt::scrypt(password.as_bytes(), &slot.salt, &params, derived.as_mut()).is_err() {
                continue;
            }
            if let Some(master) = cipher::open(&derived, &slot.nonce, &slot.key) {
                let master: Option<[u8; 32]> = master.as_slice().try_into().ok();
                return master
                    .map(Zeroizing::new)
                    .ok_or_else(|| damaged(Damage::Invalid("header.slots")));
            }
        }
        Err(if tried {
            TransferError::WrongPassword { format: FORMAT }
        } else {
            TransferError::KdfTooCostly { format: FORMAT }
        })
    }
}

fn nonce_and_tag(params: &Value) -> Option<([u8; NONCE_BYTES], [u8; TAG_BYTES])> {
    let nonce = cipher::hex(params.get("nonce")?.as_str()?)?;
    let tag = cipher::hex(params.get("tag")?.as_str()?)?;
    Some((nonce, tag))
}

impl PasswordSlot {
    fn parse(slot: &Value) -> Option<Self> {
        let n = slot.get("n")?.as_u64()?;
        let (nonce, tag) = nonce_and_tag(slot.get("key_params")?)?;
        let mut key = cipher::hex_vec(slot.get("key")?.as_str()?)?;
        key.extend_from_slice(&tag);
        Some(Self {
            log_n: (n.is_power_of_two() && n > 1)
                .then(|| u8::try_from(n.trailing_zeros()).ok())
                .flatten()?,
            r: u32::try_from(slot.get("r")?.as_u64()?).ok()?,
            p: u32::try_from(slot.get("p")?.as_u64()?).ok()?,
            salt: cipher::hex_vec(slot.get("salt")?.as_str()?)?,
            key,
            nonce,
        })
    }

    /// The scrypt parameters, or `None` when they are invalid or beyond the memory limit.
    fn scrypt_params(&self) -> Option<scrypt::Params> {
        let bytes = 128u128 << self.log_n;
        let bytes = bytes * u128::from(self.r) * u128::from(self.p);
        if bytes > u128::from(MAX_SCRYPT_BYTES) {
            return None;
        }
        scrypt::Params::new(self.log_n, self.r, self.p).ok()
    }
}

/// Writes `entries` as a plain Aegis vault (every key in the clear).
///
/// # Errors
/// [`CryptoError::Random`] when no entry id can be drawn.
pub fn write_plain(entries: &[ExportEntry<'_>]) -> Result<Vec<u8>, CryptoError> {
    let vault = json!({
        "version": 1,
        "header": { "slots": null, "params": null },
        "db": content(entries)?,
    });
    let vault = Scrubbed(vault);
    Ok(serde_json::to_vec_pretty(&vault.0).unwrap_or_default())
}

/// Writes `entries` as an encrypted Aegis vault: a fresh master key, one password slot (scrypt
/// n = 32768, r = 8, p = 1, as Aegis itself writes, with a fresh 32-byte salt).
///
/// # Errors
/// [`CryptoError::Random`] when no key, salt or nonce can be drawn.
pub fn write_encrypted(
    entries: &[ExportEntry<'_>],
    password: &str,
) -> Result<Vec<u8>, CryptoError> {
    write_encrypted_with(entries, password, 15)
}

/// [`write_encrypted`] with scrypt's n = 2^`log_n` (r = 8, p = 1): tests use a small n.
fn write_encrypted_with(
    entries: &[ExportEntry<'_>],
    password: &str,
    log_n: u8,
) -> Result<Vec<u8>, CryptoError> {
    let master = cipher::random::<32>()?;
    let salt = cipher::random::<32>()?;
    let slot_nonce = cipher::random::<NONCE_BYTES>()?;
    let db_nonce = cipher::random::<NONCE_BYTES>()?;
    // Neither call can fail with these values (valid parameters, a 32-byte output).
    let kdf_failed = |_| CryptoError::Malformed("scrypt parameters");
    let params = scrypt::Params::new(log_n, 8, 1).map_err(kdf_failed)?;
    let mut derived = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(
        password.as_bytes(),
        salt.as_ref(),
        &params,
        derived.as_mut(),
    )
    .map_err(|_| CryptoError::Malformed("scrypt output"))?;

    let wrapped = cipher::seal(&derived, &slot_nonce, master.as_ref());
    let (wrapped_key, wrapped_tag) = wrapped.split_at(wrapped.len() - TAG_BYTES);
    let plain = Scrubbed(content(entries)?);
    let plain = Zeroizing::new(serde_json::to_vec(&plain.0).unwrap_or_default());
    let sealed = cipher::seal(&master, &db_nonce, &plain);
    let (db, db_tag) = sealed.split_at(sealed.len() - TAG_BYTES);

    let vault = json!({
        "version": 1,
        "header": {
            "slots": [{
                "type": 1,
                "uuid": uuid()?,
                "key": cipher::to_hex(wrapped_key),
                "key_params": {
                    "nonce": cipher::to_hex(slot_nonce.as_ref()),
                    "tag": cipher::to_hex(wrapped_tag),
                },
                "n": 1u64 << log_n,
                "r": 8,
                "p": 1,
                "salt": cipher::to_hex(salt.as_ref()),
                "repaired": true,
                "is_backup": false,
            }],
            "params": {
                "nonce": cipher::to_hex(db_nonce.as_ref()),
                "tag": cipher::to_hex(db_tag),
            },
        },
        "db": cipher::to_base64(db),
    });
    Ok(serde_json::to_vec_pretty(&vault).unwrap_or_default())
}

/// Aegis's content object (version 3) for `entries`.
fn content(entries: &[ExportEntry<'_>]) -> Result<Value, CryptoError> {
    let entries = entries
        .iter()
        .map(|entry| {
            let (kind, moving) = match entry.params.kind {
                OtpKind::Totp { period } => ("totp", Moving::Period(period)),
                OtpKind::Hotp { counter } => ("hotp", Moving::Counter(counter)),
                OtpKind::Steam => ("steam", Moving::Period(DEFAULT_PERIOD_SECONDS)),
            };
            let mut info = json!({
                "secret": entry.secret.to_base32().as_str(),
                "algo": entry.params.algorithm.name(),
                "digits": entry.params.digits,
            });
            info[moving.field()] = moving.value();
            Ok(json!({
                "type": kind,
                "uuid": uuid()?,
                "name": entry.name,
                "issuer": entry.issuer,
                "note": "",
                "favorite": false,
                "icon": null,
                "icon_mime": null,
                "icon_hash": null,
                "info": info,
                "groups": [],
            }))
        })
        .collect::<Result<Vec<_>, CryptoError>>()?;
    Ok(json!({ "version": CONTENT_VERSION, "entries": entries, "groups": [] }))
}

/// The moving factor as Aegis stores it.
enum Moving {
    Period(u32),
    Counter(u64),
}

impl Moving {
    fn field(&self) -> &'static str {
        match self {
            Self::Period(_) => "period",
            Self::Counter(_) => "counter",
        }
    }

    fn value(&self) -> Value {
        match *self {
            Self::Period(period) => period.into(),
            Self::Counter(counter) => counter.into(),
        }
    }
}

/// A random (version 4) UUID, as Aegis gives every entry and slot.
fn uuid() -> Result<String, CryptoError> {
    let mut bytes = *cipher::random::<16>()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = cipher::to_hex(&bytes);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Algorithm;
    use crate::transfer::Skip;

    fn key() -> Secret {
        Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()
    }

    fn read_bytes(bytes: &[u8], password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
        let input = Input::new(bytes).unwrap();
        assert_eq!(detect(&input).map(|d| d.format), Some(FORMAT));
        read(&input, password)
    }

    fn sample(key: &Secret) -> Vec<ExportEntry<'_>> {
        let hotp = OtpParams {
            kind: OtpKind::Hotp { counter: u64::MAX },
            algorithm: Algorithm::Sha512,
            digits: 8,
        };
        vec![
            ExportEntry {
                issuer: "Émile & Co",
                name: "a:b",
                params: OtpParams::default(),
                secret: key,
            },
            ExportEntry {
                issuer: "",
                name: "",
                params: hotp,
                secret: key,
            },
        ]
    }

    fn vault(bytes: &[u8]) -> Value {
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn encrypted_vault_needs_the_right_password() {
        let key = key();
        let bytes = write_encrypted_with(&sample(&key), "pässword", 4).unwrap();
        let input = Input::new(&bytes).unwrap();
        assert!(detect(&input).unwrap().encrypted);
        assert_eq!(
            read_bytes(&bytes, None),
            Err(TransferError::PasswordNeeded { format: FORMAT })
        );
        assert_eq!(
            read_bytes(&bytes, Some("password")),
            Err(TransferError::WrongPassword { format: FORMAT })
        );
        let entries = read_bytes(&bytes, Some("pässword")).unwrap();
        let first = entries[0].as_ref().unwrap();
        assert_eq!(
            (first.issuer.as_str(), first.name.as_str()),
            ("Émile & Co", "a:b")
        );
        assert_eq!(
            entries[1].as_ref().unwrap().params.kind,
            OtpKind::Hotp { counter: u64::MAX }
        );
        assert!(!String::from_utf8_lossy(&bytes).contains("JBSWY3DP"));
    }

    #[test]
    fn altered_contents_are_damage_not_a_wrong_password() {
        let key = key();
        let mut doc = vault(&write_encrypted_with(&sample(&key), "pw", 4).unwrap());
        let db = doc["db"].as_str().unwrap().to_owned();
        let flipped = if db.starts_with('A') { "B" } else { "A" };
        doc["db"] = Value::from(format!("{flipped}{}", &db[1..]));
        let err = read_bytes(&serde_json::to_vec(&doc).unwrap(), Some("pw")).unwrap_err();
        assert_eq!(err.code(), "transfer.damaged");
    }

    #[test]
    fn slots_beyond_the_limits_or_missing() {
        let key = key();
        let doc = vault(&write_encrypted_with(&sample(&key), "pw", 4).unwrap());
        let with_slot = |change: &dyn Fn(&mut Value)| {
            let mut doc = doc.clone();
            change(&mut doc["header"]["slots"][0]);
            read_bytes(&serde_json::to_vec(&doc).unwrap(), Some("pw"))
        };
        // 128 * 2^20 * 8 * 1 = 1 GiB of memory.
        let costly = with_slot(&|slot| slot["n"] = Value::from(1u64 << 20));
        assert_eq!(costly, Err(TransferError::KdfTooCostly { format: FORMAT }));
        let many = with_slot(&|slot| slot["p"] = Value::from(1u64 << 20));
        assert_eq!(many, Err(TransferError::KdfTooCostly { format: FORMAT }));
        let odd = with_slot(&|slot| slot["n"] = Value::from(1000));
        assert_eq!(odd.unwrap_err().code(), "transfer.damaged");
        let biometric = with_slot(&|slot| slot["type"] = Value::from(2));
        let err = biometric.unwrap_err();
        assert!(err.to_string().contains("no password slot"), "{err}");
    }

    #[test]
    fn versions_beyond_what_is_known_are_refused() {
        let key = key();
        let mut doc = vault(&write_plain(&sample(&key)).unwrap());
        doc["db"]["version"] = Value::from(4);
        let err = read_bytes(&serde_json::to_vec(&doc).unwrap(), None).unwrap_err();
        assert_eq!(
            err,
            TransferError::UnsupportedVersion {
                format: FORMAT,
                version: 4
            }
        );
        doc["version"] = Value::from(2);
        let err = read_bytes(&serde_json::to_vec(&doc).unwrap(), None).unwrap_err();
        assert_eq!(
            err,
            TransferError::UnsupportedVersion {
                format: FORMAT,
                version: 2
            }
        );
    }

    #[test]
    fn entries_that_cannot_be_imported_say_why() {
        let secret = "JBSWY3DPEHPK3PXP";
        let doc = json!({"version": 1, "header": {"slots": null, "params": null}, "db": {
            "version": 3,
            "entries": [
                {"type": "motp", "name": "m", "issuer": "M", "info": {"secret": secret, "pin": "1234"}},
                {"type": "yandex", "name": "y", "info": {"secret": secret}},
                {"type": "totp", "name": "md5", "info": {"secret": secret, "algo": "MD5"}},
                {"type": "totp", "name": "nokey", "info": {"secret": ""}},
                {"type": "totp", "name": "noinfo"},
                {"type": "hotp", "name": "minimal", "info": {"secret": "jbsw y3dp ehpk 3pxp"}},
            ],
        }});
        let entries = read_bytes(&serde_json::to_vec(&doc).unwrap(), None).unwrap();
        let reasons: Vec<_> = entries
            .iter()
            .map(|c| c.as_ref().err().map(|s| s.reason.clone()))
            .collect();
        assert_eq!(
            reasons,
            [
                Some(Skip::Kind("motp".into())),
                Some(Skip::Kind("yandex".into())),
                Some(Skip::Algorithm("MD5".into())),
                Some(Skip::NoKey),
                Some(Skip::Field("info")),
                None,
            ]
        );
        let skipped = entries[0].as_ref().unwrap_err();
        assert_eq!((skipped.issuer.as_str(), skipped.name.as_str()), ("M", "m"));
        let minimal = entries[5].as_ref().unwrap();
        assert_eq!(minimal.params.kind, OtpKind::Hotp { counter: 0 });
    }

    #[test]
    fn written_entries_have_what_aegis_needs() {
        let key = key();
        let doc = vault(&write_plain(&sample(&key)).unwrap());
        let entry = &doc["db"]["entries"][1];
        assert_eq!(entry["type"], "hotp");
        assert_eq!(entry["info"]["counter"], u64::MAX);
        assert_eq!(entry["info"]["algo"], "SHA512");
        let uuid = entry["uuid"].as_str().unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert_eq!(doc["db"]["version"], 3);
    }
}
