//! Steam Guard (maFile) JSON. Nothing may panic; a recognised file never reads as an unknown format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{Input, TransferError, steam_guard};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::new(data) else { return };
    let read = steam_guard::read(&input, None);
    if steam_guard::detect(&input).is_some() {
        assert_ne!(read.err(), Some(TransferError::UnknownFormat));
    }
});
