//! 2FAS Authenticator backups: schema 1 (`.json`) and schemas 2–4 (`.2fas`), plain and
//! encrypted.
//!
//! A backup is `{schemaVersion, services: [...]}`; each service has a `name`, a base32 `secret`
//! and an `otp` object (`account`, `issuer`, and from schema 2 `digits`, `period`,
//! `algorithm`; from schema 3 `tokenType` and `counter`). What a schema lacks takes the
//! defaults 2FAS itself used: TOTP, SHA-1, 6 digits, 30 seconds. The issuer is the service's
//! `name` (what 2FAS shows), or `otp.issuer` when the name is empty.
//!
//! Encrypted, `services` is empty and `servicesEncrypted` is `ciphertext:salt:nonce` (each
//! base64; the ciphertext ends with the 16-byte GCM tag): AES-256-GCM under a key derived with
//! PBKDF2-HMAC-SHA256, 10,000 iterations (fixed by 2FAS, not stated in the file).
//! `reference` is a known text sealed the same way: when it does not decrypt the password is
//! wrong; when it does but the services do not, the file is damaged.

use serde_json::Value;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::cipher::{self, NONCE_BYTES};
use super::json::{self, Scrubbed};
use super::{Candidate, Detected, Format, ImportedEntry, Input, Skip, TransferError};
use crate::otp::{DEFAULT_PERIOD_SECONDS, OtpKind, OtpParams};
use crate::secret::Secret;
use crate::transfer::Damage;

/// PBKDF2 iterations 2FAS uses.
const ITERATIONS: u32 = 10_000;

/// Newest schema this reader knows.
const NEWEST_SCHEMA: u64 = 4;

const FORMAT: Format = Format::TwoFas;

/// Content check: a JSON object with a numeric `schemaVersion` and `services` (or
/// `servicesEncrypted`).
pub fn detect(input: &Input) -> Option<Detected> {
    let backup = input.json.as_ref()?.as_object()?;
    backup.get("schemaVersion")?.as_u64()?;
    let encrypted = backup
        .get("servicesEncrypted")
        .and_then(Value::as_str)
        .is_some_and(|text| !text.is_empty());
    (encrypted || backup.get("services")?.is_array()).then_some(Detected {
        format: FORMAT,
        encrypted,
    })
}

/// Reads every service, in file order.
///
/// # Errors
/// [`TransferError::PasswordNeeded`] for an encrypted backup without a password,
/// [`TransferError::WrongPassword`] when the password does not open it,
/// [`TransferError::UnsupportedVersion`] for a schema above 4, [`TransferError::Damaged`] for
/// anything else that cannot be read.
pub fn read(input: &Input, password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    let backup = input
        .json
        .as_ref()
        .ok_or_else(|| damaged(Damage::NotJson))?;
    match backup.get("schemaVersion").and_then(Value::as_u64) {
        Some(version) if version > NEWEST_SCHEMA || version == 0 => {
            return Err(TransferError::UnsupportedVersion {
                format: FORMAT,
                version,
            });
        }
        Some(_) => {}
        None => return Err(damaged(Damage::Missing("schemaVersion"))),
    }
    let sealed = backup
        .get("servicesEncrypted")
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty());
    let Some(sealed) = sealed else {
        let services = backup
            .get("services")
            .ok_or_else(|| damaged(Damage::Missing("services")))?;
        return read_services(services);
    };
    let sealed =
        Sealed::parse(sealed).ok_or_else(|| damaged(Damage::Invalid("servicesEncrypted")))?;
    let reference = match backup.get("reference").and_then(Value::as_str) {
        Some(text) => {
            Some(Sealed::parse(text).ok_or_else(|| damaged(Damage::Invalid("reference")))?)
        }
        None => None,
    };
    let password = password.ok_or(TransferError::PasswordNeeded { format: FORMAT })?;
    let key = derive(password, &sealed.salt);
    if let Some(reference) = reference {
        let reference_key =
            (reference.salt != sealed.salt).then(|| derive(password, &reference.salt));
        if reference
            .open(reference_key.as_ref().unwrap_or(&key))
            .is_none()
        {
            return Err(TransferError::WrongPassword { format: FORMAT });
        }
        let plain = sealed.open(&key).ok_or_else(|| damaged(Damage::Altered))?;
        return read_services_json(&plain);
    }
    let plain = sealed
        .open(&key)
        .ok_or(TransferError::WrongPassword { format: FORMAT })?;
    read_services_json(&plain)
}

