//! Where the clock check asks for the time, and whether to believe the answer.
//!
//! Pure decisions around [`crate::clock`]: which URL to send a `HEAD` request to for the page
//! in the active tab (its origin root, only for `http`/`https`), whether a fallback time source
//! the user typed is acceptable (`https`, or `http` on loopback only), whether an answer may be
//! used (only from the origin asked: the bindings send the request with `redirect: "error"`, so
//! no redirect is followed, and [`assess`] still refuses an answer from anywhere else), and
//! whether an earlier measurement can be reused (same source, younger than [`REUSE_MS`]). Nothing here touches
//! the network, storage or the clock: every time is an argument.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::{
    ClockError, HTTP_DATE_RESOLUTION_MS, Measurement, Rejection, Sample, measure, parse_http_date,
};
use crate::coded::{Coded, MessageValue};

/// How long a measurement is reused for the same source: 10 minutes.
pub const REUSE_MS: u64 = 600_000;
/// Most measurements kept in the cache (oldest dropped first).
pub const CACHE_CAPACITY: usize = 16;
/// Earliest time a believable server can report: 2026-11-23T00:00:00Z, the day this check
/// was written. `build.rs` raises it to `SOURCE_DATE_EPOCH` when that is later.
pub const BUILD_FLOOR_UNIX_SECONDS: u64 = 1_795_392_000;
/// Longest URL accepted for the fallback time source.
pub const MAX_URL_LEN: usize = 2048;

/// The build date of the extension in Unix seconds (see [`BUILD_FLOOR_UNIX_SECONDS`]);
/// server times before it are not believed.
pub fn build_unix_seconds() -> u64 {
    option_env!("TBA_BUILD_UNIX_SECONDS")
        .and_then(|text| text.parse().ok())
        .unwrap_or(BUILD_FLOOR_UNIX_SECONDS)
        .max(BUILD_FLOOR_UNIX_SECONDS)
}

/// `http` or `https`: the only schemes the clock check talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP.
    Http,
    /// HTTP over TLS.
    Https,
}

impl Scheme {
    fn name(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }
}

/// The origin of an `http(s)` URL: scheme, lower-case host and non-default port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Scheme.
    pub scheme: Scheme,
    /// Host as in the URL, lower case; IPv6 addresses keep their brackets (`[::1]`).
    pub host: String,
    /// Port, `None` when it is the scheme's default.
    pub port: Option<u16>,
}

/// Why a URL cannot be used as a time source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// Nothing was entered.
    Empty,
    /// Longer than [`MAX_URL_LEN`].
    TooLong,
    /// The URL does not start with `http://` or `https://`.
    NotHttp,
    /// `http://` to a host other than this device.
    InsecureRemote(String),
    /// The host is missing or has characters a host name cannot have.
    BadHost(String),
    /// The port is not a number from 1 to 65535.
    BadPort(String),
    /// A user name or password is in the URL.
    Credentials,
    /// Spaces or control characters in the URL.
    Whitespace,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "Enter the address of a time source, e.g. https://example.com/"
            ),
            Self::TooLong => write!(f, "The address is longer than {MAX_URL_LEN} characters"),
            Self::NotHttp => write!(f, "The address must start with https://"),
            Self::InsecureRemote(host) => write!(
                f,
                "'{host}' must be reached with https:// (http:// is allowed only for this device: \
                 localhost, 127.0.0.1 or [::1])"
            ),
            Self::BadHost(host) => write!(f, "'{host}' is not a host name"),
            Self::BadPort(port) => write!(f, "port '{port}' is not a number from 1 to 65535"),
            Self::Credentials => write!(f, "Remove the user name and password from the address"),
            Self::Whitespace => write!(f, "The address must not contain spaces"),
        }
    }
}

impl std::error::Error for SourceError {}

