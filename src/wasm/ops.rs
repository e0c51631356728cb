//! Every asynchronous operation of `Authenticator`, each a sequence of storage calls around a
//! decision of the core (`store::load`, `store::commit`). Every write runs under the shared Web
//! Lock: read the freshest records → apply the change → write, so changes made from several
//! windows at once are all kept, and a lock (Lock now, the auto-lock alarm, idle) that lands
//! while an edit is written is never undone: only a write that seals stores a key.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Date;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::api::form_error;
use super::errors::{ToJs, internal, refused};
use super::kdf::derive;
use super::snapshot::{Phase, Snapshot, State};
use super::storage::{self, Area, VAULT_LOCK};
use crate::account::{Account, AccountId};
use crate::coded::RequestError;
use crate::crypto::{CryptoError, KdfParams, VaultKey, check_new_password};
use crate::form::AccountForm;
use crate::store::{
    self, CURRENT_KEY, DAMAGED_KEY, GUARD_KEY, Loaded, PREVIOUS_KEY, SESSION_KEY, kept_aside_name,
};
use crate::vault::{Edit, VaultError};

/// How the vault should be protected after a change.
pub enum Protection {
    /// As it is now.
    Keep,
    /// Sealed with a first password: refused when the stored vault is already sealed (the
    /// stored record decides, not the form a stale popup still shows).
    Set(VaultKey),
    /// Sealed with a new key (change of password, or stronger key derivation).
    Change(VaultKey),
    /// Without a password.
    Plain,
}

/// Every asynchronous operation. They share one future type, so the module carries one copy of
/// the promise machinery instead of one per method. Passwords (already NFC) are zeroised in
/// WASM memory once the operation is done.
pub enum Operation {
    Reload,
    Add(AccountForm),
    Edit(Result<Edit, JsValue>),
    SetPassword {
        password: Zeroizing<String>,
        confirmation: Zeroizing<String>,
    },
    ChangePassword {
        current: Zeroizing<String>,
        password: Zeroizing<String>,
        confirmation: Zeroizing<String>,
    },
    RemovePassword {
        current: Zeroizing<String>,
    },
    Unlock {
        password: Zeroizing<String>,
    },
    Lock,
    /// Accounts chosen on the Import page, added in one write (`Edit::Import`).
    #[cfg(feature = "transfer")]
    Import(Vec<Account>),
}

/// Runs `operation`, resolving to its value (`undefined` for most).
pub async fn perform(state: Rc<RefCell<State>>, operation: Operation) -> Result<JsValue, JsValue> {
    match operation {
        Operation::Reload => {}
        Operation::Add(form) => {
            let draft = form.to_draft().map_err(|e| form_error(&e))?;
            let id = AccountId::random().map_err(|e| e.to_js())?;
            let account = Account::from_draft(draft, id.clone()).map_err(|e| e.to_js())?;
            transact(&state, None, Protection::Keep, Some(Edit::Add(account))).await?;
            return Ok(JsValue::from_str(id.as_str()));
        }
        Operation::Edit(edit) => {
            transact(&state, None, Protection::Keep, Some(edit?)).await?;
            return Ok(JsValue::UNDEFINED);
        }
        Operation::SetPassword {
            password,
            confirmation,
        } => {
            check_new_password(&password, &confirmation).map_err(crypto_error)?;
            let key = derive(&password, None).await?;
            transact(&state, None, Protection::Set(key), None).await?;
            return Ok(JsValue::UNDEFINED);
        }
        Operation::ChangePassword {
            current,
            password,
            confirmation,
        } => {
            check_new_password(&password, &confirmation).map_err(crypto_error)?;
            let old_key = verify_password(&current).await?;
            let key = derive(&password, None).await?;
            transact(&state, Some(old_key), Protection::Change(key), None).await?;
            return Ok(JsValue::UNDEFINED);
        }
        Operation::RemovePassword { current } => {
            let old_key = verify_password(&current).await?;
            transact(&state, Some(old_key), Protection::Plain, None).await?;
            return Ok(JsValue::UNDEFINED);
        }
        Operation::Unlock { password } => {
            let key = verify_password(&password).await?;
            let opens = matches!(
                Snapshot::read().await?.load(Some(&key)),
                Loaded::Ready { .. }
            );
            if opens && key.spec().params.weaker_than(&KdfParams::DEFAULT) {
                // Derived with weaker parameters than today's: re-seal with the defaults, both
                // generations in one write.
                let stronger = derive(&password, None).await?;
                transact(&state, Some(key), Protection::Change(stronger), None).await?;
            } else {
                let lock = storage::acquire(VAULT_LOCK).await?;
                let stored =
                    storage::set(Area::Session, &[(SESSION_KEY, &key.to_session_text())]).await;
                lock.release().await?;
                stored?;
            }
        }
        Operation::Lock => {
            let lock = storage::acquire(VAULT_LOCK).await?;
            let removed = storage::remove(Area::Session, &[SESSION_KEY]).await;
            lock.release().await?;
            removed?;
            state.borrow_mut().forget();
            super::kdf::prepare();
            return Ok(JsValue::UNDEFINED);
        }
        #[cfg(feature = "transfer")]
        Operation::Import(accounts) => {
            let ids: Vec<AccountId> = accounts.iter().map(|a| a.id.clone()).collect();
            transact(&state, None, Protection::Keep, Some(Edit::Import(accounts))).await?;
            // The ids are fresh, so those now stored are exactly the ones this write added.
            let added = state
                .borrow()
                .with_accounts(|stored| stored.iter().filter(|a| ids.contains(&a.id)).count())?;
            return Ok(JsValue::from(added as u32));
        }
    }
    // Reload and Unlock: show what storage holds now.
    let offset = state.borrow().clock_offset_ms;
    let fresh = super::app::warm(Snapshot::read().await?.into_state(offset));
    *state.borrow_mut() = fresh;
    Ok(JsValue::UNDEFINED)
}

