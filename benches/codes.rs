//! How long one code takes: SHA1, 6-digit TOTP, the common case.
//!
//! `cargo bench --bench codes` (add `-- --quick` for a fast, rougher figure). Prints, per case,
//! the median nanoseconds per code over 5 rounds and PASS/FAIL against the budget. Informational:
//! it always exits 0; budgets are enforced elsewhere.
//!
//! - `totp_sha1_6_prepared`: a [`Generator`] built once, `generator.code_at(t)` for varying `t`
//!   (what the popup does every period for each account).
//! - `totp_sha1_6_oneshot`: `code_at(&secret, params, t)`, which includes the HMAC key setup.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Instant;

use toolbar_authenticator::otp::{Algorithm, Generator, OtpKind, OtpParams, code_at};
use toolbar_authenticator::secret::Secret;

/// Budget per code, in nanoseconds.
const BUDGET_NS: f64 = 300.0;
const ROUNDS: usize = 5;
const ITERATIONS: u64 = 1_000_000;
const QUICK_ITERATIONS: u64 = 100_000;

/// Median of `ROUNDS` timings of `iterations` calls, in ns per call.
fn measure(iterations: u64, mut code: impl FnMut(u64) -> String) -> f64 {
    // Warm up caches and the branch predictor.
    for i in 0..iterations / 10 {
        black_box(code(black_box(i)));
    }
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            for i in 0..iterations {
                // A new period every call, spread over realistic times.
                let t = 1_700_000_000 + i * 30;
                black_box(code(black_box(t)));
            }
            started.elapsed().as_nanos() as f64 / iterations as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}

fn report(name: &str, ns: f64) {
    let verdict = if ns <= BUDGET_NS { "PASS" } else { "FAIL" };
    println!(
        "{name}: {ns:.1} ns/code (median of {ROUNDS}) {verdict} (budget {BUDGET_NS:.0} ns/code)"
    );
    // For `cargo xtask bench`, which reads these lines: `bench-result NAME NS`.
    println!("bench-result {name} {ns:.3}");
}

fn main() {
    // `cargo bench` passes `--bench`; anything but `--quick` is ignored.
    let quick = std::env::args().skip(1).any(|a| a == "--quick");
    let iterations = if quick { QUICK_ITERATIONS } else { ITERATIONS };

    let secret = Secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap();
    let params = OtpParams {
        kind: OtpKind::Totp { period: 30 },
        algorithm: Algorithm::Sha1,
        digits: 6,
    };
    let generator = Generator::new(&secret, params).unwrap();
    // Both paths compute the same codes.
    assert_eq!(
        generator.code_at(1_700_000_000),
        code_at(&secret, params, 1_700_000_000).unwrap()
    );

    println!(
        "TOTP SHA1 6 digits, 20-byte key, {iterations} codes x {ROUNDS} rounds{}",
        if quick { " (--quick)" } else { "" }
    );
    let prepared = measure(iterations, |t| black_box(&generator).code_at(t));
    report("totp_sha1_6_prepared", prepared);
    let oneshot = measure(iterations, |t| {
        code_at(black_box(&secret), black_box(params), t).unwrap()
    });
    report("totp_sha1_6_oneshot", oneshot);
}
