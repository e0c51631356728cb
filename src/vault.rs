//! The vault: every account, with a revision, and its versioned serialised form.
//!
//! Storage is bytes in, bytes out: [`Vault::to_bytes`] and [`Vault::from_bytes`]. The form is
//! JSON with `"schema": 1`; a record from a newer schema is refused, never rewritten.

mod error;
mod summary;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::account::{Account, AccountDraft, AccountId};
use crate::otp::{Algorithm, OtpKind, OtpParams};
use crate::secret::Secret;

pub use error::{StoredProblem, VaultError};
pub use summary::AccountSummary;

/// The schema this build writes.
pub const SCHEMA: u32 = 1;

/// Most accounts one vault holds.
pub const MAX_ACCOUNTS: usize = 10_000;

/// One change to the vault. Changes are replayable: applying one to a newer vault than it was
/// made against either succeeds with the same meaning or fails with a clear error.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Add an account (refused if an identical one exists).
    Add(Account),
    /// Change an account's issuer and name.
    Rename {
        /// Which account.
        id: AccountId,
        /// New issuer.
        issuer: String,
        /// New account name.
        name: String,
    },
    /// Remove an account.
    Delete {
        /// Which account.
        id: AccountId,
    },
    /// Advance an HOTP account's counter by one.
    NextCounter {
        /// Which account.
        id: AccountId,
    },
    /// Add several accounts in one change (one revision): an import from another app. An
    /// account identical to one already present (same id, or same issuer, name and key, as for
    /// [`Edit::Add`]) or to an earlier one of the list is left out rather than refused, so an
    /// import replayed on a vault that already holds part of it adds only the rest.
    ///
    /// Only the Import page's module has it (the `transfer` feature): present but unused in
    /// the popup's module, it added 196 B gzip there.
    #[cfg(feature = "transfer")]
    Import(Vec<Account>),
}

/// All accounts, in display order, and a revision that grows by one on every change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vault {
    /// Incremented by every applied [`Edit`]; used for compare-and-swap writes.
    pub revision: u64,
    accounts: Vec<Account>,
}

impl Vault {
    /// An empty vault at revision 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// The accounts, in display order.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// The account with `id`, if present.
    pub fn get(&self, id: &AccountId) -> Option<&Account> {
        self.accounts.iter().find(|a| &a.id == id)
    }

