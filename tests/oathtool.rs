//! Cross-check against Debian's `oathtool` (package `oathtool`, OATH Toolkit) over thousands of
//! random keys, algorithms, digit counts, periods, times and counters.
//!
//! Cases come from a seeded generator; the seed is printed, and `OATHTOOL_SEED=<seed>` reruns the
//! same cases. `OATHTOOL_CASES=<n>` changes the number of TOTP cases (default 10,000; HOTP gets a
//! third of that). Without `oathtool` on `PATH` the tests skip loudly, or fail when
//! `OATHTOOL_REQUIRED=1` (CI sets it).
//!
//! Each `oathtool` run uses `-w 2`, which prints the codes for the case's counter and the two
//! after it, so one process checks `code_at`, `next_code_at` and `code_for_counter`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use toolbar_authenticator::otp::{Algorithm, Generator, OtpKind, OtpParams, totp_counter};
use toolbar_authenticator::secret::Secret;

const DEFAULT_TOTP_CASES: usize = 10_000;
const PERIODS: [u32; 4] = [15, 30, 60, 90];
const ALGORITHMS: [Algorithm; 3] = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];
/// Times are drawn from `0..2^35` (up to the year 3058).
const TIME_LIMIT: u64 = 1 << 35;
/// Extra codes per `oathtool` run (`-w`).
const WINDOW: u64 = 2;

/// Writes straight to stderr, past the test harness's capture, so it shows on success too.
fn announce(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// `true` when `oathtool` can be run; otherwise skips loudly or fails if it is required.
fn oathtool_available() -> bool {
    match Command::new("oathtool").arg("--version").output() {
        Ok(output) if output.status.success() => true,
        result => {
            let why = match result {
                Ok(output) => format!("`oathtool --version` exited with {}", output.status),
                Err(error) => format!("`oathtool` could not be run: {error}"),
            };
            let required = std::env::var("OATHTOOL_REQUIRED").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "{why}. OATHTOOL_REQUIRED=1, so this is a failure: install it with \
                 `apt-get install oathtool` (Debian/Ubuntu)."
            );
            announce(&format!(
                "\n*** SKIPPED: {why}.\n*** The oathtool cross-check did NOT run. Install it with \
                 `apt-get install oathtool`, or set OATHTOOL_REQUIRED=1 to make this a failure.\n"
            ));
            false
        }
    }
}

/// SplitMix64: tiny, seedable, and good enough to spread test cases.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (bound > 0), by rejection so there is no modulo bias.
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % bound;
            }
        }
    }

    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(u64::try_from(len).unwrap())).unwrap()
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64().to_le_bytes()[0]).collect()
    }
}

fn seed() -> u64 {
    match std::env::var("OATHTOOL_SEED") {
        Ok(text) => {
            let text = text.trim();
            match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            }
            .unwrap_or_else(|_| panic!("OATHTOOL_SEED={text:?} is not a number"))
        }
        Err(_) => {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            now.as_secs() ^ u64::from(now.subsec_nanos()).rotate_left(32)
        }
    }
}

fn case_count() -> usize {
    std::env::var("OATHTOOL_CASES")
        .map(|v| v.trim().parse().expect("OATHTOOL_CASES is not a number"))
        .unwrap_or(DEFAULT_TOTP_CASES)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// One random case: a key and parameters, with the time (TOTP) or counter (HOTP) in `params`
/// or `time`.
struct Case {
    key: Vec<u8>,
    params: OtpParams,
    time: u64,
}

impl Case {
    fn random_totp(rng: &mut Rng) -> Self {
        let len = 10 + rng.index(55); // 10..=64 bytes
        Self {
            key: rng.bytes(len),
            params: OtpParams {
                kind: OtpKind::Totp {
                    period: PERIODS[rng.index(PERIODS.len())],
                },
                algorithm: ALGORITHMS[rng.index(ALGORITHMS.len())],
                digits: 6 + u8::try_from(rng.below(3)).unwrap(),
            },
            time: rng.below(TIME_LIMIT),
        }
    }

    fn random_hotp(rng: &mut Rng) -> Self {
        let len = 10 + rng.index(55);
        // A mix of everyday counters, 32-bit-crossing ones and the whole 64-bit range (less the
        // window, so the successive codes do not wrap).
        let counter = match rng.below(3) {
            0 => rng.below(1000),
            1 => rng.below(1 << 40),
            _ => rng.below(u64::MAX - WINDOW),
        };
        Self {
            key: rng.bytes(len),
            params: OtpParams {
                kind: OtpKind::Hotp { counter },
                algorithm: Algorithm::Sha1, // oathtool's HOTP is SHA1 only
                digits: 6 + u8::try_from(rng.below(3)).unwrap(),
            },
            time: 0,
        }
    }

    fn oathtool_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        match self.params.kind {
            OtpKind::Totp { period } => {
                args.push(format!("--totp={}", self.params.algorithm.name()));
                args.push(format!("--time-step-size={period}s"));
                args.push(format!("--now=@{}", self.time));
            }
            OtpKind::Hotp { counter } => {
                args.push("--hotp".into());
                args.push(format!("--counter={counter}"));
            }
            OtpKind::Steam => unreachable!("oathtool has no Steam mode"),
        }
        args.push(format!("--digits={}", self.params.digits));
        args.push(format!("--window={WINDOW}"));
        args.push(hex(&self.key));
        args
    }

    /// What the crate says `oathtool` should print: this code and the next `WINDOW`.
    fn expected(&self) -> Vec<String> {
        let mut key = self.key.clone();
        let secret = Secret::from_bytes(&mut key).unwrap();
        let generator = Generator::new(&secret, self.params).unwrap();
        let counter = match self.params.kind {
            OtpKind::Totp { period } => totp_counter(self.time, period),
            OtpKind::Hotp { counter } => counter,
            OtpKind::Steam => unreachable!(),
        };
        let mut codes = vec![
            generator.code_at(self.time),
            generator.next_code_at(self.time),
        ];
        codes.extend((2..=WINDOW).map(|k| generator.code_for_counter(counter + k)));
        codes
    }

    fn describe(&self) -> String {
        format!(
            "{:?} digits={} time={} key={} ({} bytes)\n  oathtool {}",
            self.params.kind,
            self.params.digits,
            self.time,
            hex(&self.key),
            self.key.len(),
            self.oathtool_args().join(" ")
        )
    }
}

