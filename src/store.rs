//! What to do with the stored records: which generation to trust when reading, and what to
//! write so that no account is ever lost.
//!
//! Storage keeps two generations, the current record and the one before it, each either plain
//! (`"schema": 1`, the first release's format) or sealed with a password (`"schema": 2`, see
//! [`crate::crypto`]). Reading prefers the current one and falls back to the previous one when
//! the current cannot be read; a record that cannot be read is never overwritten without first
//! being kept aside under a [`DAMAGED_KEY`] key.

use serde::Serialize;
use zeroize::Zeroizing;

use crate::crypto::{KdfSpec, SEALED_SCHEMA, VaultKey, sealed_kdf};
use crate::vault::{SCHEMA, Vault, VaultError, record_schema};

/// Storage key of the current record.
pub const CURRENT_KEY: &str = "vault";
/// Storage key of the previous generation.
pub const PREVIOUS_KEY: &str = "vault_previous";
/// Prefix of the storage keys under which unreadable records are kept.
pub const DAMAGED_KEY: &str = "vault_damaged";
/// Session-storage key of the derived vault key while unlocked.
pub const SESSION_KEY: &str = "vault_key";

/// The outcome of reading storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// Nothing stored yet: a first run.
    Empty,
    /// A readable vault.
    Ready {
        /// The accounts.
        vault: Vault,
        /// Whether the record is password-protected.
        sealed: bool,
        /// Set when the current record was unreadable and the previous generation was used;
        /// holds why the current one was refused.
        recovered_from: Option<VaultError>,
    },
    /// Password-protected and no (matching) key is at hand: ask for the password.
    Locked {
        /// How to derive the key from the password.
        kdf: KdfSpec,
    },
    /// Neither generation can be read. Nothing may be written until the user decides.
    Damaged {
        /// Why the current record was refused.
        error: VaultError,
    },
}

/// Which screen the stored vault calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Accounts are available (possibly none).
    Ready,
    /// Password-protected and locked: ask for the password.
    Locked,
    /// Nothing readable: explain and offer the stored data for download.
    Damaged,
}

/// What the popup shows about the stored vault (`status()` in JS). Never holds key material.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// The screen to show.
    pub state: State,
    /// Whether a password protects the vault.
    pub protected: bool,
    /// Number of accounts shown.
    pub count: usize,
    /// Revision of the vault shown (a JS number; 0 when none is shown).
    pub revision: f64,
    /// Why the stored record could not be read (damaged, or recovered from the previous one).
    pub problem: Option<String>,
    /// The stable code of `problem`.
    pub problem_code: Option<&'static str>,
    /// True when the previous generation is in use.
    pub recovered: bool,
}

/// One generation, read.
enum Read {
    Open { vault: Vault, sealed: bool },
    Locked(KdfSpec),
}

/// Reads one record with an optional key.
fn read(bytes: &[u8], key: Option<&VaultKey>) -> Result<Read, VaultError> {
    match record_schema(bytes)? {
        Some(SEALED_SCHEMA) => {
            let kdf = sealed_kdf(bytes)?;
            match key {
                Some(key) if key.spec() == &kdf => {
                    // A key that does not open the record is either a wrong password or, for a
                    // key that opened it before, damage; the caller tells which.
                    let plain = key.open(bytes)?;
                    Ok(Read::Open {
                        vault: Vault::from_bytes(&plain)?,
                        sealed: true,
                    })
                }
                _ => Ok(Read::Locked(kdf)),
            }
        }
        Some(found) if found > SEALED_SCHEMA => Err(VaultError::FutureSchema { found }),
        _ => Ok(Read::Open {
            vault: Vault::from_bytes(bytes)?,
            sealed: false,
        }),
    }
}

/// Reads the stored generations, opening sealed ones with `key` when it matches.
///
/// ```
/// use toolbar_authenticator::store::{load, Loaded};
/// assert_eq!(load(None, None, None), Loaded::Empty);
/// ```
pub fn load(current: Option<&[u8]>, previous: Option<&[u8]>, key: Option<&VaultKey>) -> Loaded {
    let Some(current) = current else {
        // A previous generation without a current one should not happen; use it if it does.
        return match previous.map(|bytes| read(bytes, key)) {
            Some(Ok(read)) => ready_or_locked(
                read,
                Some(VaultError::Corrupt("the current record is missing".into())),
            ),
            _ => Loaded::Empty,
        };
    };
    match read(current, key) {
        Ok(read) => ready_or_locked(read, None),
        // A newer schema is not damage: falling back would hide the newer accounts.
        Err(error @ VaultError::FutureSchema { .. }) => Loaded::Damaged { error },
        Err(error) => match previous.map(|bytes| read(bytes, key)) {
            Some(Ok(read)) => ready_or_locked(read, Some(error)),
            _ => Loaded::Damaged { error },
        },
    }
}

