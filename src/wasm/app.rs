//! `Authenticator`: the popup's and worker's handle on the stored vault.
//!
//! Reads come from `chrome.storage.local`; every change runs under the shared Web Lock as
//! read the fresh record → apply the change → write both generations, so changes made from
//! several windows at once are all kept. While unlocked, the derived key (never the password)
//! sits in `chrome.storage.session`, which the browser keeps in memory only.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Date, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use zeroize::Zeroizing;

use super::errors::{Coded, js_error};
use super::storage::{self, Area, VAULT_LOCK};
use super::{form_error, json_to_js, to_js};
use crate::account::{Account, AccountId, contains_all, fold_lowercase};
use crate::crypto::{CryptoError, KdfParams, VaultKey, check_new_password};
use crate::form::AccountForm;
use crate::otp::{Generator, millis_until_change, push_grouped};
use crate::store::{
    self, CURRENT_KEY, DAMAGED_KEY, Loaded, PREVIOUS_KEY, SESSION_KEY, State as Screen, Status,
    plain_bytes, stored_kdf,
};
use crate::vault::{AccountSummary, Edit, Vault, VaultError};

/// What the popup can show.
enum Phase {
    /// Accounts are available (possibly none).
    Ready {
        vault: Vault,
        prepared: Vec<Prepared>,
        sealed: bool,
        recovered_from: Option<VaultError>,
    },
    /// Password-protected and locked.
    Locked,
    /// The stored record cannot be read; nothing may be written.
    Damaged { error: VaultError, raw: String },
}

/// Per-account state computed once per load: the keyed generator and the folded search text.
struct Prepared {
    generator: Result<Generator, String>,
    search_text: String,
}

struct State {
    phase: Phase,
    /// The key the shown vault was opened with (for the damaged-data download).
    key: Option<VaultKey>,
    clock_offset_ms: f64,
}

/// The stored records and session key as read at one moment.
struct Snapshot {
    current: Option<String>,
    previous: Option<String>,
    key: Option<VaultKey>,
}

impl Snapshot {
    async fn read() -> Result<Self, JsValue> {
        let mut local = storage::get(Area::Local, &[CURRENT_KEY, PREVIOUS_KEY])
            .await?
            .into_iter();
        let session = storage::get(Area::Session, &[SESSION_KEY]).await?;
        Ok(Self {
            current: local.next().flatten(),
            previous: local.next().flatten(),
            key: session
                .into_iter()
                .flatten()
                .next()
                .and_then(|text| VaultKey::from_session_text(&text)),
        })
    }

    fn current(&self) -> Option<&[u8]> {
        self.current.as_deref().map(str::as_bytes)
    }

    fn previous(&self) -> Option<&[u8]> {
        self.previous.as_deref().map(str::as_bytes)
    }

    fn load(&self, key: Option<&VaultKey>) -> Loaded {
        store::load(self.current(), self.previous(), key)
    }

    fn into_state(self, clock_offset_ms: f64) -> State {
        let loaded = self.load(self.key.as_ref());
        let key = self.key;
        let phase = match loaded {
            Loaded::Empty => Phase::ready(Vault::new(), false, None),
            Loaded::Ready {
                vault,
                sealed,
                recovered_from,
            } => Phase::ready(vault, sealed, recovered_from),
            Loaded::Locked { .. } => Phase::Locked,
            // The session key opened these records before, so a failure now is damage.
            Loaded::Damaged {
                error: VaultError::Crypto(CryptoError::WrongPassword),
            } => Phase::Damaged {
                error: VaultError::Crypto(CryptoError::Malformed(
                    "they no longer open with the key that unlocked them".into(),
                )),
                raw: self.current.clone().unwrap_or_default(),
            },
            Loaded::Damaged { error } => Phase::Damaged {
                error,
                raw: self.current.unwrap_or_default(),
            },
        };
        State {
            phase,
            key,
            clock_offset_ms,
        }
    }
}

impl Phase {
    fn ready(vault: Vault, sealed: bool, recovered_from: Option<VaultError>) -> Self {
        let prepared = vault
            .accounts()
            .iter()
            .map(|account| Prepared {
                generator: account.generator().map_err(|e| e.to_string()),
                search_text: fold_for_search(&account.search_label()),
            })
            .collect();
        Self::Ready {
            vault,
            prepared,
            sealed,
            recovered_from,
        }
    }
}

