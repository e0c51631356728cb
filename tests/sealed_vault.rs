//! Behaviour of password-protected records as stored: tampering is refused byte by byte, a
//! wrong password changes nothing, and the first release's plain records upgrade intact.

// Test helpers unwrap: a failure here is a failing test.
#![allow(clippy::unwrap_used, clippy::panic)]

use toolbar_authenticator::crypto::{CryptoError, KdfParams, VaultKey, sealed_kdf};
use toolbar_authenticator::store::{Generations, Guard, Loaded, Stored, commit, encode, load};
use toolbar_authenticator::vault::{Vault, VaultError};

/// Storage holding `current` as the only record.
fn only(current: &[u8]) -> Generations {
    Generations {
        current: Stored::Text(String::from_utf8_lossy(current).into_owned()),
        previous: Stored::Missing,
    }
}

fn fixture() -> Vault {
    let text = include_str!("data/vault-schema1.json");
    Vault::from_bytes(text.trim().as_bytes()).unwrap()
}

fn key() -> VaultKey {
    VaultKey::create("correct horse", KdfParams::MINIMUM).unwrap()
}

#[test]
fn every_flipped_byte_is_refused_never_a_panic() {
    let key = key();
    let vault = fixture();
    let sealed = encode(&vault, Some(&key)).unwrap();
    for index in 0..sealed.len() {
        for bit in [0x01u8, 0x20, 0x80] {
            let mut damaged = sealed.clone();
            damaged[index] ^= bit;
            match load(&only(&damaged), Some(&key), Guard::default()) {
                Loaded::Ready { vault: opened, .. } => panic!(
                    "byte {index} ^ {bit:#x} still opened ({} accounts)",
                    opened.accounts().len()
                ),
                Loaded::Locked { .. } | Loaded::Damaged { .. } => {}
                Loaded::Empty => panic!("byte {index} ^ {bit:#x} read as empty"),
            }
        }
    }
}

#[test]
fn wrong_password_is_refused_and_the_right_one_opens() {
    let key = key();
    let sealed = encode(&fixture(), Some(&key)).unwrap();
    let spec = sealed_kdf(&sealed).unwrap();
    let wrong = VaultKey::derive("wrong horse", &spec).unwrap();
    assert_eq!(
        load(&only(&sealed), Some(&wrong), Guard::default()),
        Loaded::Damaged {
            error: VaultError::Crypto(CryptoError::WrongPassword)
        }
    );
    let right = VaultKey::derive("correct horse", &spec).unwrap();
    assert!(matches!(
        load(&only(&sealed), Some(&right), Guard::default()),
        Loaded::Ready { sealed: true, .. }
    ));
}

#[test]
fn the_first_release_schema_keeps_every_account_through_encryption() {
    let plain = include_str!("data/vault-schema1.json")
        .trim()
        .as_bytes()
        .to_vec();
    let vault = fixture();
    assert_eq!(vault.accounts().len(), 5);
    let key = key();
    let mut sealed = vault.clone();
    let plan = commit(
        &only(&plain),
        None,
        Guard::default(),
        Some(&vault),
        &mut sealed,
        Some(&key),
    )
    .unwrap();
    for record in [&plan.current, plan.previous.as_ref().unwrap()] {
        let text = String::from_utf8_lossy(record);
        for account in vault.accounts() {
            assert!(!text.contains(account.secret.to_base32().as_str()));
        }
    }
    let stored = Generations {
        current: Stored::Text(String::from_utf8(plan.current).unwrap()),
        previous: Stored::Text(String::from_utf8(plan.previous.unwrap()).unwrap()),
    };
    match load(&stored, Some(&key), plan.guard) {
        Loaded::Ready { vault: opened, .. } => {
            assert_eq!(opened.accounts(), vault.accounts());
            assert_eq!(
                opened.revision,
                vault.revision + 1,
                "every write is a revision"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn kdf_parameters_are_stored_and_a_downgrade_is_refused() {
    let strong = KdfParams {
        memory_kib: 24 * 1024,
        iterations: 3,
        parallelism: 2,
    };
    let key = VaultKey::create("pw", strong).unwrap();
    let sealed = String::from_utf8(encode(&fixture(), Some(&key)).unwrap()).unwrap();
    assert_eq!(sealed_kdf(sealed.as_bytes()).unwrap().params, strong);
    let weaker = sealed.replace("\"iterations\":3", "\"iterations\":1");
    assert_eq!(
        sealed_kdf(weaker.as_bytes()),
        Err(CryptoError::WeakParameters)
    );
    let cheaper_but_allowed = sealed.replace("\"memoryKib\":24576", "\"memoryKib\":19456");
    assert!(!matches!(
        load(
            &only(cheaper_but_allowed.as_bytes()),
            Some(&key),
            Guard::default()
        ),
        Loaded::Ready { .. }
    ));
}
