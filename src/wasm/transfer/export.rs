//! `Exporter`: the Export half of the Import and export page. Every file is built here, in
//! WebAssembly; the page gets only `{bytes, fileName, count}` for the download (the bytes as a
//! `Uint8Array`, handed straight to a `Blob`), never a key or a link on its own.
//!
//! Exports read the vault as the page's `Authenticator` shows it (the page reloads it first)
//! and change nothing stored but the backup facts (`backup_facts`, see
//! [`crate::backup_reminder`]): every export of the whole vault counts as a backup. A record
//! kept aside as damaged is never part of the vault shown, so it is never exported.

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use zeroize::Zeroizing;

use super::super::api::unix_seconds;
use super::super::app::Authenticator;
use super::super::errors::{ToJs, refused};
use super::super::storage::{self, Area};
use crate::account::AccountId;
use crate::backup_reminder::BackupFacts;
use crate::coded::RequestError;
use crate::crypto::{KdfParams, VaultKey};
use crate::stored_json::StoredJson;
use crate::transfer::auto_backup::dated_file_name;
use crate::transfer::backup::{BackupError, BackupFile, check_password};
use crate::transfer::{ExportEntry, aegis, otpauth_list};
use crate::vault::Vault;

/// Storage key of the backup facts.
pub(super) const FACTS_KEY: &str = "backup_facts";

/// A backup error as a JS `Error` with its `code` and form `field`.
pub(super) fn backup_error(error: &BackupError) -> JsValue {
    error.to_js()
}

/// What one export produced, before it crosses to JS.
struct Made {
    bytes: Zeroizing<Vec<u8>>,
    file_name: String,
    count: usize,
    revision: u64,
    ids: Vec<AccountId>,
}

impl Made {
    /// `{bytes: Uint8Array, fileName, count}` for the page.
    fn to_js(&self) -> Result<JsValue, JsValue> {
        let out = Object::new();
        Reflect::set(&out, &"bytes".into(), &Uint8Array::from(&self.bytes[..]))?;
        Reflect::set(&out, &"fileName".into(), &self.file_name.as_str().into())?;
        Reflect::set(&out, &"count".into(), &(self.count as u32).into())?;
        Ok(out.into())
    }
}

