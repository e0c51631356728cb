//! The optional automatic backup (off by default): its stored settings, when the next one is
//! due, which older files to delete, and how its key is kept. Pure: the background worker
//! supplies the time, the vault and the download ids, and does what this decides.
//!
//! - **When:** after a change, at most once per [`INTERVAL_SECONDS`]: a change within a day of
//!   the last automatic backup is backed up a day after it.
//! - **Where:** `Downloads/`[`FOLDER`]`/`, keeping the newest [`KEEP_FILES`] files it made (older
//!   ones it made are deleted; files the person saved there themselves are never touched).
//! - **Key:** the backup password the person set for it is never stored: only the key derived
//!   from it ([`VaultKey`], Argon2id with its own salt). With a vault password that key is
//!   sealed under the vault key (XChaCha20-Poly1305), so it opens only while the vault is
//!   unlocked. Without one it is stored as is, like the accounts themselves (README "Backups and
//!   export" says what that means). When the vault password is set, changed or removed, the key
//!   sealed under the old one no longer opens: automatic backups stop and Settings asks for the
//!   backup password again ([`KeyProblem::Stale`]).

use base64ct::{Base64, Encoding};
use serde::{Deserialize, Serialize};

use crate::crypto::VaultKey;
use crate::stored_json::StoredJson;

/// Least seconds between two automatic backups.
pub const INTERVAL_SECONDS: u64 = 86_400;

/// Automatic backup files kept; older ones it made are deleted.
pub const KEEP_FILES: usize = 10;

/// The subfolder of Downloads the automatic backups go to.
pub const FOLDER: &str = "toolbar-authenticator";

/// Associated data of a sealed backup key: it opens as nothing else.
const KEY_AAD: &[u8] = b"toolbar-authenticator auto-backup key";
const NONCE_BYTES: usize = 24;

/// The automatic backup's settings and record (storage key `auto_backup`, JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AutoBackup {
    /// Turned on by the person.
    pub enabled: bool,
    /// The backup key, as kept.
    pub key: Option<StoredKey>,
    /// When the last automatic backup was made (Unix seconds).
    pub last: Option<u64>,
    /// The vault revision it held.
    pub revision: Option<u64>,
    /// The download ids of the files it made, oldest first.
    pub files: Vec<u64>,
}

/// How the backup key is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum StoredKey {
    /// No vault password: the key's session text ([`VaultKey::to_session_text`]) as is.
    Plain {
        /// The key and its derivation.
        key: String,
    },
    /// Sealed under the vault key.
    Sealed {
        /// Base64 of nonce, ciphertext and tag.
        sealed: String,
        /// The salt of the vault key it was sealed under (to tell a stale seal).
        vault_salt: String,
    },
}

/// What the background worker should do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Turned off, or no key set.
    Off,
    /// Nothing changed since the last automatic backup.
    UpToDate,
    /// Back up now.
    Now,
    /// Back up at this time (Unix seconds): set an alarm.
    At(u64),
}

/// Why the backup key cannot be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// No key is set.
    Missing,
    /// The vault is locked: wait for the unlock. Told by the caller, which asks
    /// [`AutoBackup::backup_key`] only of an open vault.
    Locked,
    /// Sealed under a vault key that is no longer the vault's (its password was changed or
    /// removed), or unreadable: ask for the backup password again.
    Stale,
}

impl KeyProblem {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing => "auto-backup.no-key",
            Self::Locked => "auto-backup.locked",
            Self::Stale => "auto-backup.stale-key",
        }
    }
}

/// Anything unreadable is "off".
impl StoredJson for AutoBackup {}

impl AutoBackup {
    /// Turns automatic backups on with `backup_key` (derived from the backup password),
    /// sealed under `vault_key` when the vault has a password. The next change is backed up
    /// at once.
    ///
    /// # Errors
    /// [`crate::crypto::CryptoError::Random`] when no nonce can be drawn.
    pub fn enable(
        backup_key: &VaultKey,
        vault_key: Option<&VaultKey>,
    ) -> Result<Self, crate::crypto::CryptoError> {
        Ok(Self {
            enabled: true,
            key: Some(StoredKey::new(backup_key, vault_key)?),
            last: None,
            revision: None,
            files: Vec::new(),
        })
    }

    /// Turns automatic backups off and forgets the key; the files made are kept (the list of
    /// them too, so they are still rotated if it is turned on again).
    pub fn disable(&mut self) {
        self.enabled = false;
        self.key = None;
    }

