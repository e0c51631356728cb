//! andOTP backups: a JSON array of entries, plain or encrypted.
//!
//! Encrypted backups carry no magic number. The current layout is a 4-byte big-endian PBKDF2
//! iteration count, a 12-byte salt, a 12-byte nonce and AES-256-GCM (key: PBKDF2-HMAC-SHA1 of the
//! password, 256 bits). The old layout is a 12-byte nonce and AES-256-GCM under SHA-256 of the
//! password. Reading tries the current layout, then the old one; both authenticate, so a
//! password that opens neither is wrong.

use serde_json::Value;
use zeroize::Zeroizing;

use super::json_fields::{
    base32_key, damaged, entry_params, json_from_bytes, non_empty, text, text_or_empty,
};
use super::unseal::{MAX_PBKDF2_ITERATIONS, open_gcm, pbkdf2_sha1, sha256_key};
use super::{Candidate, Detected, Format, ImportedEntry, Input, Skip, TransferError};
use crate::otp::OtpParams;
use crate::transfer::Damage;

const FORMAT: Format = Format::AndOtp;

/// Bytes before the ciphertext in the current layout: iterations, salt, nonce.
const HEADER_BYTES: usize = 4 + 12 + 12;

/// Shortest encrypted file: the old layout's nonce and a GCM tag around at least `[]`.
const MIN_SEALED_BYTES: usize = 12 + 16 + 2;

/// Starts of common binary files that are certainly not andOTP backups (images someone may drop
/// on the page, archives, documents): an encrypted andOTP file starts with random bytes or a
/// small iteration count, so it matches none of these but by a chance under one in 2^24.
const OTHER_MAGIC: [&[u8]; 6] = [
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"RIFF",
    b"PK\x03\x04",
    b"%PDF",
];

/// The current layout's parts, as read from the file (nothing derived yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentLayout<'a> {
    /// PBKDF2 iterations the file asks for.
    pub iterations: u32,
    /// PBKDF2 salt.
    pub salt: &'a [u8],
    /// AES-GCM nonce.
    pub nonce: &'a [u8],
    /// Ciphertext and tag.
    pub sealed: &'a [u8],
}

impl<'a> CurrentLayout<'a> {
    /// Splits `bytes` as the current layout, `None` when too short to be one.
    pub fn parse(bytes: &'a [u8]) -> Option<Self> {
        if bytes.len() < HEADER_BYTES + 16 {
            return None;
        }
        let (count, rest) = bytes.split_at(4);
        let (salt, rest) = rest.split_at(12);
        let (nonce, sealed) = rest.split_at(12);
        let iterations = u32::from_be_bytes(count.try_into().ok()?);
        Some(Self {
            iterations,
            salt,
            nonce,
            sealed,
        })
    }
}

/// Content check: a JSON array of andOTP entries (plain), or binary input that nothing else
/// claims (encrypted; see the module notes). The dispatcher must ask every other format first:
/// any binary input is "maybe andOTP".
pub fn detect(input: &Input) -> Option<Detected> {
    if let Some(json) = &input.json {
        return is_entry_array(json).then_some(Detected {
            format: FORMAT,
            encrypted: false,
        });
    }
    let bytes = input.bytes;
    let binary = input.text.is_none();
    let foreign = OTHER_MAGIC.iter().any(|magic| bytes.starts_with(magic));
    (binary && !foreign && bytes.len() >= MIN_SEALED_BYTES).then_some(Detected {
        format: FORMAT,
        encrypted: true,
    })
}

/// Reads every entry, in file order. Plain files ignore `password`.
///
/// # Errors
/// [`TransferError::PasswordNeeded`] for an encrypted file without a password,
/// [`TransferError::WrongPassword`] when neither layout opens, [`TransferError::Damaged`] when
/// the decrypted content is not andOTP's JSON, [`TransferError::Empty`] without entries.
pub fn read(input: &Input, password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    if let Some(json) = &input.json {
        return entries_from_json(json);
    }
    let password = password.ok_or(TransferError::PasswordNeeded { format: FORMAT })?;
    let plain = open(input.bytes, password)?;
    entries_from_json(&json_from_bytes(FORMAT, &plain)?)
}

/// The most PBKDF2 iterations an andOTP file may ask for: andOTP writes 140,000 to 160,000.
/// Any bytes can read as the current layout (its header is not authenticated before the key is
/// derived), so without this a hostile or random file could ask for up to
/// [`MAX_PBKDF2_ITERATIONS`] and hold the page for seconds (cargo fuzz found a 117-byte input
/// asking for 7,629,824 that passed the 5 s limit).
const MAX_ANDOTP_ITERATIONS: u32 = 1_000_000;

/// Whether the current layout's key is derived for this iteration count.
fn derives_current_layout(iterations: u32) -> bool {
    (1..=MAX_ANDOTP_ITERATIONS.min(MAX_PBKDF2_ITERATIONS)).contains(&iterations)
}

