//! What the background worker does about backups, through the second module: the popup's
//! backup notice ([`crate::backup_reminder`]) and the optional automatic backup
//! ([`crate::transfer::auto_backup`]). The worker calls [`backup_check`] when the vault, the
//! backup facts or the session key change, and once a day; it downloads the file it is given
//! and reports the download with [`auto_backup_done`]. The decisions are the core's; this only
//! reads and writes `chrome.storage` around them.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use zeroize::Zeroizing;

use super::super::api::unix_seconds;
use super::super::app::Authenticator;
use super::super::errors::internal;
use super::super::storage::{self, Area};
use super::export::{FACTS_KEY, backup_error};
use crate::account::AccountId;
use crate::backup_reminder::BackupFacts;
use crate::crypto::{KdfParams, VaultKey};
use crate::stored_json::StoredJson;
use crate::transfer::ExportEntry;
use crate::transfer::auto_backup::{AutoBackup, Due, FOLDER, KeyProblem, file_name};
use crate::transfer::backup::{BackupError, BackupFile, check_password};

/// Storage key of the notice the popup shows.
const NOTICE_KEY: &str = "backup_notice";
/// Storage key of the vault revision at which the popup's reminder was dismissed.
const DISMISSED_KEY: &str = "backup_dismissed";
/// Storage key of the automatic backup's settings and record.
const AUTO_KEY: &str = "auto_backup";

/// The vault as the worker needs it.
struct Seen {
    revision: u64,
    ids: Vec<AccountId>,
    vault_key: Option<VaultKey>,
}

fn seen(auth: &Authenticator) -> Result<Seen, JsValue> {
    auth.with_vault(|vault, key| Seen {
        revision: vault.revision,
        ids: vault.accounts().iter().map(|a| a.id.clone()).collect(),
        vault_key: key.cloned(),
    })
}

/// The values under `keys` in local storage, as text (a number the popup stored, such as
/// the dismissed revision, as its JSON).
pub(super) async fn stored(keys: &[&str]) -> Result<Vec<Option<String>>, JsValue> {
    let values = storage::get(Area::Local, keys).await?;
    Ok(values
        .iter()
        .map(|value| value.raw().map(str::to_owned))
        .collect())
}

fn set(out: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(out, &key.into(), value).map(|_| ())
}

/// `backupCheck(nowSeconds, utcOffsetMinutes)`: updates the popup's `backup_notice` and says
/// whether an automatic backup is due. Resolves to `{due}`, where `due` is `off`,
/// `up-to-date`, `locked` (the vault, or the key sealed under it, waits for an unlock),
/// `stale-key` (ask for the backup password again), `at` (with `at`, Unix seconds: set an
/// alarm) or `now` (with `file: {bytes, fileName}` to download into Downloads, named by the
/// local date `utcOffsetMinutes` ahead of UTC, and `revision` to report with
/// [`auto_backup_done`]).
#[wasm_bindgen(js_name = backupCheck)]
pub fn backup_check(now_seconds: f64, utc_offset_minutes: i32) -> Promise {
    future_to_promise(async move {
        let now = unix_seconds(now_seconds)?;
        let out = Object::new();
        let auth = Authenticator::load().await?;
        let Ok(seen) = seen(&auth) else {
            // Locked or damaged: nothing can be counted or backed up now.
            set(&out, "due", &"locked".into())?;
            return Ok(out.into());
        };
        let values = stored(&[FACTS_KEY, DISMISSED_KEY, NOTICE_KEY, AUTO_KEY]).await?;
        let [facts, dismissed, old_notice, auto] =
            <[Option<String>; 4]>::try_from(values).map_err(internal)?;
        let facts = BackupFacts::from_text(facts.as_deref());
        let dismissed = dismissed.and_then(|d| d.parse().ok());
        let notice = facts
            .notice(&seen.ids, seen.revision, dismissed, now)
            .to_text();
        if old_notice.as_deref() != Some(notice.as_str()) {
            storage::set(Area::Local, &[(NOTICE_KEY, &notice)]).await?;
        }

        let mut auto = AutoBackup::from_text(auto.as_deref());
        let due = match auto.due(seen.revision, now) {
            Due::Off => "off",
            Due::UpToDate => "up-to-date",
            Due::At(at) => {
                set(&out, "at", &(at as f64).into())?;
                "at"
            }
            Due::Now => match auto.backup_key(seen.vault_key.as_ref()) {
                Err(KeyProblem::Locked) => "locked",
                Err(KeyProblem::Missing | KeyProblem::Stale) => "stale-key",
                Ok(key) => {
                    if auto.needs_seal(seen.vault_key.as_ref()) {
                        auto.reseal(&key, seen.vault_key.as_ref())
                            .map_err(|_| backup_error(&BackupError::Random))?;
                        storage::set(Area::Local, &[(AUTO_KEY, &auto.to_text())]).await?;
                    }
                    let bytes = auth.with_vault(|vault, _| {
                        let entries: Vec<ExportEntry<'_>> =
                            vault.accounts().iter().map(ExportEntry::from).collect();
                        BackupFile::seal_with_key(&entries, &key, now).map(Zeroizing::new)
                    })?;
                    let bytes = bytes.map_err(|e| backup_error(&e))?;
                    let file = Object::new();
                    set(&file, "bytes", &Uint8Array::from(&bytes[..]).into())?;
                    // Named by the local date, as the page's exports are (not UTC's: east of it,
                    // a morning backup carried yesterday's date).
                    let name = format!("{FOLDER}/{}", file_name(now, utc_offset_minutes));
                    set(&file, "fileName", &name.into())?;
                    set(&out, "file", &file.into())?;
                    set(&out, "revision", &(seen.revision as f64).into())?;
                    "now"
                }
            },
        };
        set(&out, "due", &due.into())?;
        Ok(out.into())
    })
}

