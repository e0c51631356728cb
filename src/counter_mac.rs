//! HMAC-SHA1 (RFC 2104) of an 8-byte counter, the one message HOTP and TOTP ever sign, with the
//! key schedule done once.
//!
//! Why not the `hmac` crate here (it is used for SHA-256 and SHA-512, and to check this module):
//! measured in Chromium (bench/ab.mjs, one page, interleaved), its generic finalisation
//! (buffer bookkeeping, a clone of the keyed state per code and zeroising that clone) costs
//! 12–20% of each code. Here a code is exactly two calls to the `sha1` crate's own compression
//! function on blocks whose padding is fixed: 8 bytes of counter, then 20 bytes of inner hash.
//! No key-equivalent state is copied per code: each copy of a prepared state is consumed by the
//! compression that follows it. The prepared states are zeroised on drop.
//!
//! Tests: identical to `hmac::Hmac<sha1::Sha1>` for keys of every length from 0 to 200 bytes
//! and any counter (property test below), plus every HOTP/TOTP vector and the `oathtool`
//! cross-check, which go through this path.

use sha1::Digest;
use sha1::block_api::compress;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// SHA-1 block size in bytes (RFC 3174).
const BLOCK: usize = 64;

/// SHA-1's initial hash value H0..H4 (RFC 3174 §6.1).
const INITIAL_STATE: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];

/// Bit length of each final block's message: one key block plus the 8-byte counter (inner), or
/// one key block plus the 20-byte inner hash (outer).
const INNER_BITS: u64 = ((BLOCK + 8) * 8) as u64;
const OUTER_BITS: u64 = ((BLOCK + 20) * 8) as u64;

/// The SHA-1 states after absorbing `key ^ ipad` and `key ^ opad`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct CounterMac {
    inner: [u32; 5],
    outer: [u32; 5],
}

impl CounterMac {
    /// Runs the HMAC key schedule for `key` (any length; longer than a block is hashed first,
    /// as RFC 2104 says).
    pub fn new(key: &[u8]) -> Self {
        let mut padded = [0u8; BLOCK];
        if key.len() > BLOCK {
            let mut digest = sha1::Sha1::digest(key);
            padded[..digest.len()].copy_from_slice(&digest);
            digest.zeroize();
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        let mut mac = Self {
            inner: INITIAL_STATE,
            outer: INITIAL_STATE,
        };
        padded.iter_mut().for_each(|b| *b ^= 0x36);
        compress(&mut mac.inner, &[padded]);
        padded.iter_mut().for_each(|b| *b ^= 0x36 ^ 0x5c);
        compress(&mut mac.outer, &[padded]);
        padded.zeroize();
        mac
    }

    /// HMAC-SHA1(key, big-endian `counter`), 20 bytes.
    pub fn sign(&self, counter: u64) -> [u8; 20] {
        let mut block = [0u8; BLOCK];
        put_word(&mut block, 0, (counter >> 32) as u32);
        put_word(&mut block, 4, counter as u32);
        block[8] = 0x80;
        put_word(&mut block, BLOCK - 4, INNER_BITS as u32);
        let mut inner = self.inner;
        compress(&mut inner, &[block]);

        let mut block = [0u8; BLOCK];
        put_words(&mut block, &inner);
        block[20] = 0x80;
        put_word(&mut block, BLOCK - 4, OUTER_BITS as u32);
        let mut outer = self.outer;
        compress(&mut outer, &[block]);

        let mut tag = [0u8; 20];
        put_words(&mut tag, &outer);
        tag
    }
}

/// Writes `word` big-endian at `bytes[at..at + 4]`. Written out, and always inlined, because
/// the per-code path must stay fast in a module built for size, where `copy_from_slice` and
/// iterator adapters stay calls.
#[inline(always)]
fn put_word<const N: usize>(bytes: &mut [u8; N], at: usize, word: u32) {
    bytes[at] = (word >> 24) as u8;
    bytes[at + 1] = (word >> 16) as u8;
    bytes[at + 2] = (word >> 8) as u8;
    bytes[at + 3] = word as u8;
}

/// Writes the five state words big-endian at the start of `bytes` (the SHA-1 digest order).
#[inline(always)]
fn put_words<const N: usize>(bytes: &mut [u8; N], state: &[u32; 5]) {
    put_word(bytes, 0, state[0]);
    put_word(bytes, 4, state[1]);
    put_word(bytes, 8, state[2]);
    put_word(bytes, 12, state[3]);
    put_word(bytes, 16, state[4]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use proptest::prelude::*;

    fn reference(key: &[u8], counter: u64) -> [u8; 20] {
        let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key).unwrap();
        mac.update(&counter.to_be_bytes());
        mac.finalize().into_bytes().into()
    }

    #[test]
    fn rfc4226_appendix_d_hmac_values() {
        // RFC 4226 Appendix D lists the HMAC-SHA1 of counters 0 and 1 for this key.
        let mac = CounterMac::new(b"12345678901234567890");
        assert_eq!(
            mac.sign(0),
            [
                0xcc, 0x93, 0xcf, 0x18, 0x50, 0x8d, 0x94, 0x93, 0x4c, 0x64, 0xb6, 0x5d, 0x8b, 0xa7,
                0x66, 0x7f, 0xb7, 0xcd, 0xe4, 0xb0
            ]
        );
        assert_eq!(
            mac.sign(1),
            [
                0x75, 0xa4, 0x8a, 0x19, 0xd4, 0xcb, 0xe1, 0x00, 0x64, 0x4e, 0x8a, 0xc1, 0x39, 0x7e,
                0xea, 0x74, 0x7a, 0x2d, 0x33, 0xab
            ]
        );
    }

    #[test]
    fn every_key_length_around_the_block_size() {
        for len in 0..=200 {
            let key: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            for counter in [0, 1, 56_666_666, u64::MAX] {
                assert_eq!(
                    CounterMac::new(&key).sign(counter),
                    reference(&key, counter),
                    "key length {len}, counter {counter}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn same_as_the_hmac_crate(key in proptest::collection::vec(any::<u8>(), 0..200), counter: u64) {
            prop_assert_eq!(CounterMac::new(&key).sign(counter), reference(&key, counter));
        }
    }
}
