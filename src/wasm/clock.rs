//! The clock check's I/O: one `HEAD` request through the global `fetch` (`web-sys`), timed with
//! `Date.now()`, the cache in `chrome.storage.session` and the last success in
//! `chrome.storage.local`. Every decision is made by `crate::clock_source` and `crate::clock`.

use js_sys::{Date, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{
    AbortSignal, ReferrerPolicy, RequestCache, RequestCredentials, RequestInit, Response, Window,
};

use serde::Serialize;

use super::errors::js_error;
use super::storage::{self, Area};
use super::to_js;
use crate::clock::{Direction, Measurement, Severity, verdict};
use crate::clock_source::{
    Answer, Check, CheckCache, Origin, SourceError, assess, build_unix_seconds, fallback_source,
    tab_origin,
};
use crate::store::Stored;

/// Session-storage key of the recent measurements ([`CheckCache`] as JSON).
const CACHE_KEY: &str = "clock_checks";
/// Local-storage key of the last successful measurement ([`Check`] as JSON).
const LAST_KEY: &str = "clock_last_check";
/// A source that has not answered after this long is given up on.
const TIMEOUT_MS: u32 = 3000;

/// What the popup renders: a measurement with its verdict. `source` is the host shown to the
/// user, `origin` the serialised origin that answered, `measuredAt` the device time of the
/// measurement (ms since the Unix epoch), and `reused` true when an earlier measurement (under
/// 10 minutes old) was reused. Numbers are JS numbers (ms offsets are far inside 2^53).
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
}

fn report(check: &Check, reused: bool) -> Result<JsValue, JsValue> {
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

async fn check(tab_url: Option<String>, fallback_url: Option<String>) -> Result<JsValue, JsValue> {
    let mut targets: Vec<(String, Origin)> = Vec::new();
    if let Some(origin) = tab_url.as_deref().and_then(tab_origin) {
        targets.push((origin.root_url(), origin));
    }
    if let Some(fallback) = fallback_url
        .as_deref()
        .and_then(|u| fallback_source(u).ok())
    {
        targets.push((fallback.url, fallback.origin));
    }
    if targets.is_empty() {
        return Ok(JsValue::NULL);
    }
    let stored = storage::get(Area::Session, &[CACHE_KEY]).await?;
    let cached = stored.first().and_then(Stored::raw);
    let mut cache = CheckCache::from_json(cached);
    for (url, origin) in targets {
        if let Some(reused) = cache.lookup(&origin.serialize(), now_ms()) {
            return report(reused, true);
        }
        if let Some(fresh) = ask(&url, &origin).await {
            cache.insert(fresh.clone());
            let last =
                serde_json_wasm::to_string(&fresh).map_err(|e| js_error("internal", None, e))?;
            storage::set(Area::Session, &[(CACHE_KEY, &cache.to_json())]).await?;
            storage::set(Area::Local, &[(LAST_KEY, &last)]).await?;
            return report(&fresh, false);
        }
    }
    Ok(JsValue::NULL)
}

/// `checkClock(tabUrl, fallbackUrl)`: measures the device clock against the origin of the
/// page in the active tab (only `http`/`https`), else against the fallback source; reuses a
/// measurement of the same origin under 10 minutes old. Resolves to `{source, origin,
/// offsetMs, uncertaintyMs, offsetSeconds, severity, direction, hours, minutes, seconds,
/// timeZoneSuspected, measuredAt, reused}`, or `null` when no source gave a usable answer.
/// Never rejects.
#[wasm_bindgen(js_name = checkClock)]
pub fn check_clock(tab_url: Option<String>, fallback_url: Option<String>) -> Promise {
    future_to_promise(
        async move { Ok(check(tab_url, fallback_url).await.unwrap_or(JsValue::NULL)) },
    )
}

/// `lastClockCheck()`: the last successful measurement (same shape as `checkClock`), or
/// `null` if there was none.
#[wasm_bindgen(js_name = lastClockCheck)]
pub fn last_clock_check() -> Promise {
    future_to_promise(async move {
        let stored = storage::get(Area::Local, &[LAST_KEY]).await?;
        let last = stored
            .first()
            .and_then(Stored::raw)
            .and_then(|text| serde_json_wasm::from_str::<Check>(text).ok());
        match last {
            Some(check) => report(&check, true),
            None => Ok(JsValue::NULL),
        }
    })
}

/// `clockFallback(url)`: `{url, permission, source}` for an acceptable fallback time source
/// (`https://`, or `http://` on localhost/127.0.0.1/[::1]); throws an `Error` with `code`
/// `clock.fallback`, `field` `fallback` and a message saying what to change.
#[wasm_bindgen(js_name = clockFallback)]
pub fn clock_fallback(url: &str) -> Result<JsValue, JsValue> {
    let fallback = fallback_source(url)
        .map_err(|e: SourceError| js_error("clock.fallback", Some("fallback"), e))?;
    to_js(&FallbackChoice {
        url: &fallback.url,
        permission: fallback.origin.permission_pattern(),
        source: fallback.origin.display_host(),
    })
}
