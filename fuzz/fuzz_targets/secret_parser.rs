//! `Secret::from_base32` on arbitrary UTF-8: never panics; a key it accepts re-encodes to the
//! typed text (separators and padding dropped, upper-cased), apart from unused trailing bits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::secret::{MIN_SECRET_BYTES, Secret, SecretError};

fuzz_target!(|text: &str| {
    match Secret::from_base32(text) {
        Ok(secret) => {
            let typed: String = text
                .chars()
                .filter(|c| !matches!(c, ' ' | '\t' | '-' | '\u{a0}' | '='))
                .map(|c| c.to_ascii_uppercase())
                .collect();
            let encoded = secret.to_base32();
            assert!(secret.as_bytes().len() >= MIN_SECRET_BYTES);
            assert_eq!(encoded.len(), typed.len());
            let n = typed.len();
            assert_eq!(encoded[..n - 1], typed[..n - 1]);
            let again = Secret::from_base32(&encoded).unwrap();
            assert_eq!(again, secret);
        }
        Err(error) => {
            assert!(!error.to_string().is_empty());
            if let SecretError::InvalidCharacter {
                character,
                position,
            } = error
            {
                assert_eq!(text.chars().nth(position - 1), Some(character));
            }
        }
    }
});