fn run_oathtool(args: &[String]) -> Result<Vec<String>, String> {
    let output = Command::new("oathtool")
        .args(args)
        .output()
        .map_err(|e| format!("could not run oathtool: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "oathtool exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let stdout = String::from_utf8(output.stdout).map_err(|e| e.to_string())?;
    Ok(stdout.lines().map(str::to_owned).collect())
}

/// Runs every case through `oathtool` on several threads and returns the failures.
fn cross_check(cases: &[Case]) -> Vec<String> {
    let failures = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
    let chunk = cases.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in cases.chunks(chunk) {
            let failures = &failures;
            scope.spawn(move || {
                for case in part {
                    let expected = case.expected();
                    let outcome = run_oathtool(&case.oathtool_args());
                    let failure = match outcome {
                        Ok(actual) if actual == expected => continue,
                        Ok(actual) => format!(
                            "MISMATCH {}\n  crate:    {expected:?}\n  oathtool: {actual:?}",
                            case.describe()
                        ),
                        Err(error) => format!("ERROR {}\n  {error}", case.describe()),
                    };
                    failures.lock().unwrap().push(failure);
                }
            });
        }
    });
    failures.into_inner().unwrap()
}

fn check_random(label: &str, count: usize, make: fn(&mut Rng) -> Case) {
    if !oathtool_available() {
        return;
    }
    let seed = seed();
    announce(&format!(
        "oathtool {label} cross-check: {count} cases, seed {seed} (rerun with OATHTOOL_SEED={seed})"
    ));
    let mut rng = Rng(seed);
    let cases: Vec<Case> = (0..count).map(|_| make(&mut rng)).collect();
    let started = Instant::now();
    let failures = cross_check(&cases);
    announce(&format!(
        "oathtool {label} cross-check: {count} cases x {} codes in {:.1?}, {} failures",
        WINDOW + 1,
        started.elapsed(),
        failures.len()
    ));
    for failure in failures.iter().take(20) {
        println!("{failure}");
    }
    assert!(
        failures.is_empty(),
        "{} of {count} {label} cases disagree with oathtool (seed {seed}; rerun with \
         OATHTOOL_SEED={seed}); first: {}",
        failures.len(),
        failures[0]
    );
}

#[test]
fn totp_matches_oathtool_on_random_cases() {
    check_random("TOTP", case_count(), Case::random_totp);
}

#[test]
fn hotp_matches_oathtool_on_random_cases() {
    check_random("HOTP", case_count().div_ceil(3), Case::random_hotp);
}

/// Edges: the first and last seconds of periods, times around 2^32 and 2^35, and the longest
/// period, for every algorithm.
#[test]
fn totp_matches_oathtool_at_edges() {
    if !oathtool_available() {
        return;
    }
    let mut rng = Rng(0x5eed);
    let key = rng.bytes(20);
    let mut cases = Vec::new();
    for algorithm in ALGORITHMS {
        for period in [1, 15, 30, 60, 90, 86_400] {
            let period_secs = u64::from(period);
            let mut times = vec![0, period_secs - 1, period_secs, (1 << 32) - 1, 1 << 32];
            times.extend([
                TIME_LIMIT - 1,
                TIME_LIMIT,
                TIME_LIMIT - TIME_LIMIT % period_secs,
            ]);
            for time in times {
                cases.push(Case {
                    key: key.clone(),
                    params: OtpParams {
                        kind: OtpKind::Totp { period },
                        algorithm,
                        digits: 8,
                    },
                    time,
                });
            }
        }
    }
    let failures = cross_check(&cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn vectors() -> Value {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/otp-vectors.json"
    );
    let committed = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/otp-vectors.json");
    let text = std::fs::read_to_string(shared)
        .or_else(|_| std::fs::read_to_string(committed))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The installed `oathtool` reproduces the recorded reference runs and the RFC 6238 table
/// before anything is judged against it.
#[test]
fn installed_oathtool_is_sound() {
    if !oathtool_available() {
        return;
    }
    let file = vectors();
    for check in file["oathtool_checks"].as_array().unwrap() {
        let command = check["args"].as_str().unwrap();
        let expected = check["code"].as_str().unwrap();
        let mut words = command.split_whitespace().map(str::to_owned);
        assert_eq!(words.next().as_deref(), Some("oathtool"));
        let args: Vec<String> = words.collect();
        assert_eq!(run_oathtool(&args).unwrap(), [expected], "{command}");
    }
    let totp = &file["totp_rfc6238"];
    for (name, secret) in totp["secrets"].as_object().unwrap() {
        let key = hex(secret["ascii"].as_str().unwrap().as_bytes());
        for case in totp["cases"].as_array().unwrap() {
            let time = case["time"].as_u64().unwrap();
            let args = [
                format!("--totp={name}"),
                "--digits=8".to_owned(),
                format!("--now=@{time}"),
                key.clone(),
            ];
            let expected = case[name.as_str()].as_str().unwrap();
            assert_eq!(run_oathtool(&args).unwrap(), [expected], "{name} at {time}");
        }
    }
}
