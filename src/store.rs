//! What to do with the stored records: which generation to trust when reading, and what to
//! write so that no account is ever lost.
//!
//! Storage keeps two generations, the current record and the one before it. Reading prefers
//! the current one and falls back to the previous one when the current cannot be read; a
//! record that cannot be read is never overwritten without first being kept aside under
//! [`DAMAGED_KEY`].

use crate::vault::{Vault, VaultError};

/// Storage key of the current record.
pub const CURRENT_KEY: &str = "vault";
/// Storage key of the previous generation.
pub const PREVIOUS_KEY: &str = "vault_previous";
/// Storage key under which an unreadable record is kept before anything replaces it.
pub const DAMAGED_KEY: &str = "vault_damaged";

/// The outcome of reading storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// Nothing stored yet: a first run.
    Empty,
    /// A readable vault.
    Ready {
        /// The accounts.
        vault: Vault,
        /// Set when the current record was unreadable and the previous generation was used;
        /// holds why the current one was refused.
        recovered_from: Option<VaultError>,
    },
    /// Neither generation can be read. Nothing may be written until the user decides.
    Damaged {
        /// Why the current record was refused.
        error: VaultError,
    },
}

/// Reads the stored generations.
///
/// ```
/// use toolbar_authenticator::store::{load, Loaded};
/// assert_eq!(load(None, None), Loaded::Empty);
/// ```
pub fn load(current: Option<&[u8]>, previous: Option<&[u8]>) -> Loaded {
    let Some(current) = current else {
        // A previous generation without a current one should not happen; use it if it does.
        return match previous.map(Vault::from_bytes) {
            Some(Ok(vault)) => Loaded::Ready {
                vault,
                recovered_from: Some(VaultError::Corrupt("the current record is missing".into())),
            },
            _ => Loaded::Empty,
        };
    };
    match Vault::from_bytes(current) {
        Ok(vault) => Loaded::Ready {
            vault,
            recovered_from: None,
        },
        // A newer schema is not damage: falling back would hide the newer accounts.
        Err(error @ VaultError::FutureSchema { .. }) => Loaded::Damaged { error },
        Err(error) => match previous.map(Vault::from_bytes) {
            Some(Ok(vault)) => Loaded::Ready {
                vault,
                recovered_from: Some(error),
            },
            _ => Loaded::Damaged { error },
        },
    }
}

/// The records to store after a change, all in one write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// New current record.
    pub current: Vec<u8>,
    /// New previous generation: the record being replaced, when it was readable.
    pub previous: Option<Vec<u8>>,
    /// The replaced record, when it was unreadable: keep it under [`DAMAGED_KEY`].
    pub damaged: Option<Vec<u8>>,
}

/// Plans the write that replaces `replaced` (the current record as read just now, under the
/// write lock) with `vault`.
pub fn commit(vault: &Vault, replaced: Option<&[u8]>) -> Commit {
    let current = vault.to_bytes().to_vec();
    match replaced {
        None => Commit {
            current,
            previous: None,
            damaged: None,
        },
        Some(old) if Vault::from_bytes(old).is_ok() => Commit {
            current,
            previous: Some(old.to_vec()),
            damaged: None,
        },
        Some(old) => Commit {
            current,
            previous: None,
            damaged: Some(old.to_vec()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{Account, AccountDraft, AccountId};
    use crate::otp::OtpParams;
    use crate::secret::Secret;
    use crate::vault::Edit;

    fn vault_with(n: usize) -> Vault {
        let mut vault = Vault::new();
        for i in 0..n {
            let draft = AccountDraft {
                issuer: format!("Issuer {i}"),
                name: "me".into(),
                params: OtpParams::default(),
                secret: Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            };
            let account = Account::from_draft(draft, AccountId::random().unwrap()).unwrap();
            vault.apply(&Edit::Add(account)).unwrap();
        }
        vault
    }

    #[test]
    fn prefers_current_then_previous() {
        let old = vault_with(1);
        let new = vault_with(2);
        let (old_bytes, new_bytes) = (old.to_bytes(), new.to_bytes());
        assert_eq!(
            load(Some(&new_bytes), Some(&old_bytes)),
            Loaded::Ready {
                vault: new,
                recovered_from: None
            }
        );
        match load(Some(b"{garbage"), Some(&old_bytes)) {
            Loaded::Ready {
                vault,
                recovered_from: Some(VaultError::Corrupt(_)),
            } => assert_eq!(vault, old),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            load(Some(b"{garbage"), None),
            Loaded::Damaged { .. }
        ));
        assert!(matches!(
            load(Some(br#"{"schema":9}"#), Some(&old_bytes)),
            Loaded::Damaged {
                error: VaultError::FutureSchema { found: 9 }
            }
        ));
    }

    #[test]
    fn commit_keeps_readable_previous_and_sets_aside_damage() {
        let old = vault_with(1);
        let new = vault_with(2);
        let old_bytes = old.to_bytes().to_vec();
        let plan = commit(&new, Some(&old_bytes));
        assert_eq!(plan.previous.as_deref(), Some(old_bytes.as_slice()));
        assert_eq!(plan.damaged, None);
        assert_eq!(Vault::from_bytes(&plan.current).unwrap(), new);
        let plan = commit(&new, Some(b"broken"));
        assert_eq!(plan.previous, None);
        assert_eq!(plan.damaged.as_deref(), Some(b"broken".as_slice()));
    }
}
