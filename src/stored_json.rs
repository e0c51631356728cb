//! Small records the background worker keeps as JSON text in `chrome.storage.local` (the
//! backup facts, the automatic backup's settings): read forgivingly, written plainly.
//!
//! Only in the second module (the `transfer` feature), like its users.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A record stored as JSON text whose default is the safe reading of anything unreadable.
pub trait StoredJson: Serialize + DeserializeOwned + Default {
    /// Reads the stored text; missing, not JSON, not an object or not this record's shape is
    /// the default (each implementor says why that is safe).
    fn from_text(text: Option<&str>) -> Self {
        text.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            .filter(serde_json::Value::is_object)
            .and_then(|value| serde_json::from_value(value).ok())
            .unwrap_or_default()
    }

    /// The record as stored. Implementors hold strings, integers and booleans only, so
    /// serialising cannot fail.
    fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
