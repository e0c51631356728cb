//! Password protection of the vault: Argon2id key derivation and XChaCha20-Poly1305 sealing.
//!
//! A sealed record is JSON: a header (`schema`, KDF parameters and salt, cipher, nonce, and
//! since schema 3 the vault's `revision` and a key-check value `check`) and the base64
//! ciphertext of the plain vault record. The whole header is authenticated as associated data,
//! so a changed or downgraded header makes the record refuse to open; parameters outside
//! [`KdfParams::MINIMUM`]..=[`KdfParams::MAXIMUM`] are refused before any work is done.
//!
//! The key-check value (16 bytes of HMAC-SHA256 of a fixed label under the key) tells a wrong
//! password from a right password on an altered record, so damage is never reported as "Wrong
//! password". It says no more about the password than the ciphertext already does: each is a
//! way to test a guess, at the cost of one Argon2id derivation.
//!
//! Passwords are taken as given: the bindings normalise them to Unicode NFC first (with the
//! browser's own tables), so a composed and a decomposed "é" are the same password.

mod error;
mod params;
mod password;

use std::fmt;

use argon2::{Argon2, Params, Version};
use base64ct::{Base64, Encoding};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Schema number of the sealed records this version writes: the header carries the vault's
/// revision and a key-check value.
pub const SEALED_SCHEMA: u64 = 3;
/// Schema number of the sealed records of the first password release (read, never written).
pub const LEGACY_SEALED_SCHEMA: u64 = 2;

/// Whether a record's `schema` number is one of the sealed formats.
pub fn is_sealed_schema(schema: u64) -> bool {
    schema == SEALED_SCHEMA || schema == LEGACY_SEALED_SCHEMA
}

pub use error::CryptoError;
pub use params::{KdfParams, KdfSpec};
pub use password::{MIN_PASSWORD_CHARS, PasswordHint, check_new_password, password_hint};

/// Bytes of salt per vault.
const SALT_BYTES: usize = 16;
/// Bytes of an XChaCha20 nonce.
const NONCE_BYTES: usize = 24;
/// Bytes of the key-check value.
const CHECK_BYTES: usize = 16;
/// What the key-check value is an HMAC of.
const CHECK_LABEL: &[u8] = b"toolbar-authenticator key check v1";

/// The authenticated header of a sealed record, as stored (`revision` and `check` only
/// since schema 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Header {
    schema: u64,
    kdf: KdfSpec,
    cipher: String,
    nonce: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revision: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    check: Option<String>,
}

/// A sealed record as stored: the header's fields and the ciphertext.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SealedRecord {
    schema: u64,
    kdf: KdfSpec,
    cipher: String,
    nonce: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revision: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    check: Option<String>,
    ciphertext: String,
}

impl SealedRecord {
    fn header(&self) -> Header {
        Header {
            schema: self.schema,
            kdf: self.kdf.clone(),
            cipher: self.cipher.clone(),
            nonce: self.nonce.clone(),
            revision: self.revision,
            check: self.check.clone(),
        }
    }
}

/// What a sealed record's header says, readable without the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedHeader {
    /// How to derive the key.
    pub kdf: KdfSpec,
    /// The revision of the vault inside (schema 3; `None` for schema 2).
    pub revision: Option<u64>,
}

/// A key derived from the password, with the salt and parameters it was derived with (so it can
/// be matched to a record and kept in session storage). Zeroised on drop; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct VaultKey {
    key: Zeroizing<[u8; 32]>,
    spec: KdfSpec,
}

impl fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VaultKey(<redacted>)")
    }
}

fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| CryptoError::Random)?;
    Ok(bytes)
}

impl VaultKey {
    /// Derives a key for a new password with a fresh random salt.
    ///
    /// # Errors
    /// [`CryptoError::EmptyPassword`], or parameter and random-source failures.
    pub fn create(password: &str, params: KdfParams) -> Result<Self, CryptoError> {
        let spec = KdfSpec {
            algorithm: "argon2id".into(),
            version: 0x13,
            params,
            salt: Base64::encode_string(&random::<SALT_BYTES>()?),
        };
        Self::derive(password, &spec)
    }

