//! `parse_uri` on arbitrary UTF-8: never panics, and whatever it accepts formats back to a URI
//! that parses to the same draft, with labels already clean (`clean_label` changes nothing).
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::account::clean_label;
use toolbar_authenticator::uri::{format_uri, parse_uri};

fuzz_target!(|text: &str| {
    let cleaned = clean_label(text);
    assert_eq!(
        clean_label(&cleaned),
        cleaned,
        "cleaning {text:?} twice differs"
    );
    if let Ok(draft) = parse_uri(text) {
        // Parsing cleans labels (and so trims them): nothing left to remove.
        assert_eq!(clean_label(&draft.issuer), draft.issuer);
        assert_eq!(clean_label(&draft.name), draft.name);
        let uri = format_uri(&draft);
        match parse_uri(&uri) {
            Ok(again) => assert_eq!(again, draft, "{uri}"),
            Err(error) => panic!("formatted URI {uri} does not parse: {error:?}"),
        }
    }
});
