//! Test helpers shared by the integration tests (each test file is its own crate).

use proptest::collection::vec;
use proptest::prelude::*;
use toolbar_authenticator::account::Account;
use toolbar_authenticator::vault::{Edit, Vault};

/// Codes computed without the crate's generator (not every test file uses it).
#[allow(dead_code)]
pub mod reference;

/// Every account shape the export tests use (not every test file uses it).
#[allow(dead_code)]
pub mod shapes;

/// A vault of fewer than `max` accounts drawn from `accounts`, at any revision. Duplicate ids
/// are refused and leave the vault unchanged, which is fine for a generator.
#[allow(dead_code)] // not every test file builds vaults
pub fn vault_of(
    accounts: impl Strategy<Value = Account>,
    max: usize,
) -> impl Strategy<Value = Vault> {
    (vec(accounts, 0..max), any::<u64>()).prop_map(|(accounts, revision)| {
        let mut vault = Vault::new();
        for account in accounts {
            let _ = vault.apply(&Edit::Add(account));
        }
        vault.revision = revision;
        vault
    })
}