    /// Derives the key for `password` as `spec` says (from a record's header).
    ///
    /// # Errors
    /// [`CryptoError::EmptyPassword`], [`CryptoError::WeakParameters`],
    /// [`CryptoError::ExcessiveParameters`] or [`CryptoError::Malformed`].
    pub fn derive(password: &str, spec: &KdfSpec) -> Result<Self, CryptoError> {
        if password.is_empty() {
            return Err(CryptoError::EmptyPassword);
        }
        if spec.algorithm != "argon2id" || spec.version != 0x13 {
            return Err(CryptoError::Malformed("unknown key derivation"));
        }
        spec.params.check()?;
        let salt = Base64::decode_vec(&spec.salt)
            .map_err(|_| CryptoError::Malformed("salt is not base64"))?;
        if salt.len() < SALT_BYTES {
            return Err(CryptoError::WeakParameters);
        }
        let params = Params::new(
            spec.params.memory_kib,
            spec.params.iterations,
            spec.params.parallelism,
            Some(32),
        )
        .map_err(|_| CryptoError::Malformed("key derivation parameters"))?;
        let argon2 = Argon2::new(argon2::Algorithm::Argon2id, Version::V0x13, params);
        let mut key = Zeroizing::new([0u8; 32]);
        argon2
            .hash_password_into(password.as_bytes(), &salt, key.as_mut())
            .map_err(|_| CryptoError::Malformed("key derivation failed"))?;
        Ok(Self {
            key,
            spec: spec.clone(),
        })
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        let key: &[u8; 32] = &self.key;
        XChaCha20Poly1305::new(&(*key).into())
    }

    /// Encrypts `plaintext` under this key with XChaCha20-Poly1305, authenticating `aad` with
    /// it; returns ciphertext and tag. For files other than the vault record that carry their
    /// own header (our backups, `crate::transfer::backup`); the caller draws a fresh random
    /// `nonce` for every call. Only in the second module (`transfer` feature).
    ///
    /// # Errors
    /// [`CryptoError::Malformed`] only for inputs beyond the cipher's 256 GiB limit.
    #[cfg(feature = "transfer")]
    pub fn encrypt_with(
        &self,
        nonce: &[u8; NONCE_BYTES],
        plaintext: &[u8],
        aad: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let payload = Payload {
            msg: plaintext,
            aad,
        };
        self.cipher()
            .encrypt(&XNonce::from(*nonce), payload)
            .map_err(|_| CryptoError::Malformed("encryption failed"))
    }

    /// Decrypts what [`VaultKey::encrypt_with`] made; `None` when another key, another `aad`
    /// or an altered ciphertext makes the tag fail.
    #[cfg(feature = "transfer")]
    pub fn decrypt_with(
        &self,
        nonce: &[u8; NONCE_BYTES],
        ciphertext: &[u8],
        aad: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let payload = Payload {
            msg: ciphertext,
            aad,
        };
        self.cipher()
            .decrypt(&XNonce::from(*nonce), payload)
            .ok()
            .map(Zeroizing::new)
    }

    /// The derivation this key came from.
    pub fn spec(&self) -> &KdfSpec {
        &self.spec
    }

    /// The key-check value stored in schema-3 headers (base64): the first 16 bytes of
    /// HMAC-SHA256 of a fixed label under the key.
    pub fn check_value(&self) -> String {
        // HMAC takes a key of any length: this never fails for 32 bytes.
        let Ok(mut mac) = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(self.key.as_ref()) else {
            return String::new();
        };
        mac.update(CHECK_LABEL);
        let tag = mac.finalize().into_bytes();
        Base64::encode_string(&tag[..CHECK_BYTES])
    }

