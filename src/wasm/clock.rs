//! The clock check's I/O: one `HEAD` request through the global `fetch` (`web-sys`), timed with
//! `Date.now()`, the cache in `chrome.storage.session`, the last success and the user's
//! agreement to correct codes in `chrome.storage.local` (`chrome.storage.session` only for a
//! check made from an incognito window). Every decision is made by `crate::clock_source`,
//! `crate::clock_correction` and `crate::clock`.

use std::cell::RefCell;

use js_sys::{Date, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{
    AbortSignal, ReferrerPolicy, RequestCache, RequestCredentials, RequestInit, RequestRedirect,
    Response, Window,
};

use serde::Serialize;

use super::errors::{ToJs, internal, refused};
use super::storage::{self, Area};
use super::to_js;
use crate::clock::{Direction, Measurement, Severity, verdict};
use crate::clock_correction::{Consent, Correction, Keep, Measured, consent, decide, keep};
use crate::clock_source::{
    Answer, Check, CheckCache, Origin, SourceError, assess, build_unix_seconds, fallback_source,
    tab_origin,
};
use crate::coded::RequestError;
use crate::store::Stored;

/// Session-storage key of the recent measurements ([`CheckCache`] as JSON).
const CACHE_KEY: &str = "clock_checks";
/// Key of the last successful measurement ([`Check`] as JSON).
const LAST_KEY: &str = "clock_last_check";
/// Key of the agreement to correct codes ([`Consent`] as JSON).
const CONSENT_KEY: &str = "clock_correction";
/// A source that has not answered after this long is given up on.
const TIMEOUT_MS: u32 = 3000;

/// What the popup renders: a measurement with its verdict. `source` is the host shown to the
/// user, `origin` the serialised origin that answered, `measuredAt` the device time of the
/// measurement (ms since the Unix epoch), `reused` true when an earlier measurement (under
/// 10 minutes old) was reused, `correction` what "Use corrected time" may do with it
/// (`notNeeded`, `untrusted`, `off`, `on`; `null` for the last check shown in Settings),
/// `needsConfirmation` whether turning it on needs the offset confirmed, and `appliedOffsetMs`
/// the offset codes follow. Numbers are JS numbers (ms offsets are far inside
/// 2^53).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    source: &'a str,
    origin: &'a str,
    offset_ms: f64,
    uncertainty_ms: f64,
    offset_seconds: f64,
    severity: Severity,
    direction: Direction,
    hours: f64,
    minutes: f64,
    seconds: f64,
    time_zone_suspected: bool,
    measured_at: f64,
    reused: bool,
    correction: Option<&'static str>,
    needs_confirmation: bool,
    applied_offset_ms: f64,
}

/// The check the popup shows, with what [`set_clock_correction`] needs to act on it.
struct Shown {
    check: Check,
    reused: bool,
    fallback_origin: Option<String>,
    keep: Keep,
}

impl Shown {
    fn measured(&self) -> Measured<'_> {
        Measured {
            check: &self.check,
            fallback_origin: self.fallback_origin.as_deref(),
        }
    }
}

thread_local! {
    /// The last check this page showed (one popup, one check).
    static SHOWN: RefCell<Option<Shown>> = const { RefCell::new(None) };
}

fn area(keep: Keep) -> Area {
    match keep {
        Keep::OnDisk => Area::Local,
        Keep::MemoryOnly => Area::Session,
    }
}

fn report(check: &Check, reused: bool, correction: Option<Correction>) -> Result<JsValue, JsValue> {
    let v = verdict(&Measurement {
        offset_ms: check.offset_ms,
        uncertainty_ms: check.uncertainty_ms,
    });
    to_js(&Report {
        source: &check.source,
        origin: &check.origin,
        offset_ms: check.offset_ms as f64,
        uncertainty_ms: check.uncertainty_ms as f64,
        offset_seconds: v.offset_seconds as f64,
        severity: v.severity,
        direction: v.direction,
        hours: v.parts.hours as f64,
        minutes: v.parts.minutes as f64,
        seconds: v.parts.seconds as f64,
        time_zone_suspected: v.time_zone_suspected,
        measured_at: check.measured_at as f64,
        reused,
        correction: correction.map(Correction::state),
        needs_confirmation: correction.is_some_and(Correction::needs_confirmation),
        applied_offset_ms: correction.map_or(0, Correction::applied_offset_ms) as f64,
    })
}

