//! What storage holds at one moment (both generations, both guards, the session key), and what
//! the popup shows from it.

use wasm_bindgen::prelude::*;

use super::storage::{self, Area};
use crate::account::{Account, fold_lowercase};
use crate::crypto::{CryptoError, VaultKey};
use crate::otp::Generator;
use crate::store::{
    self, CURRENT_KEY, GUARD_KEY, Generations, Guard, Loaded, PREVIOUS_KEY, SESSION_KEY, Stored,
};
use crate::vault::{Vault, VaultError};

/// The stored records, guards and session key as read at one moment.
pub struct Snapshot {
    pub generations: Generations,
    /// The local and session guards, merged.
    pub guard: Guard,
    pub key: Option<VaultKey>,
}

impl Snapshot {
    /// Reads the records and the local guard in one call, the key and session guard in another.
    pub async fn read() -> Result<Self, JsValue> {
        let mut local = storage::get(Area::Local, &[CURRENT_KEY, PREVIOUS_KEY, GUARD_KEY])
            .await?
            .into_iter();
        let mut session = storage::get(Area::Session, &[SESSION_KEY, GUARD_KEY])
            .await?
            .into_iter();
        let next =
            |values: &mut std::vec::IntoIter<Stored>| values.next().unwrap_or(Stored::Missing);
        let current = next(&mut local);
        let previous = next(&mut local);
        let local_guard = Guard::read(&next(&mut local));
        let key = match next(&mut session) {
            Stored::Text(text) => VaultKey::from_session_text(&text),
            _ => None,
        };
        let session_guard = Guard::read(&next(&mut session));
        Ok(Self {
            generations: Generations { current, previous },
            guard: local_guard.merge(session_guard),
            key,
        })
    }

    /// Reads the generations with `key`.
    pub fn load(&self, key: Option<&VaultKey>) -> Loaded {
        store::load(&self.generations, key, self.guard)
    }

    /// The value to offer for download when nothing can be read: the current one as stored,
    /// else the previous one.
    fn raw(&self) -> String {
        let Generations { current, previous } = &self.generations;
        current
            .raw()
            .or(previous.raw())
            .unwrap_or_default()
            .to_owned()
    }

    /// What the popup shows.
    pub fn into_state(self, clock_offset_ms: f64) -> State {
        let phase = match self.load(self.key.as_ref()) {
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
            } if self.key.is_some() => Phase::Damaged {
                error: VaultError::Crypto(CryptoError::Altered),
                raw: self.raw(),
            },
            Loaded::Damaged { error } => Phase::Damaged {
                error,
                raw: self.raw(),
            },
        };
        State {
            phase,
            key: self.key,
            clock_offset_ms,
        }
    }
}

/// What the popup can show.
pub enum Phase {
    /// Accounts are available (possibly none).
    Ready {
        vault: Vault,
        prepared: Vec<Prepared>,
        sealed: bool,
        recovered_from: Option<VaultError>,
    },
    /// Password-protected and locked.
    Locked,
    /// The stored records cannot be used; nothing may be written.
    Damaged { error: VaultError, raw: String },
}

/// Per-account state computed once per load: the keyed generator (none when the stored
/// parameters cannot make codes) and the folded search text.
pub struct Prepared {
    pub generator: Option<Generator>,
    pub search_text: String,
}

impl Phase {
    pub fn ready(vault: Vault, sealed: bool, recovered_from: Option<VaultError>) -> Self {
        let prepared = vault.accounts().iter().map(Prepared::of).collect();
        Self::Ready {
            vault,
            prepared,
            sealed,
            recovered_from,
        }
    }
}

impl Prepared {
    fn of(account: &Account) -> Self {
        Self {
            generator: account.generator().ok(),
            search_text: fold_for_search(&account.search_label()),
        }
    }
}

/// The popup's view of the vault.
pub struct State {
    pub phase: Phase,
    /// The key the shown vault was opened with (for downloads of sealed records).
    pub key: Option<VaultKey>,
    pub clock_offset_ms: f64,
}

impl State {
    /// Replaces a decrypted vault by the locked phase; the dropped accounts, generators and
    /// key zeroise their key material.
    pub fn forget(&mut self) {
        if matches!(self.phase, Phase::Ready { sealed: true, .. }) {
            self.phase = Phase::Locked;
        }
        self.key = None;
    }

    /// See `Authenticator::with_accounts` (the Import and export page's bindings).
    #[cfg(feature = "transfer")]
    pub fn with_accounts<R>(&self, f: impl FnOnce(&[Account]) -> R) -> Result<R, JsValue> {
        match &self.phase {
            Phase::Ready { vault, .. } => Ok(f(vault.accounts())),
            Phase::Locked => Err(super::ops::locked_error()),
            Phase::Damaged { error, .. } => Err(super::errors::ToJs::to_js(error)),
        }
    }
}

/// [`crate::account::fold_for_search`] with the browser's lower-casing, so the module does not
/// carry Unicode's case tables (5 KB gzip) next to the browser's own.
pub fn fold_for_search(text: &str) -> String {
    let lower: String = js_sys::JsString::from(text).to_lower_case().into();
    fold_lowercase(&lower)
}