/// The vault as the popup sees it.
#[wasm_bindgen]
pub struct Authenticator {
    state: Rc<RefCell<State>>,
}

/// How the vault should be protected after a change.
enum Protection {
    /// As it is now.
    Keep,
    /// With this new key (set or change password).
    Seal(VaultKey),
    /// Without a password.
    Plain,
}

/// Under the shared lock: reads the freshest records, applies `change` to the vault, and
/// writes both generations (and any record kept aside) in one storage call.
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
    let (mut vault, sealed) = match snapshot.load(old_key.as_ref()) {
        Loaded::Empty => (Vault::new(), false),
        Loaded::Ready { vault, sealed, .. } => (vault, sealed),
        Loaded::Locked { .. } => return Err(locked_error()),
        Loaded::Damaged { error } => return Err(error.to_js()),
    };
    if let Some(edit) = &edit {
        vault.apply(edit).map_err(|e| e.to_js())?;
    }
    let reprotect = !matches!(protection, Protection::Keep);
    let new_key = match protection {
        Protection::Keep if sealed => old_key.clone(),
        Protection::Keep | Protection::Plain => None,
        Protection::Seal(key) => Some(key),
    };
    let plan = store::commit(
        &vault,
        snapshot.current(),
        old_key.as_ref(),
        new_key.as_ref(),
    )
    .map_err(|e| e.to_js())?;
    let mut entries: Vec<(String, String)> = vec![(CURRENT_KEY.into(), utf8(&plan.current)?)];
    if let Some(previous) = &plan.previous {
        entries.push((PREVIOUS_KEY.into(), utf8(previous)?));
    }
    if let Some(damaged) = &plan.damaged {
        entries.push((
            format!("{DAMAGED_KEY}:{}", Date::now() as u64),
            utf8(damaged)?,
        ));
    }
    if reprotect {
        // Records kept aside follow the vault's protection: sealed with the new key, or plain.
        for (name, value) in storage::all_local().await? {
            if !name.starts_with(DAMAGED_KEY) {
                continue;
            }
            if let Ok(bytes) = plain_bytes(value.as_bytes(), old_key.as_ref()) {
                let protected = store::protect(&bytes, new_key.as_ref()).map_err(|e| e.to_js())?;
                entries.push((name, utf8(&protected)?));
            }
        }
    }
    let borrowed: Vec<(&str, &str)> = entries
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    storage::set(Area::Local, &borrowed).await?;
    match &new_key {
        Some(key) => storage::set(Area::Session, &[(SESSION_KEY, &key.to_session_text())]).await?,
        None => storage::remove_session(&[SESSION_KEY]).await?,
    }
    let mut state = state.borrow_mut();
    state.phase = Phase::ready(vault, new_key.is_some(), None);
    state.key = new_key;
    Ok(())
}

fn locked_error() -> JsValue {
    js_error(
        "vault.locked",
        None,
        "Your accounts are locked; unlock them with your password first.",
    )
}

/// Appends a number in decimal without the formatting machinery (hot path of `codes()`).
fn push_number(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    // ASCII digits only; one copy rather than a push per character.
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or_default());
}

fn utf8(bytes: &[u8]) -> Result<String, JsValue> {
    String::from_utf8(bytes.to_vec()).map_err(|e| js_error("internal", None, e))
}

/// The add form's fields from a plain JS object of strings (missing fields are empty).
///
/// Read field by field: through `serde-wasm-bindgen` the core's `Deserialize` for the form
/// adds 16.4 KB gzip to the module (its type-mismatch errors print floats), through JSON text
/// 1.4 KB (README, "JS API").
fn read_form(form: &JsValue) -> Result<AccountForm, JsValue> {
    Ok(AccountForm {
        issuer: text_field(form, "issuer")?,
        name: text_field(form, "name")?,
        secret: text_field(form, "secret")?,
        kind: text_field(form, "type")?,
        algorithm: text_field(form, "algorithm")?,
        digits: text_field(form, "digits")?,
        period: text_field(form, "period")?,
        counter: text_field(form, "counter")?,
    })
}

