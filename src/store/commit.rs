//! What to write after a change, so that nothing is lost and nothing is left in an old
//! protection: both generations in the new protection, every unreadable value kept aside first.

use zeroize::Zeroizing;

use super::{Generations, Guard, Reader, Stored};
use crate::crypto::{VaultKey, is_sealed_schema};
use crate::vault::{Vault, VaultError, record_schema};

/// The records to store after a change, all in one write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// New current record.
    pub current: Vec<u8>,
    /// New previous generation: the vault the change was applied to, in the new protection
    /// (`None` on a first write, when there was none).
    pub previous: Option<Vec<u8>>,
    /// Stored values that could not be used, to keep under fresh [`super::DAMAGED_KEY`] keys
    /// before they are overwritten, with the key they came from (sealed with the new key when
    /// there is one).
    pub aside: Vec<(&'static str, Vec<u8>)>,
    /// The guard to store with them: the new protection and revision.
    pub guard: Guard,
}

/// Encodes a vault: sealed with `key` (its revision in the authenticated header), or plain
/// without one.
///
/// # Errors
/// [`VaultError::Crypto`] when no nonce can be drawn.
pub fn encode(vault: &Vault, key: Option<&VaultKey>) -> Result<Vec<u8>, VaultError> {
    let plain = vault.to_bytes();
    match key {
        Some(key) => Ok(key.seal(&plain, vault.revision)?),
        None => Ok(plain.to_vec()),
    }
}

/// Plans the write that follows a change.
///
/// `generations` are the records as read just now, under the write lock, `old_key` the key
/// that opens them (if sealed) and `guard` the guards read with them. `basis` is the vault
/// the change was applied to, as [`super::load`] gave it (`None` on a first run), and `vault`
/// the changed vault, which gets the next revision (`basis` + 1) whether or not an edit moved
/// it. It is written protected by `key` (plain when `None`).
///
/// The previous generation is always rewritten from `basis` in the new protection, so setting
/// a password leaves no plain copy behind, changing it leaves none under the old password, and
/// removing it leaves none that needs it, even when `basis` came from the previous generation
/// because the current one could not be read. A stored value that could not be used (the
/// current one then, or an unreadable previous one) is kept aside first.
///
/// # Errors
/// [`VaultError::Crypto`] when no nonce can be drawn.
pub fn commit(
    generations: &Generations,
    old_key: Option<&VaultKey>,
    guard: Guard,
    basis: Option<&Vault>,
    vault: &mut Vault,
    key: Option<&VaultKey>,
) -> Result<Commit, VaultError> {
    vault.revision = basis.map_or(0, |b| b.revision).saturating_add(1);
    let reader = Reader::new(generations, old_key, guard);
    let mut aside = Vec::new();
    for (name, stored, usable) in [
        (
            super::CURRENT_KEY,
            &generations.current,
            reader.current(generations).is_ok(),
        ),
        (
            super::PREVIOUS_KEY,
            &generations.previous,
            reader.previous(generations).is_ok(),
        ),
    ] {
        if let (Some(raw), false) = (stored.raw(), usable) {
            aside.push((name, protect(raw.as_bytes(), key)?));
        }
    }
    Ok(Commit {
        current: encode(vault, key)?,
        previous: basis.map(|basis| encode(basis, key)).transpose()?,
        aside,
        guard: Guard {
            sealed: key.is_some(),
            revision: guard.revision.max(vault.revision),
        },
    })
}

/// Whether `bytes` are a sealed record.
fn sealed(bytes: &[u8]) -> bool {
    record_schema(bytes)
        .ok()
        .flatten()
        .is_some_and(is_sealed_schema)
}

/// Seals stored bytes kept aside when a key is set (sealed records stay as they are).
fn protect(bytes: &[u8], key: Option<&VaultKey>) -> Result<Vec<u8>, VaultError> {
    match key {
        Some(key) if !sealed(bytes) => Ok(key.seal(bytes, 0)?),
        _ => Ok(bytes.to_vec()),
    }
}

/// A record kept aside, rewritten for a change of protection from `old_key` to `new_key`:
/// opened with the old key when it can be, then sealed with the new one (or left plain when
/// the password is removed). A sealed record the old key cannot open is wrapped in the new key
/// (so a retired password no longer opens it) or, when the password is removed, kept as it
/// is. `None` when nothing changes.
///
/// # Errors
/// [`VaultError::Crypto`] when no nonce can be drawn.
pub fn reprotect(
    bytes: &[u8],
    old_key: Option<&VaultKey>,
    new_key: Option<&VaultKey>,
) -> Result<Option<Vec<u8>>, VaultError> {
    let opened = match old_key {
        Some(old) if sealed(bytes) => old.open(bytes).ok(),
        _ => None,
    };
    let inner: &[u8] = opened.as_deref().map_or(bytes, Vec::as_slice);
    match (new_key, opened.is_some()) {
        (Some(new), _) => Ok(Some(new.seal(inner, 0)?)),
        (None, true) => Ok(Some(inner.to_vec())),
        (None, false) => Ok(None),
    }
}

/// What a stored value holds, for a download: a sealed record opened with `key` when it
/// can be (one layer), else the value as stored.
pub fn plain_bytes(stored: &Stored, key: Option<&VaultKey>) -> Zeroizing<Vec<u8>> {
    let raw = stored.raw().unwrap_or_default().as_bytes();
    match key {
        Some(key) if sealed(raw) => key
            .open(raw)
            .unwrap_or_else(|_| Zeroizing::new(raw.to_vec())),
        _ => Zeroizing::new(raw.to_vec()),
    }
}
