//! `Authenticator`: the popup's and worker's handle on the stored vault.
//!
//! Reads come from `chrome.storage.local`; every change runs under the shared Web Lock (see
//! `ops`). While unlocked, the derived key (never the password) sits in
//! `chrome.storage.session`, which the browser keeps in memory only.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Date, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use zeroize::Zeroizing;

use super::api::json_to_js;
use super::errors::{ToJs, refused};
use super::kdf::nfc;
use super::ops::{Operation, perform};
use super::snapshot::{Phase, Snapshot, State, fold_for_search};
use super::to_js;
use crate::account::{AccountId, contains_all};
use crate::coded::{Coded, RequestError};
use crate::form::AccountForm;
use crate::otp::{millis_until_change, push_grouped};
use crate::store::{State as Screen, Status};
use crate::vault::{AccountSummary, Edit};

/// The vault as the popup sees it.
#[wasm_bindgen]
pub struct Authenticator {
    state: Rc<RefCell<State>>,
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
    let shape = || refused(RequestError::FormShape);
    if !object.is_object() {
        return Err(shape());
    }
    let value = js_sys::Reflect::get(object, &JsValue::from_str(key))?;
    if value.is_undefined() {
        return Ok(String::new());
    }
    value.as_string().ok_or_else(shape)
}

fn parse_id(id: &str) -> Result<AccountId, JsValue> {
    AccountId::parse(id).map_err(|e| e.to_js())
}

#[wasm_bindgen]
impl Authenticator {
    /// Reads storage and returns a handle. Never writes.
    pub async fn load() -> Result<Authenticator, JsValue> {
        Ok(Self {
            state: Rc::new(RefCell::new(warm(Snapshot::read().await?.into_state(0.0)))),
        })
    }

    /// Reads storage again (after another window changed it, or the vault was locked).
    pub fn reload(&self) -> Promise {
        self.run(Operation::Reload)
    }

    pub(super) fn run(&self, operation: Operation) -> Promise {
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
                problem: recovered_from.as_ref().map(Coded::report),
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
                problem: Some(error.report()),
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
            if let Some(generator) = &prepared.generator {
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
            password: secret(password),
            confirmation: secret(confirmation),
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
            current: secret(current),
            password: secret(password),
            confirmation: secret(confirmation),
        })
    }

    /// Removes password protection after checking the current password.
    #[wasm_bindgen(js_name = removePassword)]
    pub fn remove_password(&self, current: String) -> Promise {
        self.run(Operation::RemovePassword {
            current: secret(current),
        })
    }

    /// Unlocks with `password`: derives the key, opens the vault, keeps the key (not the
    /// password) in session storage. Rejects with "Wrong password" and changes nothing.
    pub fn unlock(&self, password: String) -> Promise {
        self.run(Operation::Unlock {
            password: secret(password),
        })
    }

    /// Locks now: forgets the session key everywhere and drops (zeroises) the decrypted vault.
    pub fn lock(&self) -> Promise {
        self.run(Operation::Lock)
    }

    /// Drops the decrypted vault and key from memory (after another window locked).
    pub fn forget(&self) {
        self.state.borrow_mut().forget();
        if matches!(self.state.borrow().phase, Phase::Locked) {
            super::kdf::prepare();
        }
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

/// While the lock screen shows, the key-derivation worker loads (see `kdf::prepare`).
pub(super) fn warm(state: State) -> State {
    if matches!(state.phase, Phase::Locked) {
        super::kdf::prepare();
    }
    state
}

/// A password from a form field: NFC, zeroised when dropped (the JS string cannot be).
fn secret(text: String) -> Zeroizing<String> {
    let text = Zeroizing::new(text);
    nfc(&text)
}

/// What the Import and export page's bindings and the worker's backup check (`super::transfer`)
/// need of the vault.
#[cfg(feature = "transfer")]
impl Authenticator {
    /// Runs `f` on the accounts stored now. Fails with `vault.locked` while locked, and with
    /// the damage while the stored record cannot be read (nothing may be imported then).
    pub(crate) fn with_accounts<R>(
        &self,
        f: impl FnOnce(&[crate::account::Account]) -> R,
    ) -> Result<R, JsValue> {
        self.state.borrow().with_accounts(f)
    }

    /// Adds `accounts` in one vault write, under the shared lock, sealed as the vault is;
    /// resolves to how many were added (identical ones are left out), or rejects and changes
    /// nothing stored.
    pub(crate) fn import_accounts(&self, accounts: Vec<crate::account::Account>) -> Promise {
        self.run(Operation::Import(accounts))
    }

    /// Runs `f` on the vault shown now and the key it was opened with (`None` without a
    /// password). Fails with `vault.locked` while locked, and with the damage while the stored
    /// record cannot be read.
    pub(crate) fn with_vault<R>(
        &self,
        f: impl FnOnce(&crate::vault::Vault, Option<&crate::crypto::VaultKey>) -> R,
    ) -> Result<R, JsValue> {
        let state = self.state.borrow();
        match &state.phase {
            Phase::Ready { vault, .. } => Ok(f(vault, state.key.as_ref())),
            Phase::Locked => Err(super::ops::locked_error()),
            Phase::Damaged { error, .. } => Err(error.to_js()),
        }
    }
}
