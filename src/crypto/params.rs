//! Argon2id's cost parameters and how a sealed record's key is derived, with the bounds this
//! version accepts when reading them from a header.

use serde::{Deserialize, Serialize};

use super::CryptoError;

/// Argon2id cost parameters, stored with each vault so they can be raised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl KdfParams {
    /// Bitwarden's default: 64 MiB, 3 passes, 4 lanes.
    pub const DEFAULT: Self = Self {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 4,
    };

    /// The weakest accepted when reading (OWASP's Argon2id minimum: 19 MiB, 2 passes).
    pub const MINIMUM: Self = Self {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// The strongest attempted when reading: what a popup can afford (a tampered header must
    /// not exhaust memory or hold the unlock for minutes).
    pub const MAXIMUM: Self = Self {
        memory_kib: 256 * 1024,
        iterations: 16,
        parallelism: 16,
    };

    /// Whether these parameters cost less memory or fewer passes than `other` (lanes do not
    /// count: with the same memory and passes they change no attacker's cost).
    pub fn weaker_than(&self, other: &Self) -> bool {
        self.memory_kib < other.memory_kib || self.iterations < other.iterations
    }

    pub(super) fn check(&self) -> Result<(), CryptoError> {
        if self.memory_kib < Self::MINIMUM.memory_kib
            || self.iterations < Self::MINIMUM.iterations
            || self.parallelism < Self::MINIMUM.parallelism
        {
            return Err(CryptoError::WeakParameters);
        }
        if self.memory_kib > Self::MAXIMUM.memory_kib
            || self.iterations > Self::MAXIMUM.iterations
            || self.parallelism > Self::MAXIMUM.parallelism
        {
            return Err(CryptoError::ExcessiveParameters);
        }
        Ok(())
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// How the key of a sealed record is derived: algorithm, parameters and salt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KdfSpec {
    /// Always `argon2id`.
    pub algorithm: String,
    /// Argon2 version, 19 (0x13).
    pub version: u32,
    /// Cost parameters.
    pub params: KdfParams,
    /// Base64 salt.
    pub salt: String,
}
