//! Opening other apps' encrypted exports: the ciphers and key derivations their files use, with
//! the cost limits every reader checks before deriving a key.
//!
//! Everything here returns `None` (or an error) instead of panicking on short or malformed input,
//! and never puts key material in an error. Decrypted plaintext comes back in [`Zeroizing`]
//! buffers: it holds the keys of every account in the file.

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64ct::{Base64, Encoding};
use md5::{Digest, Md5};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Most PBKDF2 iterations a file may ask for: 10,000,000 (andOTP writes about 150,000; ten
/// million HMAC-SHA1 rounds take a few seconds in a browser page).
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

/// Most Argon2 memory a file may ask for, in KiB: 256 MiB.
pub const MAX_ARGON2_MEMORY_KIB: u32 = 256 * 1024;

/// Most Argon2 passes a file may ask for.
pub const MAX_ARGON2_PASSES: u32 = 10;

/// Most Argon2 lanes a file may ask for (lanes run one after another in a browser page).
pub const MAX_ARGON2_LANES: u32 = 16;

/// Length of an AES-GCM authentication tag, as every format here writes it.
pub const GCM_TAG_BYTES: usize = 16;

/// AES-256-GCM with a 12-byte nonce and the tag at the end of `sealed`, no associated data.
/// `None` when the tag does not match (wrong key, or a damaged file).
pub fn open_gcm(key: &[u8; 32], nonce: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < GCM_TAG_BYTES {
        return None;
    }
    let nonce = Nonce::try_from(nonce).ok()?;
    let cipher = Aes256Gcm::new(key.into());
    cipher.decrypt(&nonce, sealed).ok().map(Zeroizing::new)
}

/// AES-256-CBC with PKCS#7 padding. `None` when the length is not whole blocks or the padding
/// is wrong (the usual sign of a wrong key: CBC has no authentication).
pub fn open_cbc(key: &[u8; 32], iv: &[u8; 16], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
        return None;
    }
    let decryptor = cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into());
    decryptor
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .ok()
        .map(Zeroizing::new)
}

/// PBKDF2 with HMAC-SHA1, 32-byte output. The caller checks `rounds` against
/// [`MAX_PBKDF2_ITERATIONS`] first; 0 rounds is treated as 1.
pub fn pbkdf2_sha1(password: &[u8], salt: &[u8], rounds: u32) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds.max(1), key.as_mut());
    key
}

/// SHA-256 of `data`, as a key.
pub fn sha256_key(data: &[u8]) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(Sha256::digest(data).into())
}

/// Argon2id with the given costs (memory in KiB), 32-byte output; `None` when the parameters or
/// the salt are refused by Argon2 itself (e.g. a salt under 8 bytes).
pub fn argon2id(
    password: &[u8],
    salt: &[u8],
    memory_kib: u32,
    passes: u32,
    lanes: u32,
) -> Option<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32)).ok()?;
    let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon2
        .hash_password_into(password, salt, key.as_mut())
        .ok()?;
    Some(key)
}

/// How a stored Argon2 hash (PHC string, `$argon2id$v=19$m=…,t=…,p=…$salt$hash`) judged a
/// password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhcCheck {
    /// The password matches.
    Match,
    /// The password does not match.
    Mismatch,
    /// The string is not an Argon2 PHC hash.
    Malformed,
    /// Its costs are beyond the caps above.
    TooCostly,
}

/// Parses an Argon2 PHC string and checks its costs against the caps, doing no hashing.
///
/// # Errors
/// [`PhcCheck::Malformed`] or [`PhcCheck::TooCostly`].
pub fn affordable_argon2_phc(
    phc: &str,
) -> Result<argon2::password_hash::phc::PasswordHash, PhcCheck> {
    let hash =
        argon2::password_hash::phc::PasswordHash::new(phc).map_err(|_| PhcCheck::Malformed)?;
    if !hash.algorithm.as_str().starts_with("argon2") {
        return Err(PhcCheck::Malformed);
    }
    let params = argon2::Params::try_from(&hash).map_err(|_| PhcCheck::Malformed)?;
    if params.m_cost() > MAX_ARGON2_MEMORY_KIB
        || params.t_cost() > MAX_ARGON2_PASSES
        || params.p_cost() > MAX_ARGON2_LANES
    {
        return Err(PhcCheck::TooCostly);
    }
    Ok(hash)
}

/// Checks `password` against an Argon2 PHC string, refusing costs beyond the caps before any
/// work is done.
pub fn verify_argon2_phc(password: &[u8], phc: &str) -> PhcCheck {
    use argon2::password_hash::PasswordVerifier;
    let hash = match affordable_argon2_phc(phc) {
        Ok(hash) => hash,
        Err(check) => return check,
    };
    match argon2::Argon2::default().verify_password(password, &hash) {
        Ok(()) => PhcCheck::Match,
        Err(argon2::password_hash::Error::PasswordInvalid) => PhcCheck::Mismatch,
        Err(_) => PhcCheck::Malformed,
    }
}