    /// Applies one change and increments the revision; on error nothing changes.
    ///
    /// # Errors
    /// [`VaultError`] when the account is missing, a duplicate, not HOTP, or the new labels are
    /// invalid.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), VaultError> {
        match edit {
            Edit::Add(account) => {
                if self.accounts.len() >= MAX_ACCOUNTS {
                    return Err(VaultError::Full);
                }
                if self.accounts.iter().any(|a| identical(a, account)) {
                    return Err(VaultError::Duplicate);
                }
                self.accounts.push(account.clone());
            }
            #[cfg(feature = "transfer")]
            Edit::Import(accounts) => self.import(accounts)?,
            Edit::Rename { id, issuer, name } => self.find_mut(id)?.rename(issuer, name)?,
            Edit::Delete { id } => {
                let before = self.accounts.len();
                self.accounts.retain(|a| &a.id != id);
                if self.accounts.len() == before {
                    return Err(VaultError::NoSuchAccount);
                }
            }
            Edit::NextCounter { id } => {
                let account = self.find_mut(id)?;
                match &mut account.params.kind {
                    OtpKind::Hotp { counter } => *counter = counter.saturating_add(1),
                    _ => return Err(VaultError::NotHotp),
                }
            }
        }
        self.revision = self.revision.saturating_add(1);
        Ok(())
    }

    /// [`Edit::Import`]: every account not identical to one present or earlier in the list,
    /// added in order; [`VaultError::Full`] (and nothing added) past [`MAX_ACCOUNTS`].
    #[cfg(feature = "transfer")]
    fn import(&mut self, accounts: &[Account]) -> Result<(), VaultError> {
        let stored = self.accounts.len();
        let mut added: Vec<Account> = Vec::new();
        for account in accounts {
            let present = |a: &Account| identical(a, account);
            if !self.accounts.iter().any(present) && !added.iter().any(present) {
                added.push(account.clone());
            }
        }
        if stored + added.len() > MAX_ACCOUNTS {
            return Err(VaultError::Full);
        }
        self.accounts.extend(added);
        Ok(())
    }

    fn find_mut(&mut self, id: &AccountId) -> Result<&mut Account, VaultError> {
        self.accounts
            .iter_mut()
            .find(|a| &a.id == id)
            .ok_or(VaultError::NoSuchAccount)
    }

    /// Serialises to the stored form (`"schema": 1` JSON). The bytes contain the keys, so they
    /// are zeroised when dropped.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let record = Record {
            schema: u64::from(SCHEMA),
            revision: self.revision,
            accounts: self.accounts.iter().map(StoredAccount::from).collect(),
        };
        // Serialising plain strings and numbers cannot fail; an empty result would be refused
        // by `from_bytes` rather than silently accepted.
        Zeroizing::new(serde_json_wasm::to_vec(&record).unwrap_or_default())
    }

    /// Parses the stored form.
    ///
    /// # Errors
    /// [`VaultError::Corrupt`] for anything that is not a vault record,
    /// [`VaultError::FutureSchema`] for a newer schema, [`VaultError::BadAccount`] naming the
    /// first damaged account.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VaultError> {
        match record_schema(bytes)? {
            Some(1) => {}
            Some(found) if found > u64::from(SCHEMA) => {
                return Err(VaultError::FutureSchema { found });
            }
            Some(_) => {
                return Err(VaultError::Corrupt("its format number is unknown"));
            }
            None => return Err(VaultError::Corrupt("no format number")),
        }
        Self::from_schema_1(bytes)
    }

    /// Parses a record whose `schema` was already read as 1 (a reader that looked at it first
    /// does not read 200 KB twice).
    ///
    /// # Errors
    /// As [`Vault::from_bytes`], but the format number is not checked again.
    pub(crate) fn from_schema_1(bytes: &[u8]) -> Result<Self, VaultError> {
        let record: Record = serde_json_wasm::from_slice(bytes)
            .map_err(|_| VaultError::Corrupt("not a vault record"))?;
        if record.accounts.len() > MAX_ACCOUNTS {
            return Err(VaultError::Corrupt("too many accounts"));
        }
        let repeated = first_repeated_id(&record.accounts);
        let mut accounts: Vec<Account> = Vec::with_capacity(record.accounts.len());
        for (index, stored) in record.accounts.into_iter().enumerate() {
            let bad = |reason: StoredProblem| VaultError::BadAccount {
                position: index + 1,
                reason,
            };
            let account = stored.into_account().map_err(bad)?;
            // Reported where it is met: a damaged account before it is named first.
            if repeated == Some(index) {
                return Err(bad(StoredProblem::DuplicateId));
            }
            accounts.push(account);
        }
        Ok(Self {
            revision: record.revision,
            accounts,
        })
    }
}

/// The position of the first stored account whose id an earlier one already has. The ids seen
/// are kept sorted and searched by halves instead of comparing every pair: a vault of 1,000
/// accounts took 10 ms to read natively with the pairs (half a million string comparisons),
/// and every popup open reads it. (A sort or a set costs the popup's module 2 KB gzip more.)
fn first_repeated_id(accounts: &[StoredAccount]) -> Option<usize> {
    let mut seen: Vec<&str> = Vec::with_capacity(accounts.len());
    accounts
        .iter()
        .position(|account| match seen.binary_search(&account.id.as_str()) {
            Ok(_) => true,
            Err(at) => {
                seen.insert(at, &account.id);
                false
            }
        })
}

/// Two accounts the vault will not hold both of: the same id, or the same issuer, name and key.
fn identical(a: &Account, b: &Account) -> bool {
    a.id == b.id || (a.secret == b.secret && a.issuer == b.issuer && a.name == b.name)
}

#[derive(Deserialize)]
struct SchemaOnly {
    schema: Option<u64>,
}

/// The `schema` number of a stored record, without reading the rest.
///
/// # Errors
/// [`VaultError::Corrupt`] when the bytes are not a JSON object.
pub fn record_schema(bytes: &[u8]) -> Result<Option<u64>, VaultError> {
    serde_json_wasm::from_slice::<SchemaOnly>(bytes)
        .map(|header| header.schema)
        .map_err(|_| VaultError::Corrupt("not a JSON object"))
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    schema: u64,
    revision: u64,
    accounts: Vec<StoredAccount>,
}

/// One account as stored: flat and explicit, so the format is readable and stable.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredAccount {
    id: String,
    issuer: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    algorithm: String,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    counter: Option<u64>,
    secret: Zeroizing<String>,
}