/// An acceptable fallback time source: the URL to store and request, the host permission to
/// request for it, and the host shown.
#[derive(Serialize)]
struct FallbackChoice<'a> {
    url: &'a str,
    permission: String,
    source: String,
}

/// `fetch(url, init)` of this page; `None` outside a page (the check runs in the popup only).
fn fetch(url: &str, init: &RequestInit) -> Option<Promise> {
    let window = js_sys::global().dyn_into::<Window>().ok()?;
    Some(window.fetch_with_str_and_init(url, init))
}

fn now_ms() -> u64 {
    Date::now().max(0.0) as u64
}

/// Sends one `HEAD` to `url` (no cookies, no cache, no referrer, 3 s limit) and measures.
/// Any failure — network, timeout, bad answer — is `None`.
async fn ask(url: &str, origin: &Origin) -> Option<Check> {
    let init = RequestInit::new();
    init.set_method("HEAD");
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    // A redirect is never followed: the answer must come from the origin asked.
    init.set_redirect(RequestRedirect::Error);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(TIMEOUT_MS)));
    let sent_ms = now_ms();
    let response = JsFuture::from(fetch(url, &init)?).await.ok()?;
    let received_ms = now_ms();
    // `fetch` resolves to a Response, by specification.
    let response: Response = response.unchecked_into();
    let date = response.headers().get("date").ok().flatten();
    let final_url = response.url();
    let answer = Answer {
        sent_ms,
        received_ms,
        date: date.as_deref(),
        final_url: &final_url,
    };
    let m = assess(&answer, origin, build_unix_seconds()).ok()?;
    Some(Check {
        origin: origin.serialize(),
        source: origin.display_host(),
        measured_at: received_ms,
        offset_ms: m.offset_ms,
        uncertainty_ms: m.uncertainty_ms,
    })
}

/// What the page asks of the clock check: a new check, or "Use corrected time" turned on or off
/// for the check it shows. One async function serves both (one state machine in the module).
enum Request {
    Check {
        tab_url: Option<String>,
        fallback_url: Option<String>,
        incognito: bool,
    },
    Correct {
        on: bool,
        confirmed: bool,
    },
}

async fn run(request: Request) -> Result<JsValue, JsValue> {
    let shown = match request {
        Request::Check {
            tab_url,
            fallback_url,
            incognito,
        } => match check(tab_url, fallback_url, incognito).await {
            Ok(Some(shown)) => shown,
            // No usable answer, or anything failing: say nothing.
            Ok(None) | Err(_) => return Ok(JsValue::NULL),
        },
        Request::Correct { on, confirmed } => {
            let shown = SHOWN
                .with(|cell| cell.borrow_mut().take())
                .ok_or_else(|| refused(RequestError::NoClockCheck))?;
            let agreed = match (on, consent(&shown.measured(), confirmed)) {
                (false, _) => "null".to_owned(),
                (true, Ok(agreed)) => agreed.to_json(),
                (true, Err(e)) => {
                    SHOWN.with(|cell| *cell.borrow_mut() = Some(shown));
                    return Err(e.to_js());
                }
            };
            storage::set(area(shown.keep), &[(CONSENT_KEY, &agreed)]).await?;
            shown
        }
    };
    let stored = storage::get(area(shown.keep), &[CONSENT_KEY]).await?;
    let agreed = Consent::from_json(stored.first().and_then(Stored::raw));
    let correction = decide(&shown.measured(), agreed.as_ref());
    let result = report(&shown.check, shown.reused, Some(correction));
    SHOWN.with(|cell| *cell.borrow_mut() = Some(shown));
    result
}