fn ready_or_locked(read: Read, recovered_from: Option<VaultError>) -> Loaded {
    match read {
        Read::Open { vault, sealed } => Loaded::Ready {
            vault,
            sealed,
            recovered_from,
        },
        Read::Locked(kdf) => Loaded::Locked { kdf },
    }
}

/// The key derivation of whichever stored generation is sealed (current first), to turn a
/// password into a key.
pub fn stored_kdf(current: Option<&[u8]>, previous: Option<&[u8]>) -> Option<KdfSpec> {
    [current, previous]
        .into_iter()
        .flatten()
        .find_map(|bytes| sealed_kdf(bytes).ok())
}

/// The records to store after a change, all in one write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// New current record.
    pub current: Vec<u8>,
    /// New previous generation: the replaced vault, in the same protection as the new one.
    pub previous: Option<Vec<u8>>,
    /// The replaced record when it was unreadable (sealed with `key` when there is one): keep
    /// it under a fresh [`DAMAGED_KEY`] key.
    pub damaged: Option<Vec<u8>>,
}

/// Encodes a vault: sealed with `key`, or plain without one.
///
/// # Errors
/// [`VaultError::Crypto`] when no nonce can be drawn.
pub fn encode(vault: &Vault, key: Option<&VaultKey>) -> Result<Vec<u8>, VaultError> {
    let plain = vault.to_bytes();
    match key {
        Some(key) => Ok(key.seal(&plain)?),
        None => Ok(plain.to_vec()),
    }
}

/// Plans the write that replaces `replaced` (the current record as read just now, under the
/// write lock, with `replaced_key` able to open it if sealed) with `vault` protected by
/// `key` (plain when `None`).
///
/// The previous generation is always re-encoded with the new protection, so setting a
/// password leaves no plain copy behind and removing one leaves no copy that needs it.
///
/// # Errors
/// [`VaultError::Crypto`] when no nonce can be drawn.
pub fn commit(
    vault: &Vault,
    replaced: Option<&[u8]>,
    replaced_key: Option<&VaultKey>,
    key: Option<&VaultKey>,
) -> Result<Commit, VaultError> {
    let current = encode(vault, key)?;
    let Some(old) = replaced else {
        return Ok(Commit {
            current,
            previous: None,
            damaged: None,
        });
    };
    match read(old, replaced_key) {
        Ok(Read::Open {
            vault: old_vault, ..
        }) => Ok(Commit {
            current,
            previous: Some(encode(&old_vault, key)?),
            damaged: None,
        }),
        _ => Ok(Commit {
            current,
            previous: None,
            damaged: Some(protect(old, key)?),
        }),
    }
}

/// Seals arbitrary stored bytes (an unreadable record kept aside) when a key is set.
///
/// # Errors
/// [`VaultError::Crypto`] when no nonce can be drawn.
pub fn protect(bytes: &[u8], key: Option<&VaultKey>) -> Result<Vec<u8>, VaultError> {
    match key {
        Some(key) if record_schema(bytes).ok().flatten() != Some(SEALED_SCHEMA) => {
            Ok(key.seal(bytes)?)
        }
        _ => Ok(bytes.to_vec()),
    }
}

/// The plain record bytes a sealed or plain record holds, for a download of stored data.
///
/// # Errors
/// [`VaultError`] when a sealed record does not open with `key`.
pub fn plain_bytes(bytes: &[u8], key: Option<&VaultKey>) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    match (record_schema(bytes).ok().flatten(), key) {
        (Some(SEALED_SCHEMA), Some(key)) => Ok(key.open(bytes)?),
        _ => Ok(Zeroizing::new(bytes.to_vec())),
    }
}