/// Every refusal is `clock.fallback` on the **fallback** field; the detail says which.
impl Coded for SourceError {
    fn code(&self) -> &'static str {
        "clock.fallback"
    }

    fn field(&self) -> Option<&'static str> {
        Some("fallback")
    }

    fn detail(&self) -> Option<&'static str> {
        Some(match self {
            Self::Empty => "clock.fallback-empty",
            Self::TooLong => "clock.fallback-too-long",
            Self::NotHttp => "clock.fallback-not-http",
            Self::InsecureRemote(_) => "clock.fallback-insecure",
            Self::BadHost(_) => "clock.fallback-host",
            Self::BadPort(_) => "clock.fallback-port",
            Self::Credentials => "clock.fallback-credentials",
            Self::Whitespace => "clock.fallback-spaces",
        })
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::TooLong => vec![MessageValue::number(MAX_URL_LEN)],
            Self::InsecureRemote(text) | Self::BadHost(text) | Self::BadPort(text) => {
                vec![MessageValue::text(text.as_str())]
            }
            _ => Vec::new(),
        }
    }
}

impl Origin {
    /// The origin of `url`, or why it has none the check can use. Accepts what browsers
    /// report for tabs (already normalised) and what people type (scheme and host in any
    /// case, default ports written out, `\` for `/`). A user name or password is reported
    /// as [`SourceError::Credentials`].
    ///
    /// # Errors
    ///
    /// A [`SourceError`] naming the first problem.
    pub fn parse(url: &str) -> Result<Self, SourceError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(SourceError::Empty);
        }
        if url.len() > MAX_URL_LEN {
            return Err(SourceError::TooLong);
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(SourceError::Whitespace);
        }
        let (scheme, rest) = url.split_once(':').ok_or(SourceError::NotHttp)?;
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            Scheme::Https
        } else if scheme.eq_ignore_ascii_case("http") {
            Scheme::Http
        } else {
            return Err(SourceError::NotHttp);
        };
        let rest = rest
            .strip_prefix("//")
            .or_else(|| rest.strip_prefix("\\\\"))
            .ok_or(SourceError::NotHttp)?;
        let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..end).unwrap_or_default();
        if authority.contains('@') {
            return Err(SourceError::Credentials);
        }
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            None | Some("") => None,
            Some(text) => {
                let bad = || SourceError::BadPort(text.to_owned());
                if text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                match text.parse::<u16>() {
                    Ok(0) | Err(_) => return Err(bad()),
                    Ok(p) if p == scheme.default_port() => None,
                    Ok(p) => Some(p),
                }
            }
        };
        Ok(Self {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// `scheme://host[:port]`, the origin as the web serialises it (also the cache key).
    pub fn serialize(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme.name(), self.host),
            None => format!("{}://{}", self.scheme.name(), self.host),
        }
    }

    /// The root of the origin, `scheme://host[:port]/`: where the check sends its `HEAD`.
    pub fn root_url(&self) -> String {
        format!("{}/", self.serialize())
    }

    /// The host as shown to the user, with the port when it is not the default.
    pub fn display_host(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// The match pattern for a host permission on this origin (`https://host/*`; match
    /// patterns cover every port).
    pub fn permission_pattern(&self) -> String {
        format!("{}://{}/*", self.scheme.name(), self.host)
    }

    /// True for `localhost`, `127.0.0.1` and `[::1]`.
    pub fn is_loopback(&self) -> bool {
        matches!(self.host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
    }
}

/// Splits `host[:port]` (or `[v6]:port`) and checks the host's characters.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), SourceError> {
    let bad_host = || SourceError::BadHost(authority.to_owned());
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or_else(bad_host)?;
        let (host, after) = authority.split_at_checked(close + 1).ok_or_else(bad_host)?;
        let inner = host.get(1..host.len() - 1).unwrap_or_default();
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(bad_host());
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or_else(bad_host)?),
        };
        (host, port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        // No empty label: not empty, no leading dot, no ".."; one trailing dot (the DNS root)
        // is allowed.
        let valid = !host
            .strip_suffix('.')
            .unwrap_or(host)
            .split('.')
            .any(str::is_empty)
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
        if !valid {
            return Err(bad_host());
        }
        (host, port)
    };
    Ok((host, port))
}

