//! Backups as a habit: what is recorded about the last backup, and when the popup should
//! remind the person to make one. Pure: the facts are bytes in and out, time and the vault are
//! arguments; the background worker runs it and stores the [`Notice`] the popup shows.
//!
//! The rule (issue 15): remind after [`REMIND_AFTER_ADDED`] accounts added since the last backup,
//! or [`REMIND_AFTER_SECONDS`] after it when anything changed since; once dismissed, stay quiet
//! until the next change. "Added since" is not a counter that every way of adding an account
//! would have to bump (the add form, imports, QR scans, other windows): the facts keep a short
//! fingerprint of every account id the backup held, and an account is new when its id is not
//! among them, so deleting and re-adding counts, and a rename does not.
//!
//! Only in the second module (the `transfer` feature): the popup reads the stored notice and
//! never links this code.

use serde::{Deserialize, Serialize};

use crate::account::AccountId;
use crate::stored_json::StoredJson;

/// Accounts added since the last backup that make the popup remind.
pub const REMIND_AFTER_ADDED: usize = 5;

/// Seconds after the last backup (30 days) after which any change makes the popup remind.
pub const REMIND_AFTER_SECONDS: u64 = 30 * 86_400;

/// Characters of an account id kept as its fingerprint: 12 hex digits of a random id, so two
/// of 10,000 accounts share one with a chance under 1 in 10^6.
const FINGERPRINT_CHARS: usize = 12;

/// What is recorded about the last backup (storage key `backup_facts`, JSON). Written by the
/// export page when a whole-vault export is made, and by the automatic backup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BackupFacts {
    /// When the last backup was made (Unix seconds); `None`: never.
    pub last_backup: Option<u64>,
    /// The vault's revision that backup held.
    pub revision: Option<u64>,
    /// Fingerprints of the ids of the accounts it held.
    pub backed_up: Vec<String>,
}

/// Why the popup reminds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// [`REMIND_AFTER_ADDED`] or more accounts added since the last backup (or, never backed
    /// up, that many accounts stored).
    Added,
    /// The last backup is older than [`REMIND_AFTER_SECONDS`] and the accounts changed since.
    Old,
}

/// What the popup shows (storage key `backup_notice`, JSON): the facts for **Last backup** in
/// Settings and whether the one-line reminder is due. Computed by the background worker when
/// the vault changes, the facts change, or once a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    /// When the last backup was made (Unix seconds), `None`: never.
    pub last_backup: Option<u64>,
    /// Accounts stored now that the last backup does not hold.
    pub added: usize,
    /// Why the reminder is due; `None`: no reminder.
    pub remind: Option<Reason>,
    /// The vault revision this was computed for: **Dismiss** records it, and the reminder
    /// stays away while the vault is at that revision.
    pub revision: u64,
}

/// Anything unreadable counts as "never backed up", which can only make the reminder come
/// sooner.
impl StoredJson for BackupFacts {}

impl BackupFacts {
    /// Records a backup of the vault at `revision` holding the accounts `ids`, made at `now`.
    pub fn record<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a AccountId>,
        revision: u64,
        now: u64,
    ) {
        let mut backed_up: Vec<String> = ids.into_iter().map(fingerprint).collect();
        backed_up.sort_unstable();
        backed_up.dedup();
        *self = Self {
            last_backup: Some(now),
            revision: Some(revision),
            backed_up,
        };
    }

    /// How many of `ids` the last backup does not hold.
    pub fn added_since<'a>(&self, ids: impl IntoIterator<Item = &'a AccountId>) -> usize {
        ids.into_iter()
            .filter(|id| {
                self.backed_up
                    .binary_search_by(|known| known.as_str().cmp(fingerprint(id).as_str()))
                    .is_err()
            })
            .count()
    }

    /// The notice for a vault at `revision` holding `ids`, at `now`. `dismissed` is the
    /// revision at which the person last dismissed the reminder.
    pub fn notice<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a AccountId>,
        revision: u64,
        dismissed: Option<u64>,
        now: u64,
    ) -> Notice {
        let added = self.added_since(ids);
        let changed = self.revision != Some(revision);
        let old = self
            .last_backup
            .is_some_and(|at| now.saturating_sub(at) >= REMIND_AFTER_SECONDS);
        let remind = if !changed || dismissed == Some(revision) {
            None
        } else if added >= REMIND_AFTER_ADDED {
            Some(Reason::Added)
        } else if old {
            Some(Reason::Old)
        } else {
            None
        };
        Notice {
            last_backup: self.last_backup,
            added,
            remind,
            revision,
        }
    }
}

