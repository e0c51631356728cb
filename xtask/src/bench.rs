//! `cargo xtask bench [--quick]`: builds the release extension, runs the native code bench,
//! then `bench/run.mjs` (headless Chromium: ours against the alternatives, popup time, size,
//! unlock, memory), which writes the results and checks `bench/budgets.json`, and
//! `bench/qr/run.mjs` (QR decode rate against jsQR).

use crate::build::build;
use crate::setup::{Needs, setup};
use crate::util::{Result, capture, cmd, run};

/// Prefix of the machine-readable lines `benches/codes.rs` prints: `bench-result NAME NS`.
const RESULT_PREFIX: &str = "bench-result ";

/// `cargo xtask bench [--quick]`.
pub fn bench(args: &[String]) -> Result {
    let quick = crate::flags(args, &["--quick"])?.contains(&"--quick");
    run_bench(quick)
}

/// HOOK for `cargo xtask test`: the quick benchmark (few iterations; budget misses are
/// reported, not fatal, so CI checks that the bench still runs without being flaky).
pub fn run_bench_quick() -> Result {
    run_bench(true)
}

fn run_bench(quick: bool) -> Result {
    setup(Needs {
        chromium: true,
        ..Needs::BUILD
    })?;
    let zip = build(false)?;
    let native = native_figures(quick)?;
    let mut node = cmd("node");
    node.arg("bench/run.mjs").arg("--zip").arg(&zip);
    if quick {
        node.arg("--quick");
    }
    for (name, ns) in &native {
        node.arg("--native").arg(format!("{name}={ns}"));
    }
    // QR decode rate, ours against jsQR: its own corpus, table and targets (bench/qr/run.mjs).
    let qr = run(cmd("node")
        .arg("bench/qr/run.mjs")
        .args(quick.then_some("--quick")));
    run(&mut node).and(qr)
}

/// Runs `cargo bench --bench codes` and returns its `(case, ns/code)` figures.
fn native_figures(quick: bool) -> Result<Vec<(String, f64)>> {
    let mut c = cmd("cargo");
    c.args(["bench", "--quiet", "--bench", "codes"]);
    if quick {
        c.args(["--", "--quick"]);
    }
    let out = capture(&mut c)?;
    print!("{out}");
    let figures = parse_results(&out)?;
    if figures.is_empty() {
        return Err(format!(
            "cargo bench --bench codes printed no `{RESULT_PREFIX}NAME NS` line"
        ));
    }
    Ok(figures)
}

/// The `bench-result NAME NS` lines of the native bench's output, with `totp_sha1_6_` dropped.
fn parse_results(out: &str) -> Result<Vec<(String, f64)>> {
    out.lines()
        .filter_map(|line| line.strip_prefix(RESULT_PREFIX))
        .map(|rest| {
            let (name, ns) = rest
                .split_once(' ')
                .ok_or_else(|| format!("malformed bench line {rest:?}"))?;
            let ns: f64 = ns
                .trim()
                .parse()
                .map_err(|_| format!("malformed ns/code in bench line {rest:?}"))?;
            let name = name.strip_prefix("totp_sha1_6_").unwrap_or(name);
            Ok((name.to_string(), ns))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_results;

    #[test]
    fn reads_result_lines_only() {
        let out = "TOTP ...\ntotp_sha1_6_prepared: 1.0 ns/code\nbench-result totp_sha1_6_prepared 95.250\nbench-result other 3\n";
        assert_eq!(
            parse_results(out),
            Ok(vec![("prepared".into(), 95.25), ("other".into(), 3.0)])
        );
        assert!(parse_results("bench-result broken\n").is_err());
    }
}
