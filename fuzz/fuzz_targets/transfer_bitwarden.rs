//! Bitwarden's JSON and CSV exports. Nothing may panic; a recognised file never reads as an
//! unknown format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{Input, TransferError, bitwarden, bitwarden_csv};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::new(data) else { return };
    let json = bitwarden::read(&input, None);
    if bitwarden::detect(&input).is_some() {
        assert_ne!(json.err(), Some(TransferError::UnknownFormat));
    }
    let csv = bitwarden_csv::read(&input, None);
    if bitwarden_csv::detect(&input).is_some() {
        assert_ne!(csv.err(), Some(TransferError::UnknownFormat));
    }
});
