//! Stratum (formerly Authenticator Pro) backups: JSON with an `Authenticators` array, plain or
//! encrypted.
//!
//! - Current encryption: `AUTHENTICATORPRO`, a 16-byte salt, a 12-byte nonce, then AES-256-GCM
//!   with a 16-byte tag; the key is Argon2id of the password (64 MiB, 3 passes, 4 lanes: fixed by
//!   the app, not stated in the file).
//! - Legacy encryption: `AuthenticatorPro`, a 20-byte salt, a 16-byte IV, then AES-256-CBC with
//!   PKCS#7 padding; the key is PBKDF2-HMAC-SHA1 of the password, 64,000 iterations.
//!
//! Entries: `Type` 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex; `Algorithm` 0 SHA-1, 1 SHA-256,
//! 2 SHA-512.

use serde_json::Value;
use zeroize::Zeroizing;

use super::json_fields::{
    base32_key, damaged, digits, json_from_bytes, non_empty, number_or, period, steam_params, text,
    text_or_empty,
};
use super::unseal::{argon2id, open_cbc, open_gcm, pbkdf2_sha1};
use super::{Candidate, Detected, Format, ImportedEntry, Input, Skip, TransferError};
use crate::otp::{Algorithm, DEFAULT_PERIOD_SECONDS, OtpKind, OtpParams};
use crate::transfer::Damage;

const FORMAT: Format = Format::Stratum;

/// Magic of the current (Argon2id + GCM) encryption.
pub const CURRENT_MAGIC: &[u8; 16] = b"AUTHENTICATORPRO";
/// Magic of the legacy (PBKDF2 + CBC) encryption.
pub const LEGACY_MAGIC: &[u8; 16] = b"AuthenticatorPro";

/// Argon2id costs of the current encryption: memory in KiB, passes, lanes.
const ARGON2_COSTS: (u32, u32, u32) = (64 * 1024, 3, 4);
/// PBKDF2 iterations of the legacy encryption.
const LEGACY_ITERATIONS: u32 = 64_000;

/// An encrypted backup's parts, as read from the file (nothing derived yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container<'a> {
    /// Argon2id + AES-256-GCM.
    Current {
        /// Argon2 salt (16 bytes).
        salt: &'a [u8],
        /// GCM nonce (12 bytes).
        nonce: &'a [u8],
        /// Ciphertext and 16-byte tag.
        sealed: &'a [u8],
    },
    /// PBKDF2 + AES-256-CBC.
    Legacy {
        /// PBKDF2 salt (20 bytes).
        salt: &'a [u8],
        /// CBC IV.
        iv: &'a [u8; 16],
        /// Ciphertext, whole blocks.
        ciphertext: &'a [u8],
    },
}

impl<'a> Container<'a> {
    /// Splits an encrypted backup. `None` when `bytes` starts with neither magic.
    ///
    /// # Errors
    /// [`TransferError::Damaged`] when the file is too short for its header.
    pub fn parse(bytes: &'a [u8]) -> Option<Result<Self, TransferError>> {
        let too_short = || damaged(FORMAT, Damage::Truncated);
        if let Some(rest) = bytes.strip_prefix(CURRENT_MAGIC) {
            if rest.len() < 16 + 12 + 16 {
                return Some(Err(too_short()));
            }
            let (salt, rest) = rest.split_at(16);
            let (nonce, sealed) = rest.split_at(12);
            return Some(Ok(Self::Current {
                salt,
                nonce,
                sealed,
            }));
        }
        let rest = bytes.strip_prefix(LEGACY_MAGIC)?;
        if rest.len() < 20 + 16 + 16 {
            return Some(Err(too_short()));
        }
        let (salt, rest) = rest.split_at(20);
        let (iv, ciphertext) = rest.split_at(16);
        let iv = iv.try_into().ok()?;
        Some(Ok(Self::Legacy {
            salt,
            iv,
            ciphertext,
        }))
    }

    /// Derives the key from `password` and decrypts.
    ///
    /// # Errors
    /// [`TransferError::WrongPassword`] when the tag (current) or padding (legacy) fails.
    pub fn open(&self, password: &str) -> Result<Zeroizing<Vec<u8>>, TransferError> {
        let wrong = TransferError::WrongPassword { format: FORMAT };
        match *self {
            Self::Current {
                salt,
                nonce,
                sealed,
            } => {
                let (memory, passes, lanes) = ARGON2_COSTS;
                let key = argon2id(password.as_bytes(), salt, memory, passes, lanes)
                    .ok_or_else(|| damaged(FORMAT, Damage::Invalid("kdf")))?;
                open_gcm(&key, nonce, sealed).ok_or(wrong)
            }
            Self::Legacy {
                salt,
                iv,
                ciphertext,
            } => {
                let key = pbkdf2_sha1(password.as_bytes(), salt, LEGACY_ITERATIONS);
                open_cbc(&key, iv, ciphertext).ok_or(wrong)
            }
        }
    }
}

/// Content check: an object with an `Authenticators` array (plain), or either encryption magic.
pub fn detect(input: &Input) -> Option<Detected> {
    let plain = input
        .json
        .as_ref()
        .is_some_and(|json| json.get("Authenticators").is_some_and(Value::is_array));
    let encrypted =
        !plain && (input.bytes.starts_with(CURRENT_MAGIC) || input.bytes.starts_with(LEGACY_MAGIC));
    (plain || encrypted).then_some(Detected {
        format: FORMAT,
        encrypted,
    })
}

