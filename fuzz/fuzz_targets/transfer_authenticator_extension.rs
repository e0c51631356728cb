//! The Authenticator extension's JSON backups: the record structure, sealed text (CryptoJS and
//! `v4:` GCM, both cheap: no password-based derivation), and reading with a password when the
//! backup has no key record (v1: the password seals the keys directly, so no Argon2 runs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{Input, TransferError, authenticator_extension as ext};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ext::open_text(text, "passphrase");
    }
    let Ok(input) = Input::new(data) else { return };
    let detected = ext::detect(&input);
    let read = ext::read(&input, None);
    if detected.is_some_and(|d| !d.encrypted) {
        assert!(!matches!(read, Err(TransferError::PasswordNeeded { .. })));
    }
    let Some(json) = &input.json else { return };
    if let Some(backup) = ext::Backup::parse(json)
        && backup.keys.is_empty()
        && backup.old_key.is_none()
    {
        let _ = ext::read(&input, Some("password"));
    }
});