/// For fuzzing, and the second half of [`read`]: the decrypted services as JSON bytes.
///
/// # Errors
/// [`TransferError::Damaged`] when they are not a JSON array.
#[doc(hidden)]
pub fn read_services_json(bytes: &[u8]) -> Result<Vec<Candidate>, TransferError> {
    let services = Scrubbed::parse(bytes).ok_or_else(|| damaged(Damage::Contents))?;
    read_services(&services.0)
}

fn damaged(detail: Damage) -> TransferError {
    TransferError::Damaged {
        format: FORMAT,
        detail,
    }
}

fn derive(password: &str, salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, ITERATIONS, key.as_mut());
    key
}

/// `ciphertext:salt:nonce`, each base64.
struct Sealed {
    /// Ciphertext followed by the tag.
    data: Vec<u8>,
    salt: Vec<u8>,
    nonce: [u8; NONCE_BYTES],
}

impl Sealed {
    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split(':');
        let (data, salt, nonce) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            data: cipher::base64(data)?,
            salt: cipher::base64(salt)?,
            nonce: cipher::base64(nonce)?.try_into().ok()?,
        })
    }

    fn open(&self, key: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
        cipher::open(key, &self.nonce, &self.data)
    }
}

fn read_services(services: &Value) -> Result<Vec<Candidate>, TransferError> {
    let services = services
        .as_array()
        .ok_or_else(|| damaged(Damage::Invalid("services")))?;
    Ok(services.iter().map(read_service).collect())
}

fn read_service(service: &Value) -> Candidate {
    let null = Value::Null;
    let otp = service.get("otp").unwrap_or(&null);
    let mut issuer = json::label(service, "name");
    if issuer.is_empty() {
        issuer = json::label(otp, "issuer");
    }
    let name = json::label(otp, "account");
    let secret = match json::opt_str(service, "secret") {
        Err(skip) => Err(skip),
        Ok(None | Some("")) => Err(Skip::NoKey),
        Ok(Some(text)) => Secret::from_base32(text).map_err(Skip::Key),
    };
    ImportedEntry::candidate(issuer, name, params(otp), secret)
}