/// Builds one file from the vault shown: `write` gets every account, in list order.
fn make(
    auth: &Authenticator,
    stem: &str,
    extension: &str,
    now: u64,
    utc_offset_minutes: i32,
    write: impl FnOnce(&[ExportEntry<'_>]) -> Result<Zeroizing<Vec<u8>>, JsValue>,
) -> Result<Made, JsValue> {
    auth.with_vault(|vault: &Vault, _| {
        let entries: Vec<ExportEntry<'_>> =
            vault.accounts().iter().map(ExportEntry::from).collect();
        if entries.is_empty() {
            return Err(refused(RequestError::NothingToExport));
        }
        Ok(Made {
            bytes: write(&entries)?,
            file_name: dated_file_name(stem, extension, now, utc_offset_minutes),
            count: entries.len(),
            revision: vault.revision,
            ids: vault.accounts().iter().map(|a| a.id.clone()).collect(),
        })
    })?
}

/// One export: the file [`make`] builds at `now_seconds` (`write` also gets that time), recorded
/// as the last backup, as the promise every export method returns.
fn download(
    auth: &Authenticator,
    (stem, extension): (&str, &str),
    now_seconds: f64,
    utc_offset_minutes: i32,
    write: impl FnOnce(&[ExportEntry<'_>], u64) -> Result<Zeroizing<Vec<u8>>, JsValue>,
) -> Promise {
    let result = unix_seconds(now_seconds).and_then(|now| {
        let made = make(auth, stem, extension, now, utc_offset_minutes, |entries| {
            write(entries, now)
        })?;
        Ok((made, now))
    });
    match result {
        Ok((made, now)) => recorded(made, now),
        Err(error) => Promise::reject(&error),
    }
}

/// Records `made` as the last backup, then resolves to what the page downloads.
fn recorded(made: Made, now: u64) -> Promise {
    future_to_promise(async move {
        let stored = super::backup_worker::stored(&[FACTS_KEY]).await?;
        let mut facts = BackupFacts::from_text(stored.into_iter().flatten().next().as_deref());
        facts.record(&made.ids, made.revision, now);
        storage::set(Area::Local, &[(FACTS_KEY, &facts.to_text())]).await?;
        made.to_js()
    })
}

fn random_failed() -> JsValue {
    backup_error(&BackupError::Random)
}

/// The Export half of the Import and export page.
#[wasm_bindgen]
pub struct Exporter {
    /// The key derived from the backup password by [`Exporter::set_backup_password`].
    backup_key: Option<VaultKey>,
}

#[wasm_bindgen]
impl Exporter {
    /// A handle without a backup password yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Exporter {
        Self { backup_key: None }
    }

    /// Checks a backup password and its confirmation as they are typed: `null` when they are
    /// fine, else an `Error` (returned) with `code` `backup.short-password` (fewer than 8
    /// characters; `field` `backup-password`) or `backup.password-mismatch` (`backup-confirm`).
    #[wasm_bindgen(js_name = checkPassword)]
    pub fn check_password_js(password: &str, confirmation: &str) -> JsValue {
        match check_password(password, confirmation) {
            Ok(()) => JsValue::NULL,
            Err(error) => backup_error(&error),
        }
    }

    /// Checks the backup password and its confirmation, then derives the backup key from it
    /// (Argon2id, 64 MiB, 3 passes: the costly step, timed apart by the bench). Throws as
    /// [`Exporter::check_password_js`] says.
    #[wasm_bindgen(js_name = setBackupPassword)]
    pub fn set_backup_password(
        &mut self,
        password: String,
        confirmation: String,
    ) -> Result<(), JsValue> {
        let (password, confirmation) = (Zeroizing::new(password), Zeroizing::new(confirmation));
        check_password(&password, &confirmation).map_err(|e| backup_error(&e))?;
        let key = VaultKey::create(&password, KdfParams::DEFAULT).map_err(|_| random_failed())?;
        self.backup_key = Some(key);
        Ok(())
    }

    /// Forgets the backup key (the page calls it when the password fields change).
    #[wasm_bindgen(js_name = forgetBackupPassword)]
    pub fn forget_backup_password(&mut self) {
        self.backup_key = None;
    }

    /// The **Encrypted backup** of every account, sealed under the key of
    /// [`Exporter::set_backup_password`]: resolves to `{bytes, fileName, count}` with the name
    /// `toolbar-authenticator-backup-YYYY-MM-DD.json` (local date), and records the backup.
    /// Rejects with `backup.no-password` before a password is set, `vault.locked` while locked,
    /// `export.empty` without accounts.
    #[wasm_bindgen(js_name = encryptedBackup)]
    pub fn encrypted_backup(
        &self,
        auth: &Authenticator,
        now_seconds: f64,
        utc_offset_minutes: i32,
    ) -> Promise {
        let Some(key) = self.backup_key.as_ref() else {
            return Promise::reject(&refused(RequestError::NoBackupPassword));
        };
        download(
            auth,
            ("toolbar-authenticator-backup", "json"),
            now_seconds,
            utc_offset_minutes,
            |entries, now| {
                BackupFile::seal_with_key(entries, key, now)
                    .map(Zeroizing::new)
                    .map_err(|e| backup_error(&e))
            },
        )
    }

    /// The **Aegis vault**, encrypted with `password` (checked like a backup password): a
    /// password slot with scrypt N = 32768, r = 8, p = 1, as Aegis writes it. Resolves to
    /// `{bytes, fileName, count}` (`toolbar-authenticator-aegis-YYYY-MM-DD.json`).
    #[wasm_bindgen(js_name = aegisVault)]
    pub fn aegis_vault(
        &self,
        auth: &Authenticator,
        password: String,
        confirmation: String,
        now_seconds: f64,
        utc_offset_minutes: i32,
    ) -> Promise {
        let (password, confirmation) = (Zeroizing::new(password), Zeroizing::new(confirmation));
        if let Err(error) = check_password(&password, &confirmation) {
            return Promise::reject(&backup_error(&error));
        }
        download(
            auth,
            ("toolbar-authenticator-aegis", "json"),
            now_seconds,
            utc_offset_minutes,
            |entries, _| {
                aegis::write_encrypted(entries, &password)
                    .map(Zeroizing::new)
                    .map_err(|_| random_failed())
            },
        )
    }

    /// The **Aegis vault** without encryption (the page asks twice first): every key in the
    /// clear. Resolves like [`Exporter::aegis_vault`].
    #[wasm_bindgen(js_name = aegisPlain)]
    pub fn aegis_plain(
        &self,
        auth: &Authenticator,
        now_seconds: f64,
        utc_offset_minutes: i32,
    ) -> Promise {
        download(
            auth,
            ("toolbar-authenticator-aegis-plain", "json"),
            now_seconds,
            utc_offset_minutes,
            |entries, _| {
                aegis::write_plain(entries)
                    .map(Zeroizing::new)
                    .map_err(|_| random_failed())
            },
        )
    }

    /// The **Plain otpauth list**: one `otpauth://` link per line, every key in the clear
    /// (the page shows its warning first). Resolves to `{bytes, fileName, count}`
    /// (`toolbar-authenticator-otpauth-YYYY-MM-DD.txt`).
    #[wasm_bindgen(js_name = otpauthList)]
    pub fn otpauth_list(
        &self,
        auth: &Authenticator,
        now_seconds: f64,
        utc_offset_minutes: i32,
    ) -> Promise {
        download(
            auth,
            ("toolbar-authenticator-otpauth", "txt"),
            now_seconds,
            utc_offset_minutes,
            |entries, _| {
                let text = otpauth_list::write(entries);
                Ok(Zeroizing::new(text.as_bytes().to_vec()))
            },
        )
    }
}

impl Default for Exporter {
    fn default() -> Self {
        Self::new()
    }
}
