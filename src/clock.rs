//! Detection of a wrong device clock.
//!
//! The extension sends a `HEAD` request to a web server, records the device
//! time (milliseconds since the Unix epoch) when the request was sent and when
//! the response arrived, and reads the HTTP `Date` header. This module turns
//! those numbers into a [`Verdict`]. It never reads the system clock: every
//! time is an argument.
//!
//! Pipeline: [`parse_http_date`] → [`Sample`] → [`measure`] → [`verdict`].

use std::fmt;

/// Resolution of an HTTP `Date` header: whole seconds, i.e. 1000 ms.
pub const HTTP_DATE_RESOLUTION_MS: u64 = 1000;
/// Longest accepted round trip; slower answers are too imprecise.
pub const MAX_ROUND_TRIP_MS: u64 = 5000;
/// Largest believable |offset|: 10 years of 365.25 days (315 576 000 s).
pub const MAX_OFFSET_MS: u64 = 315_576_000_000; // 3652.5 days × 86 400 000 ms
/// Whole-second |offset| from which the verdict is [`Severity::Warn`].
pub const WARN_SECONDS: u64 = 10;
/// Whole-second |offset| from which the verdict is [`Severity::Critical`].
pub const CRITICAL_SECONDS: u64 = 30;
/// Tolerance around a whole number of hours for [`time_zone_suspected`].
pub const TIME_ZONE_TOLERANCE_MS: u64 = 120_000;

const HOUR_MS: u64 = 3_600_000;
#[rustfmt::skip]
const MONTH_NAMES: [&str; 12] = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
];
#[rustfmt::skip]
const DAY_NAMES: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Why an HTTP date could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockError {
    /// The input was empty or only whitespace.
    Empty,
    /// The input matches none of the three HTTP date formats.
    UnrecognizedFormat(String),
    /// The weekday token is not a day name (short or full).
    InvalidWeekday(String),
    /// The month token is not a month name (short or full).
    InvalidMonth(String),
    /// A numeric field has non-digits or the wrong number of digits.
    InvalidNumber {
        /// Which field (`"day"`, `"year"`, `"hour"`, …).
        field: &'static str,
        /// The offending text.
        text: String,
        /// Human description of the expected shape, e.g. `"4-digit"`.
        expected: &'static str,
    },
    /// An RFC 850 date part is not `DD-Mon-YY`.
    MalformedDate(String),
    /// The time of day is not `HH:MM:SS`.
    MalformedTime(String),
    /// The day of the month does not exist in that month and year.
    InvalidDay {
        /// Day of month as written.
        day: u32,
        /// Month, 1 = January.
        month: u32,
        /// Four-digit year.
        year: u32,
    },
    /// Hour above 23.
    HourOutOfRange(u32),
    /// Minute above 59.
    MinuteOutOfRange(u32),
    /// Second above 60.
    SecondOutOfRange(u32),
    /// The `GMT` zone is missing.
    MissingTimeZone,
    /// A zone other than `GMT` was given.
    InvalidTimeZone(String),
    /// The date is before 1970-01-01.
    BeforeEpoch(u32),
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "the date is empty"),
            Self::UnrecognizedFormat(s) => write!(
                f,
                "'{s}' is not an HTTP date (IMF-fixdate, RFC 850 or asctime format)"
            ),
            Self::InvalidWeekday(s) => write!(f, "weekday '{s}' is not a day name"),
            Self::InvalidMonth(s) => write!(f, "month '{s}' is not a month name"),
            Self::InvalidNumber {
                field,
                text,
                expected,
            } => write!(f, "{field} '{text}' is not a {expected} number"),
            Self::MalformedDate(s) => write!(f, "date '{s}' is not in DD-Mon-YY form"),
            Self::MalformedTime(s) => write!(f, "time '{s}' is not in HH:MM:SS form"),
            Self::InvalidDay { day, month, year } => {
                let name = month_name(*month);
                write!(f, "day {day} does not exist in {name} {year}")
            }
            Self::HourOutOfRange(h) => write!(f, "hour {h} is out of range (0-23)"),
            Self::MinuteOutOfRange(m) => write!(f, "minute {m} is out of range (0-59)"),
            Self::SecondOutOfRange(s) => write!(f, "second {s} is out of range (0-60)"),
            Self::MissingTimeZone => write!(f, "the time zone 'GMT' is missing"),
            Self::InvalidTimeZone(s) => {
                write!(
                    f,
                    "time zone '{s}' is not 'GMT' (HTTP dates are always GMT)"
                )
            }
            Self::BeforeEpoch(y) => write!(f, "year {y} is before 1970, the Unix epoch"),
        }
    }
}

