//! 2FAS backups: the container (read without a password, so no PBKDF2 runs) on arbitrary
//! bytes, and the decrypted services on arbitrary bytes. Never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{Input, two_fas};

fuzz_target!(|input: (&[u8], &[u8])| {
    let (file, services) = input;
    if let Ok(input) = Input::new(file) {
        if let Some(detected) = two_fas::detect(&input) {
            let result = two_fas::read(&input, None);
            if detected.encrypted {
                assert!(result.is_err(), "an encrypted backup never reads without a password");
            }
        }
    }
    if let Ok(entries) = two_fas::read_services_json(services) {
        for skipped in entries.iter().filter_map(|c| c.as_ref().err()) {
            let _ = skipped.reason.to_string();
        }
    }
});
