//! "Use corrected time": when codes may follow a measured clock offset instead of the device
//! clock, and where the clock check may keep what it learned.
//!
//! A site that answers the clock check chooses the time it reports. If codes followed any
//! answer, a site could shift them into the future and collect codes that become valid later.
//! So a correction:
//!
//! - follows only measurements that cannot be altered on the way: over `https://`, or from the
//!   fallback time source the user chose themselves (which may be plain `http://` on this
//!   device only; see [`crate::clock_source::fallback_source`]);
//! - follows only the site the user agreed to: the agreement ([`Consent`]) names one origin, and
//!   a measurement by any other site asks again;
//! - moves codes by at most [`CAP_MS`] (10 minutes) unless the user confirmed the larger offset
//!   shown to them; a confirmed offset may then drift by up to [`CAP_MS`] before asking again.
//!
//! Nothing here reads the clock, storage or the network.

use serde::{Deserialize, Serialize};

use crate::clock::{Severity, round_to_seconds, severity};
use crate::clock_source::{Check, Origin, Scheme};
use crate::coded::Coded;

/// Largest offset codes follow without the user confirming it: 10 minutes.
pub const CAP_MS: u64 = 600_000;

/// What the user agreed to, as stored: the measurement they turned correction on for. Codes
/// then follow measurements of the same origin, within [`CAP_MS`] of the device clock, or,
/// when the agreed offset was beyond [`CAP_MS`] (which needs a confirmation, see [`consent`]),
/// within [`CAP_MS`] of that offset.
///
/// Stored in the same JSON form as a [`Check`] (one reader for both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Consent(pub Check);

impl Consent {
    /// Reads the stored form; anything unreadable is no agreement.
    pub fn from_json(text: Option<&str>) -> Option<Self> {
        text.and_then(|t| serde_json_wasm::from_str(t).ok())
            .map(Self)
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json_wasm::to_string(&self.0).unwrap_or_default()
    }

    /// True when this agreement lets codes follow `offset_ms` measured by `origin`.
    pub fn covers(&self, origin: &str, offset_ms: i64) -> bool {
        let agreed = self.0.offset_ms;
        self.0.origin == origin
            && (offset_ms.unsigned_abs() <= CAP_MS
                || (agreed.unsigned_abs() > CAP_MS && offset_ms.abs_diff(agreed) <= CAP_MS))
    }
}

/// What the popup does with a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    /// The clock is close enough ([`Severity::None`]): codes use the device clock, nothing is
    /// offered.
    NotNeeded,
    /// Measured over plain `http://` by a site that is not the fallback source: the warning is
    /// shown, but codes are never corrected for it.
    Untrusted,
    /// Correction can be turned on; `needs_confirmation` when the offset is beyond what the
    /// user agreed to without confirming ([`CAP_MS`], or their confirmed offset).
    Off {
        /// Turning it on needs an explicit confirmation of the offset.
        needs_confirmation: bool,
    },
    /// Codes follow the measured offset.
    On {
        /// The offset codes follow (ms; positive: the device clock is behind).
        offset_ms: i64,
    },
}

impl Correction {
    /// The state's name for the view: `notNeeded`, `untrusted`, `off` or `on`.
    pub fn state(self) -> &'static str {
        match self {
            Self::NotNeeded => "notNeeded",
            Self::Untrusted => "untrusted",
            Self::Off { .. } => "off",
            Self::On { .. } => "on",
        }
    }

    /// Whether turning correction on needs a confirmation of the offset.
    pub fn needs_confirmation(self) -> bool {
        matches!(
            self,
            Self::Off {
                needs_confirmation: true
            }
        )
    }

    /// The offset codes should follow: the measured one when [`Correction::On`], else 0.
    pub fn applied_offset_ms(self) -> i64 {
        match self {
            Self::On { offset_ms } => offset_ms,
            _ => 0,
        }
    }
}

/// Why the user cannot turn correction on for a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionError {
    /// The measurement came over plain `http://` from a site that is not the fallback source.
    Untrusted,
    /// The offset is beyond [`CAP_MS`] and was not confirmed.
    NeedsConfirmation,
    /// The clock is close enough; there is nothing to correct.
    NotNeeded,
}

impl CorrectionError {
    /// Stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Untrusted => "clock.untrusted",
            Self::NeedsConfirmation => "clock.confirm",
            Self::NotNeeded => "clock.not-needed",
        }
    }
}

impl std::fmt::Display for CorrectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Untrusted => {
                "Codes are corrected only for times measured over https:// or from your fallback \
                 time source; fix the device clock instead."
            }
            Self::NeedsConfirmation => {
                "The difference is more than 10 minutes; confirm it to correct codes by that much."
            }
            Self::NotNeeded => "The clock is close enough; codes need no correction.",
        })
    }
}

impl std::error::Error for CorrectionError {}

impl Coded for CorrectionError {
    fn code(&self) -> &'static str {
        CorrectionError::code(*self)
    }
}

/// One measurement, as [`decide`] and [`consent`] need it.
#[derive(Debug, Clone, Copy)]
pub struct Measured<'a> {
    /// The measurement.
    pub check: &'a Check,
    /// Serialised origin of the user's fallback time source, if one is set.
    pub fallback_origin: Option<&'a str>,
}