fn crypto_error(error: CryptoError) -> JsValue {
    VaultError::Crypto(error).to_js()
}

pub(super) fn locked_error() -> JsValue {
    refused(RequestError::Locked)
}

/// Derives the key for `password` (in a worker) from the stored records and checks it is
/// theirs: "Wrong password" only when it is not, even if the records turn out damaged.
async fn verify_password(password: &str) -> Result<VaultKey, JsValue> {
    let snapshot = Snapshot::read().await?;
    let kdf = store::stored_kdf(&snapshot.generations)
        .ok_or_else(|| refused(RequestError::NotProtected))?;
    let key = derive(password, Some(&kdf)).await?;
    if store::key_matches(&snapshot.generations, &key) {
        Ok(key)
    } else {
        Err(crypto_error(CryptoError::WrongPassword))
    }
}

/// Under the shared lock: reads the freshest records, applies `edit`, and writes both
/// generations, the guard and any value kept aside in one storage call.
async fn transact(
    state: &Rc<RefCell<State>>,
    old_key: Option<VaultKey>,
    protection: Protection,
    edit: Option<Edit>,
) -> Result<(), JsValue> {
    let lock = storage::acquire(VAULT_LOCK).await?;
    let result = write_change(state, old_key, protection, edit).await;
    lock.release().await?;
    result
}

async fn write_change(
    state: &Rc<RefCell<State>>,
    old_key: Option<VaultKey>,
    protection: Protection,
    edit: Option<Edit>,
) -> Result<(), JsValue> {
    let snapshot = Snapshot::read().await?;
    let old_key = old_key.or_else(|| snapshot.key.clone());
    let (basis, sealed) = match snapshot.load(old_key.as_ref()) {
        Loaded::Empty => (None, false),
        Loaded::Ready { vault, sealed, .. } => (Some(vault), sealed),
        Loaded::Locked { .. } => return Err(locked_error()),
        Loaded::Damaged { error } => return Err(error.to_js()),
    };
    if sealed && matches!(protection, Protection::Set(_)) {
        return Err(VaultError::AlreadyProtected.to_js());
    }
    let mut vault = basis.clone().unwrap_or_default();
    if let Some(edit) = &edit {
        vault.apply(edit).map_err(|e| e.to_js())?;
    }
    let reprotect = !matches!(protection, Protection::Keep);
    let (new_key, stores_key) = match protection {
        Protection::Keep if sealed => (old_key.clone(), false),
        Protection::Keep | Protection::Plain => (None, false),
        Protection::Set(key) | Protection::Change(key) => (Some(key), true),
    };
    let plan = store::commit(
        &snapshot.generations,
        old_key.as_ref(),
        snapshot.guard,
        basis.as_ref(),
        &mut vault,
        new_key.as_ref(),
    )
    .map_err(|e| e.to_js())?;
    let now = Date::now() as u64;
    let mut entries: Vec<(String, String)> = vec![
        (CURRENT_KEY.into(), utf8(plan.current)?),
        (GUARD_KEY.into(), plan.guard.to_json()),
    ];
    if let Some(previous) = plan.previous {
        entries.push((PREVIOUS_KEY.into(), utf8(previous)?));
    }
    for (from, bytes) in plan.aside {
        entries.push((kept_aside_name(now, from), utf8(bytes)?));
    }
    if reprotect {
        // Records kept aside follow the vault's protection: sealed with the new key, or plain.
        for (name, value) in storage::local_with_prefix(DAMAGED_KEY).await? {
            let Some(raw) = value.raw() else { continue };
            let rewritten = store::reprotect(raw.as_bytes(), old_key.as_ref(), new_key.as_ref())
                .map_err(|e| e.to_js())?;
            if let Some(bytes) = rewritten {
                entries.push((name, utf8(bytes)?));
            }
        }
    }
    let entries: Vec<(&str, &str)> = entries
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let guard = plan.guard.to_json();
    if new_key.is_none() && sealed {
        // Removing the password: forget the key and say "plain" in memory first, so no other
        // window reads the plain records as a downgrade of sealed ones.
        storage::remove(Area::Session, &[SESSION_KEY]).await?;
        storage::set(Area::Session, &[(GUARD_KEY, &guard)]).await?;
        storage::set(Area::Local, &entries).await?;
    } else {
        storage::set(Area::Local, &entries).await?;
        match (&new_key, stores_key) {
            (Some(key), true) => {
                let text = key.to_session_text();
                storage::set(Area::Session, &[(SESSION_KEY, &text), (GUARD_KEY, &guard)]).await?;
            }
            _ => storage::set(Area::Session, &[(GUARD_KEY, &guard)]).await?,
        }
    }
    let mut state = state.borrow_mut();
    state.phase = Phase::ready(vault, new_key.is_some(), None);
    state.key = new_key;
    Ok(())
}

fn utf8(bytes: Vec<u8>) -> Result<String, JsValue> {
    String::from_utf8(bytes).map_err(internal)
}