/// The string property `key` of a plain JS object: missing or `undefined` is empty; anything
/// else that is not a string is refused with `form.shape`.
fn text_field(object: &JsValue, key: &str) -> Result<String, JsValue> {
    let shape = || {
        js_error(
            "form.shape",
            None,
            format_args!("The form must be an object of text fields (`{key}` is not text)."),
        )
    };
    if !object.is_object() {
        return Err(shape());
    }
    let value = js_sys::Reflect::get(object, &JsValue::from_str(key))?;
    if value.is_undefined() {
        return Ok(String::new());
    }
    value.as_string().ok_or_else(shape)
}

/// [`crate::account::fold_for_search`] with the browser's lower-casing, so the module does not
/// carry Unicode's case tables (5 KB gzip) next to the browser's own.
fn fold_for_search(text: &str) -> String {
    let lower: String = js_sys::JsString::from(text).to_lower_case().into();
    fold_lowercase(&lower)
}

fn parse_id(id: &str) -> Result<AccountId, JsValue> {
    AccountId::parse(id).map_err(|e| e.to_js())
}

fn crypto_error(error: CryptoError) -> JsValue {
    VaultError::Crypto(error).to_js()
}

/// Derives the key for `password` from the stored records and checks it opens them.
async fn verify_password(password: &str) -> Result<VaultKey, JsValue> {
    let snapshot = Snapshot::read().await?;
    let kdf = stored_kdf(snapshot.current(), snapshot.previous())
        .ok_or_else(|| js_error("vault.not-protected", None, "No password is set."))?;
    let key = VaultKey::derive(password, &kdf).map_err(crypto_error)?;
    match snapshot.load(Some(&key)) {
        Loaded::Ready { .. } => Ok(key),
        Loaded::Locked { .. } => Err(crypto_error(CryptoError::WrongPassword)),
        Loaded::Damaged { error } => Err(error.to_js()),
        Loaded::Empty => Err(js_error("vault.not-protected", None, "No password is set.")),
    }
}

/// Every asynchronous operation of [`Authenticator`]. They share one future type, so the
/// module carries one copy of the promise machinery instead of one per method.
/// Passwords are zeroised in WASM memory once the operation is done.
enum Operation {
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
}

async fn perform(state: Rc<RefCell<State>>, operation: Operation) -> Result<JsValue, JsValue> {
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
            let key = VaultKey::create(&password, KdfParams::DEFAULT).map_err(crypto_error)?;
            transact(&state, None, Protection::Seal(key), None).await?;
            return Ok(JsValue::UNDEFINED);
        }
        Operation::ChangePassword {
            current,
            password,
            confirmation,
        } => {
            check_new_password(&password, &confirmation).map_err(crypto_error)?;
            let old_key = verify_password(&current).await?;
            let key = VaultKey::create(&password, KdfParams::DEFAULT).map_err(crypto_error)?;
            transact(&state, Some(old_key), Protection::Seal(key), None).await?;
            return Ok(JsValue::UNDEFINED);
        }
        Operation::RemovePassword { current } => {
            let old_key = verify_password(&current).await?;
            transact(&state, Some(old_key), Protection::Plain, None).await?;
            return Ok(JsValue::UNDEFINED);
        }
        Operation::Unlock { password } => {
            let key = verify_password(&password).await?;
            storage::set(Area::Session, &[(SESSION_KEY, &key.to_session_text())]).await?;
        }
        Operation::Lock => {
            storage::remove_session(&[SESSION_KEY]).await?;
            state.borrow_mut().forget();
            return Ok(JsValue::UNDEFINED);
        }
    }
    // Reload and Unlock: show what storage holds now.
    let offset = state.borrow().clock_offset_ms;
    let fresh = Snapshot::read().await?.into_state(offset);
    *state.borrow_mut() = fresh;
    Ok(JsValue::UNDEFINED)
}

#[wasm_bindgen]
impl Authenticator {
    /// Reads storage and returns a handle. Never writes.
    pub async fn load() -> Result<Authenticator, JsValue> {
        Ok(Self {
            state: Rc::new(RefCell::new(Snapshot::read().await?.into_state(0.0))),
        })
    }

    /// Reads storage again (after another window changed it, or the vault was locked).
    pub fn reload(&self) -> Promise {
        self.run(Operation::Reload)
    }

