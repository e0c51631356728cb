//! What to do with the stored records: which generation to trust when reading, and what to
//! write so that no account is ever lost.
//!
//! Storage keeps two generations, the current record and the one before it, each either plain
//! (`"schema": 1`) or sealed with a password (`"schema": 3`, or 2 from the first password
//! release; see [`crate::crypto`]), and a [`Guard`]: the protection marker and the highest
//! revision written, kept beside them and in memory-only session storage. Reading prefers the
//! current record and falls back to the previous one when the current cannot be read. A record
//! that cannot be read, is not text, is plain where a sealed one is expected, or is older than
//! a revision already written is damage: never used to write, never overwritten without first
//! being kept aside under a [`DAMAGED_KEY`] key, never deleted automatically.

mod aside;
mod commit;

use serde::{Deserialize, Serialize};

use crate::coded::ErrorReport;
use crate::crypto::{CryptoError, KdfSpec, VaultKey, is_sealed_schema, sealed_header};
use crate::vault::{SCHEMA, Vault, VaultError, record_schema};

pub use aside::{KeptAside, kept_aside_name};
pub use commit::{Commit, commit, encode, plain_bytes, reprotect};

/// Storage key of the current record.
pub const CURRENT_KEY: &str = "vault";
/// Storage key of the previous generation.
pub const PREVIOUS_KEY: &str = "vault_previous";
/// Storage key of the [`Guard`] (in local and in session storage).
pub const GUARD_KEY: &str = "vault_guard";
/// Prefix of the storage keys under which unreadable records are kept.
pub const DAMAGED_KEY: &str = "vault_damaged";
/// Session-storage key of the derived vault key while unlocked.
pub const SESSION_KEY: &str = "vault_key";

/// One stored value as read: storage can hold any JSON value, and only text is a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Nothing under the key.
    Missing,
    /// A string: a record, readable or not.
    Text(String),
    /// Something else (a number, an object…), as `JSON.stringify` wrote it: damage, written by
    /// a future version or another tool.
    Other(String),
}

impl Stored {
    /// The text to read, or `None`.
    fn text(&self) -> Option<&[u8]> {
        match self {
            Self::Text(text) => Some(text.as_bytes()),
            _ => None,
        }
    }

    /// The value as stored (text as is, other values as JSON), for a download or to keep it
    /// aside; `None` when missing.
    pub fn raw(&self) -> Option<&str> {
        match self {
            Self::Missing => None,
            Self::Text(text) | Self::Other(text) => Some(text),
        }
    }
}

/// Both generations as read at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generations {
    /// The current record.
    pub current: Stored,
    /// The previous generation.
    pub previous: Stored,
}

/// The protection marker and revision high-water mark: whether the vault was last written
/// sealed, and the highest revision written. Every write stores it beside the records (and in
/// session storage, which no storage writer outside the browser reaches), so a plain record
/// where a sealed one was, or an older generation copied back, is noticed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guard {
    /// The vault was last written sealed.
    pub sealed: bool,
    /// The highest revision written.
    pub revision: u64,
}

impl Guard {
    /// Reads a stored guard; a missing or unreadable one says nothing (it is rewritten by the
    /// next change).
    pub fn read(stored: &Stored) -> Self {
        stored
            .text()
            .and_then(|text| serde_json_wasm::from_slice(text).ok())
            .unwrap_or_default()
    }

    /// The stored form.
    pub fn to_json(self) -> String {
        serde_json_wasm::to_string(&self).unwrap_or_default()
    }

    /// What both guards say together: sealed if either says so, the higher revision.
    pub fn merge(self, other: Self) -> Self {
        Self {
            sealed: self.sealed || other.sealed,
            revision: self.revision.max(other.revision),
        }
    }
}

/// The outcome of reading storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// Nothing stored yet: a first run.
    Empty,
    /// A readable vault.
    Ready {
        /// The accounts.
        vault: Vault,
        /// Whether the record is password-protected.
        sealed: bool,
        /// Set when the current record was unreadable and the previous generation was used;
        /// holds why the current one was refused.
        recovered_from: Option<VaultError>,
    },
    /// Password-protected and no (matching) key is at hand: ask for the password.
    Locked {
        /// How to derive the key from the password.
        kdf: KdfSpec,
    },
    /// Neither generation can be used. Nothing may be written until the user decides.
    Damaged {
        /// Why the current record (or, when it is missing, the previous one) was refused.
        error: VaultError,
    },
}