    /// Whether this key is the one `sealed` was written with: its check value matches, or, for
    /// a schema-2 record without one, the record opens.
    pub fn unlocks(&self, sealed: &[u8]) -> bool {
        match parse_sealed(sealed) {
            Ok(record) if record.kdf == self.spec => match &record.check {
                Some(check) => *check == self.check_value(),
                None => self.open(sealed).is_ok(),
            },
            _ => false,
        }
    }

    /// Text for memory-only session storage: the key and its derivation, never the password.
    pub fn to_session_text(&self) -> Zeroizing<String> {
        let session = SessionKey {
            key: Base64::encode_string(self.key.as_ref()),
            kdf: self.spec.clone(),
        };
        Zeroizing::new(serde_json_wasm::to_string(&session).unwrap_or_default())
    }

    /// Reads [`VaultKey::to_session_text`] back; `None` if it is not such text.
    pub fn from_session_text(text: &str) -> Option<Self> {
        let session: SessionKey = serde_json_wasm::from_str(text).ok()?;
        let bytes = Zeroizing::new(Base64::decode_vec(&session.key).ok()?);
        let key: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(Self {
            key: Zeroizing::new(key),
            spec: session.kdf,
        })
    }

    /// Seals a plain record holding the vault at `revision` (schema 3) with a fresh random
    /// nonce; the revision and the key-check value are in the authenticated header.
    ///
    /// # Errors
    /// [`CryptoError::Random`] when no nonce can be drawn.
    pub fn seal(&self, plaintext: &[u8], revision: u64) -> Result<Vec<u8>, CryptoError> {
        let nonce = random::<NONCE_BYTES>()?;
        let header = Header {
            schema: SEALED_SCHEMA,
            kdf: self.spec.clone(),
            cipher: "xchacha20poly1305".into(),
            nonce: Base64::encode_string(&nonce),
            revision: Some(revision),
            check: Some(self.check_value()),
        };
        let aad = associated_data(&header)?;
        let cipher = self.cipher();
        let ciphertext = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError::Malformed("encryption failed"))?;
        let record = SealedRecord {
            schema: header.schema,
            kdf: header.kdf,
            cipher: header.cipher,
            nonce: header.nonce,
            revision: header.revision,
            check: header.check,
            ciphertext: Base64::encode_string(&ciphertext),
        };
        serde_json_wasm::to_vec(&record).map_err(|_| CryptoError::Malformed("record not written"))
    }

    /// Opens a sealed record.
    ///
    /// # Errors
    /// [`CryptoError::WrongPassword`] when this key does not open it (wrong password, another
    /// salt, or, for a schema-2 record, an altered one); [`CryptoError::Altered`] when the
    /// key-check value says the key is right but the record does not open;
    /// [`CryptoError::Malformed`] when it is not a sealed record.
    pub fn open(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let record = parse_sealed(sealed)?;
        if record.kdf != self.spec {
            return Err(CryptoError::WrongPassword);
        }
        let nonce: [u8; NONCE_BYTES] = Base64::decode_vec(&record.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or(CryptoError::Malformed("nonce"))?;
        let ciphertext = Base64::decode_vec(&record.ciphertext)
            .map_err(|_| CryptoError::Malformed("ciphertext is not base64"))?;
        let aad = associated_data(&record.header())?;
        let cipher = self.cipher();
        cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &ciphertext,
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| match &record.check {
                Some(check) if *check == self.check_value() => CryptoError::Altered,
                _ => CryptoError::WrongPassword,
            })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionKey {
    key: String,
    kdf: KdfSpec,
}

fn associated_data(header: &Header) -> Result<Vec<u8>, CryptoError> {
    serde_json_wasm::to_vec(header).map_err(|_| CryptoError::Malformed("header not written"))
}

fn parse_sealed(bytes: &[u8]) -> Result<SealedRecord, CryptoError> {
    let record: SealedRecord = serde_json_wasm::from_slice(bytes)
        .map_err(|_| CryptoError::Malformed("not a sealed record"))?;
    // Schema 2 has neither field; schema 3 has both.
    let fields_fit = match record.schema {
        LEGACY_SEALED_SCHEMA => record.revision.is_none() && record.check.is_none(),
        SEALED_SCHEMA => record.revision.is_some() && record.check.is_some(),
        _ => false,
    };
    if !fields_fit || record.cipher != "xchacha20poly1305" {
        return Err(CryptoError::Malformed("unknown format"));
    }
    record.kdf.params.check()?;
    Ok(record)
}

/// The key derivation a sealed record asks for, read without any key (to derive one).
///
/// # Errors
/// [`CryptoError::Malformed`], [`CryptoError::WeakParameters`] or
/// [`CryptoError::ExcessiveParameters`].
pub fn sealed_kdf(sealed: &[u8]) -> Result<KdfSpec, CryptoError> {
    parse_sealed(sealed).map(|record| record.kdf)
}

/// What a sealed record's header says (key derivation, revision), read without any key.
///
/// # Errors
/// As [`sealed_kdf`].
pub fn sealed_header(sealed: &[u8]) -> Result<SealedHeader, CryptoError> {
    parse_sealed(sealed).map(|record| SealedHeader {
        kdf: record.kdf,
        revision: record.revision,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cheap parameters for unit tests (still at the accepted minimum).
    const FAST: KdfParams = KdfParams::MINIMUM;

    #[test]
    fn seal_open_round_trip_with_fresh_nonces() {
        let key = VaultKey::create("correct horse", FAST).unwrap();
        let a = key.seal(b"{\"schema\":1}", 1).unwrap();
        let b = key.seal(b"{\"schema\":1}", 1).unwrap();
        assert_ne!(a, b, "a fresh nonce per write");
        assert_eq!(key.open(&a).unwrap().as_slice(), b"{\"schema\":1}");
        let again = VaultKey::derive("correct horse", &sealed_kdf(&a).unwrap()).unwrap();
        assert_eq!(again.open(&b).unwrap().as_slice(), b"{\"schema\":1}");
    }

    #[test]
    fn wrong_password_is_refused() {
        let key = VaultKey::create("right", FAST).unwrap();
        let sealed = key.seal(b"data", 0).unwrap();
        let wrong = VaultKey::derive("wrong", &sealed_kdf(&sealed).unwrap()).unwrap();
        assert_eq!(wrong.open(&sealed), Err(CryptoError::WrongPassword));
        assert_eq!(
            CryptoError::WrongPassword.to_string(),
            "Wrong password",
            "the lock screen shows exactly this"
        );
    }

    #[test]
    fn downgraded_header_is_refused() {
        let key = VaultKey::create(
            "pw",
            KdfParams {
                memory_kib: 20 * 1024,
                ..FAST
            },
        )
        .unwrap();
        let sealed = String::from_utf8(key.seal(b"data", 0).unwrap()).unwrap();
        let weaker = sealed.replace("\"memoryKib\":20480", "\"memoryKib\":8");
        assert_eq!(
            sealed_kdf(weaker.as_bytes()),
            Err(CryptoError::WeakParameters)
        );
        let lower_but_allowed = sealed.replace("\"memoryKib\":20480", "\"memoryKib\":19456");
        assert_eq!(
            key.open(lower_but_allowed.as_bytes()),
            Err(CryptoError::WrongPassword)
        );
        let forged_spec = sealed_kdf(lower_but_allowed.as_bytes()).unwrap();
        let forged_key = VaultKey::derive("pw", &forged_spec).unwrap();
        assert_eq!(
            forged_key.open(lower_but_allowed.as_bytes()),
            Err(CryptoError::WrongPassword),
            "header is authenticated"
        );
    }

    #[test]
    fn parameters_are_stored_and_honoured() {
        let params = KdfParams {
            memory_kib: 20 * 1024,
            iterations: 2,
            parallelism: 2,
        };
        let key = VaultKey::create("pw", params).unwrap();
        let sealed = key.seal(b"x", 0).unwrap();
        let spec = sealed_kdf(&sealed).unwrap();
        assert_eq!(spec.params, params);
        let other = KdfSpec {
            params: KdfParams {
                iterations: 3,
                ..params
            },
            ..spec.clone()
        };
        assert_ne!(
            VaultKey::derive("pw", &other).unwrap().key,
            VaultKey::derive("pw", &spec).unwrap().key
        );
    }

    #[test]
    fn session_text_round_trip_never_holds_password() {
        let key = VaultKey::create("hunter2-password", FAST).unwrap();
        let text = key.to_session_text();
        assert!(!text.contains("hunter2"));
        assert_eq!(VaultKey::from_session_text(&text).unwrap(), key);
        assert!(VaultKey::from_session_text("nonsense").is_none());
        assert_eq!(format!("{key:?}"), "VaultKey(<redacted>)");
    }

    #[test]
    fn the_check_value_tells_a_wrong_password_from_an_altered_record() {
        let key = VaultKey::create("right password", FAST).unwrap();
        let sealed = String::from_utf8(key.seal(b"{\"schema\":1}", 7).unwrap()).unwrap();
        assert_eq!(
            sealed_header(sealed.as_bytes()).unwrap().revision,
            Some(7),
            "the revision is readable without the key"
        );
        let spec = sealed_kdf(sealed.as_bytes()).unwrap();
        let wrong = VaultKey::derive("wrong password", &spec).unwrap();
        assert!(key.unlocks(sealed.as_bytes()));
        assert!(!wrong.unlocks(sealed.as_bytes()));
        // Flip one ciphertext character: the right key says "altered", a wrong one "wrong".
        let at = sealed.find("\"ciphertext\":\"").unwrap() + 14;
        let mut altered = sealed.clone().into_bytes();
        altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
        assert_eq!(key.open(&altered), Err(CryptoError::Altered));
        assert_eq!(wrong.open(&altered), Err(CryptoError::WrongPassword));
        assert!(key.unlocks(&altered), "the password is still the right one");
        // The revision and check value are authenticated like the rest of the header.
        let older = sealed.replace("\"revision\":7", "\"revision\":6");
        assert_eq!(key.open(older.as_bytes()), Err(CryptoError::Altered));
        // Schema 3 needs both fields; schema 2 neither.
        let without = sealed.replace("\"revision\":7,", "");
        assert!(matches!(
            sealed_kdf(without.as_bytes()),
            Err(CryptoError::Malformed(_))
        ));
    }

    #[test]
    fn a_header_asking_more_than_a_popup_can_afford_is_refused() {
        let too_much = KdfSpec {
            algorithm: "argon2id".into(),
            version: 0x13,
            params: KdfParams {
                memory_kib: 256 * 1024 + 1,
                ..KdfParams::DEFAULT
            },
            salt: Base64::encode_string(&[7; SALT_BYTES]),
        };
        assert_eq!(
            VaultKey::derive("pw", &too_much).err(),
            Some(CryptoError::ExcessiveParameters)
        );
        let too_long = KdfSpec {
            params: KdfParams {
                iterations: 17,
                ..KdfParams::DEFAULT
            },
            ..too_much
        };
        assert_eq!(
            VaultKey::derive("pw", &too_long).err(),
            Some(CryptoError::ExcessiveParameters)
        );
        assert!(KdfParams::MINIMUM.weaker_than(&KdfParams::DEFAULT));
        assert!(!KdfParams::DEFAULT.weaker_than(&KdfParams::DEFAULT));
        assert!(
            !KdfParams {
                parallelism: 1,
                ..KdfParams::DEFAULT
            }
            .weaker_than(&KdfParams::DEFAULT)
        );
    }
}