impl std::error::Error for ClockError {}

fn month_name(month: u32) -> &'static str {
    usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTH_NAMES.get(i))
        .copied()
        .unwrap_or("?")
}

/// Parses an HTTP date (RFC 9110 §5.6.7) into Unix seconds.
///
/// Accepted, after trimming surrounding whitespace (runs of inner whitespace
/// are treated as one separator):
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
/// - obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`
/// - ANSI C asctime: `Sun Nov  6 08:49:37 1994`
///
/// Choices, all documented here:
/// - **Two-digit years** (RFC 850) use the fixed rule `00`–`69` → 20xx,
///   `70`–`99` → 19xx, because the module has no clock to apply the
///   "more than 50 years in the future" rule against. A four-digit year is
///   also accepted in that format.
/// - **Weekday** must be a valid name, short (`Sun`) or full (`Sunday`), in
///   any format, but is not checked against the date (RFC leniency).
/// - Names (weekday, month, `GMT`) are matched ASCII case-insensitively,
///   and full month names (`November`) are accepted like full day names.
/// - The day of month may have one or two digits; years have four.
/// - **Leap second**: second `60` is accepted and clamped to `59` (Unix time
///   has no leap seconds; the error is within the header's 1 s resolution).
/// - Dates before 1970 are rejected ([`ClockError::BeforeEpoch`]).
///
/// # Errors
///
/// A [`ClockError`] naming the first problem found.
pub fn parse_http_date(s: &str) -> Result<u64, ClockError> {
    let s = s.trim();
    let tokens: Vec<&str> = s.split_whitespace().collect();
    let Some(first) = tokens.first() else {
        return Err(ClockError::Empty);
    };
    let unrecognized = || ClockError::UnrecognizedFormat(s.to_owned());
    let rest = tokens.get(1..).unwrap_or_default();
    if let Some(weekday) = first.strip_suffix(',') {
        let is_rfc850 = rest.first().is_some_and(|t| t.contains('-'));
        let (day, month, year, time, zone) = match (is_rfc850, rest) {
            (false, [day, month, year, time, zone]) => {
                let year = parse_digits(year, "year", 4, 4, "4-digit")?;
                (*day, *month, year, *time, *zone)
            }
            (true, [date, time, zone]) => {
                let parts: Vec<&str> = date.split('-').collect();
                let [day, month, year] = parts.as_slice() else {
                    return Err(ClockError::MalformedDate((*date).to_owned()));
                };
                let year = match year.len() {
                    2 => expand_two_digit_year(parse_digits(year, "year", 2, 2, "2-digit")?),
                    _ => parse_digits(year, "year", 4, 4, "2- or 4-digit")?,
                };
                (*day, *month, year, *time, *zone)
            }
            (false, [_, _, _, _]) | (true, [_, _]) => return Err(ClockError::MissingTimeZone),
            _ => return Err(unrecognized()),
        };
        if !zone.eq_ignore_ascii_case("GMT") {
            return Err(ClockError::InvalidTimeZone(zone.to_owned()));
        }
        build(weekday, day, month, year, time)
    } else {
        match rest {
            [month, day, time, year] => {
                let year = parse_digits(year, "year", 4, 4, "4-digit")?;
                build(first, day, month, year, time)
            }
            _ => Err(unrecognized()),
        }
    }
}

/// Two-digit year rule: 00–69 → 2000–2069, 70–99 → 1970–1999.
fn expand_two_digit_year(yy: u32) -> u32 {
    if yy < 70 { 2000 + yy } else { 1900 + yy }
}

fn parse_digits(
    text: &str,
    field: &'static str,
    min_len: usize,
    max_len: usize,
    expected: &'static str,
) -> Result<u32, ClockError> {
    let ok = (min_len..=max_len).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    let bad = || ClockError::InvalidNumber {
        field,
        text: text.to_owned(),
        expected,
    };
    if !ok {
        return Err(bad());
    }
    text.parse().map_err(|_| bad())
}

