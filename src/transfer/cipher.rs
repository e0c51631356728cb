//! The cipher other apps seal their exports with (AES-256-GCM, 96-bit nonce, 128-bit tag), and
//! the encodings they wrap its parts in. Key derivation stays with each format, since each has
//! its own parameters and limits.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64ct::{Base64, Base64Unpadded, Base64UrlUnpadded, Encoding};
use zeroize::Zeroizing;

use crate::crypto::CryptoError;

/// Bytes of an AES-GCM nonce.
pub(crate) const NONCE_BYTES: usize = 12;
/// Bytes of an AES-GCM tag.
pub(crate) const TAG_BYTES: usize = 16;

/// Decrypts `ciphertext || tag` with a 256-bit key; `None` when the tag does not verify (wrong
/// key or altered data).
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; NONCE_BYTES],
    sealed: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = Aes256Gcm::new(&(*key).into());
    cipher
        .decrypt(&Nonce::from(*nonce), sealed)
        .ok()
        .map(Zeroizing::new)
}

/// Encrypts `plaintext`, returning `ciphertext || tag`.
pub(crate) fn seal(key: &[u8; 32], nonce: &[u8; NONCE_BYTES], plaintext: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(&(*key).into());
    // Encryption only fails for inputs over GCM's 64 GiB limit, far beyond any vault.
    cipher
        .encrypt(&Nonce::from(*nonce), plaintext)
        .unwrap_or_default()
}

/// `N` random bytes from the operating system (the browser's `crypto.getRandomValues`).
pub(crate) fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, CryptoError> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut()).map_err(|_| CryptoError::Random)?;
    Ok(bytes)
}

/// Base64 as apps write it: standard or URL-safe alphabet, with or without `=` padding.
pub(crate) fn base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().trim_end_matches('=');
    Base64Unpadded::decode_vec(text)
        .or_else(|_| Base64UrlUnpadded::decode_vec(text))
        .ok()
}

/// Standard base64 with padding.
pub(crate) fn to_base64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Hexadecimal of exactly `N` bytes, either case.
pub(crate) fn hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    let decoded = base16ct::mixed::decode(text.trim(), &mut bytes).ok()?;
    (decoded.len() == N).then_some(bytes)
}

/// Hexadecimal of any length, either case (at most [`super::MAX_INPUT_BYTES`] come in).
pub(crate) fn hex_vec(text: &str) -> Option<Vec<u8>> {
    base16ct::mixed::decode_vec(text.trim()).ok()
}

/// Lower-case hexadecimal.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_and_a_wrong_key_fails() {
        let key = [7u8; 32];
        let nonce = [1u8; NONCE_BYTES];
        let sealed = seal(&key, &nonce, b"accounts");
        assert_eq!(sealed.len(), 8 + TAG_BYTES);
        assert_eq!(open(&key, &nonce, &sealed).unwrap().as_slice(), b"accounts");
        assert!(open(&[8u8; 32], &nonce, &sealed).is_none());
        assert!(open(&key, &nonce, &sealed[..TAG_BYTES - 1]).is_none());
    }

    #[test]
    fn nist_gcm_test_case_14() {
        // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 14: AES-256, zero
        // key, zero nonce, one zero block.
        let sealed = seal(&[0u8; 32], &[0u8; NONCE_BYTES], &[0u8; 16]);
        assert_eq!(
            to_hex(&sealed),
            "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"
        );
    }

    #[test]
    fn encodings_are_tolerant_of_what_apps_write() {
        assert_eq!(base64("+/8=").unwrap(), [0xfb, 0xff]);
        assert_eq!(base64("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(base64("not base64!"), None);
        assert_eq!(hex::<2>("aBcd"), Some([0xab, 0xcd]));
        assert_eq!(hex::<2>("abcdef"), None);
        assert_eq!(hex_vec("0a0B").unwrap(), [10, 11]);
        assert_eq!(to_hex(&[0xab, 1]), "ab01");
    }
}
