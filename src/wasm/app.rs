//! `Authenticator`: the popup's and worker's handle on the stored vault.
//!
//! Reads come from `chrome.storage.local`; every change runs under the shared Web Lock as
//! read fresh record → apply the edit → write both generations, so changes made from several
//! windows at once are all kept.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Date, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::errors::{Coded, js_error};
use super::storage::{self, Area, VAULT_LOCK};
use super::{AccountInfo, form_error, to_js};
use crate::account::{Account, AccountId, fold_for_search};
use crate::form::AccountForm;
use crate::otp::{Generator, OtpKind, group_for_display, millis_until_change};
use crate::store::{self, CURRENT_KEY, DAMAGED_KEY, Loaded, PREVIOUS_KEY};
use crate::vault::{Edit, Vault, VaultError};

/// What the popup can show.
enum Phase {
    /// Accounts are available (possibly none).
    Ready {
        vault: Vault,
        prepared: Vec<Prepared>,
        recovered_from: Option<VaultError>,
    },
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
    clock_offset_ms: f64,
}

impl State {
    fn ready(vault: Vault, recovered_from: Option<VaultError>) -> Self {
        let prepared = vault
            .accounts()
            .iter()
            .map(|account| Prepared {
                generator: account.generator().map_err(|e| e.to_string()),
                search_text: account.search_text(),
            })
            .collect();
        Self {
            phase: Phase::Ready {
                vault,
                prepared,
                recovered_from,
            },
            clock_offset_ms: 0.0,
        }
    }
}

/// The vault as the popup sees it.
#[wasm_bindgen]
pub struct Authenticator {
    state: Rc<RefCell<State>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    /// `ready` or `damaged`.
    state: &'static str,
    /// Number of accounts.
    count: usize,
    /// Revision of the vault shown.
    revision: u64,
    /// Why the stored record could not be read (damaged, or recovered from the previous one).
    problem: Option<String>,
    problem_code: Option<&'static str>,
    /// True when the previous generation is in use.
    recovered: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountRow<'a> {
    id: &'a str,
    #[serde(flatten)]
    info: AccountInfo<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeRow<'a> {
    id: &'a str,
    /// The code to copy.
    code: String,
    /// The code grouped for reading.
    display: String,
    /// The code after this one.
    next: String,
    /// Milliseconds until the code changes (`null` for HOTP).
    ms_left: Option<u64>,
}

async fn read_stored() -> Result<(Option<String>, Option<String>), JsValue> {
    let values = storage::get(Area::Local, &[CURRENT_KEY, PREVIOUS_KEY]).await?;
    let mut values = values.into_iter();
    Ok((values.next().flatten(), values.next().flatten()))
}

async fn load_state() -> Result<State, JsValue> {
    let (current, previous) = read_stored().await?;
    Ok(
        match store::load(
            current.as_deref().map(str::as_bytes),
            previous.as_deref().map(str::as_bytes),
        ) {
            Loaded::Empty => State::ready(Vault::new(), None),
            Loaded::Ready {
                vault,
                recovered_from,
            } => State::ready(vault, recovered_from),
            Loaded::Damaged { error } => State {
                phase: Phase::Damaged {
                    error,
                    raw: current.unwrap_or_default(),
                },
                clock_offset_ms: 0.0,
            },
        },
    )
}

/// Applies `edit` to the freshest stored vault under the shared lock and writes it back.
async fn transact(state: Rc<RefCell<State>>, edit: Edit) -> Result<(), JsValue> {
    let lock = storage::acquire(VAULT_LOCK).await?;
    let result = write_edit(&state, &edit).await;
    lock.release().await?;
    result
}

async fn write_edit(state: &Rc<RefCell<State>>, edit: &Edit) -> Result<(), JsValue> {
    let (current, previous) = read_stored().await?;
    let current_bytes = current.as_deref().map(str::as_bytes);
    let mut vault = match store::load(current_bytes, previous.as_deref().map(str::as_bytes)) {
        Loaded::Empty => Vault::new(),
        Loaded::Ready { vault, .. } => vault,
        Loaded::Damaged { error } => return Err(error.to_js()),
    };
    vault.apply(edit).map_err(|e| e.to_js())?;
    let plan = store::commit(&vault, current_bytes);
    let current_text = utf8(&plan.current)?;
    let previous_text = plan.previous.as_deref().map(utf8).transpose()?;
    let damaged_text = plan.damaged.as_deref().map(utf8).transpose()?;
    let damaged_key = format!("{DAMAGED_KEY}:{}", Date::now() as u64);
    let mut entries = vec![(CURRENT_KEY, current_text.as_str())];
    if let Some(text) = &previous_text {
        entries.push((PREVIOUS_KEY, text));
    }
    if let Some(text) = &damaged_text {
        entries.push((damaged_key.as_str(), text));
    }
    storage::set(Area::Local, &entries).await?;
    let offset = state.borrow().clock_offset_ms;
    let mut fresh = State::ready(vault, None);
    fresh.clock_offset_ms = offset;
    *state.borrow_mut() = fresh;
    Ok(())
}

fn utf8(bytes: &[u8]) -> Result<String, JsValue> {
    String::from_utf8(bytes.to_vec()).map_err(|e| js_error("internal", None, e))
}