/// Which screen the stored vault calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Accounts are available (possibly none).
    Ready,
    /// Password-protected and locked: ask for the password.
    Locked,
    /// Nothing readable: explain and offer the stored data for download.
    Damaged,
}

/// What the popup shows about the stored vault (`status()` in JS). Never holds key material.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// The screen to show.
    pub state: State,
    /// Whether a password protects the vault.
    pub protected: bool,
    /// Number of accounts shown.
    pub count: usize,
    /// Revision of the vault shown (a JS number; 0 when none is shown).
    pub revision: f64,
    /// Why the stored record could not be read (damaged, or recovered from the previous one),
    /// as the view's error data.
    pub problem: Option<ErrorReport>,
    /// The stable code of `problem`.
    pub problem_code: Option<&'static str>,
    /// True when the previous generation is in use.
    pub recovered: bool,
}

/// One generation, read.
#[derive(Debug)]
enum Read {
    Open { vault: Vault, sealed: bool },
    Locked { kdf: KdfSpec, revision: Option<u64> },
}

impl Read {
    /// The revision, when it can be known (always for an open vault; for a locked one only
    /// from a schema-3 header).
    fn revision(&self) -> Option<u64> {
        match self {
            Self::Open { vault, .. } => Some(vault.revision),
            Self::Locked { revision, .. } => *revision,
        }
    }
}

/// Whether `stored` is a sealed record (its header parses).
fn is_sealed(stored: &Stored) -> bool {
    stored
        .text()
        .is_some_and(|bytes| sealed_header(bytes).is_ok())
}

/// The revision a sealed record's header states (schema 3), read without the key.
fn header_revision(stored: &Stored) -> Option<u64> {
    sealed_header(stored.text()?).ok()?.revision
}

/// How to read: with which key, and what has been seen before.
#[derive(Clone, Copy)]
struct Reader<'a> {
    key: Option<&'a VaultKey>,
    /// A sealed vault is expected: the guard says so, a key is at hand, or a generation is
    /// sealed. A plain record is then damage, never used to write plaintext.
    expect_sealed: bool,
    guard: Guard,
}

impl<'a> Reader<'a> {
    fn new(generations: &Generations, key: Option<&'a VaultKey>, guard: Guard) -> Self {
        Self {
            key,
            expect_sealed: guard.sealed
                || key.is_some()
                || is_sealed(&generations.current)
                || is_sealed(&generations.previous),
            guard,
        }
    }

    /// Reads one stored record; `oldest` is the lowest revision it may have.
    fn read(&self, stored: &Stored, oldest: u64) -> Result<Read, VaultError> {
        let bytes = match stored {
            Stored::Text(text) => text.as_bytes(),
            Stored::Other(_) => return Err(VaultError::NotText),
            Stored::Missing => return Err(VaultError::Corrupt("the record is missing")),
        };
        let read = read_record(bytes, self.key)?;
        if let Read::Open { sealed: false, .. } = read
            && self.expect_sealed
        {
            return Err(VaultError::Downgraded);
        }
        match read.revision() {
            Some(found) if found < oldest => Err(VaultError::RolledBack {
                found,
                seen: self.guard.revision,
            }),
            _ => Ok(read),
        }
    }

    /// The current record: no older than the highest revision written.
    fn current(&self, generations: &Generations) -> Result<Read, VaultError> {
        self.read(&generations.current, self.guard.revision)
    }

    /// The previous generation: at most one revision behind the highest written.
    fn previous(&self, generations: &Generations) -> Result<Read, VaultError> {
        self.read(&generations.previous, self.guard.revision.saturating_sub(1))
    }
}