/// Index of `token` in `names`, matching the full name or its first three
/// letters, ASCII case-insensitively.
fn find_name(token: &str, names: &[&str]) -> Option<usize> {
    names.iter().position(|name| {
        name.eq_ignore_ascii_case(token)
            || name
                .get(..3)
                .is_some_and(|short| short.eq_ignore_ascii_case(token))
    })
}

fn build(weekday: &str, day: &str, month: &str, year: u32, time: &str) -> Result<u64, ClockError> {
    if find_name(weekday, &DAY_NAMES).is_none() {
        return Err(ClockError::InvalidWeekday(weekday.to_owned()));
    }
    let month = find_name(month, &MONTH_NAMES)
        .and_then(|i| u32::try_from(i + 1).ok())
        .ok_or_else(|| ClockError::InvalidMonth(month.to_owned()))?;
    let day = parse_digits(day, "day", 1, 2, "1- or 2-digit")?;
    if day == 0 || day > days_in_month(year, month) {
        return Err(ClockError::InvalidDay { day, month, year });
    }
    let fields: Vec<&str> = time.split(':').collect();
    let [h, m, sec] = fields.as_slice() else {
        return Err(ClockError::MalformedTime(time.to_owned()));
    };
    let malformed = |_| ClockError::MalformedTime(time.to_owned());
    let hour = parse_digits(h, "hour", 2, 2, "2-digit").map_err(malformed)?;
    let minute = parse_digits(m, "minute", 2, 2, "2-digit").map_err(malformed)?;
    let second = parse_digits(sec, "second", 2, 2, "2-digit").map_err(malformed)?;
    if hour > 23 {
        return Err(ClockError::HourOutOfRange(hour));
    }
    if minute > 59 {
        return Err(ClockError::MinuteOutOfRange(minute));
    }
    if second > 60 {
        return Err(ClockError::SecondOutOfRange(second));
    }
    if year < 1970 {
        return Err(ClockError::BeforeEpoch(year));
    }
    let days = days_from_civil(u64::from(year), u64::from(month), u64::from(day));
    let seconds = u64::from(hour) * 3600 + u64::from(minute) * 60 + u64::from(second.min(59));
    Ok(days * 86_400 + seconds)
}

