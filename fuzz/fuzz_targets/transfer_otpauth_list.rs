//! `otpauth://` lists on arbitrary text: never panics, one candidate per non-blank line, and
//! every accepted line's account formats back to a link that reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::account::AccountDraft;
use toolbar_authenticator::transfer::{Input, otpauth_list};
use toolbar_authenticator::uri::{format_uri, parse_uri};

fuzz_target!(|text: &str| {
    let Ok(input) = Input::new(text.as_bytes()) else {
        return;
    };
    if otpauth_list::detect(&input).is_none() {
        return;
    }
    let Ok(entries) = otpauth_list::read(&input, None) else {
        panic!("reading a list never fails as a whole");
    };
    let text = input.text.expect("detected text");
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(entries.len(), lines);
    for entry in entries.into_iter().flatten() {
        let draft = AccountDraft {
            issuer: entry.issuer,
            name: entry.name,
            params: entry.params,
            secret: entry.secret,
        };
        assert_eq!(parse_uri(&format_uri(&draft)).as_ref(), Ok(&draft));
    }
});