/// Reads one record with an optional key.
fn read_record(bytes: &[u8], key: Option<&VaultKey>) -> Result<Read, VaultError> {
    match record_schema(bytes)? {
        Some(schema) if is_sealed_schema(schema) => {
            let header = sealed_header(bytes)?;
            match key {
                Some(key) if key.spec() == &header.kdf => {
                    // A key that does not open the record is either a wrong password or, when
                    // its check value matches, damage (`CryptoError::Altered`).
                    let plain = key.open(bytes)?;
                    let vault = Vault::from_bytes(&plain)?;
                    if header.revision.is_some_and(|r| r != vault.revision) {
                        return Err(CryptoError::Malformed("the revision does not match").into());
                    }
                    Ok(Read::Open {
                        vault,
                        sealed: true,
                    })
                }
                _ => Ok(Read::Locked {
                    kdf: header.kdf,
                    revision: header.revision,
                }),
            }
        }
        Some(found) if found > u64::from(SCHEMA) => Err(VaultError::FutureSchema { found }),
        Some(1) => Ok(Read::Open {
            vault: Vault::from_schema_1(bytes)?,
            sealed: false,
        }),
        _ => Ok(Read::Open {
            vault: Vault::from_bytes(bytes)?,
            sealed: false,
        }),
    }
}

/// Reads the stored generations, opening sealed ones with `key` when it matches, checking them
/// against `guard` (the local and session guards merged).
///
/// ```
/// use toolbar_authenticator::store::{Generations, Guard, Loaded, Stored, load};
/// let nothing = Generations { current: Stored::Missing, previous: Stored::Missing };
/// assert_eq!(load(&nothing, None, Guard::default()), Loaded::Empty);
/// ```
pub fn load(generations: &Generations, key: Option<&VaultKey>, guard: Guard) -> Loaded {
    let reader = Reader::new(generations, key, guard);
    let (current, previous) = (&generations.current, &generations.previous);
    if *current == Stored::Missing && *previous == Stored::Missing {
        return Loaded::Empty;
    }
    let error = match reader.current(generations) {
        Ok(read) => {
            // A current record older than the previous one was copied back (told by the
            // headers alone: the previous generation is not decrypted on every read).
            match (read.revision(), header_revision(previous)) {
                (Some(found), Some(before)) if found < before => VaultError::RolledBack {
                    found,
                    seen: before,
                },
                _ => return ready_or_locked(read, None),
            }
        }
        Err(error) => error,
    };
    match error {
        // A newer schema is not damage: falling back would hide the newer accounts. An older
        // revision is not used, nor the one before it: an HOTP counter must not go back.
        VaultError::FutureSchema { .. } | VaultError::RolledBack { .. } => {
            return Loaded::Damaged { error };
        }
        _ => {}
    }
    if *previous == Stored::Missing {
        return Loaded::Damaged { error };
    }
    match reader.previous(generations) {
        Ok(read) => {
            let why = if *current == Stored::Missing {
                VaultError::Corrupt("the current record is missing")
            } else {
                error
            };
            ready_or_locked(read, Some(why))
        }
        Err(previous_error) if *current == Stored::Missing => Loaded::Damaged {
            error: previous_error,
        },
        Err(_) => Loaded::Damaged { error },
    }
}

fn ready_or_locked(read: Read, recovered_from: Option<VaultError>) -> Loaded {
    match read {
        Read::Open { vault, sealed } => Loaded::Ready {
            vault,
            sealed,
            recovered_from,
        },
        Read::Locked { kdf, .. } => Loaded::Locked { kdf },
    }
}

/// The key derivation of whichever stored generation is sealed (current first), to turn a
/// password into a key.
pub fn stored_kdf(generations: &Generations) -> Option<KdfSpec> {
    [&generations.current, &generations.previous]
        .into_iter()
        .find_map(|stored| sealed_header(stored.text()?).ok())
        .map(|header| header.kdf)
}