/// Measures (or reuses a recent measurement); `None` when no source gave a usable answer.
async fn check(
    tab_url: Option<String>,
    fallback_url: Option<String>,
    incognito: bool,
) -> Result<Option<Shown>, JsValue> {
    let keep = keep(incognito);
    let fallback = fallback_url
        .as_deref()
        .and_then(|u| fallback_source(u).ok());
    let fallback_origin = fallback.as_ref().map(|f| f.origin.serialize());
    let mut targets: Vec<(String, Origin)> = Vec::new();
    if let Some(origin) = tab_url.as_deref().and_then(tab_origin) {
        targets.push((origin.root_url(), origin));
    }
    if let Some(fallback) = fallback {
        targets.push((fallback.url, fallback.origin));
    }
    if targets.is_empty() {
        return Ok(None);
    }
    let stored = storage::get(Area::Session, &[CACHE_KEY]).await?;
    let cached = stored.first().and_then(Stored::raw);
    let mut cache = CheckCache::from_json(cached);
    for (url, origin) in targets {
        let shown = |check: Check, reused: bool| Shown {
            check,
            reused,
            fallback_origin: fallback_origin.clone(),
            keep,
        };
        if let Some(reused) = cache.lookup(&origin.serialize(), now_ms()) {
            return Ok(Some(shown(reused.clone(), true)));
        }
        if let Some(fresh) = ask(&url, &origin).await {
            cache.insert(fresh.clone());
            let last = serde_json_wasm::to_string(&fresh).map_err(internal)?;
            storage::set(Area::Session, &[(CACHE_KEY, &cache.to_json())]).await?;
            storage::set(area(keep), &[(LAST_KEY, &last)]).await?;
            return Ok(Some(shown(fresh, false)));
        }
    }
    Ok(None)
}

/// `checkClock(tabUrl, fallbackUrl, incognito)`: measures the device clock against the origin
/// of the page in the active tab (only `http`/`https`), else against the fallback source;
/// reuses a measurement of the same origin under 10 minutes old. `incognito` (the window the
/// popup serves is private) keeps the last check and the agreement to correct codes in memory
/// only. Resolves to `{source, origin, offsetMs, uncertaintyMs, offsetSeconds, severity,
/// direction, hours, minutes, seconds, timeZoneSuspected, measuredAt, reused, correction,
/// needsConfirmation, appliedOffsetMs}`, or `null` when no source gave a usable answer. Never
/// rejects.
#[wasm_bindgen(js_name = checkClock)]
pub fn check_clock(
    tab_url: Option<String>,
    fallback_url: Option<String>,
    incognito: bool,
) -> Promise {
    future_to_promise(run(Request::Check {
        tab_url,
        fallback_url,
        incognito,
    }))
}

/// `setClockCorrection(on, confirmed)`: turns "Use corrected time" on or off for the check
/// this page showed last, and resolves to that check's report again. Turning it on for an
/// offset beyond 10 minutes needs `confirmed`; the agreement names the measuring site, so
/// another site asks again. Rejects with `code` `clock.confirm`, `clock.untrusted`,
/// `clock.not-needed` or `clock.none` (no check shown yet).
#[wasm_bindgen(js_name = setClockCorrection)]
pub fn set_clock_correction(on: bool, confirmed: bool) -> Promise {
    future_to_promise(run(Request::Correct { on, confirmed }))
}

/// `lastClockCheck(incognito)`: the last successful measurement (same shape as `checkClock`,
/// `correction` null), or `null` if there was none. From an incognito window, only one made
/// there in this browser session.
#[wasm_bindgen(js_name = lastClockCheck)]
pub fn last_clock_check(incognito: bool) -> Promise {
    future_to_promise(async move {
        let stored = storage::get(area(keep(incognito)), &[LAST_KEY]).await?;
        let last = stored
            .first()
            .and_then(Stored::raw)
            .and_then(|text| serde_json_wasm::from_str::<Check>(text).ok());
        match last {
            Some(check) => report(&check, true, None),
            None => Ok(JsValue::NULL),
        }
    })
}

/// `clockFallback(url)`: `{url, permission, source}` for an acceptable fallback time source
/// (`https://`, or `http://` on localhost/127.0.0.1/[::1]); throws an `Error` with `code`
/// `clock.fallback`, `field` `fallback`, a `detail` saying what to change and its `values`.
#[wasm_bindgen(js_name = clockFallback)]
pub fn clock_fallback(url: &str) -> Result<JsValue, JsValue> {
    let fallback = fallback_source(url).map_err(|e: SourceError| e.to_js())?;
    to_js(&FallbackChoice {
        url: &fallback.url,
        permission: fallback.origin.permission_pattern(),
        source: fallback.origin.display_host(),
    })
}