/// Standard base64 (with or without `=` padding, surrounding white space ignored), or `None`.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    Base64::decode_vec(text)
        .ok()
        .or_else(|| base64ct::Base64Unpadded::decode_vec(text.trim_end_matches('=')).ok())
}

/// CryptoJS's `AES.decrypt(text, passphrase)` (OpenSSL's `enc -aes-256-cbc -md md5` framing):
/// base64 of `Salted__` + an 8-byte salt + AES-256-CBC ciphertext, the key and IV from
/// OpenSSL's `EVP_BytesToKey` with MD5 and one round. `None` on any framing or padding failure.
pub fn open_cryptojs(text: &str, passphrase: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let raw = base64_decode(text)?;
    let rest = raw.strip_prefix(b"Salted__")?;
    if rest.len() < 8 {
        return None;
    }
    let (salt, ciphertext) = rest.split_at(8);
    let (key, iv) = evp_bytes_to_key(passphrase, salt);
    open_cbc(&key, &iv, ciphertext)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one round: `D_i = MD5(D_{i-1} || pass || salt)`,
/// concatenated to 48 bytes, split into a 32-byte key and a 16-byte IV. There is no crate for this
/// legacy derivation; it is three MD5 calls (checked against OpenSSL's output in the tests).
pub fn evp_bytes_to_key(passphrase: &[u8], salt: &[u8]) -> (Zeroizing<[u8; 32]>, [u8; 16]) {
    let mut material = Zeroizing::new([0u8; 48]);
    let mut previous: Option<[u8; 16]> = None;
    for block in material.chunks_mut(16) {
        let mut md5 = Md5::new();
        if let Some(previous) = previous {
            md5.update(previous);
        }
        md5.update(passphrase);
        md5.update(salt);
        let digest: [u8; 16] = md5.finalize().into();
        block.copy_from_slice(&digest);
        previous = Some(digest);
    }
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&material[..32]);
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&material[32..]);
    (key, iv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evp_bytes_to_key_matches_openssl() {
        // `openssl enc -aes-256-cbc -md md5 -k password -S 0102030405060708 -P` printed these.
        let (key, iv) = evp_bytes_to_key(b"password", &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(
            hex(key.as_ref()),
            "e7b0971e52ca5cc8d0539fb3412f6316f7ba2e6ee293d9f3457b99436b51ce02"
        );
        assert_eq!(hex(&iv), "8d450e2ed75a84a923d4eac9fe49226b");
    }

    #[test]
    fn opens_what_openssl_sealed_with_a_passphrase() {
        // `printf JBSWY3DPEHPK3PXP | openssl enc -aes-256-cbc -md md5 -k "pass phrase"
        // -S a1b2c3d4e5f60718 -base64`, with the `Salted__` header CryptoJS writes in front.
        let sealed = "U2FsdGVkX1+hssPU5fYHGO7p9yZGfoDXaYlg3kwbOOdDEtwD3JIlBNbNBAiULCg4";
        let plain = open_cryptojs(sealed, b"pass phrase").unwrap();
        assert_eq!(plain.as_slice(), b"JBSWY3DPEHPK3PXP");
        assert!(
            open_cryptojs(sealed, b"pass phrasf")
                .is_none_or(|p| p.as_slice() != b"JBSWY3DPEHPK3PXP")
        );
        assert!(open_cryptojs("U2FsdGVkX1+hssPU", b"x").is_none());
        assert!(open_cryptojs("not base64!", b"x").is_none());
    }

    #[test]
    fn gcm_refuses_short_or_forged_input() {
        let key = [7u8; 32];
        assert!(open_gcm(&key, &[0; 12], &[0; 15]).is_none());
        assert!(open_gcm(&key, &[0; 11], &[0; 32]).is_none());
        assert!(open_gcm(&key, &[0; 12], &[0; 32]).is_none());
    }

    #[test]
    fn cbc_refuses_partial_blocks() {
        assert!(open_cbc(&[0; 32], &[0; 16], &[0; 17]).is_none());
        assert!(open_cbc(&[0; 32], &[0; 16], &[]).is_none());
    }

    #[test]
    fn phc_check_refuses_costly_or_malformed_hashes_before_work() {
        let costly = "$argon2id$v=19$m=1048576,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
        assert_eq!(verify_argon2_phc(b"x", costly), PhcCheck::TooCostly);
        assert_eq!(verify_argon2_phc(b"x", "$2b$10$abc"), PhcCheck::Malformed);
        assert_eq!(verify_argon2_phc(b"x", "plain"), PhcCheck::Malformed);
    }

    #[test]
    fn phc_check_tells_match_from_mismatch() {
        use argon2::password_hash::{PasswordHasher, phc::Salt};
        let params = argon2::Params::new(64, 1, 1, Some(32)).unwrap();
        let argon2 =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let salt = Salt::from_b64("c2FsdHNhbHQ").unwrap();
        let hash = argon2
            .hash_password_with_salt(b"right", salt.as_ref())
            .unwrap()
            .to_string();
        assert_eq!(verify_argon2_phc(b"right", &hash), PhcCheck::Match);
        assert_eq!(verify_argon2_phc(b"wrong", &hash), PhcCheck::Mismatch);
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