/// Whether `key` is the key of a stored sealed generation (its check value matches, or a
/// schema-2 record opens): the password was right, even if the records turn out damaged.
pub fn key_matches(generations: &Generations, key: &VaultKey) -> bool {
    [&generations.current, &generations.previous]
        .into_iter()
        .filter_map(Stored::text)
        .any(|bytes| key.unlocks(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{Account, AccountDraft, AccountId};
    use crate::crypto::KdfParams;
    use crate::otp::{OtpKind, OtpParams};
    use crate::secret::Secret;
    use crate::vault::Edit;

    fn vault_with(n: usize) -> Vault {
        let mut vault = Vault::new();
        for i in 0..n {
            let draft = AccountDraft {
                issuer: format!("Issuer {i}"),
                name: "me".into(),
                params: OtpParams {
                    kind: OtpKind::Hotp { counter: 5 },
                    ..OtpParams::default()
                },
                secret: Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            };
            let account = Account::from_draft(draft, AccountId::random().unwrap()).unwrap();
            vault.apply(&Edit::Add(account)).unwrap();
        }
        vault
    }

    fn key() -> VaultKey {
        VaultKey::create("password", KdfParams::MINIMUM).unwrap()
    }

    fn text(bytes: &[u8]) -> Stored {
        Stored::Text(String::from_utf8(bytes.to_vec()).unwrap())
    }

    fn gens(current: Stored, previous: Stored) -> Generations {
        Generations { current, previous }
    }

    /// Applies `commit` to storage the way the bindings do: aside first, then both records.
    fn write(
        before: &Generations,
        old_key: Option<&VaultKey>,
        guard: Guard,
        key: Option<&VaultKey>,
        edit: Option<&Edit>,
    ) -> (Generations, Guard, Vec<Vec<u8>>) {
        let (basis, _) = match load(before, old_key, guard) {
            Loaded::Ready { vault, sealed, .. } => (Some(vault), sealed),
            Loaded::Empty => (None, false),
            other => panic!("not writable: {other:?}"),
        };
        let mut vault = basis.clone().unwrap_or_default();
        if let Some(edit) = edit {
            vault.apply(edit).unwrap();
        }
        let plan = commit(before, old_key, guard, basis.as_ref(), &mut vault, key).unwrap();
        let after = gens(
            text(&plan.current),
            plan.previous
                .as_deref()
                .map_or(before.previous.clone(), text),
        );
        let aside = plan.aside.into_iter().map(|(_, bytes)| bytes).collect();
        (after, plan.guard, aside)
    }

    #[test]
    fn prefers_current_then_previous() {
        let old = vault_with(1);
        let new = vault_with(2);
        let (old_bytes, new_bytes) = (old.to_bytes(), new.to_bytes());
        assert_eq!(
            load(
                &gens(text(&new_bytes), text(&old_bytes)),
                None,
                Guard::default()
            ),
            Loaded::Ready {
                vault: new,
                sealed: false,
                recovered_from: None
            }
        );
        match load(
            &gens(text(b"{garbage"), text(&old_bytes)),
            None,
            Guard::default(),
        ) {
            Loaded::Ready {
                vault,
                recovered_from: Some(VaultError::Corrupt(_)),
                ..
            } => assert_eq!(vault, old),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            load(
                &gens(text(b"{garbage"), Stored::Missing),
                None,
                Guard::default()
            ),
            Loaded::Damaged { .. }
        ));
        assert!(matches!(
            load(
                &gens(text(br#"{"schema":9}"#), text(&old_bytes)),
                None,
                Guard::default()
            ),
            Loaded::Damaged {
                error: VaultError::FutureSchema { found: 9 }
            }
        ));
    }

    #[test]
    fn nothing_unreadable_reads_as_a_first_run() {
        // No current record and a previous one that cannot be read: damage, not empty.
        for previous in [
            text(b"{garbage"),
            text(br#"{"schema":9,"revision":1}"#),
            Stored::Other("{\"schema\":1}".into()),
        ] {
            let loaded = load(
                &gens(Stored::Missing, previous.clone()),
                None,
                Guard::default(),
            );
            assert!(
                matches!(loaded, Loaded::Damaged { .. }),
                "{previous:?}: {loaded:?}"
            );
        }
        // A value that is not a string is damage, not absence.
        let other = Stored::Other(r#"{"schema":1,"revision":3,"accounts":[]}"#.into());
        assert_eq!(
            load(
                &gens(other.clone(), Stored::Missing),
                None,
                Guard::default()
            ),
            Loaded::Damaged {
                error: VaultError::NotText
            }
        );
        let old = vault_with(1).to_bytes();
        assert!(matches!(
            load(&gens(other, text(&old)), None, Guard::default()),
            Loaded::Ready {
                recovered_from: Some(VaultError::NotText),
                ..
            }
        ));
    }

    #[test]
    fn a_change_keeps_unreadable_values_aside_before_overwriting_them() {
        let vault = vault_with(1);
        let bytes = vault.to_bytes();
        // An unreadable previous generation is kept, not silently replaced.
        let before = gens(text(&bytes), text(b"{broken previous"));
        let (after, _, aside) = write(&before, None, Guard::default(), None, None);
        assert_eq!(aside, [b"{broken previous".to_vec()]);
        assert!(matches!(
            load(&after, None, Guard::default()),
            Loaded::Ready {
                recovered_from: None,
                ..
            }
        ));
        // A value that is not text is kept as its JSON.
        let before = gens(Stored::Other("[1,2]".into()), text(&bytes));
        let (_, _, aside) = write(&before, None, Guard::default(), None, None);
        assert_eq!(aside, [b"[1,2]".to_vec()]);
    }

    #[test]
    fn setting_a_password_while_recovered_leaves_no_plain_generation() {
        let key = key();
        let older = vault_with(1);
        let before = gens(text(b"{unreadable current"), text(&older.to_bytes()));
        let (after, guard, aside) = write(&before, None, Guard::default(), Some(&key), None);
        for record in [&after.current, &after.previous] {
            let raw = record.raw().unwrap();
            assert!(raw.contains("\"schema\":3"), "{raw}");
            assert!(!raw.contains("JBSW"), "plaintext left: {raw}");
        }
        assert!(guard.sealed);
        assert_eq!(aside.len(), 1);
        assert!(!String::from_utf8_lossy(&aside[0]).contains("unreadable"));
        assert_eq!(
            plain_bytes(&text(&aside[0]), Some(&key)).as_slice(),
            b"{unreadable current"
        );
        // Changing it while recovered leaves nothing under the old key either.
        let broken = gens(text(b"{again"), after.previous.clone());
        let new_key = key_for("another password");
        let (changed, _, _) = write(&broken, Some(&key), guard, Some(&new_key), None);
        for record in [&changed.current, &changed.previous] {
            let bytes = record.raw().unwrap().as_bytes();
            assert!(new_key.unlocks(bytes) && !key.unlocks(bytes));
        }
    }

    fn key_for(password: &str) -> VaultKey {
        VaultKey::create(password, KdfParams::MINIMUM).unwrap()
    }

    #[test]
    fn a_plain_record_where_a_sealed_one_was_is_damage() {
        let key = key();
        let vault = vault_with(2);
        let sealed = write(
            &gens(text(&vault.to_bytes()), Stored::Missing),
            None,
            Guard::default(),
            Some(&key),
            None,
        );
        let (stored, guard, _) = sealed;
        let forged = gens(text(&vault_with(1).to_bytes()), stored.previous.clone());
        // With the key, or locked, or with only the guard to tell: never a plain vault.
        for (key, guard) in [
            (Some(&key), guard),
            (None, guard),
            (None, Guard::default()),
            (Some(&key), Guard::default()),
        ] {
            match load(&forged, key, guard) {
                Loaded::Ready {
                    sealed: true,
                    recovered_from: Some(VaultError::Downgraded),
                    ..
                }
                | Loaded::Locked { .. } => {}
                other => panic!("{other:?}"),
            }
        }
        // The next change writes sealed records and keeps the plain one aside, sealed.
        let (after, _, aside) = write(&forged, Some(&key), guard, Some(&key), None);
        assert!(key.unlocks(after.current.raw().unwrap().as_bytes()));
        assert_eq!(aside.len(), 1);
        assert!(key.unlocks(&aside[0]));
        // Both generations plain while the guard says sealed: damage.
        let both_plain = gens(text(&vault.to_bytes()), text(&vault.to_bytes()));
        assert_eq!(
            load(&both_plain, None, guard),
            Loaded::Damaged {
                error: VaultError::Downgraded
            }
        );
    }

    #[test]
    fn an_older_generation_put_back_is_damage_and_counters_do_not_go_back() {
        let key = key();
        let mut stored = gens(text(&vault_with(1).to_bytes()), Stored::Missing);
        let mut guard = Guard::default();
        let id = match load(&stored, None, guard) {
            Loaded::Ready { vault, .. } => vault.accounts()[0].id.clone(),
            other => panic!("{other:?}"),
        };
        let mut copies = Vec::new();
        for step in 0..3 {
            // Set a password, then advance the HOTP counter twice.
            let (old_key, edit) = match step {
                0 => (None, None),
                _ => (Some(&key), Some(Edit::NextCounter { id: id.clone() })),
            };
            (stored, guard, _) = write(&stored, old_key, guard, Some(&key), edit.as_ref());
            copies.push(stored.clone());
        }
        assert!(matches!(
            load(&stored, Some(&key), guard),
            Loaded::Ready { .. }
        ));
        // The previous generation copied over the current one.
        let copied = gens(stored.previous.clone(), stored.previous.clone());
        for key in [Some(&key), None] {
            assert!(
                matches!(
                    load(&copied, key, guard),
                    Loaded::Damaged {
                        error: VaultError::RolledBack { .. }
                    }
                ),
                "{:?}",
                load(&copied, key, guard)
            );
        }
        // An older pair of generations (a saved copy) put back.
        assert!(matches!(
            load(&copies[0], Some(&key), guard),
            Loaded::Damaged {
                error: VaultError::RolledBack { .. }
            }
        ));
        // Without the guard, a current record older than the previous one is still refused.
        let swapped = gens(stored.previous.clone(), stored.current.clone());
        assert!(matches!(
            load(&swapped, None, Guard::default()),
            Loaded::Damaged {
                error: VaultError::RolledBack { .. }
            }
        ));
        // A damaged current record still falls back to the previous generation (one behind).
        let damaged = gens(text(b"{x"), stored.previous.clone());
        assert!(matches!(
            load(&damaged, Some(&key), guard),
            Loaded::Ready {
                recovered_from: Some(VaultError::Corrupt(_)),
                ..
            }
        ));
    }

    #[test]
    fn the_right_password_on_damaged_records_is_told_from_a_wrong_one() {
        let key = key();
        let (stored, guard, _) = write(
            &gens(text(&vault_with(1).to_bytes()), Stored::Missing),
            None,
            Guard::default(),
            Some(&key),
            None,
        );
        let (stored, guard, _) = write(&stored, Some(&key), guard, Some(&key), None);
        let alter = |stored: &Stored| {
            let raw = stored.raw().unwrap();
            let at = raw.find("\"ciphertext\":\"").unwrap() + 14;
            let mut bytes = raw.as_bytes().to_vec();
            bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
            text(&bytes)
        };
        let damaged = gens(alter(&stored.current), alter(&stored.previous));
        let spec = stored_kdf(&damaged).unwrap();
        let right = VaultKey::derive("password", &spec).unwrap();
        let wrong = VaultKey::derive("wrong password", &spec).unwrap();
        assert!(key_matches(&damaged, &right));
        assert!(!key_matches(&damaged, &wrong));
        assert_eq!(
            load(&damaged, Some(&right), guard),
            Loaded::Damaged {
                error: VaultError::Crypto(CryptoError::Altered)
            }
        );
        assert_eq!(
            load(&damaged, Some(&wrong), guard),
            Loaded::Damaged {
                error: VaultError::Crypto(CryptoError::WrongPassword)
            }
        );
    }

    #[test]
    fn records_kept_aside_follow_every_change_of_protection() {
        let (a, b) = (key(), key_for("second password"));
        let plain = b"{plain damaged".to_vec();
        let sealed_a = reprotect(&plain, None, Some(&a)).unwrap().unwrap();
        assert!(a.unlocks(&sealed_a));
        let sealed_b = reprotect(&sealed_a, Some(&a), Some(&b)).unwrap().unwrap();
        assert!(b.unlocks(&sealed_b) && !a.unlocks(&sealed_b));
        assert_eq!(plain_bytes(&text(&sealed_b), Some(&b)).as_slice(), plain);
        assert_eq!(
            reprotect(&sealed_b, Some(&b), None).unwrap(),
            Some(plain.clone())
        );
        assert_eq!(reprotect(&plain, None, None).unwrap(), None);
        // Sealed under a key no longer known: wrapped, so the retired password cannot open it.
        let wrapped = reprotect(&sealed_a, Some(&b), Some(&b)).unwrap().unwrap();
        assert!(b.unlocks(&wrapped));
        assert_eq!(reprotect(&sealed_a, Some(&b), None).unwrap(), None);
    }

    #[test]
    fn guards_merge_and_read_leniently() {
        let local = Guard {
            sealed: false,
            revision: 9,
        };
        let session = Guard {
            sealed: true,
            revision: 4,
        };
        assert_eq!(
            local.merge(session),
            Guard {
                sealed: true,
                revision: 9
            }
        );
        assert_eq!(Guard::read(&Stored::Text(local.to_json())), local);
        assert_eq!(
            Guard::read(&Stored::Text("nonsense".into())),
            Guard::default()
        );
        assert_eq!(Guard::read(&Stored::Other("7".into())), Guard::default());
    }
}