    /// Whether a backup of the vault at `revision` is due at `now`.
    pub fn due(&self, revision: u64, now: u64) -> Due {
        if !self.enabled || self.key.is_none() {
            return Due::Off;
        }
        if self.revision == Some(revision) {
            return Due::UpToDate;
        }
        match self.last {
            Some(last) if now < last.saturating_add(INTERVAL_SECONDS) => {
                Due::At(last.saturating_add(INTERVAL_SECONDS))
            }
            _ => Due::Now,
        }
    }

    /// The backup key, opened with the vault key when it is sealed. `vault_key` is the open
    /// vault's key, `None` when the vault has no password (a locked vault is the caller's to
    /// wait for: nothing can be backed up then).
    ///
    /// # Errors
    /// [`KeyProblem`]: none set, or sealed under a vault key that is no longer the vault's
    /// (its password changed, or was removed: a sealed key and no vault key).
    pub fn backup_key(&self, vault_key: Option<&VaultKey>) -> Result<VaultKey, KeyProblem> {
        match &self.key {
            None => Err(KeyProblem::Missing),
            Some(StoredKey::Plain { key }) => {
                VaultKey::from_session_text(key).ok_or(KeyProblem::Stale)
            }
            Some(StoredKey::Sealed { sealed, vault_salt }) => {
                let vault_key = vault_key.ok_or(KeyProblem::Stale)?;
                if &vault_key.spec().salt != vault_salt {
                    return Err(KeyProblem::Stale);
                }
                let bytes = Base64::decode_vec(sealed).map_err(|_| KeyProblem::Stale)?;
                if bytes.len() < NONCE_BYTES {
                    return Err(KeyProblem::Stale);
                }
                let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
                let nonce: &[u8; NONCE_BYTES] = nonce.try_into().map_err(|_| KeyProblem::Stale)?;
                let text = vault_key
                    .decrypt_with(nonce, ciphertext, KEY_AAD)
                    .ok_or(KeyProblem::Stale)?;
                let text = std::str::from_utf8(&text).map_err(|_| KeyProblem::Stale)?;
                VaultKey::from_session_text(text).ok_or(KeyProblem::Stale)
            }
        }
    }

    /// Whether the key is kept as the vault's protection calls for: sealed under `vault_key`
    /// when there is one. A plain key found once the vault has a password should be sealed
    /// ([`AutoBackup::reseal`]).
    pub fn needs_seal(&self, vault_key: Option<&VaultKey>) -> bool {
        vault_key.is_some() && matches!(self.key, Some(StoredKey::Plain { .. }))
    }

    /// Keeps `backup_key` sealed under `vault_key` (or plain without one) from now on.
    ///
    /// # Errors
    /// [`crate::crypto::CryptoError::Random`] when no nonce can be drawn.
    pub fn reseal(
        &mut self,
        backup_key: &VaultKey,
        vault_key: Option<&VaultKey>,
    ) -> Result<(), crate::crypto::CryptoError> {
        self.key = Some(StoredKey::new(backup_key, vault_key)?);
        Ok(())
    }

    /// Records a backup of the vault at `revision` made at `now` as download `download_id`;
    /// returns the download ids of the older files to delete, oldest first.
    pub fn record(&mut self, revision: u64, now: u64, download_id: u64) -> Vec<u64> {
        self.last = Some(now);
        self.revision = Some(revision);
        self.files.retain(|id| *id != download_id);
        self.files.push(download_id);
        let excess = self.files.len().saturating_sub(KEEP_FILES);
        self.files.drain(..excess).collect()
    }
}

impl StoredKey {
    fn new(
        backup_key: &VaultKey,
        vault_key: Option<&VaultKey>,
    ) -> Result<Self, crate::crypto::CryptoError> {
        let text = backup_key.to_session_text();
        let Some(vault_key) = vault_key else {
            return Ok(Self::Plain {
                key: text.as_str().to_owned(),
            });
        };
        let nonce = super::cipher::random::<NONCE_BYTES>()?;
        let mut sealed = nonce.to_vec();
        sealed.extend(vault_key.encrypt_with(&nonce, text.as_bytes(), KEY_AAD)?);
        Ok(Self::Sealed {
            sealed: Base64::encode_string(&sealed),
            vault_salt: vault_key.spec().salt.clone(),
        })
    }
}

/// The name of a backup file made at `unix_seconds` where the clock is `utc_offset_minutes`
/// ahead of UTC: `toolbar-authenticator-backup-YYYY-MM-DD.json` in local time.
pub fn file_name(unix_seconds: u64, utc_offset_minutes: i32) -> String {
    dated_file_name(
        "toolbar-authenticator-backup",
        "json",
        unix_seconds,
        utc_offset_minutes,
    )
}

