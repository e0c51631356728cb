//! `store::load` and `store::commit` on arbitrary storage: each generation missing, arbitrary
//! text, a value that is not text (`Stored::Other`), or a real record (plain, or sealed with
//! the schema-3 header: revision and key-check value) at some revision, possibly with one byte
//! changed; a guard (protection marker, revision high-water mark); with the key or without.
//!
//! Never panics, and: a plain vault is never used where a sealed one is expected; no vault
//! older than the generation before the highest revision written is used; nothing stored
//! reads as a first run; and whatever opens survives a commit and a reread unchanged.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::account::{Account, AccountDraft, AccountId};
use toolbar_authenticator::crypto::{KdfParams, VaultKey};
use toolbar_authenticator::otp::{OtpKind, OtpParams};
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::store::{Generations, Guard, Loaded, Stored, commit, encode, load};
use toolbar_authenticator::vault::{Edit, Vault};

/// Revisions the real records come in.
const REVISIONS: u64 = 6;

/// One key for the whole run (Argon2id at the accepted minimum, derived once).
fn key() -> &'static VaultKey {
    static KEY: OnceLock<VaultKey> = OnceLock::new();
    KEY.get_or_init(|| match VaultKey::create("fuzz", KdfParams::MINIMUM) {
        Ok(key) => key,
        Err(error) => panic!("cannot derive the fuzz key: {error}"),
    })
}

/// A vault with one HOTP account at `revision`.
fn vault_at(revision: u64) -> Vault {
    let mut vault = Vault::new();
    let draft = AccountDraft {
        issuer: "Fuzz".into(),
        name: "f".into(),
        params: OtpParams {
            kind: OtpKind::Hotp { counter: revision },
            ..OtpParams::default()
        },
        secret: Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap_or_else(|e| panic!("{e}")),
    };
    let id = AccountId::parse("fuzz").unwrap_or_else(|e| panic!("{e}"));
    let account = Account::from_draft(draft, id).unwrap_or_else(|e| panic!("{e}"));
    if let Err(error) = vault.apply(&Edit::Add(account)) {
        panic!("{error}");
    }
    vault.revision = revision;
    vault
}

/// Real records at every revision: plain, and sealed with the fuzz key.
fn records() -> &'static [(Vec<u8>, Vec<u8>)] {
    static RECORDS: OnceLock<Vec<(Vec<u8>, Vec<u8>)>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        (0..REVISIONS)
            .map(|revision| {
                let vault = vault_at(revision);
                let sealed = encode(&vault, Some(key())).unwrap_or_else(|e| panic!("{e}"));
                (vault.to_bytes().to_vec(), sealed)
            })
            .collect()
    })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One stored value.
fn value(u: &mut Unstructured) -> Result<Stored> {
    Ok(match u.int_in_range(0..=4u8)? {
        0 => Stored::Missing,
        1 => Stored::Text(text(u.arbitrary()?)),
        2 => Stored::Other(text(u.arbitrary()?)),
        kind => {
            let (plain, sealed) = &records()[usize::from(u.int_in_range(0..=5u8)?)];
            let mut bytes = if kind == 3 { sealed.clone() } else { plain.clone() };
            // Perhaps one byte changed: in the header (revision, check, kdf) or the ciphertext.
            if u.arbitrary()? && !bytes.is_empty() {
                let at = u.choose_index(bytes.len())?;
                bytes[at] = u.arbitrary()?;
            }
            Stored::Text(text(&bytes))
        }
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let generations = Generations {
        current: value(u)?,
        previous: value(u)?,
    };
    let guard = Guard {
        sealed: u.arbitrary()?,
        revision: u.int_in_range(0..=REVISIONS)?,
    };
    let key = u.arbitrary::<bool>()?.then(key);
    match load(&generations, key, guard) {
        Loaded::Empty => assert!(
            generations.current == Stored::Missing && generations.previous == Stored::Missing,
            "something stored read as a first run"
        ),
        Loaded::Ready { vault, sealed, .. } => {
            assert!(sealed || (!guard.sealed && key.is_none()), "a plain vault where a sealed one was expected");
            assert!(vault.revision + 1 >= guard.revision, "revision {} used after {} was written", vault.revision, guard.revision);
            let mut next = vault.clone();
            let new_key = if sealed { key } else { None };
            let plan = match commit(&generations, key, guard, Some(&vault), &mut next, new_key) {
                Ok(plan) => plan,
                Err(error) => panic!("a readable vault cannot be written: {error:?}"),
            };
            let after = Generations {
                current: Stored::Text(text(&plan.current)),
                previous: plan.previous.as_deref().map_or(Stored::Missing, |p| Stored::Text(text(p))),
            };
            match load(&after, key, plan.guard) {
                Loaded::Ready { vault: again, recovered_from: None, .. } => {
                    assert_eq!(again.accounts(), vault.accounts());
                    assert_eq!(again.revision, vault.revision + 1);
                }
                other => panic!("what was written does not read back: {other:?}"),
            }
        }
        Loaded::Locked { .. } | Loaded::Damaged { .. } => {}
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