fn params(otp: &Value) -> Result<OtpParams, Skip> {
    let kind = match json::opt_str(otp, "tokenType")? {
        None => "TOTP".to_owned(),
        Some(kind) => kind.to_ascii_uppercase(),
    };
    let kind = match kind.as_str() {
        "TOTP" => OtpKind::Totp {
            period: json::period(otp, "period", DEFAULT_PERIOD_SECONDS)?,
        },
        "HOTP" => OtpKind::Hotp {
            counter: json::opt_u64(otp, "counter")?.unwrap_or(0),
        },
        "STEAM" => OtpKind::Steam,
        _ => return Err(Skip::kind(&kind)),
    };
    Ok(OtpParams {
        kind,
        algorithm: json::algorithm(otp, "algorithm")?,
        digits: json::digits(otp, "digits", 6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Algorithm;
    use serde_json::json;

    /// `ciphertext:salt:nonce` as 2FAS writes it.
    fn seal(key: &[u8; 32], salt: &[u8], nonce: u8, plain: &[u8]) -> String {
        let nonce = [nonce; NONCE_BYTES];
        let sealed = cipher::seal(key, &nonce, plain);
        format!(
            "{}:{}:{}",
            cipher::to_base64(&sealed),
            cipher::to_base64(salt),
            cipher::to_base64(&nonce)
        )
    }

    fn services() -> Value {
        json!([
            {"name": "Co", "secret": "JBSWY3DPEHPK3PXP", "otp": {"account": "me", "tokenType": "HOTP", "counter": 7, "algorithm": "SHA256", "digits": 8}},
            {"name": "", "secret": "JBSWY3DPEHPK3PXP", "otp": {"issuer": "FromOtp", "account": "you", "tokenType": "STEAM"}},
            {"name": "Odd", "secret": "JBSWY3DPEHPK3PXP", "otp": {"tokenType": "MOTP"}},
            {"name": "Bare", "secret": "JBSWY3DPEHPK3PXP"},
        ])
    }

    /// An encrypted backup of [`services`] under `password`; `services_key` seals the services
    /// (the derived key unless a test wants them unreadable).
    fn encrypted(password: &str, services_key: Option<[u8; 32]>, reference: bool) -> Vec<u8> {
        let salt = [9u8; 256];
        let key = derive(password, &salt);
        let plain = serde_json::to_vec(&services()).unwrap();
        let mut backup = json!({
            "services": [],
            "schemaVersion": 4,
            "servicesEncrypted": seal(&services_key.unwrap_or(*key), &salt, 1, &plain),
        });
        if reference {
            backup["reference"] = Value::from(seal(&key, &salt, 2, b"known text"));
        }
        serde_json::to_vec(&backup).unwrap()
    }

    fn read_bytes(bytes: &[u8], password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
        let input = Input::new(bytes).unwrap();
        assert_eq!(detect(&input).map(|d| d.format), Some(FORMAT));
        read(&input, password)
    }

    #[test]
    fn reference_tells_a_wrong_password_from_damage() {
        let right = encrypted("pw", None, true);
        assert!(detect(&Input::new(&right).unwrap()).unwrap().encrypted);
        assert_eq!(
            read_bytes(&right, None),
            Err(TransferError::PasswordNeeded { format: FORMAT })
        );
        assert_eq!(
            read_bytes(&right, Some("wrong")),
            Err(TransferError::WrongPassword { format: FORMAT })
        );
        assert_eq!(read_bytes(&right, Some("pw")).unwrap().len(), 4);
        let damaged = encrypted("pw", Some([0; 32]), true);
        assert_eq!(
            read_bytes(&damaged, Some("pw")).unwrap_err().code(),
            "transfer.damaged"
        );
        // Without a reference a failing decryption can only mean a wrong password.
        let unreferenced = encrypted("pw", None, false);
        assert_eq!(
            read_bytes(&unreferenced, Some("wrong")),
            Err(TransferError::WrongPassword { format: FORMAT })
        );
        assert_eq!(read_bytes(&unreferenced, Some("pw")).unwrap().len(), 4);
    }

    #[test]
    fn services_read_with_their_schema_defaults() {
        let backup = json!({"schemaVersion": 3, "services": services()});
        let entries = read_bytes(&serde_json::to_vec(&backup).unwrap(), None).unwrap();
        let hotp = entries[0].as_ref().unwrap();
        assert_eq!((hotp.issuer.as_str(), hotp.name.as_str()), ("Co", "me"));
        assert_eq!(hotp.params.kind, OtpKind::Hotp { counter: 7 });
        assert_eq!(
            (hotp.params.algorithm, hotp.params.digits),
            (Algorithm::Sha256, 8)
        );
        let steam = entries[1].as_ref().unwrap();
        assert_eq!(
            (steam.issuer.as_str(), steam.params.kind),
            ("FromOtp", OtpKind::Steam)
        );
        assert_eq!(
            entries[2].as_ref().unwrap_err().reason,
            Skip::Kind("MOTP".into())
        );
        assert_eq!(entries[3].as_ref().unwrap().params, OtpParams::default());
    }

    #[test]
    fn versions_and_broken_containers() {
        let future = json!({"schemaVersion": 5, "services": []});
        assert_eq!(
            read_bytes(&serde_json::to_vec(&future).unwrap(), None),
            Err(TransferError::UnsupportedVersion {
                format: FORMAT,
                version: 5
            })
        );
        let broken = json!({"schemaVersion": 4, "services": [], "servicesEncrypted": "abc:def"});
        assert_eq!(
            read_bytes(&serde_json::to_vec(&broken).unwrap(), Some("pw"))
                .unwrap_err()
                .code(),
            "transfer.damaged"
        );
        assert!(read_services_json(b"{}").is_err());
        assert!(read_services_json(b"[]").unwrap().is_empty());
    }
}