/// `autoBackupDone(downloadId, revision, nowSeconds)`: records the automatic backup of the
/// vault at `revision` saved as download `downloadId` (and, when the vault is still at that
/// revision, as the last backup). Resolves to the download ids of older automatic backups to
/// delete (`chrome.downloads.removeFile`, then `erase`).
#[wasm_bindgen(js_name = autoBackupDone)]
pub fn auto_backup_done(download_id: f64, revision: f64, now_seconds: f64) -> Promise {
    future_to_promise(async move {
        let now = unix_seconds(now_seconds)?;
        let (download_id, revision) = (unix_seconds(download_id)?, unix_seconds(revision)?);
        let values = stored(&[AUTO_KEY, FACTS_KEY]).await?;
        let mut auto = AutoBackup::from_text(values.first().cloned().flatten().as_deref());
        let removed = auto.record(revision, now, download_id);
        let mut writes = vec![(AUTO_KEY, auto.to_text())];
        if let Ok(seen) = seen(&Authenticator::load().await?)
            && seen.revision == revision
        {
            let mut facts = BackupFacts::from_text(values.get(1).cloned().flatten().as_deref());
            facts.record(&seen.ids, revision, now);
            writes.push((FACTS_KEY, facts.to_text()));
        }
        let writes: Vec<(&str, &str)> = writes.iter().map(|(k, v)| (*k, v.as_str())).collect();
        storage::set(Area::Local, &writes).await?;
        Ok(removed
            .into_iter()
            .map(|id| JsValue::from(id as f64))
            .collect::<Array>()
            .into())
    })
}

/// `enableAutoBackup(auth, password, confirmation)`: turns the automatic backup on with a
/// backup password of its own (checked like any backup password; only the key derived from it
/// is kept, sealed under the vault key when the vault has a password). Rejects with
/// `backup.short-password`, `backup.password-mismatch` or `vault.locked`.
#[wasm_bindgen(js_name = enableAutoBackup)]
pub fn enable_auto_backup(auth: &Authenticator, password: String, confirmation: String) -> Promise {
    let (password, confirmation) = (Zeroizing::new(password), Zeroizing::new(confirmation));
    let prepared = check_password(&password, &confirmation)
        .map_err(|e| backup_error(&e))
        .and_then(|()| seen(auth))
        .and_then(|seen| {
            let key = VaultKey::create(&password, KdfParams::DEFAULT)
                .map_err(|_| backup_error(&BackupError::Random))?;
            AutoBackup::enable(&key, seen.vault_key.as_ref())
                .map_err(|_| backup_error(&BackupError::Random))
        });
    future_to_promise(async move {
        let mut auto = prepared?;
        let old = stored(&[AUTO_KEY]).await?;
        // Keep the list of files made before, so they are still rotated.
        auto.files = AutoBackup::from_text(old.first().cloned().flatten().as_deref()).files;
        storage::set(Area::Local, &[(AUTO_KEY, &auto.to_text())]).await?;
        Ok(JsValue::UNDEFINED)
    })
}

/// `disableAutoBackup()`: turns the automatic backup off and forgets its key; the files made
/// stay where they are.
#[wasm_bindgen(js_name = disableAutoBackup)]
pub fn disable_auto_backup() -> Promise {
    future_to_promise(async move {
        let old = stored(&[AUTO_KEY]).await?;
        let mut auto = AutoBackup::from_text(old.first().cloned().flatten().as_deref());
        auto.disable();
        storage::set(Area::Local, &[(AUTO_KEY, &auto.to_text())]).await?;
        Ok(JsValue::UNDEFINED)
    })
}

/// `autoBackupState(auth)`: `{enabled, last, problem}` for the page: `last` the time of the
/// last automatic backup (Unix seconds) or `null`, `problem` `null` or the code of what stops
/// it (`auto-backup.stale-key`: ask for the backup password again; `auto-backup.locked`).
#[wasm_bindgen(js_name = autoBackupState)]
pub fn auto_backup_state(auth: &Authenticator) -> Promise {
    let vault_key = seen(auth).ok().and_then(|s| s.vault_key);
    let locked = seen(auth).is_err();
    future_to_promise(async move {
        let old = stored(&[AUTO_KEY]).await?;
        let auto = AutoBackup::from_text(old.first().cloned().flatten().as_deref());
        let problem = match auto.backup_key(vault_key.as_ref()) {
            _ if !auto.enabled => None,
            Ok(_) => None,
            Err(_) if locked => Some(KeyProblem::Locked),
            Err(problem) => Some(problem),
        };
        let out = Object::new();
        set(&out, "enabled", &auto.enabled.into())?;
        set(
            &out,
            "last",
            &auto.last.map_or(JsValue::NULL, |t| (t as f64).into()),
        )?;
        set(
            &out,
            "problem",
            &problem.map_or(JsValue::NULL, |p| p.code().into()),
        )?;
        Ok(out.into())
    })
}
