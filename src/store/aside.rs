//! Records kept aside: stored values that could not be used, saved under
//! `vault_damaged:<ms>:<where from>` before anything overwrote them. They are listed in Settings
//! with their date and size, and only the user deletes them.

use serde::Serialize;

use super::DAMAGED_KEY;

/// The storage key for a value kept aside at `now_ms` (ms since the Unix epoch) from the
/// storage key `from`.
pub fn kept_aside_name(now_ms: u64, from: &str) -> String {
    format!("{DAMAGED_KEY}:{now_ms}:{from}")
}

/// One record kept aside, as Settings lists it (`keptAside()` in JS).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeptAside {
    /// Its storage key.
    pub key: String,
    /// When it was kept aside (ms since the Unix epoch), from its key; `None` if the key does
    /// not say.
    pub kept_at: Option<f64>,
    /// Its size as stored, in bytes of UTF-8.
    pub bytes: f64,
}

impl KeptAside {
    /// The entry for storage key `key` holding `bytes` bytes, or `None` when `key` is not one
    /// of a record kept aside.
    pub fn new(key: &str, bytes: usize) -> Option<Self> {
        let rest = key.strip_prefix(DAMAGED_KEY)?.strip_prefix(':')?;
        let time = rest.split(':').next().unwrap_or_default();
        let kept_at = (!time.is_empty() && time.bytes().all(|b| b.is_ascii_digit()))
            .then(|| time.parse::<u64>().ok())
            .flatten()
            .map(|ms| ms as f64);
        Some(Self {
            key: key.to_owned(),
            kept_at,
            bytes: bytes as f64,
        })
    }

    /// Whether `key` names a record kept aside (the only keys `deleteKeptAside` removes).
    pub fn is_kept_aside(key: &str) -> bool {
        Self::new(key, 0).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_time_and_where_the_value_came_from() {
        let name = kept_aside_name(1_790_000_000_123, "vault_previous");
        assert_eq!(name, "vault_damaged:1790000000123:vault_previous");
        let entry = KeptAside::new(&name, 42).unwrap();
        assert_eq!(entry.kept_at, Some(1_790_000_000_123.0));
        assert_eq!(entry.bytes, 42.0);
        // Names written by the first release had no origin.
        assert_eq!(
            KeptAside::new("vault_damaged:17", 1).unwrap().kept_at,
            Some(17.0)
        );
        assert_eq!(KeptAside::new("vault_damaged:x", 1).unwrap().kept_at, None);
        assert!(KeptAside::new("vault_damagedX:1", 1).is_none());
        assert!(!KeptAside::is_kept_aside("vault"));
        assert!(!KeptAside::is_kept_aside("vault_previous"));
    }
}