impl From<&Account> for StoredAccount {
    fn from(account: &Account) -> Self {
        let (kind, period, counter) = match account.params.kind {
            OtpKind::Totp { period } => ("totp", Some(period), None),
            OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
            OtpKind::Steam => ("steam", None, None),
        };
        Self {
            id: account.id.as_str().to_owned(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind: kind.to_owned(),
            algorithm: account.params.algorithm.name().to_owned(),
            digits: account.params.digits,
            period,
            counter,
            secret: account.secret.to_base32(),
        }
    }
}

impl StoredAccount {
    fn into_account(self) -> Result<Account, StoredProblem> {
        let id = AccountId::parse(&self.id).map_err(|_| StoredProblem::Id)?;
        let kind = match (self.kind.as_str(), self.period, self.counter) {
            ("totp", Some(period), None) => OtpKind::Totp { period },
            ("hotp", None, Some(counter)) => OtpKind::Hotp { counter },
            ("steam", None, None) => OtpKind::Steam,
            _ => return Err(StoredProblem::Kind),
        };
        let algorithm = Algorithm::from_name(&self.algorithm).ok_or(StoredProblem::Algorithm)?;
        let params = OtpParams {
            kind,
            algorithm,
            digits: self.digits,
        }
        .validated()
        .map_err(StoredProblem::Params)?;
        let secret = Secret::from_base32(&self.secret).map_err(|_| StoredProblem::Key)?;
        let draft = AccountDraft {
            issuer: self.issuer,
            name: self.name,
            params,
            secret,
        };
        Account::from_stored(draft, id).map_err(StoredProblem::Account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, issuer: &str, kind: OtpKind) -> Account {
        Account::from_draft(
            AccountDraft {
                issuer: issuer.into(),
                name: "alice".into(),
                params: OtpParams {
                    kind,
                    ..OtpParams::default()
                },
                secret: Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            },
            AccountId::parse(id).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn edits_bump_revision_and_fail_cleanly() {
        let mut vault = Vault::new();
        vault
            .apply(&Edit::Add(account(
                "a",
                "One",
                OtpKind::Totp { period: 30 },
            )))
            .unwrap();
        vault
            .apply(&Edit::Add(account(
                "b",
                "Two",
                OtpKind::Hotp { counter: 7 },
            )))
            .unwrap();
        assert_eq!(vault.revision, 2);
        assert_eq!(
            vault.apply(&Edit::Add(account(
                "c",
                "One",
                OtpKind::Totp { period: 30 }
            ))),
            Err(VaultError::Duplicate)
        );
        let b = AccountId::parse("b").unwrap();
        vault.apply(&Edit::NextCounter { id: b.clone() }).unwrap();
        assert_eq!(
            vault.get(&b).unwrap().params.kind,
            OtpKind::Hotp { counter: 8 }
        );
        let a = AccountId::parse("a").unwrap();
        assert_eq!(
            vault.apply(&Edit::NextCounter { id: a.clone() }),
            Err(VaultError::NotHotp)
        );
        let before = vault.clone();
        assert!(
            vault
                .apply(&Edit::Rename {
                    id: a.clone(),
                    issuer: String::new(),
                    name: " ".into()
                })
                .is_err()
        );
        assert_eq!(vault, before);
        vault.apply(&Edit::Delete { id: a.clone() }).unwrap();
        assert_eq!(
            vault.apply(&Edit::Delete { id: a }),
            Err(VaultError::NoSuchAccount)
        );
        assert_eq!(vault.revision, 4);
    }

    #[test]
    fn import_adds_all_new_accounts_in_one_revision() {
        let mut vault = Vault::new();
        let stored = account("a", "One", OtpKind::Totp { period: 30 });
        vault.apply(&Edit::Add(stored.clone())).unwrap();
        let mut same_labels_and_key = stored.clone();
        same_labels_and_key.id = AccountId::parse("x").unwrap();
        let new_label = account("b", "Two", OtpKind::Totp { period: 30 });
        let hotp = account("c", "Three", OtpKind::Hotp { counter: 4 });
        let mut repeated = hotp.clone();
        repeated.id = AccountId::parse("y").unwrap();
        vault
            .apply(&Edit::Import(vec![
                same_labels_and_key,
                new_label.clone(),
                hotp.clone(),
                repeated,
            ]))
            .unwrap();
        // One change, one revision; identical accounts left out, the same key under another
        // label kept (the person chose it in the preview).
        assert_eq!(vault.revision, 2);
        assert_eq!(vault.accounts(), &[stored, new_label.clone(), hotp.clone()]);
        // Replaying it adds nothing more.
        let before = vault.clone();
        vault.apply(&Edit::Import(vec![new_label, hotp])).unwrap();
        assert_eq!(vault.accounts(), before.accounts());
    }

    #[test]
    fn import_past_the_limit_adds_nothing() {
        let mut vault = Vault::new();
        vault
            .apply(&Edit::Add(account("a", "One", OtpKind::Steam)))
            .unwrap();
        let many: Vec<Account> = (0..MAX_ACCOUNTS)
            .map(|i| account(&format!("i{i}"), &format!("Issuer {i}"), OtpKind::Steam))
            .collect();
        let before = vault.clone();
        assert_eq!(vault.apply(&Edit::Import(many)), Err(VaultError::Full));
        assert_eq!(vault, before);
    }

    #[test]
    fn round_trip() {
        let mut vault = Vault::new();
        for (id, kind) in [
            ("a", OtpKind::Totp { period: 60 }),
            ("b", OtpKind::Hotp { counter: 3 }),
            ("c", OtpKind::Steam),
        ] {
            vault.apply(&Edit::Add(account(id, id, kind))).unwrap();
        }
        let bytes = vault.to_bytes();
        assert_eq!(Vault::from_bytes(&bytes).unwrap(), vault);
    }

    #[test]
    fn refuses_duplicate_ids_and_unnamed_accounts() {
        let account = |id: &str, issuer: &str| {
            format!(
                r#"{{"id":"{id}","issuer":"{issuer}","name":"","type":"totp","algorithm":"SHA1","digits":6,"period":30,"secret":"JBSWY3DPEHPK3PXP"}}"#
            )
        };
        let record = |accounts: &[String]| {
            format!(
                r#"{{"schema":1,"revision":1,"accounts":[{}]}}"#,
                accounts.join(",")
            )
        };
        let twice = record(&[account("a", "X"), account("a", "Y")]);
        assert!(matches!(
            Vault::from_bytes(twice.as_bytes()),
            Err(VaultError::BadAccount { position: 2, .. })
        ));
        let unnamed = record(&[account("a", "  ")]);
        assert!(matches!(
            Vault::from_bytes(unnamed.as_bytes()),
            Err(VaultError::BadAccount { position: 1, .. })
        ));
        // A repeat far from the first use is found, and named where it is met: a damaged
        // account before it comes first.
        let mut many: Vec<String> = (0..50).map(|i| account(&format!("id{i}"), "X")).collect();
        many.push(account("id7", "Z"));
        assert!(matches!(
            Vault::from_bytes(record(&many).as_bytes()),
            Err(VaultError::BadAccount {
                position: 51,
                reason: StoredProblem::DuplicateId
            })
        ));
        many.insert(20, account("damaged", " "));
        assert!(matches!(
            Vault::from_bytes(record(&many).as_bytes()),
            Err(VaultError::BadAccount {
                position: 21,
                reason: StoredProblem::Account(_)
            })
        ));
        let padded = record(&[account("a", " X ")]);
        let vault = Vault::from_bytes(padded.as_bytes()).unwrap();
        assert_eq!(vault.accounts()[0].issuer, "X");
    }

    #[test]
    fn refuses_future_schema_and_corruption() {
        assert_eq!(
            Vault::from_bytes(br#"{"schema":7,"whatever":true}"#),
            Err(VaultError::FutureSchema { found: 7 })
        );
        assert!(matches!(
            Vault::from_bytes(b"not json"),
            Err(VaultError::Corrupt(_))
        ));
        assert!(matches!(
            Vault::from_bytes(br#"{"revision":1,"accounts":[]}"#),
            Err(VaultError::Corrupt(_))
        ));
        let bad_key = br#"{"schema":1,"revision":1,"accounts":[{"id":"a","issuer":"x","name":"y","type":"totp","algorithm":"SHA1","digits":6,"period":30,"secret":"SECRET1KEYSECRET"}]}"#;
        let err = Vault::from_bytes(bad_key).unwrap_err();
        assert!(matches!(err, VaultError::BadAccount { position: 1, .. }));
        assert!(!err.to_string().contains("SECRET"));
    }
}
