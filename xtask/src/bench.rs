//! `cargo xtask bench [--quick]`: builds the release extension and the native code bench, then
//! runs `bench/run.mjs` (headless Chromium: ours against the alternatives and native Rust in
//! interleaved rounds, popup time against a blank page, what the popup loads, unlock, memory),
//! which writes the results and checks `bench/budgets.json`,
//! and `bench/qr/run.mjs` (QR decode rate against jsQR).

use std::path::PathBuf;

use crate::build::build;
use crate::setup::{Needs, setup};
use crate::util::{Result, capture, cmd, run};

/// `cargo xtask bench [--quick]`.
pub fn bench(args: &[String]) -> Result {
    let quick = crate::flags(args, &["--quick"])?.contains(&"--quick");
    run_bench(quick)
}

/// HOOK for `cargo xtask test`: the quick benchmark (few rounds; budget misses are reported,
/// not fatal, so CI checks that the bench still runs without being flaky).
pub fn run_bench_quick() -> Result {
    run_bench(true)
}

fn run_bench(quick: bool) -> Result {
    setup(Needs {
        chromium: true,
        firefox: true, // the popup beside Chromium's (bench/firefox.mjs)
        ..Needs::BUILD
    })?;
    let zip = build(false)?;
    let native = native_bench()?;
    let mut node = cmd("node");
    node.arg("bench/run.mjs")
        .arg("--zip")
        .arg(&zip)
        .arg("--native-bin")
        .arg(&native);
    if quick {
        node.arg("--quick");
    }
    // QR decode rate, ours against jsQR: its own corpus, table and targets (bench/qr/run.mjs).
    let qr = run(cmd("node")
        .arg("bench/qr/run.mjs")
        .args(quick.then_some("--quick")));
    run(&mut node).and(qr)
}

/// Builds `benches/codes.rs` (`cargo bench --no-run`) and returns its executable, which
/// `bench/run.mjs` runs once per round between the browser contenders.
fn native_bench() -> Result<PathBuf> {
    let out = capture(cmd("cargo").args([
        "bench",
        "--quiet",
        "--bench",
        "codes",
        "--no-run",
        "--message-format=json",
    ]))?;
    executable(&out, "codes").ok_or_else(|| {
        "cargo bench --bench codes --no-run named no executable for the `codes` bench".to_string()
    })
}

/// The `executable` of bench target `name` in cargo's `--message-format=json` output.
fn executable(json_lines: &str, name: &str) -> Option<PathBuf> {
    const KEY: &str = "\"executable\":\"";
    let target = format!("\"name\":\"{name}\"");
    json_lines
        .lines()
        .filter(|line| line.contains("\"kind\":[\"bench\"]") && line.contains(&target))
        .find_map(|line| {
            let rest = &line[line.find(KEY)? + KEY.len()..];
            let path = &rest[..rest.find('"')?];
            // JSON escapes (a backslash) would need decoding; cargo writes none for plain paths.
            (!path.is_empty() && !path.contains('\\')).then(|| PathBuf::from(path))
        })
}

#[cfg(test)]
mod tests {
    use super::executable;
    use std::path::PathBuf;

    #[test]
    fn finds_the_bench_executable_only() {
        let out = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["custom-build"],"crate_types":["bin"],"name":"build-script-build"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bench"],"crate_types":["bin"],"name":"other"},"executable":"/t/release/deps/other-1"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bench"],"crate_types":["bin"],"name":"codes"},"executable":"/t/release/deps/codes-2"}"#,
            "\n",
        );
        assert_eq!(
            executable(out, "codes"),
            Some(PathBuf::from("/t/release/deps/codes-2"))
        );
        assert_eq!(executable(out, "missing"), None);
    }
}