impl Notice {
    /// The notice as stored.
    pub fn to_text(&self) -> String {
        // Strings, integers and an enum of names: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The fingerprint kept for an account id.
fn fingerprint(id: &AccountId) -> String {
    id.as_str().chars().take(FINGERPRINT_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 86_400;
    const NOW: u64 = 1_767_225_600;

    /// `n` ids spread like random ones (they differ in their first digits).
    fn ids(n: usize) -> Vec<AccountId> {
        (0..n as u128)
            .map(|i| (i + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835))
            .map(|x| AccountId::parse(&format!("{x:032x}")).unwrap())
            .collect()
    }

    #[test]
    fn never_backed_up_reminds_from_the_fifth_account() {
        let facts = BackupFacts::from_text(None);
        let four = ids(4);
        let notice = facts.notice(&four, 4, None, NOW);
        assert_eq!(
            (notice.remind, notice.added, notice.last_backup),
            (None, 4, None)
        );
        let five = ids(5);
        assert_eq!(
            facts.notice(&five, 5, None, NOW).remind,
            Some(Reason::Added)
        );
    }

    #[test]
    fn five_added_since_the_backup_remind_and_a_backup_ends_it() {
        let mut facts = BackupFacts::default();
        let all = ids(12);
        facts.record(&all[..7], 7, NOW);
        let notice = facts.notice(&all[..11], 11, None, NOW + 60);
        assert_eq!((notice.added, notice.remind), (4, None));
        let notice = facts.notice(&all, 12, None, NOW + 60);
        assert_eq!((notice.added, notice.remind), (5, Some(Reason::Added)));
        facts.record(&all, 12, NOW + 120);
        let notice = facts.notice(&all, 12, None, NOW + 180);
        assert_eq!((notice.added, notice.remind), (0, None));
        assert_eq!(notice.last_backup, Some(NOW + 120));
    }

    #[test]
    fn deleting_and_adding_counts_renaming_does_not() {
        let mut facts = BackupFacts::default();
        let all = ids(10);
        facts.record(&all[..5], 5, NOW);
        // Five deleted and five others added: the same count, but none of them is backed up.
        let notice = facts.notice(&all[5..], 15, None, NOW);
        assert_eq!((notice.added, notice.remind), (5, Some(Reason::Added)));
        // Renamed (a new revision, the same ids): nothing added, and not old yet.
        assert_eq!(facts.notice(&all[..5], 6, None, NOW).remind, None);
    }

    #[test]
    fn thirty_days_with_changes_remind() {
        let mut facts = BackupFacts::default();
        let all = ids(2);
        facts.record(&all, 3, NOW);
        let later = NOW + 30 * DAY;
        assert_eq!(facts.notice(&all, 3, None, later).remind, None, "no change");
        assert_eq!(
            facts.notice(&all, 4, None, later - 1).remind,
            None,
            "29 days"
        );
        assert_eq!(facts.notice(&all, 4, None, later).remind, Some(Reason::Old));
    }

    #[test]
    fn dismissed_until_the_next_change() {
        let facts = BackupFacts::default();
        let all = ids(6);
        assert_eq!(facts.notice(&all, 9, Some(9), NOW).remind, None);
        assert_eq!(
            facts.notice(&all, 10, Some(9), NOW).remind,
            Some(Reason::Added)
        );
    }

    #[test]
    fn facts_round_trip_and_garbage_means_never() {
        let mut facts = BackupFacts::default();
        facts.record(&ids(3), 3, NOW);
        assert_eq!(BackupFacts::from_text(Some(&facts.to_text())), facts);
        assert!(
            !facts.to_text().contains(ids(1)[0].as_str()),
            "only fingerprints"
        );
        for garbage in ["", "nonsense", "[1]", r#"{"lastBackup": "soon"}"#] {
            assert_eq!(
                BackupFacts::from_text(Some(garbage)),
                BackupFacts::default()
            );
        }
        let notice = facts.notice(&ids(3), 4, None, NOW).to_text();
        assert_eq!(
            notice,
            format!(r#"{{"lastBackup":{NOW},"added":0,"remind":null,"revision":4}}"#)
        );
    }
}