/// The origin to check for the page in the active tab: `Some` only for `http` and `https`
/// pages (never `chrome:`, `chrome-extension:`, `file:`, `about:`, …).
pub fn tab_origin(tab_url: &str) -> Option<Origin> {
    // Browsers may show a user name in a tab's URL; the origin root never carries it.
    let url = tab_url.trim();
    let (scheme, rest) = url.split_once(':')?;
    let rest = rest.strip_prefix("//")?;
    let after_credentials = match rest.find(['/', '?', '#']) {
        Some(end) => {
            let (authority, path) = rest.split_at_checked(end)?;
            let host = authority
                .rsplit_once('@')
                .map_or(authority, |(_, host)| host);
            format!("{scheme}://{host}{path}")
        }
        None => {
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{host}")
        }
    };
    Origin::parse(&after_credentials).ok()
}

/// A fallback time source the user may configure: the URL to request and its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// The URL to send the `HEAD` request to (trimmed, without a `#fragment`).
    pub url: String,
    /// Its origin.
    pub origin: Origin,
}

/// Checks a fallback time source URL: `https://…`, or `http://…` only on this device
/// (`localhost`, `127.0.0.1`, `[::1]`).
///
/// # Errors
///
/// A [`SourceError`] saying what to change.
pub fn fallback_source(url: &str) -> Result<Fallback, SourceError> {
    let origin = Origin::parse(url)?;
    if origin.scheme == Scheme::Http && !origin.is_loopback() {
        return Err(SourceError::InsecureRemote(origin.host));
    }
    let url = url.trim();
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    Ok(Fallback {
        url: url.to_owned(),
        origin,
    })
}

/// What came back from one `HEAD` request.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// Device time when the request was sent (ms since the Unix epoch).
    pub sent_ms: u64,
    /// Device time when the response headers arrived (ms since the Unix epoch).
    pub received_ms: u64,
    /// The `Date` header, if there was one.
    pub date: Option<&'a str>,
    /// The URL of the response after any redirects (`Response.url`).
    pub final_url: &'a str,
}

/// Why an answer was not believed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadAnswer {
    /// No `Date` header.
    NoDate,
    /// The `Date` header is not an HTTP date.
    BadDate(ClockError),
    /// The response came from another origin after a redirect.
    OtherOrigin(String),
    /// The numbers are not believable (round trip, before the build, over 10 years).
    Rejected(Rejection),
}

impl fmt::Display for BadAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoDate => write!(f, "the answer has no Date header"),
            Self::BadDate(e) => write!(f, "the Date header is unusable: {e}"),
            Self::OtherOrigin(url) => write!(f, "the answer came from another origin ({url})"),
            Self::Rejected(r) => write!(f, "{r}"),
        }
    }
}

impl std::error::Error for BadAnswer {}

/// Turns an answer from `requested` into a measurement, or says why it is ignored:
/// a missing or unparseable `Date`, a redirect to another origin, or anything
/// [`measure`] rejects (received before sent, round trip over 5 s, server time before
/// `build_unix_seconds`, more than 10 years off).
///
/// # Errors
///
/// The [`BadAnswer`] that disqualifies the answer.
pub fn assess(
    answer: &Answer<'_>,
    requested: &Origin,
    build_unix_seconds: u64,
) -> Result<Measurement, BadAnswer> {
    match Origin::parse(answer.final_url) {
        Ok(origin) if origin == *requested => {}
        _ => return Err(BadAnswer::OtherOrigin(answer.final_url.to_owned())),
    }
    let date = answer.date.ok_or(BadAnswer::NoDate)?;
    let server_unix_seconds = parse_http_date(date).map_err(BadAnswer::BadDate)?;
    let sample = Sample {
        sent_ms: answer.sent_ms,
        received_ms: answer.received_ms,
        server_unix_seconds,
        resolution_ms: HTTP_DATE_RESOLUTION_MS,
    };
    measure(&sample, build_unix_seconds).map_err(BadAnswer::Rejected)
}