/// Decrypts an encrypted backup: the current layout first, then the old one.
///
/// # Errors
/// [`TransferError::Damaged`] when too short, [`TransferError::WrongPassword`] when neither
/// layout authenticates. An iteration count over [`MAX_ANDOTP_ITERATIONS`] is taken for the old
/// layout's random nonce (andOTP writes about 150,000), so that layout alone is tried.
pub fn open(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, TransferError> {
    if bytes.len() < MIN_SEALED_BYTES {
        return Err(damaged(FORMAT, Damage::Truncated));
    }
    if let Some(layout) = CurrentLayout::parse(bytes)
        && derives_current_layout(layout.iterations)
    {
        let key = pbkdf2_sha1(password.as_bytes(), layout.salt, layout.iterations);
        if let Some(plain) = open_gcm(&key, layout.nonce, layout.sealed) {
            return Ok(plain);
        }
    }
    let (nonce, sealed) = bytes.split_at(12);
    open_gcm(&sha256_key(password.as_bytes()), nonce, sealed)
        .ok_or(TransferError::WrongPassword { format: FORMAT })
}

/// Reads the decrypted (or plain) JSON document: an array of entries.
///
/// # Errors
/// [`TransferError::Damaged`] when it is not an array, [`TransferError::Empty`] when empty.
pub fn entries_from_json(json: &Value) -> Result<Vec<Candidate>, TransferError> {
    let array = json
        .as_array()
        .ok_or_else(|| damaged(FORMAT, Damage::Contents))?;
    non_empty(FORMAT, array.iter().map(entry).collect())
}

/// True for a non-empty array whose entries look like andOTP's.
fn is_entry_array(json: &Value) -> bool {
    json.as_array().is_some_and(|array| {
        !array.is_empty()
            && array
                .iter()
                .all(|e| e.is_object() && e.get("secret").is_some() && e.get("type").is_some())
            && array.iter().any(|e| e.get("label").is_some())
    })
}

/// One entry. Old andOTP versions had no `issuer` and wrote the label as `Issuer - Name`.
fn entry(value: &Value) -> Candidate {
    let label = text_or_empty(value, "label");
    let (issuer, name) = match text(value, "issuer") {
        Some(issuer) => (issuer.to_owned(), label),
        None => match label.split_once(" - ") {
            Some((issuer, name)) => (issuer.to_owned(), name.to_owned()),
            None => (String::new(), label),
        },
    };
    ImportedEntry::candidate(
        issuer,
        name,
        params(value),
        base32_key(text(value, "secret")),
    )
}

/// Kind, algorithm, digits and period or counter of one entry (andOTP also has Steam).
fn params(value: &Value) -> Result<OtpParams, Skip> {
    entry_params(value, "algorithm", true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::test_fixtures::{check_fixture, fixture, password};

    #[test]
    fn plain_fixture_reads_to_its_expected_entries() {
        let file = "andotp/andotp_plain.json";
        let input_bytes = fixture(file);
        let input = Input::new(&input_bytes).unwrap();
        assert_eq!(
            detect(&input),
            Some(Detected {
                format: FORMAT,
                encrypted: false
            })
        );
        assert_eq!(check_fixture(file, |i| read(i, None)), 7);
    }

    #[test]
    fn encrypted_fixtures_read_with_their_password() {
        for file in [
            "andotp/andotp_encrypted.bin",
            "andotp/andotp_encrypted_old.bin",
        ] {
            let pw = password(file);
            let bytes = fixture(file);
            let input = Input::new(&bytes).unwrap();
            assert_eq!(detect(&input).map(|d| d.encrypted), Some(true), "{file}");
            check_fixture(file, |i| read(i, Some(&pw)));
        }
    }

    #[test]
    fn encrypted_fixtures_refuse_missing_and_wrong_passwords() {
        for file in [
            "andotp/andotp_encrypted.bin",
            "andotp/andotp_encrypted_old.bin",
        ] {
            let bytes = fixture(file);
            let input = Input::new(&bytes).unwrap();
            assert_eq!(
                read(&input, None).unwrap_err(),
                TransferError::PasswordNeeded { format: FORMAT }
            );
            assert_eq!(
                read(&input, Some("tesT")).unwrap_err(),
                TransferError::WrongPassword { format: FORMAT }
            );
        }
    }

    #[test]
    fn a_count_andotp_never_writes_is_not_derived() {
        assert!(derives_current_layout(145_776));
        assert!(!derives_current_layout(7_629_824), "the fuzz input's count");
        assert!(!derives_current_layout(0));
    }

    #[test]
    fn the_current_layout_states_its_iteration_count() {
        let bytes = fixture("andotp/andotp_encrypted.bin");
        assert_eq!(CurrentLayout::parse(&bytes).unwrap().iterations, 145_776);
    }

    #[test]
    fn a_truncated_file_is_damaged_or_refused() {
        let bytes = fixture("andotp/andotp_encrypted.bin");
        assert!(matches!(
            open(&bytes[..20], "test"),
            Err(TransferError::Damaged { .. })
        ));
        assert_eq!(
            open(&bytes[..bytes.len() - 1], "test").unwrap_err(),
            TransferError::WrongPassword { format: FORMAT }
        );
    }

    #[test]
    fn images_are_not_taken_for_encrypted_backups() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend([0xffu8; 64]);
        assert_eq!(detect(&Input::new(&png).unwrap()), None);
        assert_eq!(detect(&Input::new(b"[1, 2]").unwrap()), None);
        assert_eq!(detect(&Input::new(b"hello").unwrap()), None);
    }

    #[test]
    fn unsupported_kinds_and_algorithms_are_skipped_with_their_labels() {
        let json = serde_json::json!([
            {"secret": "JBSWY3DPEHPK3PXP", "issuer": "A", "label": "a", "type": "MOTP"},
            {"secret": "JBSWY3DPEHPK3PXP", "issuer": "B", "label": "b", "type": "TOTP",
             "algorithm": "MD5", "digits": 6, "period": 30},
            {"issuer": "C", "label": "c", "type": "TOTP"},
        ]);
        let entries = entries_from_json(&json).unwrap();
        let reasons: Vec<_> = entries
            .iter()
            .map(|e| e.as_ref().unwrap_err().reason.code())
            .collect();
        assert_eq!(
            reasons,
            ["import.kind", "import.algorithm", "import.no-key"]
        );
        assert_eq!(entries[1].as_ref().unwrap_err().issuer, "B");
        assert!(matches!(
            entries_from_json(&serde_json::json!([])),
            Err(TransferError::Empty { .. })
        ));
    }
}