/// `<stem>-YYYY-MM-DD.<extension>`, the local date of `unix_seconds` where the clock is
/// `utc_offset_minutes` ahead of UTC (every export is named so).
pub fn dated_file_name(
    stem: &str,
    extension: &str,
    unix_seconds: u64,
    utc_offset_minutes: i32,
) -> String {
    let local = i64::try_from(unix_seconds)
        .unwrap_or(i64::MAX)
        .saturating_add(i64::from(utc_offset_minutes) * 60);
    let (year, month, day) = civil_date(local.div_euclid(86_400));
    format!("{stem}-{year:04}-{month:02}-{day:02}.{extension}")
}

/// Year, month and day of the day `days` after 1970-01-01 (proleptic Gregorian; Howard
/// Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // day is 1..=31 and month 1..=12 by construction.
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::KdfParams;

    const NOW: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    fn key(password: &str) -> VaultKey {
        VaultKey::create(password, KdfParams::MINIMUM).unwrap()
    }

    #[test]
    fn after_a_change_at_most_once_a_day() {
        let backup = key("backup password");
        let mut auto = AutoBackup::default();
        assert_eq!(auto.due(1, NOW), Due::Off);
        auto = AutoBackup::enable(&backup, None).unwrap();
        assert_eq!(auto.due(1, NOW), Due::Now);
        assert!(auto.record(1, NOW, 41).is_empty());
        assert_eq!(auto.due(1, NOW + 5 * INTERVAL_SECONDS), Due::UpToDate);
        assert_eq!(auto.due(2, NOW + 60), Due::At(NOW + INTERVAL_SECONDS));
        assert_eq!(auto.due(2, NOW + INTERVAL_SECONDS), Due::Now);
        auto.disable();
        assert_eq!(auto.due(2, NOW + INTERVAL_SECONDS), Due::Off);
        assert_eq!(auto.files, [41], "files made are still known");
    }

    #[test]
    fn keeps_the_newest_ten_files_it_made() {
        let mut auto = AutoBackup::enable(&key("backup password"), None).unwrap();
        let mut removed = Vec::new();
        for id in 1..=13 {
            removed.extend(auto.record(id, NOW + id * INTERVAL_SECONDS, id));
        }
        assert_eq!(removed, [1, 2, 3]);
        assert_eq!(auto.files, (4..=13).collect::<Vec<_>>());
    }

    #[test]
    fn key_sealed_under_the_vault_key_opens_only_with_it() {
        let backup = key("backup password");
        let vault = key("vault password");
        let auto = AutoBackup::enable(&backup, Some(&vault)).unwrap();
        let text = auto.to_text();
        assert!(!text.contains(backup.to_session_text().as_str()));
        let auto = AutoBackup::from_text(Some(&text));
        assert_eq!(auto.backup_key(Some(&vault)).unwrap(), backup);
        // The vault password removed: nothing opens the seal any more; ask again.
        assert_eq!(auto.backup_key(None), Err(KeyProblem::Stale));
        // The vault password changed: a new salt, a new key.
        let changed = key("vault password");
        assert_eq!(auto.backup_key(Some(&changed)), Err(KeyProblem::Stale));
        assert!(!auto.needs_seal(Some(&vault)));
    }

    #[test]
    fn plain_key_without_a_vault_password_is_sealed_once_one_is_set() {
        let backup = key("backup password");
        let mut auto = AutoBackup::enable(&backup, None).unwrap();
        assert_eq!(auto.backup_key(None).unwrap(), backup);
        let vault = key("vault password");
        assert!(auto.needs_seal(Some(&vault)));
        let opened = auto.backup_key(Some(&vault)).unwrap();
        auto.reseal(&opened, Some(&vault)).unwrap();
        assert!(matches!(auto.key, Some(StoredKey::Sealed { .. })));
        assert_eq!(auto.backup_key(Some(&vault)).unwrap(), backup);
        assert_eq!(
            AutoBackup::default().backup_key(None),
            Err(KeyProblem::Missing)
        );
        assert_eq!(AutoBackup::from_text(Some("{]")), AutoBackup::default());
    }

    #[test]
    fn file_names_use_the_local_date() {
        assert_eq!(
            file_name(NOW, 0),
            "toolbar-authenticator-backup-2026-01-01.json"
        );
        assert_eq!(
            file_name(NOW, -60),
            "toolbar-authenticator-backup-2025-12-31.json"
        );
        assert_eq!(
            file_name(951_782_400, 0),
            "toolbar-authenticator-backup-2000-02-29.json"
        );
        assert_eq!(
            file_name(0, 0),
            "toolbar-authenticator-backup-1970-01-01.json"
        );
    }
}