/// One successful measurement, as kept in session storage and shown in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// The serialised origin that answered (`https://example.com`).
    pub origin: String,
    /// The host to show (`example.com`, `127.0.0.1:8080`).
    pub source: String,
    /// Device time when the answer arrived (ms since the Unix epoch).
    pub measured_at: u64,
    /// Server time − device time in ms (positive: the device clock is behind).
    pub offset_ms: i64,
    /// Half-width of the error bound in ms.
    pub uncertainty_ms: u64,
}

impl Check {
    /// Whether this measurement may stand in for a new one of `origin` at `now_ms`:
    /// same origin and less than [`REUSE_MS`] old (a clock that went backwards since
    /// does not reuse it).
    pub fn reusable_for(&self, origin: &str, now_ms: u64) -> bool {
        self.origin == origin
            && now_ms
                .checked_sub(self.measured_at)
                .is_some_and(|age| age < REUSE_MS)
    }
}

/// Recent measurements, newest first, at most [`CACHE_CAPACITY`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckCache {
    /// The measurements.
    pub checks: Vec<Check>,
}

impl CheckCache {
    /// Reads the stored form; anything unreadable is an empty cache.
    pub fn from_json(text: Option<&str>) -> Self {
        text.and_then(|t| serde_json_wasm::from_str(t).ok())
            .unwrap_or_default()
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json_wasm::to_string(self).unwrap_or_default()
    }

    /// A measurement of `origin` that can be reused at `now_ms`.
    pub fn lookup(&self, origin: &str, now_ms: u64) -> Option<&Check> {
        self.checks.iter().find(|c| c.reusable_for(origin, now_ms))
    }