/// Reads every entry, in file order. Plain files ignore `password`.
///
/// # Errors
/// [`TransferError::PasswordNeeded`], [`TransferError::WrongPassword`],
/// [`TransferError::Damaged`] (short header; decrypted content that is not a backup),
/// [`TransferError::Empty`].
pub fn read(input: &Input, password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    if let Some(json) = &input.json {
        return entries_from_json(json);
    }
    let container =
        Container::parse(input.bytes).ok_or_else(|| damaged(FORMAT, Damage::NotThisFormat))??;
    let password = password.ok_or(TransferError::PasswordNeeded { format: FORMAT })?;
    let plain = container.open(password)?;
    let json = match container {
        Container::Current { .. } => json_from_bytes(FORMAT, &plain)?,
        // CBC does not authenticate: a wrong password passes the padding check about once in
        // 256 tries, and then decrypts to noise.
        Container::Legacy { .. } => serde_json::from_slice(&plain)
            .map_err(|_| TransferError::WrongPassword { format: FORMAT })?,
    };
    entries_from_json(&json)
}

/// Reads the decrypted (or plain) JSON document.
///
/// # Errors
/// [`TransferError::Damaged`] without an `Authenticators` array, [`TransferError::Empty`] when
/// it is empty.
pub fn entries_from_json(json: &Value) -> Result<Vec<Candidate>, TransferError> {
    let list = json
        .get("Authenticators")
        .and_then(Value::as_array)
        .ok_or_else(|| damaged(FORMAT, Damage::Missing("Authenticators")))?;
    non_empty(FORMAT, list.iter().map(entry).collect())
}

/// One entry of the `Authenticators` list.
fn entry(value: &Value) -> Candidate {
    ImportedEntry::candidate(
        text_or_empty(value, "Issuer"),
        text_or_empty(value, "Username"),
        params(value),
        base32_key(text(value, "Secret")),
    )
}

/// Kind, algorithm, digits and period or counter of one entry.
fn params(value: &Value) -> Result<OtpParams, Skip> {
    let kind = match super::json::opt_u64(value, "Type") {
        Ok(Some(1)) => OtpKind::Hotp {
            counter: number_or(value, "Counter", 0)?,
        },
        Ok(Some(2)) => OtpKind::Totp {
            period: period(value, "Period", DEFAULT_PERIOD_SECONDS)?,
        },
        Ok(Some(3)) => return Err(Skip::Kind("mOTP".into())),
        Ok(Some(4)) => return Ok(steam_params()),
        Ok(Some(5)) => return Err(Skip::Kind("Yandex".into())),
        Ok(Some(other)) => return Err(Skip::Kind(format!("type {other}"))),
        Ok(None) | Err(_) => return Err(Skip::Field("Type")),
    };
    let algorithm = match number_or(value, "Algorithm", 0)? {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        2 => Algorithm::Sha512,
        other => return Err(Skip::Algorithm(format!("algorithm {other}"))),
    };
    Ok(OtpParams {
        kind,
        algorithm,
        digits: digits(value, "Digits", 6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::test_fixtures::{check_fixture, fixture, password};

    const ENCRYPTED: [&str; 2] = [
        "stratum/stratum_encrypted.bin",
        "stratum/stratum_encrypted_legacy.bin",
    ];

    #[test]
    fn plain_fixture_reads_to_its_expected_entries() {
        let file = "stratum/stratum_plain.json";
        let bytes = fixture(file);
        assert_eq!(
            detect(&Input::new(&bytes).unwrap()).map(|d| d.encrypted),
            Some(false)
        );
        assert_eq!(check_fixture(file, |i| read(i, None)), 7);
    }

    #[test]
    fn encrypted_fixtures_read_with_their_password() {
        for file in ENCRYPTED {
            let pw = password(file);
            let bytes = fixture(file);
            assert_eq!(
                detect(&Input::new(&bytes).unwrap()).map(|d| d.encrypted),
                Some(true),
                "{file}"
            );
            assert_eq!(check_fixture(file, |i| read(i, Some(&pw))), 7, "{file}");
        }
    }

    #[test]
    fn encrypted_fixtures_refuse_missing_and_wrong_passwords() {
        for file in ENCRYPTED {
            let bytes = fixture(file);
            let input = Input::new(&bytes).unwrap();
            assert_eq!(
                read(&input, None).unwrap_err(),
                TransferError::PasswordNeeded { format: FORMAT }
            );
            assert_eq!(
                read(&input, Some("wrong")).unwrap_err(),
                TransferError::WrongPassword { format: FORMAT },
                "{file}"
            );
        }
    }

    #[test]
    fn a_header_without_content_is_damaged() {
        let input = Input::new(b"AUTHENTICATORPRO0123456789").unwrap();
        assert!(matches!(
            read(&input, Some("test")),
            Err(TransferError::Damaged { .. })
        ));
        assert!(matches!(
            Container::parse(b"AuthenticatorPro"),
            Some(Err(TransferError::Damaged { .. }))
        ));
        assert_eq!(Container::parse(b"something else"), None);
    }

    #[test]
    fn other_kinds_and_algorithms_are_skipped() {
        let json = serde_json::json!({"Authenticators": [
            {"Type": 3, "Issuer": "M", "Username": "m", "Secret": "JBSWY3DPEHPK3PXP"},
            {"Type": 2, "Issuer": "A", "Username": "a", "Secret": "JBSWY3DPEHPK3PXP",
             "Algorithm": 7, "Digits": 6, "Period": 30},
            {"Type": 2, "Issuer": "D", "Username": "d", "Secret": "JBSWY3DPEHPK3PXP",
             "Algorithm": 0, "Digits": 12, "Period": 30},
        ]});
        let codes: Vec<_> = entries_from_json(&json)
            .unwrap()
            .iter()
            .map(|e| e.as_ref().unwrap_err().reason.code())
            .collect();
        assert_eq!(codes, ["import.kind", "import.algorithm", "import.params"]);
    }
}
