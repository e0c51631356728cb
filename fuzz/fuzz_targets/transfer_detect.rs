//! The whole import path from bytes (`transfer::detect`, then `transfer::read` with no password
//! and with a short one): never panics, detection and reading agree on the format, and every
//! error and skip reason formats.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{self, TransferError};

fuzz_target!(|input: (&[u8], bool)| {
    let (bytes, with_password) = input;
    let detected = transfer::detect(bytes);
    let password = with_password.then_some("pw");
    match transfer::read(bytes, password) {
        Ok(import) => {
            assert_eq!(detected.map(|d| d.format), Ok(import.format));
            assert!(!import.entries.is_empty());
            for skipped in import.entries.iter().filter_map(|c| c.as_ref().err()) {
                let _ = (skipped.reason.code(), skipped.reason.to_string());
            }
            for batch in &import.batches {
                assert_eq!(batch.read.len() + batch.missing.len(), batch.parts as usize);
            }
        }
        Err(TransferError::UnknownFormat) => assert!(detected.is_err()),
        Err(error) => {
            let _ = (error.code(), error.to_string());
            assert!(detected.is_ok() || matches!(error, TransferError::TooLarge { .. }));
        }
    }
});