    fn run(&self, operation: Operation) -> Promise {
        future_to_promise(perform(self.state.clone(), operation))
    }

    /// `{state, protected, count, revision, problem, problemCode, recovered}`; `state` is
    /// `ready`, `locked` or `damaged`.
    pub fn status(&self) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let status = match &state.phase {
            Phase::Ready {
                vault,
                sealed,
                recovered_from,
                ..
            } => Status {
                state: Screen::Ready,
                protected: *sealed,
                count: vault.accounts().len(),
                revision: vault.revision as f64,
                problem: recovered_from.as_ref().map(ToString::to_string),
                problem_code: recovered_from.as_ref().map(Coded::code),
                recovered: recovered_from.is_some(),
            },
            Phase::Locked => Status {
                state: Screen::Locked,
                protected: true,
                count: 0,
                revision: 0.0,
                problem: None,
                problem_code: None,
                recovered: false,
            },
            Phase::Damaged { error, .. } => Status {
                state: Screen::Damaged,
                protected: false,
                count: 0,
                revision: 0.0,
                problem: Some(error.to_string()),
                problem_code: Some(error.code()),
                recovered: false,
            },
        };
        to_js(&status)
    }

    /// `[{id, issuer, account, type, algorithm, digits, period?, counter?}]` in display order.
    ///
    /// Through JSON text, not `serde-wasm-bindgen`: at 1,000 accounts one string and
    /// `JSON.parse` take 1.0–1.1 ms, an object per row 2.3–2.6 ms (README, "JS API").
    pub fn accounts(&self) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let rows: Vec<AccountSummary> = match &state.phase {
            Phase::Ready { vault, .. } => vault.accounts().iter().map(AccountSummary::of).collect(),
            _ => Vec::new(),
        };
        json_to_js(&rows)
    }

    /// Codes for every account now (device clock plus the clock offset), in the order of
    /// `accounts()`, as one line per account: `code \t display \t msLeft` (`display` is the code
    /// grouped for reading; `msLeft` is empty for HOTP).
    ///
    /// Plain text rather than objects: the popup calls this every second for every account;
    /// at 1,000 accounts the text takes 0.4 ms, objects through `serde-wasm-bindgen` 1.2–1.4 ms
    /// (README, "JS API").
    pub fn codes(&self) -> String {
        let state = self.state.borrow();
        let now_ms = (Date::now() + state.clock_offset_ms).max(0.0) as u64;
        let now = now_ms / 1000;
        let Phase::Ready {
            vault, prepared, ..
        } = &state.phase
        else {
            return String::new();
        };
        let mut text = String::with_capacity(vault.accounts().len() * 24);
        for (index, (account, prepared)) in vault.accounts().iter().zip(prepared).enumerate() {
            if index > 0 {
                text.push('\n');
            }
            if let Ok(generator) = &prepared.generator {
                let code = generator.code_value_at(now);
                text.push_str(code.as_str());
                text.push('\t');
                push_grouped(&mut text, code.as_str());
            } else {
                text.push('\t');
            }
            text.push('\t');
            if let Some(period) = account.params.period() {
                push_number(&mut text, millis_until_change(now_ms, period));
            }
        }
        text
    }

    /// Ids of the accounts whose issuer or name contains every word of `query`, ignoring case
    /// and accents, in display order.
    pub fn search(&self, query: &str) -> Vec<String> {
        let words: Vec<String> = fold_for_search(query)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let state = self.state.borrow();
        match &state.phase {
            Phase::Ready {
                vault, prepared, ..
            } => vault
                .accounts()
                .iter()
                .zip(prepared)
                .filter(|(_, p)| contains_all(&p.search_text, &words))
                .map(|(a, _)| a.id.as_str().to_owned())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Adds an account from the form's fields (`{issuer, name, secret, type, algorithm, digits,
    /// period, counter}`, all strings). Resolves to the new id; rejects with an `Error` whose
    /// `field` says where to show it. Nothing is stored unless the whole form is valid.
    pub fn add(&self, form: JsValue) -> Promise {
        match read_form(&form) {
            Ok(form) => self.run(Operation::Add(form)),
            Err(error) => Promise::reject(&error),
        }
    }

    /// Changes an account's issuer and name.
    pub fn rename(&self, id: &str, issuer: String, name: String) -> Promise {
        self.run(Operation::Edit(parse_id(id).map(|id| Edit::Rename {
            id,
            issuer,
            name,
        })))
    }

    /// Deletes an account.
    pub fn remove(&self, id: &str) -> Promise {
        self.run(Operation::Edit(parse_id(id).map(|id| Edit::Delete { id })))
    }

    /// Advances an HOTP account to its next code and stores the new counter.
    #[wasm_bindgen(js_name = nextCounter)]
    pub fn next_counter(&self, id: &str) -> Promise {
        self.run(Operation::Edit(
            parse_id(id).map(|id| Edit::NextCounter { id }),
        ))
    }

    /// Protects the vault with a new password (Argon2id, default parameters). Rejects with
    /// `code` `crypto.empty-password` or `crypto.mismatch` (field `password`/`confirm`).
    #[wasm_bindgen(js_name = setPassword)]
    pub fn set_password(&self, password: String, confirmation: String) -> Promise {
        self.run(Operation::SetPassword {
            password: Zeroizing::new(password),
            confirmation: Zeroizing::new(confirmation),
        })
    }

    /// Re-encrypts the vault under a new password, in one atomic write.
    #[wasm_bindgen(js_name = changePassword)]
    pub fn change_password(
        &self,
        current: String,
        password: String,
        confirmation: String,
    ) -> Promise {
        self.run(Operation::ChangePassword {
            current: Zeroizing::new(current),
            password: Zeroizing::new(password),
            confirmation: Zeroizing::new(confirmation),
        })
    }

    /// Removes password protection after checking the current password.
    #[wasm_bindgen(js_name = removePassword)]
    pub fn remove_password(&self, current: String) -> Promise {
        self.run(Operation::RemovePassword {
            current: Zeroizing::new(current),
        })
    }

    /// Unlocks with `password`: derives the key, opens the vault, keeps the key (not the
    /// password) in session storage. Rejects with "Wrong password" and changes nothing.
    pub fn unlock(&self, password: String) -> Promise {
        self.run(Operation::Unlock {
            password: Zeroizing::new(password),
        })
    }

    /// Locks now: forgets the session key everywhere and drops (zeroises) the decrypted vault.
    pub fn lock(&self) -> Promise {
        self.run(Operation::Lock)
    }

    /// Drops the decrypted vault and key from memory (after another window locked).
    pub fn forget(&self) {
        self.state.borrow_mut().forget();
    }

    /// The unreadable stored record, as stored, for the user to download; `undefined` unless
    /// the vault is damaged.
    #[wasm_bindgen(js_name = damagedRecord)]
    pub fn damaged_record(&self) -> Option<String> {
        match &self.state.borrow().phase {
            Phase::Damaged { raw, .. } => Some(raw.clone()),
            _ => None,
        }
    }

    /// Makes codes follow `device clock + offset_ms` (0 to use the device clock).
    #[wasm_bindgen(js_name = setClockOffset)]
    pub fn set_clock_offset(&self, offset_ms: f64) {
        self.state.borrow_mut().clock_offset_ms = if offset_ms.is_finite() {
            offset_ms
        } else {
            0.0
        };
    }
}

impl State {
    /// Replaces a decrypted vault by the locked phase; the dropped accounts, generators and
    /// key zeroise their key material.
    fn forget(&mut self) {
        if matches!(self.phase, Phase::Ready { sealed: true, .. }) {
            self.phase = Phase::Locked;
        }
        self.key = None;
    }
}

/// What the export and backup bindings (`super::transfer::export`, `…::backup_worker`) need.
#[cfg(feature = "transfer")]
impl Authenticator {
    /// Runs `f` on the vault shown now and the key it was opened with (`None` without a
    /// password). Fails with `vault.locked` while locked, and with the damage while the stored
    /// record cannot be read.
    pub(crate) fn with_vault<R>(
        &self,
        f: impl FnOnce(&Vault, Option<&VaultKey>) -> R,
    ) -> Result<R, JsValue> {
        let state = self.state.borrow();
        match &state.phase {
            Phase::Ready { vault, .. } => Ok(f(vault, state.key.as_ref())),
            Phase::Locked => Err(locked_error()),
            Phase::Damaged { error, .. } => Err(error.to_js()),
        }
    }
}
