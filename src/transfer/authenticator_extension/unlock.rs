//! Unlocking the Authenticator extension's encrypted backups: which passphrase opens the
//! entries, and whether the password is right.
//!
//! The extension has encrypted three ways over the years, all still found in backups:
//! - v1: each entry's `secret` sealed with the password itself (CryptoJS passphrase mode:
//!   OpenSSL `Salted__` framing, MD5 `EVP_BytesToKey`, AES-256-CBC). Nothing checks the
//!   password but the decrypted keys.
//! - v2: a `key` record `{enc, hash}`: `enc` seals random bytes under the password (CryptoJS);
//!   their lower-case hex is the passphrase of every entry's `secret`; `hash` is an Argon2 PHC
//!   hash of that hex text.
//! - v3: `Key` records `{dataType: "Key", id, salt, hash}`. The passphrase is Argon2id of the
//!   password with the record's `salt` (as UTF-8; 2 passes, 19 MiB, 1 lane, 32 bytes), written
//!   as unpadded standard base64 (the hash part of Argon2's encoded string); `hash` is an Argon2
//!   PHC hash of that passphrase. Entries are `EncOTPStorage` records whose `data` seals the
//!   whole entry as JSON under the passphrase.
//!
//! Sealed text is either CryptoJS's (above) or, in newer versions, `v4:` + base64 of a 12-byte
//! nonce and AES-256-GCM under SHA-256 of the passphrase.

use base64ct::{Base64Unpadded, Encoding};
use serde_json::Value;
use zeroize::Zeroizing;

use super::super::json_fields::{damaged, text};
use super::super::unseal::{
    PhcCheck, affordable_argon2_phc, argon2id, base64_decode, open_cryptojs, open_gcm, sha256_key,
    verify_argon2_phc,
};
use super::super::{Format, TransferError};
use crate::transfer::Damage;

const FORMAT: Format = Format::AuthenticatorExtension;

/// Argon2id costs of the v3 passphrase: memory in KiB, passes, lanes (the extension's fixed
/// settings, not stated in the file).
const V3_COSTS: (u32, u32, u32) = (19 * 1024, 2, 1);

/// Most distinct v3 keys one backup may use: each costs an Argon2 derivation and check.
pub const MAX_KEYS: usize = 4;

/// Opens text the extension sealed under `passphrase` (`v4:` GCM or CryptoJS CBC).
pub fn open_text(sealed: &str, passphrase: &str) -> Option<Zeroizing<Vec<u8>>> {
    match sealed.strip_prefix("v4:") {
        Some(encoded) => {
            let combined = Zeroizing::new(base64_decode(encoded)?);
            if combined.len() < 12 {
                return None;
            }
            let (nonce, sealed) = combined.split_at(12);
            open_gcm(&sha256_key(passphrase.as_bytes()), nonce, sealed)
        }
        None => open_cryptojs(sealed, passphrase.as_bytes()),
    }
}

/// Turns a PHC check into the reader's answer.
fn judged(check: PhcCheck) -> Result<(), TransferError> {
    match check {
        PhcCheck::Match => Ok(()),
        other => Err(judged_error(other)),
    }
}

/// The reader's error for a PHC check other than a match.
fn judged_error(check: PhcCheck) -> TransferError {
    match check {
        PhcCheck::Match | PhcCheck::Mismatch => TransferError::WrongPassword { format: FORMAT },
        PhcCheck::TooCostly => TransferError::KdfTooCostly { format: FORMAT },
        PhcCheck::Malformed => damaged(FORMAT, Damage::Invalid("key")),
    }
}

/// The v2 passphrase: the hex of what the `key` record's `enc` seals under `password`, checked
/// against its `hash`.
///
/// # Errors
/// [`TransferError::WrongPassword`], [`TransferError::KdfTooCostly`], or
/// [`TransferError::Damaged`] for a malformed record.
pub fn v2_passphrase(record: &Value, password: &str) -> Result<Zeroizing<String>, TransferError> {
    let (Some(enc), Some(hash)) = (text(record, "enc"), text(record, "hash")) else {
        return Err(damaged(FORMAT, Damage::Invalid("key")));
    };
    let key = open_cryptojs(enc, password.as_bytes())
        .ok_or(TransferError::WrongPassword { format: FORMAT })?;
    let passphrase = Zeroizing::new(base16ct::lower::encode_string(&key));
    judged(verify_argon2_phc(passphrase.as_bytes(), hash))?;
    Ok(passphrase)
}

/// The v3 passphrase of a `Key` record, checked against its `hash`.
///
/// # Errors
/// As [`v2_passphrase`]; also [`TransferError::Damaged`] when the salt is too short for Argon2.
pub fn v3_passphrase(record: &Value, password: &str) -> Result<Zeroizing<String>, TransferError> {
    let (Some(salt), Some(hash)) = (text(record, "salt"), text(record, "hash")) else {
        return Err(damaged(FORMAT, Damage::Invalid("key")));
    };
    // Check the stored hash's costs before spending any work on the derivation.
    affordable_argon2_phc(hash).map_err(judged_error)?;
    let (memory, passes, lanes) = V3_COSTS;
    let raw = argon2id(password.as_bytes(), salt.as_bytes(), memory, passes, lanes)
        .ok_or_else(|| damaged(FORMAT, Damage::Invalid("key")))?;
    let passphrase = Zeroizing::new(Base64Unpadded::encode_string(raw.as_ref()));
    judged(verify_argon2_phc(passphrase.as_bytes(), hash))?;
    Ok(passphrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_text_reads_gcm_and_refuses_garbage() {
        assert!(open_text("v4:", "p").is_none());
        assert!(open_text("v4:AAAA", "p").is_none());
        assert!(open_text("v4:not base64", "p").is_none());
        assert!(open_text("U2FsdGVkX1+hssPU", "p").is_none());
    }

    #[test]
    fn incomplete_key_records_are_damaged() {
        let record = serde_json::json!({"dataType": "Key", "id": "k"});
        assert!(matches!(
            v3_passphrase(&record, "x"),
            Err(TransferError::Damaged { .. })
        ));
        assert!(matches!(
            v2_passphrase(&record, "x"),
            Err(TransferError::Damaged { .. })
        ));
    }
}