fn parse_id(id: &str) -> Result<AccountId, JsValue> {
    AccountId::parse(id).map_err(|e| e.to_js())
}

#[wasm_bindgen]
impl Authenticator {
    /// Reads storage and returns a handle. Never writes.
    pub async fn load() -> Result<Authenticator, JsValue> {
        Ok(Self {
            state: Rc::new(RefCell::new(load_state().await?)),
        })
    }

    /// Reads storage again (after another window changed it).
    pub fn reload(&self) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let mut fresh = load_state().await?;
            fresh.clock_offset_ms = state.borrow().clock_offset_ms;
            *state.borrow_mut() = fresh;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `{state, count, revision, problem, problemCode, recovered}`.
    pub fn status(&self) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let status = match &state.phase {
            Phase::Ready {
                vault,
                recovered_from,
                ..
            } => Status {
                state: "ready",
                count: vault.accounts().len(),
                revision: vault.revision,
                problem: recovered_from.as_ref().map(ToString::to_string),
                problem_code: recovered_from.as_ref().map(Coded::code),
                recovered: recovered_from.is_some(),
            },
            Phase::Damaged { error, .. } => Status {
                state: "damaged",
                count: 0,
                revision: 0,
                problem: Some(error.to_string()),
                problem_code: Some(error.code()),
                recovered: false,
            },
        };
        to_js(&status)
    }

    /// `[{id, issuer, account, type, algorithm, digits, period?, counter?}]` in display order.
    pub fn accounts(&self) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let rows: Vec<AccountRow<'_>> = match &state.phase {
            Phase::Ready { vault, .. } => vault
                .accounts()
                .iter()
                .map(|a: &Account| AccountRow {
                    id: a.id.as_str(),
                    info: AccountInfo::new(&a.issuer, &a.name, a.params),
                })
                .collect(),
            Phase::Damaged { .. } => Vec::new(),
        };
        to_js(&rows)
    }

    /// Codes for every account now (device clock plus the clock offset):
    /// `[{id, code, display, next, msLeft}]`.
    pub fn codes(&self) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let now_ms = (Date::now() + state.clock_offset_ms).max(0.0) as u64;
        let now = now_ms / 1000;
        let rows: Vec<CodeRow<'_>> = match &state.phase {
            Phase::Ready {
                vault, prepared, ..
            } => vault
                .accounts()
                .iter()
                .zip(prepared)
                .map(|(account, prepared)| {
                    let (code, next) = match &prepared.generator {
                        Ok(generator) => (generator.code_at(now), generator.next_code_at(now)),
                        Err(_) => (String::new(), String::new()),
                    };
                    let ms_left = match account.params.kind {
                        OtpKind::Hotp { .. } => None,
                        _ => account
                            .params
                            .period()
                            .map(|period| millis_until_change(now_ms, period)),
                    };
                    CodeRow {
                        id: account.id.as_str(),
                        display: group_for_display(&code),
                        code,
                        next,
                        ms_left,
                    }
                })
                .collect(),
            Phase::Damaged { .. } => Vec::new(),
        };
        to_js(&rows)
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
                .filter(|(_, p)| words.iter().all(|w| p.search_text.contains(w.as_str())))
                .map(|(a, _)| a.id.as_str().to_owned())
                .collect(),
            Phase::Damaged { .. } => Vec::new(),
        }
    }

    /// Adds an account from the form's fields (`{issuer, name, secret, type, algorithm, digits,
    /// period, counter}`, all strings). Resolves to the new id; rejects with an `Error` whose
    /// `field` says where to show it. Nothing is stored unless the whole form is valid.
    pub fn add(&self, form: JsValue) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let form: AccountForm = serde_wasm_bindgen::from_value(form)
                .map_err(|e| js_error("form.shape", None, e))?;
            let draft = form.to_draft().map_err(|e| form_error(&e))?;
            let id = AccountId::random().map_err(|e| e.to_js())?;
            let account = Account::from_draft(draft, id.clone()).map_err(|e| e.to_js())?;
            transact(state, Edit::Add(account)).await?;
            Ok(JsValue::from_str(id.as_str()))
        })
    }

    /// Changes an account's issuer and name.
    pub fn rename(&self, id: &str, issuer: String, name: String) -> Promise {
        let state = self.state.clone();
        let id = parse_id(id);
        future_to_promise(async move {
            transact(
                state,
                Edit::Rename {
                    id: id?,
                    issuer,
                    name,
                },
            )
            .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Deletes an account.
    pub fn remove(&self, id: &str) -> Promise {
        let state = self.state.clone();
        let id = parse_id(id);
        future_to_promise(async move {
            transact(state, Edit::Delete { id: id? }).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Advances an HOTP account to its next code and stores the new counter.
    #[wasm_bindgen(js_name = nextCounter)]
    pub fn next_counter(&self, id: &str) -> Promise {
        let state = self.state.clone();
        let id = parse_id(id);
        future_to_promise(async move {
            transact(state, Edit::NextCounter { id: id? }).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The unreadable stored record, exactly as stored, for the user to download; `undefined`
    /// unless the vault is damaged.
    #[wasm_bindgen(js_name = damagedRecord)]
    pub fn damaged_record(&self) -> Option<String> {
        match &self.state.borrow().phase {
            Phase::Damaged { raw, .. } => Some(raw.clone()),
            Phase::Ready { .. } => None,
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
