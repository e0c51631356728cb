//! Stratum / Authenticator Pro backups: plain JSON, and both encrypted headers. No key
//! derivation runs per input; the decrypted content is JSON, fuzzed through the plain path.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{Input, TransferError, stratum};

fuzz_target!(|data: &[u8]| {
    let _ = stratum::Container::parse(data);
    let Ok(input) = Input::new(data) else { return };
    let detected = stratum::detect(&input);
    let read = stratum::read(&input, None);
    if detected.is_some_and(|d| !d.encrypted) {
        assert!(!matches!(read, Err(TransferError::PasswordNeeded { .. })));
    }
    if let Some(json) = &input.json {
        let _ = stratum::entries_from_json(json);
    }
});