impl Measured<'_> {
    /// Whether the answer could not have been altered on the way, or comes from the source the
    /// user chose: `https://`, or the fallback source's origin.
    pub fn trusted(&self) -> bool {
        let origin = self.check.origin.as_str();
        self.fallback_origin == Some(origin)
            || Origin::parse(origin).is_ok_and(|origin| origin.scheme == Scheme::Https)
    }

    fn needed(&self) -> bool {
        severity(round_to_seconds(self.check.offset_ms)) != Severity::None
    }
}

/// What codes do with a measurement, given what the user agreed to.
pub fn decide(measured: &Measured<'_>, consent: Option<&Consent>) -> Correction {
    if !measured.needed() {
        return Correction::NotNeeded;
    }
    if !measured.trusted() {
        return Correction::Untrusted;
    }
    let Check {
        origin, offset_ms, ..
    } = measured.check;
    match consent {
        Some(c) if c.covers(origin, *offset_ms) => Correction::On {
            offset_ms: *offset_ms,
        },
        _ => Correction::Off {
            needs_confirmation: offset_ms.unsigned_abs() > CAP_MS,
        },
    }
}

/// The agreement to store when the user turns correction on for `measured`; `confirmed` says
/// they confirmed an offset beyond [`CAP_MS`] shown to them.
///
/// # Errors
/// [`CorrectionError`] when the measurement may not be followed, or needs a confirmation that
/// was not given.
pub fn consent(measured: &Measured<'_>, confirmed: bool) -> Result<Consent, CorrectionError> {
    if !measured.needed() {
        return Err(CorrectionError::NotNeeded);
    }
    if !measured.trusted() {
        return Err(CorrectionError::Untrusted);
    }
    if measured.check.offset_ms.unsigned_abs() > CAP_MS && !confirmed {
        return Err(CorrectionError::NeedsConfirmation);
    }
    Ok(Consent(measured.check.clone()))
}

/// Where the clock check keeps what it learned about the sites you visit (the last check, the
/// agreement to correct codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// `chrome.storage.local`: on disk, shown in Settings after a restart.
    OnDisk,
    /// `chrome.storage.session` only: memory, gone when the browser closes.
    MemoryOnly,
}

