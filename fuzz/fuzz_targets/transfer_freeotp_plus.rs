//! FreeOTP+ JSON exports. Nothing may panic; a recognised file never reads as an unknown format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{Input, TransferError, freeotp_plus};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::new(data) else { return };
    let read = freeotp_plus::read(&input, None);
    if freeotp_plus::detect(&input).is_some() {
        assert_ne!(read.err(), Some(TransferError::UnknownFormat));
    }
});
