//! andOTP backups: plain JSON and the encrypted layouts' headers. No key derivation runs per
//! input (a password is never given); the decrypted content is JSON, fuzzed through the plain
//! path. Nothing may panic, and a recognised plain file must read without asking for a password.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{Input, TransferError, andotp};

fuzz_target!(|data: &[u8]| {
    let _ = andotp::CurrentLayout::parse(data);
    let Ok(input) = Input::new(data) else { return };
    let detected = andotp::detect(&input);
    let read = andotp::read(&input, None);
    if detected.is_some_and(|d| !d.encrypted) {
        assert!(!matches!(read, Err(TransferError::PasswordNeeded { .. })));
    }
    if let Some(json) = &input.json {
        let _ = andotp::entries_from_json(json);
    }
});