fn is_leap_year(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`), restricted to
/// years ≥ 1970 so all arithmetic is unsigned.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400; // [0, 399]
    let mp = (month + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + day - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// One raw measurement against a web server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Device time when the request was sent (ms since Unix epoch).
    pub sent_ms: u64,
    /// Device time when the response arrived (ms since Unix epoch).
    pub received_ms: u64,
    /// Server time from the `Date` header (Unix seconds, see [`parse_http_date`]).
    pub server_unix_seconds: u64,
    /// Resolution of the server time source; [`HTTP_DATE_RESOLUTION_MS`] for `Date`.
    pub resolution_ms: u64,
}

/// Clock offset estimated from one [`Sample`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measurement {
    /// Server time − device time in ms. Positive: the device clock is BEHIND.
    pub offset_ms: i64,
    /// Half-width of the error bound in ms: `ceil(rtt / 2) + resolution_ms`.
    pub uncertainty_ms: u64,
}

/// Why a [`Sample`] was not believed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The response came back before the request left: the clock jumped.
    ReceivedBeforeSent {
        /// Device send time (ms).
        sent_ms: u64,
        /// Device receive time (ms).
        received_ms: u64,
    },
    /// The round trip exceeded [`MAX_ROUND_TRIP_MS`].
    RoundTripTooLong {
        /// Measured round trip (ms).
        round_trip_ms: u64,
    },
    /// The server claims a time before the extension was built.
    ServerBeforeBuild {
        /// Server time (Unix seconds).
        server_unix_seconds: u64,
        /// Build time of the extension (Unix seconds).
        build_unix_seconds: u64,
    },
    /// |offset| exceeded [`MAX_OFFSET_MS`] (10 years).
    OffsetTooLarge {
        /// Offset in ms, saturated to the `i64` range.
        offset_ms: i64,
    },
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ReceivedBeforeSent {
                sent_ms,
                received_ms,
            } => write!(
                f,
                "the answer arrived (at {received_ms} ms) before the request was sent \
                 (at {sent_ms} ms); the device clock changed during the check"
            ),
            Self::RoundTripTooLong { round_trip_ms } => write!(
                f,
                "the server took {round_trip_ms} ms to answer, more than the \
                 {MAX_ROUND_TRIP_MS} ms allowed for a precise check"
            ),
            Self::ServerBeforeBuild {
                server_unix_seconds,
                build_unix_seconds,
            } => write!(
                f,
                "the server's time ({server_unix_seconds} s) is before this extension \
                 was built ({build_unix_seconds} s); the server's clock is wrong"
            ),
            Self::OffsetTooLarge { offset_ms } => write!(
                f,
                "the server's time differs from the device clock by {offset_ms} ms, \
                 more than 10 years; the answer is not believable"
            ),
        }
    }
}

impl std::error::Error for Rejection {}

/// Estimates the clock offset from one sample with the midpoint method.
///
/// - device time at the midpoint = `sent + floor(rtt / 2)` (≤ 0.5 ms bias);
/// - a `Date` of `S` seconds means the true time is in `[S, S + 1 s)`, so the
///   server estimate is `S * 1000 + resolution_ms / 2`;
/// - `offset_ms` = server estimate − device midpoint (positive: device behind);
/// - `uncertainty_ms` = `ceil(rtt / 2) + resolution_ms` (literal reading of
///   "half the round trip plus the source's resolution"; conservative).
///
/// # Errors
///
/// A [`Rejection`] under these rules, checked in this order:
/// 1. received < sent;
/// 2. round trip > [`MAX_ROUND_TRIP_MS`] (exactly 5000 ms is accepted);
/// 3. server time < `build_unix_seconds` (equal is accepted);
/// 4. |offset| > [`MAX_OFFSET_MS`] (exactly 10 × 365.25 days is accepted).
pub fn measure(sample: &Sample, build_unix_seconds: u64) -> Result<Measurement, Rejection> {
    let Some(rtt) = sample.received_ms.checked_sub(sample.sent_ms) else {
        return Err(Rejection::ReceivedBeforeSent {
            sent_ms: sample.sent_ms,
            received_ms: sample.received_ms,
        });
    };
    if rtt > MAX_ROUND_TRIP_MS {
        return Err(Rejection::RoundTripTooLong { round_trip_ms: rtt });
    }
    if sample.server_unix_seconds < build_unix_seconds {
        return Err(Rejection::ServerBeforeBuild {
            server_unix_seconds: sample.server_unix_seconds,
            build_unix_seconds,
        });
    }
    let midpoint = i128::from(sample.sent_ms) + i128::from(rtt / 2);
    let server_ms =
        i128::from(sample.server_unix_seconds) * 1000 + i128::from(sample.resolution_ms / 2);
    let offset = server_ms - midpoint;
    let offset_ms = i64::try_from(offset).unwrap_or(if offset < 0 { i64::MIN } else { i64::MAX });
    if offset.unsigned_abs() > u128::from(MAX_OFFSET_MS) {
        return Err(Rejection::OffsetTooLarge { offset_ms });
    }
    Ok(Measurement {
        offset_ms,
        uncertainty_ms: rtt.div_ceil(2).saturating_add(sample.resolution_ms),
    })
}

/// How serious the clock error is (`none`, `warn`, `critical` in JS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// |offset| < 10 s (whole seconds, rounded).
    None,
    /// 10 s ≤ |offset| < 30 s.
    Warn,
    /// |offset| ≥ 30 s: TOTP codes are likely to be rejected.
    Critical,
}

/// Which way the device clock is wrong (`behind`, `ahead` in JS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The device clock is behind the server (offset > 0).
    Behind,
    /// The device clock is ahead of the server (offset ≤ 0).
    Ahead,
}

/// A whole-second |offset| split into hours, minutes and seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationParts {
    /// Whole hours (unbounded).
    pub hours: u64,
    /// Minutes, 0–59.
    pub minutes: u64,
    /// Seconds, 0–59.
    pub seconds: u64,
}

impl DurationParts {
    /// Splits a number of seconds, e.g. 137 → 0 h 2 min 17 s.
    pub fn from_seconds(total: u64) -> Self {
        Self {
            hours: total / 3600,
            minutes: total % 3600 / 60,
            seconds: total % 60,
        }
    }
}

/// The user-facing result of a clock check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Offset in whole seconds, rounded half away from zero (positive: behind).
    pub offset_seconds: i64,
    /// Uncertainty of the measurement in ms.
    pub uncertainty_ms: u64,
    /// Severity, decided on `|offset_seconds|`.
    pub severity: Severity,
    /// Direction, from the sign of the unrounded offset.
    pub direction: Direction,
    /// `|offset_seconds|` split for display.
    pub parts: DurationParts,
    /// Whether the offset looks like a wrong time zone (see [`time_zone_suspected`]).
    pub time_zone_suspected: bool,
}

/// Rounds ms to whole seconds, half away from zero (9 499 → 9, 9 500 → 10,
/// −9 500 → −10).
pub fn round_to_seconds(offset_ms: i64) -> i64 {
    // |i64::MIN| + 500 fits in u64 and the quotient fits in i64.
    let magnitude = i64::try_from((offset_ms.unsigned_abs() + 500) / 1000).unwrap_or(i64::MAX);
    if offset_ms < 0 { -magnitude } else { magnitude }
}

/// Severity of a whole-second offset: < 10 → None, < 30 → Warn, else Critical.
pub fn severity(offset_seconds: i64) -> Severity {
    match offset_seconds.unsigned_abs() {
        s if s < WARN_SECONDS => Severity::None,
        s if s < CRITICAL_SECONDS => Severity::Warn,
        _ => Severity::Critical,
    }
}

/// True when the offset looks like a wrong time zone rather than drift:
/// |offset| ≥ 1 h − 2 min and within 2 min (inclusive) of a whole number
/// (≥ 1) of hours. Half- and quarter-hour zones are not detected.
pub fn time_zone_suspected(offset_ms: i64) -> bool {
    let abs = offset_ms.unsigned_abs();
    if abs < HOUR_MS - TIME_ZONE_TOLERANCE_MS {
        return false;
    }
    let hours = ((abs + HOUR_MS / 2) / HOUR_MS).max(1);
    abs.abs_diff(hours * HOUR_MS) <= TIME_ZONE_TOLERANCE_MS
}

/// Turns a measurement into a verdict.
pub fn verdict(m: &Measurement) -> Verdict {
    let offset_seconds = round_to_seconds(m.offset_ms);
    Verdict {
        offset_seconds,
        uncertainty_ms: m.uncertainty_ms,
        severity: severity(offset_seconds),
        direction: if m.offset_ms > 0 {
            Direction::Behind
        } else {
            Direction::Ahead
        },
        parts: DurationParts::from_seconds(offset_seconds.unsigned_abs()),
        time_zone_suspected: time_zone_suspected(m.offset_ms),
    }
}

/// English description, for tests and docs (the view localises from parts):
/// `"2 minutes 13 seconds behind"`, `"3 hours 20 seconds ahead"`. Zero units
/// are omitted; an all-zero duration gives just `"0 seconds"` (no direction).
pub fn describe_en(parts: DurationParts, direction: Direction) -> String {
    let units = [
        (parts.hours, "hour"),
        (parts.minutes, "minute"),
        (parts.seconds, "second"),
    ];
    let words: Vec<String> = units
        .iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if words.is_empty() {
        return "0 seconds".to_owned();
    }
    let dir = match direction {
        Direction::Behind => "behind",
        Direction::Ahead => "ahead",
    };
    format!("{} {dir}", words.join(" "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ClockError as E;

    const NOV_1994: u64 = 784_111_777; // Sun, 06 Nov 1994 08:49:37 GMT
    const H: i64 = 3_600_000;

    fn ok(cases: &[(&str, u64)]) {
        for (input, want) in cases {
            assert_eq!(parse_http_date(input), Ok(*want), "{input:?}");
        }
    }

    fn err(s: &str) -> ClockError {
        parse_http_date(s).unwrap_err()
    }

    fn v(offset_ms: i64) -> Verdict {
        let uncertainty_ms = 0;
        verdict(&Measurement {
            offset_ms,
            uncertainty_ms,
        })
    }

    fn sample(sent_ms: u64, received_ms: u64, server_unix_seconds: u64) -> Sample {
        let resolution_ms = HTTP_DATE_RESOLUTION_MS;
        Sample {
            sent_ms,
            received_ms,
            server_unix_seconds,
            resolution_ms,
        }
    }

    #[test]
    fn three_formats_and_known_dates() {
        ok(&[
            ("Sun, 06 Nov 1994 08:49:37 GMT", NOV_1994),
            ("Sunday, 06-Nov-94 08:49:37 GMT", NOV_1994),
            ("Sun Nov  6 08:49:37 1994", NOV_1994),
            ("Sun Nov 06 08:49:37 1994", NOV_1994),
            (" \t Sun, 06 Nov 1994 08:49:37 GMT\r\n", NOV_1994),
            ("sun, 06 nov 1994 08:49:37 gmt", NOV_1994),
            ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
            ("Thu Jan  1 00:00:00 1970", 0),
            ("Tue, 14 Nov 2023 22:13:20 GMT", 1_700_000_000),
            ("Thu, 29 Feb 2024 12:00:00 GMT", 1_709_208_000),
            ("Thu Feb 29 00:00:00 2024", 1_709_164_800),
            ("Tue, 29 Feb 2000 00:00:00 GMT", 951_782_400),
            ("Wed, 01 Mar 2000 00:00:00 GMT", 951_868_800),
            ("Fri, 31 Dec 9999 23:59:59 GMT", 253_402_300_799),
            // Weekday is not checked against the date; full names accepted.
            ("Mon, 06 Nov 1994 08:49:37 GMT", NOV_1994),
            ("Sunday, 06 Nov 1994 08:49:37 GMT", NOV_1994),
            ("Sun, 06 November 1994 08:49:37 GMT", NOV_1994),
            // Leap second clamps to :59.
            ("Sat, 31 Dec 2016 23:59:60 GMT", 1_483_228_799),
        ]);
    }

    #[test]
    fn rfc850_two_digit_years() {
        ok(&[
            ("Thursday, 01-Jan-70 00:00:00 GMT", 0),
            ("Friday, 31-Dec-99 23:59:59 GMT", 946_684_799),
            ("Saturday, 01-Jan-00 00:00:00 GMT", 946_684_800),
            ("Tuesday, 01-Jan-69 00:00:00 GMT", 3_124_224_000), // 2069
            ("Sunday, 06-Nov-1994 08:49:37 GMT", NOV_1994),
        ]);
    }

    #[test]
    fn invalid_calendar_values() {
        let feb = |day, year| E::InvalidDay {
            day,
            month: 2,
            year,
        };
        let cases = [
            (
                "Sun, 06 Foo 1994 08:49:37 GMT",
                E::InvalidMonth("Foo".into()),
            ),
            ("Fri, 30 Feb 2024 00:00:00 GMT", feb(30, 2024)),
            ("Wed, 29 Feb 2023 00:00:00 GMT", feb(29, 2023)),
            ("Thu, 29 Feb 1900 00:00:00 GMT", feb(29, 1900)),
            ("Sun, 06 Nov 1994 25:00:00 GMT", E::HourOutOfRange(25)),
            ("Sun, 06 Nov 1994 24:00:00 GMT", E::HourOutOfRange(24)),
            ("Sun, 06 Nov 1994 08:60:00 GMT", E::MinuteOutOfRange(60)),
            ("Sun, 06 Nov 1994 08:49:61 GMT", E::SecondOutOfRange(61)),
            ("Wed, 31 Dec 1969 23:59:59 GMT", E::BeforeEpoch(1969)),
            ("Sun, 06 Nov 1994 08:49:37", E::MissingTimeZone),
            ("Sunday, 06-Nov-94 08:49:37", E::MissingTimeZone),
            (
                "Sun, 06 Nov 1994 08:49:37 UTC",
                E::InvalidTimeZone("UTC".into()),
            ),
            (
                "Fun, 06 Nov 1994 08:49:37 GMT",
                E::InvalidWeekday("Fun".into()),
            ),
            ("", E::Empty),
            ("  \t ", E::Empty),
        ];
        for (input, want) in cases {
            assert_eq!(err(input), want, "{input:?}");
        }
        let msg = |s| err(s).to_string();
        assert_eq!(
            msg("Sun, 06 Foo 1994 08:49:37 GMT"),
            "month 'Foo' is not a month name"
        );
        assert_eq!(
            msg("Sun, 31 Apr 1994 08:49:37 GMT"),
            "day 31 does not exist in April 1994"
        );
        assert_eq!(
            msg("Sun, 00 Nov 1994 08:49:37 GMT"),
            "day 0 does not exist in November 1994"
        );
        assert_eq!(
            msg("Sun, 06 Nov 1994 25:00:00 GMT"),
            "hour 25 is out of range (0-23)"
        );
        assert_eq!(
            msg("Sun, 06 Nov 94 08:49:37 GMT"),
            "year '94' is not a 4-digit number"
        );
    }

    #[test]
    fn invalid_shapes() {
        let unrecognized = [
            "garbage",
            "1994-11-06T08:49:37Z",
            "Sun Nov  6 08:49:37 1994 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
        ];
        for input in unrecognized {
            assert!(matches!(err(input), E::UnrecognizedFormat(_)), "{input:?}");
        }
        assert!(matches!(
            err("Sun, 6x Nov 1994 08:49:37 GMT"),
            E::InvalidNumber { field: "day", .. }
        ));
        assert!(matches!(
            err("Sun, 06 Nov +994 08:49:37 GMT"),
            E::InvalidNumber { field: "year", .. }
        ));
        assert!(matches!(
            err("Sun, 06 Nov 1994 8:49:37 GMT"),
            E::MalformedTime(_)
        ));
        assert!(matches!(
            err("Sun, 06 Nov 1994 08:49 GMT"),
            E::MalformedTime(_)
        ));
        assert!(matches!(
            err("Sunday, 06-Nov 08:49:37 GMT"),
            E::MalformedDate(_)
        ));
    }

    #[test]
    fn days_from_civil_leap_rules() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            days_from_civil(2001, 1, 1) - days_from_civil(2000, 1, 1),
            366
        );
        assert_eq!(
            days_from_civil(2101, 1, 1) - days_from_civil(2100, 1, 1),
            365
        );
    }

    #[test]
    fn midpoint_worked_example() {
        // rtt 400 → device midpoint 1 000 200 ms; Date 1 010 s → 1 010 500 ms.
        let m = measure(&sample(1_000_000, 1_000_400, 1_010), 0).unwrap();
        assert_eq!((m.offset_ms, m.uncertainty_ms), (10_300, 200 + 1000));
        // Device ahead: Date 990 s → 990 500 ms − 1 000 200 ms = −9 700 ms.
        let m = measure(&sample(1_000_000, 1_000_400, 990), 0).unwrap();
        assert_eq!(m.offset_ms, -9_700);
        // Odd rtt: midpoint floors, uncertainty rounds up.
        let m = measure(&sample(1_000_000, 1_000_001, 1_000), 0).unwrap();
        assert_eq!((m.offset_ms, m.uncertainty_ms), (500, 1001));
        // Realistic: header parsed, 100 ms rtt, build date in the past.
        let server = parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT").unwrap();
        let sent = 1_700_000_000_250;
        let m = measure(&sample(sent, sent + 100, server), 1_690_000_000).unwrap();
        assert_eq!(m.offset_ms, 200);
        assert_eq!(v(m.offset_ms).severity, Severity::None);
    }

    #[test]
    fn rejection_rules() {
        assert!(measure(&sample(1_000, 6_000, 10), 0).is_ok());
        let rtt = measure(&sample(1_000, 6_001, 10), 0);
        assert_eq!(
            rtt,
            Err(Rejection::RoundTripTooLong {
                round_trip_ms: 5_001
            })
        );
        let backwards = measure(&sample(1_000, 999, 10), 0);
        let want = Rejection::ReceivedBeforeSent {
            sent_ms: 1_000,
            received_ms: 999,
        };
        assert_eq!(backwards, Err(want));
        assert!(measure(&sample(1_000, 1_000, 10), 10).is_ok());
        let early = measure(&sample(1_000, 1_000, 10), 11);
        let want = Rejection::ServerBeforeBuild {
            server_unix_seconds: 10,
            build_unix_seconds: 11,
        };
        assert_eq!(early, Err(want.clone()));
        assert!(want.to_string().contains("before this extension was built"));
        let rtt_msg = Rejection::RoundTripTooLong {
            round_trip_ms: 5_001,
        }
        .to_string();
        assert!(rtt_msg.contains("5001 ms"));
    }

    #[test]
    fn ten_year_limit() {
        assert_eq!(MAX_OFFSET_MS, 315_576_000_000);
        let exact = Sample {
            resolution_ms: 0,
            ..sample(0, 0, 315_576_000)
        };
        assert_eq!(measure(&exact, 0).map(|m| m.offset_ms), Ok(315_576_000_000));
        let over = Sample {
            resolution_ms: 0,
            ..sample(0, 0, 315_576_001)
        };
        let want = Rejection::OffsetTooLarge {
            offset_ms: 315_576_001_000,
        };
        assert_eq!(measure(&over, 0), Err(want));
        let device = 315_576_000_001;
        let ahead = Sample {
            resolution_ms: 0,
            ..sample(device, device, 0)
        };
        let want = Rejection::OffsetTooLarge {
            offset_ms: -315_576_000_001,
        };
        assert_eq!(measure(&ahead, 0), Err(want));
        let huge = measure(&sample(0, 0, u64::MAX), 0);
        assert_eq!(
            huge,
            Err(Rejection::OffsetTooLarge {
                offset_ms: i64::MAX
            })
        );
    }

    #[test]
    fn severity_thresholds_both_signs() {
        let cases = [
            (0, 0, Severity::None),
            (9_490, 9, Severity::None),
            (9_499, 9, Severity::None),
            (9_500, 10, Severity::Warn),
            (10_000, 10, Severity::Warn),
            (29_000, 29, Severity::Warn),
            (29_499, 29, Severity::Warn),
            (29_500, 30, Severity::Critical),
            (30_000, 30, Severity::Critical),
            (H, 3600, Severity::Critical),
        ];
        for (ms, secs, sev) in cases {
            assert_eq!((v(ms).offset_seconds, v(ms).severity), (secs, sev), "{ms}");
            assert_eq!(
                (v(-ms).offset_seconds, v(-ms).severity),
                (-secs, sev),
                "-{ms}"
            );
        }
        assert_eq!(round_to_seconds(i64::MIN), -9_223_372_036_854_776);
        assert_eq!(round_to_seconds(i64::MAX), 9_223_372_036_854_776);
    }

    #[test]
    fn direction_and_parts() {
        assert_eq!(v(137_000).direction, Direction::Behind);
        assert_eq!(v(-137_000).direction, Direction::Ahead);
        let parts = |hours, minutes, seconds| DurationParts {
            hours,
            minutes,
            seconds,
        };
        assert_eq!(v(-137_000).parts, parts(0, 2, 17));
        assert_eq!(v(136_600).parts, parts(0, 2, 17));
        assert_eq!(v(3 * H + 20_000).parts, parts(3, 0, 20));
        assert_eq!(v(-(25 * H + 61_000)).parts, parts(25, 1, 1));
    }

    #[test]
    fn time_zone_hint() {
        let yes = [
            3 * H + 119_000,
            3 * H - 119_000,
            -(3 * H + 120_000),
            H,
            -H,
            2 * H,
        ];
        // 59 and 58 min are within 2 min of 1 h, so the rule says yes.
        let yes_edge = [59 * 60_000, 58 * 60_000, -59 * 60_000];
        let no = [
            3 * H + 121_000,
            3 * H - 121_000,
            58 * 60_000 - 1,
            30 * 60_000,
            5 * H + H / 2,
            0,
        ];
        for ms in yes.into_iter().chain(yes_edge) {
            assert!(time_zone_suspected(ms), "{ms}");
        }
        for ms in no {
            assert!(!time_zone_suspected(ms), "{ms}");
        }
        assert!(!time_zone_suspected(i64::MIN)); // no overflow; 2^63 ms is 775 808 ms past an hour
        assert!(v(-2 * H).time_zone_suspected);
    }

    #[test]
    fn english_descriptions() {
        let cases = [
            (133, Direction::Behind, "2 minutes 13 seconds behind"),
            (61, Direction::Ahead, "1 minute 1 second ahead"),
            (
                3 * 3600 + 20,
                Direction::Behind,
                "3 hours 20 seconds behind",
            ),
            (3600, Direction::Ahead, "1 hour ahead"),
            (3660, Direction::Ahead, "1 hour 1 minute ahead"),
            (
                7322,
                Direction::Behind,
                "2 hours 2 minutes 2 seconds behind",
            ),
            (1, Direction::Behind, "1 second behind"),
            (0, Direction::Ahead, "0 seconds"),
        ];
        for (secs, dir, want) in cases {
            assert_eq!(describe_en(DurationParts::from_seconds(secs), dir), want);
        }
    }
}