/// For a check made from an incognito (private) window, nothing that names a site goes to
/// disk: incognito browsing must leave no trace of the sites visited.
pub fn keep(incognito: bool) -> Keep {
    if incognito {
        Keep::MemoryOnly
    } else {
        Keep::OnDisk
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HTTPS: &str = "https://time.example";
    const HTTP: &str = "http://127.0.0.1:8080";
    const MINUTE: i64 = 60_000;
    const CAP: i64 = 600_000;

    fn check(origin: &str, offset_ms: i64) -> Check {
        Check {
            origin: origin.into(),
            source: origin.into(),
            measured_at: 1_795_392_000_000,
            offset_ms,
            uncertainty_ms: 1_050,
        }
    }

    /// The correction for a measurement of `origin`, no fallback source set.
    fn decide_for(origin: &str, offset_ms: i64, agreed: Option<&Consent>) -> Correction {
        let c = check(origin, offset_ms);
        decide(
            &Measured {
                check: &c,
                fallback_origin: None,
            },
            agreed,
        )
    }

    fn agree(origin: &str, offset_ms: i64, confirmed: bool) -> Result<Consent, CorrectionError> {
        let c = check(origin, offset_ms);
        consent(
            &Measured {
                check: &c,
                fallback_origin: None,
            },
            confirmed,
        )
    }

    const OFF: Correction = Correction::Off {
        needs_confirmation: false,
    };
    const ASK: Correction = Correction::Off {
        needs_confirmation: true,
    };

    #[test]
    fn only_https_or_the_fallback_source_is_trusted() {
        let trusted = |origin: &str, fallback: Option<&str>| {
            Measured {
                check: &check(origin, MINUTE),
                fallback_origin: fallback,
            }
            .trusted()
        };
        assert!(trusted(HTTPS, None));
        assert!(!trusted(HTTP, None));
        assert!(!trusted("http://example.com", None));
        assert!(!trusted("not an origin", None));
        assert!(trusted(HTTP, Some(HTTP)));
        // The fallback being set does not make another plain-http site trusted.
        assert!(!trusted(HTTP, Some("http://localhost:9000")));
        assert_eq!(decide_for(HTTP, MINUTE, None), Correction::Untrusted);
        assert_eq!(agree(HTTP, MINUTE, true), Err(CorrectionError::Untrusted));
        let c = check(HTTP, MINUTE);
        let via_fallback = Measured {
            check: &c,
            fallback_origin: Some(HTTP),
        };
        let agreed = consent(&via_fallback, false).unwrap();
        assert_eq!(
            decide(&via_fallback, Some(&agreed)),
            Correction::On { offset_ms: MINUTE }
        );
    }

    #[test]
    fn small_offsets_need_nothing() {
        assert_eq!(decide_for(HTTPS, 9_499, None), Correction::NotNeeded);
        assert_eq!(decide_for(HTTP, -9_499, None), Correction::NotNeeded);
        let agreed = agree(HTTPS, 2 * MINUTE, false).unwrap();
        assert_eq!(
            decide_for(HTTPS, 3_000, Some(&agreed)),
            Correction::NotNeeded
        );
        assert_eq!(agree(HTTPS, 3_000, false), Err(CorrectionError::NotNeeded));
    }

    #[test]
    fn on_only_for_the_site_agreed_to() {
        assert_eq!(decide_for(HTTPS, -137_000, None), OFF);
        let agreed = agree(HTTPS, -137_000, false).unwrap();
        let on = decide_for(HTTPS, -137_000, Some(&agreed));
        assert_eq!(
            on,
            Correction::On {
                offset_ms: -137_000
            }
        );
        assert_eq!(on.applied_offset_ms(), -137_000);
        assert_eq!((on.state(), on.needs_confirmation()), ("on", false));
        // A later measurement of the same site follows it.
        assert_eq!(
            decide_for(HTTPS, -140_000, Some(&agreed)).applied_offset_ms(),
            -140_000
        );
        // Another site measuring the same offset: asked again.
        let other = decide_for("https://other.example", -137_000, Some(&agreed));
        assert_eq!(other, OFF);
        assert_eq!(other.applied_offset_ms(), 0);
        // Same host, another port or scheme: another origin.
        assert_eq!(
            decide_for("https://time.example:8443", -137_000, Some(&agreed)),
            OFF
        );
    }

    #[test]
    fn more_than_ten_minutes_needs_a_confirmation() {
        // Exactly 10 minutes is within the cap.
        assert!(agree(HTTPS, CAP, false).is_ok());
        assert!(agree(HTTPS, -CAP, false).is_ok());
        assert_eq!(decide_for(HTTPS, CAP + 1, None), ASK);
        assert_eq!(ASK.state(), "off");
        assert!(ASK.needs_confirmation());
        let far = 3 * 60 * MINUTE + 20_000;
        assert_eq!(decide_for(HTTPS, far, None), ASK);
        assert_eq!(
            agree(HTTPS, far, false),
            Err(CorrectionError::NeedsConfirmation)
        );
        // An agreement for a small offset does not stretch to a large one.
        let small = agree(HTTPS, 2 * MINUTE, false).unwrap();
        assert_eq!(decide_for(HTTPS, far, Some(&small)), ASK);
        let confirmed = agree(HTTPS, far, true).unwrap();
        assert_eq!(
            decide_for(HTTPS, far, Some(&confirmed)).applied_offset_ms(),
            far
        );
        // The confirmed offset may drift by up to the cap, not more.
        assert_eq!(
            decide_for(HTTPS, far + CAP, Some(&confirmed)).applied_offset_ms(),
            far + CAP
        );
        assert_eq!(decide_for(HTTPS, far + CAP + 1, Some(&confirmed)), ASK);
        // The other direction is another offset altogether.
        assert_eq!(decide_for(HTTPS, -far, Some(&confirmed)), ASK);
        // Small offsets stay covered.
        assert_eq!(
            decide_for(HTTPS, MINUTE, Some(&confirmed)).applied_offset_ms(),
            MINUTE
        );
    }

    #[test]
    fn extreme_offsets_do_not_overflow() {
        let agreed = agree(HTTPS, i64::MIN, true).unwrap();
        assert!(agreed.covers(HTTPS, i64::MIN));
        assert!(!agreed.covers(HTTPS, i64::MAX));
        assert_eq!(decide_for(HTTPS, i64::MAX, Some(&agreed)), ASK);
    }

    #[test]
    fn consent_round_trips_and_garbage_is_no_consent() {
        let agreed = agree(HTTPS, -4 * 60 * MINUTE, true).unwrap();
        assert_eq!(
            Consent::from_json(Some(&agreed.to_json())),
            Some(agreed.clone())
        );
        // The same form as a Check: one reader for both.
        assert_eq!(
            serde_json_wasm::from_str::<Check>(&agreed.to_json()).unwrap(),
            agreed.0
        );
        // What an earlier release stored for "Use corrected time" (a boolean, for any site)
        // is no agreement: asked again.
        assert_eq!(Consent::from_json(Some("true")), None);
        assert_eq!(Consent::from_json(Some("{}")), None);
        assert_eq!(Consent::from_json(None), None);
    }

    #[test]
    fn incognito_checks_stay_in_memory() {
        assert_eq!(keep(true), Keep::MemoryOnly);
        assert_eq!(keep(false), Keep::OnDisk);
    }

    #[test]
    fn errors_have_codes_and_say_what_to_do() {
        for e in [
            CorrectionError::Untrusted,
            CorrectionError::NeedsConfirmation,
            CorrectionError::NotNeeded,
        ] {
            assert!(e.code().starts_with("clock."));
            assert!(e.to_string().ends_with('.'));
        }
        assert_eq!(Correction::NotNeeded.state(), "notNeeded");
        assert_eq!(Correction::Untrusted.state(), "untrusted");
    }
}
