//! `Vault::from_bytes` on arbitrary bytes: never panics, and whatever it accepts serialises to
//! bytes that read back to an equal vault.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::vault::Vault;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(vault) = Vault::from_bytes(bytes) {
        let stored = vault.to_bytes();
        match Vault::from_bytes(&stored) {
            Ok(again) => assert_eq!(again, vault),
            Err(error) => panic!("a vault's own bytes do not read back: {error:?}"),
        }
    }
});