const _: () = assert!(SCHEMA < SEALED_SCHEMA as u32);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{Account, AccountDraft, AccountId};
    use crate::crypto::KdfParams;
    use crate::otp::OtpParams;
    use crate::secret::Secret;
    use crate::vault::Edit;

    fn vault_with(n: usize) -> Vault {
        let mut vault = Vault::new();
        for i in 0..n {
            let draft = AccountDraft {
                issuer: format!("Issuer {i}"),
                name: "me".into(),
                params: OtpParams::default(),
                secret: Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            };
            let account = Account::from_draft(draft, AccountId::random().unwrap()).unwrap();
            vault.apply(&Edit::Add(account)).unwrap();
        }
        vault
    }

    fn key() -> VaultKey {
        VaultKey::create("pw", KdfParams::MINIMUM).unwrap()
    }

    #[test]
    fn prefers_current_then_previous() {
        let old = vault_with(1);
        let new = vault_with(2);
        let (old_bytes, new_bytes) = (old.to_bytes(), new.to_bytes());
        assert_eq!(
            load(Some(&new_bytes), Some(&old_bytes), None),
            Loaded::Ready {
                vault: new,
                sealed: false,
                recovered_from: None
            }
        );
        match load(Some(b"{garbage"), Some(&old_bytes), None) {
            Loaded::Ready {
                vault,
                recovered_from: Some(VaultError::Corrupt(_)),
                ..
            } => assert_eq!(vault, old),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            load(Some(b"{garbage"), None, None),
            Loaded::Damaged { .. }
        ));
        assert!(matches!(
            load(Some(br#"{"schema":9}"#), Some(&old_bytes), None),
            Loaded::Damaged {
                error: VaultError::FutureSchema { found: 9 }
            }
        ));
    }

    #[test]
    fn sealed_records_lock_without_key_and_open_with_it() {
        let key = key();
        let vault = vault_with(2);
        let sealed = encode(&vault, Some(&key)).unwrap();
        assert!(matches!(
            load(Some(&sealed), None, None),
            Loaded::Locked { .. }
        ));
        assert_eq!(
            load(Some(&sealed), None, Some(&key)),
            Loaded::Ready {
                vault: vault.clone(),
                sealed: true,
                recovered_from: None
            }
        );
        let other = VaultKey::create("pw", KdfParams::MINIMUM).unwrap();
        assert!(
            matches!(
                load(Some(&sealed), None, Some(&other)),
                Loaded::Locked { .. }
            ),
            "a key for another salt means the password changed elsewhere"
        );
        assert_eq!(stored_kdf(Some(&sealed), None).as_ref(), Some(key.spec()));
    }

    #[test]
    fn tampered_sealed_record_falls_back_to_previous() {
        let key = key();
        let old = vault_with(1);
        let new = vault_with(2);
        let old_sealed = encode(&old, Some(&key)).unwrap();
        let mut new_sealed = encode(&new, Some(&key)).unwrap();
        let at = new_sealed.len() - 10;
        new_sealed[at] ^= 0x01;
        match load(Some(&new_sealed), Some(&old_sealed), Some(&key)) {
            Loaded::Ready {
                vault,
                recovered_from: Some(_),
                ..
            } => assert_eq!(vault, old),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn commit_re_encodes_previous_and_sets_aside_damage() {
        let key = key();
        let old = vault_with(1);
        let new = vault_with(2);
        let old_plain = old.to_bytes().to_vec();
        let plan = commit(&new, Some(&old_plain), None, Some(&key)).unwrap();
        let previous = plan.previous.unwrap();
        assert!(!String::from_utf8_lossy(&previous).contains("JBSW"));
        assert_eq!(
            load(Some(&plan.current), Some(&previous), Some(&key)),
            Loaded::Ready {
                vault: new.clone(),
                sealed: true,
                recovered_from: None
            }
        );
        assert_eq!(
            load(Some(b"x"), Some(&previous), Some(&key)),
            Loaded::Ready {
                vault: old,
                sealed: true,
                recovered_from: Some(VaultError::Corrupt(
                    "not a JSON object: Invalid type".into()
                ))
            }
        );
        let plan = commit(&new, Some(b"broken"), None, None).unwrap();
        assert_eq!(plan.previous, None);
        assert_eq!(plan.damaged.as_deref(), Some(b"broken".as_slice()));
        let plan = commit(&new, Some(b"broken"), None, Some(&key)).unwrap();
        let damaged = plan.damaged.unwrap();
        assert_eq!(
            plain_bytes(&damaged, Some(&key)).unwrap().as_slice(),
            b"broken"
        );
    }
}