    /// Adds `check`, replacing any of the same origin and dropping what can no longer be
    /// reused at `check.measured_at`.
    pub fn insert(&mut self, check: Check) {
        let now = check.measured_at;
        self.checks
            .retain(|c| c.origin != check.origin && c.reusable_for(&c.origin, now));
        self.checks.insert(0, check);
        self.checks.truncate(CACHE_CAPACITY);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const DATE: &str = "Mon, 23 Nov 2026 12:00:00 GMT";
    const DATE_SECONDS: u64 = 1_795_392_000 + 12 * 3600;

    fn origin(url: &str) -> Origin {
        Origin::parse(url).unwrap()
    }

    fn answer<'a>(date: Option<&'a str>, final_url: &'a str) -> Answer<'a> {
        let sent_ms = DATE_SECONDS * 1000;
        Answer {
            sent_ms,
            received_ms: sent_ms + 100,
            date,
            final_url,
        }
    }

    #[test]
    fn tab_urls_map_to_origin_roots() {
        let cases = [
            (
                "https://example.com/login?next=/a#x",
                "https://example.com/",
            ),
            ("http://example.com", "http://example.com/"),
            ("HTTPS://Example.COM:443/x", "https://example.com/"),
            ("http://127.0.0.1:8080/page", "http://127.0.0.1:8080/"),
            ("http://[::1]:3000/", "http://[::1]:3000/"),
            ("https://user:pw@example.com/x", "https://example.com/"),
            ("https://a.example?q", "https://a.example/"),
        ];
        for (tab, root) in cases {
            assert_eq!(
                tab_origin(tab).map(|o| o.root_url()).as_deref(),
                Some(root),
                "{tab}"
            );
        }
        let none = [
            "chrome://extensions/",
            "chrome-extension://abcdefghijklmnop/popup.html",
            "file:///home/me/page.html",
            "about:blank",
            "data:text/html,hi",
            "view-source:https://example.com/",
            "blob:https://example.com/uuid",
            "ftp://example.com/",
            "https:///nohost",
            "https://exa mple.com/",
            "",
        ];
        for tab in none {
            assert_eq!(tab_origin(tab), None, "{tab}");
        }
    }

    #[test]
    fn origin_display_and_permission() {
        let o = origin("http://127.0.0.1:8080/x");
        assert_eq!(o.display_host(), "127.0.0.1:8080");
        assert_eq!(o.serialize(), "http://127.0.0.1:8080");
        assert_eq!(o.permission_pattern(), "http://127.0.0.1/*");
        let o = origin("https://time.example.org/");
        assert_eq!(o.display_host(), "time.example.org");
        assert_eq!(o.permission_pattern(), "https://time.example.org/*");
        assert_eq!(origin("http://example.com:80/").port, None);
        assert_eq!(origin("https://example.com:/").port, None);
        // A fully qualified name ends with the root's dot.
        assert_eq!(origin("https://example.com./").host, "example.com.");
    }

    #[test]
    fn fallback_rules() {
        let ok = fallback_source(" https://time.example.org/now#frag ").unwrap();
        assert_eq!(ok.url, "https://time.example.org/now");
        assert_eq!(ok.origin.host, "time.example.org");
        for loopback in [
            "http://127.0.0.1:9000/",
            "http://localhost/",
            "http://[::1]:8000/",
        ] {
            assert!(fallback_source(loopback).is_ok(), "{loopback}");
        }
        let cases = [
            ("", SourceError::Empty),
            ("   ", SourceError::Empty),
            (
                "http://example.com/",
                SourceError::InsecureRemote("example.com".into()),
            ),
            (
                "http://127.0.0.2/",
                SourceError::InsecureRemote("127.0.0.2".into()),
            ),
            ("ftp://example.com/", SourceError::NotHttp),
            ("example.com", SourceError::NotHttp),
            ("https:example.com", SourceError::NotHttp),
            ("javascript:alert(1)", SourceError::NotHttp),
            ("https://u:p@example.com/", SourceError::Credentials),
            ("https://exa mple.com/", SourceError::Whitespace),
            ("https://example.com:0/", SourceError::BadPort("0".into())),
            (
                "https://example.com:65536/",
                SourceError::BadPort("65536".into()),
            ),
            ("https://example.com:8a/", SourceError::BadPort("8a".into())),
            (
                "https://ex!ample.com/",
                SourceError::BadHost("ex!ample.com".into()),
            ),
            ("https://a..b/", SourceError::BadHost("a..b".into())),
            ("https://a../", SourceError::BadHost("a..".into())),
            ("https://.a/", SourceError::BadHost(".a".into())),
            ("https://./", SourceError::BadHost(".".into())),
            ("https:///", SourceError::BadHost("".into())),
            ("https://[zz]/", SourceError::BadHost("[zz]".into())),
            ("https://[::1/", SourceError::BadHost("[::1".into())),
        ];
        for (url, want) in cases {
            assert_eq!(fallback_source(url), Err(want), "{url:?}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(fallback_source(&long), Err(SourceError::TooLong));
        assert!(
            SourceError::InsecureRemote("example.com".into())
                .to_string()
                .contains("https://")
        );
    }

    #[test]
    fn good_answer_is_measured() {
        let requested = origin("https://example.com/");
        let m = assess(
            &answer(Some(DATE), "https://example.com/"),
            &requested,
            BUILD_FLOOR_UNIX_SECONDS,
        )
        .unwrap();
        // Midpoint 50 ms after the send; Date second centre 500 ms after it.
        assert_eq!((m.offset_ms, m.uncertainty_ms), (450, 1050));
        // A redirect within the origin is fine.
        assert!(
            assess(
                &answer(Some(DATE), "https://example.com/home"),
                &requested,
                0
            )
            .is_ok()
        );
    }

    #[test]
    fn bad_answers_are_ignored() {
        let requested = origin("https://example.com/");
        let here = "https://example.com/";
        let bad = |a: Answer<'_>, build| assess(&a, &requested, build).unwrap_err();
        assert_eq!(bad(answer(None, here), 0), BadAnswer::NoDate);
        assert!(matches!(
            bad(answer(Some("garbage"), here), 0),
            BadAnswer::BadDate(_)
        ));
        assert!(matches!(
            bad(answer(Some(""), here), 0),
            BadAnswer::BadDate(_)
        ));
        for other in [
            "https://other.example/",
            "http://example.com/",
            "https://example.com:8443/",
            "",
            "not a url",
        ] {
            assert_eq!(
                bad(answer(Some(DATE), other), 0),
                BadAnswer::OtherOrigin(other.into()),
                "{other:?}"
            );
        }
        let slow = Answer {
            received_ms: DATE_SECONDS * 1000 + 5001,
            ..answer(Some(DATE), here)
        };
        assert!(matches!(
            bad(slow, 0),
            BadAnswer::Rejected(Rejection::RoundTripTooLong { .. })
        ));
        assert!(matches!(
            bad(answer(Some(DATE), here), DATE_SECONDS + 1),
            BadAnswer::Rejected(Rejection::ServerBeforeBuild { .. })
        ));
        let far = Answer {
            sent_ms: (DATE_SECONDS + 11 * 366 * 86_400) * 1000,
            received_ms: (DATE_SECONDS + 11 * 366 * 86_400) * 1000,
            ..answer(Some(DATE), here)
        };
        assert!(matches!(
            bad(far, 0),
            BadAnswer::Rejected(Rejection::OffsetTooLarge { .. })
        ));
        assert!(BadAnswer::NoDate.to_string().contains("Date"));
    }

    #[test]
    fn build_date_is_not_before_the_floor() {
        assert!(build_unix_seconds() >= BUILD_FLOOR_UNIX_SECONDS);
        assert_eq!(
            parse_http_date("Mon, 23 Nov 2026 00:00:00 GMT"),
            Ok(BUILD_FLOOR_UNIX_SECONDS)
        );
    }

    fn check(origin: &str, measured_at: u64) -> Check {
        Check {
            origin: origin.into(),
            source: origin.trim_start_matches("https://").into(),
            measured_at,
            offset_ms: -137_000,
            uncertainty_ms: 1_100,
        }
    }

    #[test]
    fn reuse_only_same_source_under_ten_minutes() {
        let c = check("https://a.example", 1_000_000);
        assert!(c.reusable_for("https://a.example", 1_000_000));
        assert!(c.reusable_for("https://a.example", 1_000_000 + REUSE_MS - 1));
        assert!(!c.reusable_for("https://a.example", 1_000_000 + REUSE_MS));
        assert!(!c.reusable_for("https://b.example", 1_000_001));
        assert!(!c.reusable_for("http://a.example", 1_000_001));
        // The device clock went backwards: measure again.
        assert!(!c.reusable_for("https://a.example", 999_999));
    }

    #[test]
    fn cache_keeps_one_fresh_entry_per_source() {
        let mut cache = CheckCache::from_json(Some("not json"));
        assert_eq!(cache, CheckCache::default());
        cache.insert(check("https://a.example", 0));
        cache.insert(check("https://b.example", 1_000));
        cache.insert(check("https://a.example", 2_000));
        assert_eq!(cache.checks.len(), 2);
        assert_eq!(
            cache
                .lookup("https://a.example", 3_000)
                .map(|c| c.measured_at),
            Some(2_000)
        );
        // Stale entries go when something new is stored.
        cache.insert(check("https://c.example", 1_000 + REUSE_MS));
        let origins: Vec<&str> = cache.checks.iter().map(|c| c.origin.as_str()).collect();
        assert_eq!(origins, ["https://c.example", "https://a.example"]);
        let round = CheckCache::from_json(Some(&cache.to_json()));
        assert_eq!(round, cache);
        assert!(cache.to_json().contains("\"measuredAt\""));
        for i in 0..40 {
            cache.insert(check(&format!("https://{i}.example"), 5_000 + REUSE_MS));
        }
        assert_eq!(cache.checks.len(), CACHE_CAPACITY);
        assert_eq!(
            cache.checks.first().map(|c| c.origin.as_str()),
            Some("https://39.example")
        );
    }
}
