//! `cargo xtask test`: the whole CI pipeline, failing fast.

use std::time::{Duration, Instant};

use crate::build::{build, dist_dir};
use crate::setup::{Needs, setup};
use crate::util::{Result, capture, cmd, fmt_duration, root, run};

/// Steps in the order they run (names for `--only`).
pub const STEPS: &[&str] = &[
    "fmt",
    "clippy",
    "clippy-wasm",
    "test",
    "build",
    "e2e",
    "firefox",
    "fuzz",
    "bench",
];

/// Default seconds per fuzz target, overridden by `FUZZ_SECONDS` or `--fuzz-seconds`.
const DEFAULT_FUZZ_SECONDS: u64 = 60;

/// Options of `cargo xtask test`.
#[derive(Debug, Default)]
pub struct Opts {
    /// Skip the fuzz step.
    pub skip_fuzz: bool,
    /// Seconds per fuzz target (`None`: `FUZZ_SECONDS` or 60).
    pub fuzz_seconds: Option<u64>,
    /// Run only these steps (empty: all).
    pub only: Vec<String>,
}

/// How a step ended, when it did not fail.
enum Outcome {
    Ran,
    Skipped(String),
}

/// Runs setup and the selected steps; prints per-step timings at the end.
pub fn test(opts: &Opts) -> Result {
    if let Some(bad) = opts.only.iter().find(|s| !STEPS.contains(&s.as_str())) {
        return Err(format!(
            "unknown step {bad:?} for --only (steps: {})",
            STEPS.join(", ")
        ));
    }
    let selected: Vec<&str> = STEPS
        .iter()
        .copied()
        .filter(|s| opts.only.is_empty() || opts.only.iter().any(|o| o == s))
        .collect();
    let fuzz_seconds = match opts.fuzz_seconds {
        Some(n) => n,
        None => match std::env::var("FUZZ_SECONDS") {
            Ok(s) => s
                .trim()
                .parse()
                .map_err(|_| format!("FUZZ_SECONDS={s:?} is not a whole number"))?,
            Err(_) => DEFAULT_FUZZ_SECONDS,
        },
    };
    let fuzzing = !opts.skip_fuzz && root().join("fuzz").is_dir();

    let mut times: Vec<(String, Duration, String)> = Vec::new();
    let total = Instant::now();
    let needs = selected
        .iter()
        .fold(Needs::default(), |n, s| n.or(needs_of(s, fuzzing)));
    let mut steps: Vec<&str> = vec!["setup"];
    steps.extend(&selected);
    for (i, &name) in steps.iter().enumerate() {
        banner(&format!("[{i}/{}] {name}", steps.len() - 1));
        let start = Instant::now();
        let result = match name {
            "setup" => setup(needs).map(|()| Outcome::Ran),
            _ => run_step(name, opts, fuzz_seconds),
        };
        let elapsed = start.elapsed();
        match result {
            Ok(Outcome::Ran) => times.push((name.into(), elapsed, "ok".into())),
            Ok(Outcome::Skipped(why)) => {
                println!("{name}: skipped ({why})");
                times.push((name.into(), elapsed, format!("skipped ({why})")));
            }
            Err(e) => {
                times.push((name.into(), elapsed, "FAILED".into()));
                print_times(&times, total.elapsed());
                banner(&format!("FAILED: {name}"));
                return Err(format!("step `{name}` failed: {e}"));
            }
        }
    }
    print_times(&times, total.elapsed());
    banner("all steps passed");
    Ok(())
}

/// Tools a step needs installed.
fn needs_of(step: &str, fuzzing: bool) -> Needs {
    let none = Needs::default();
    match step {
        "clippy-wasm" => Needs {
            wasm_target: true,
            ..none
        },
        "test" => Needs {
            oathtool: true,
            ..none
        },
        "build" => Needs::BUILD,
        "e2e" => Needs {
            npm: true,
            chromium: true,
            oathtool: true,
            ..none
        },
        "firefox" => Needs {
            npm: true,
            firefox: true,
            oathtool: true,
            ..none
        },
        "fuzz" => Needs {
            fuzz: fuzzing,
            ..none
        },
        "bench" => Needs {
            chromium: true,
            firefox: true,
            ..Needs::BUILD
        },
        _ => none,
    }
}

/// Runs one pipeline step.
fn run_step(name: &str, opts: &Opts, fuzz_seconds: u64) -> Result<Outcome> {
    let cargo = |args: &[&str]| {
        let mut c = cmd("cargo");
        c.args(args);
        c
    };
    match name {
        "fmt" => run(&mut cargo(&["fmt", "--all", "--", "--check"]))?,
        "clippy" => run(&mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?,
        // Every module: the popup's (no features), `transfer` and `settings`.
        "clippy-wasm" => {
            for features in ["", "transfer", "settings"] {
                run(&mut cargo(&[
                    "clippy",
                    "--lib",
                    "--target",
                    crate::setup::WASM_TARGET,
                    "--features",
                    features,
                    "--",
                    "-D",
                    "warnings",
                ]))?;
            }
        }
        "test" => run(cargo(&["test", "--workspace"]).env("OATHTOOL_REQUIRED", "1"))?,
        "build" => {
            build(false)?;
        }
        "e2e" => return e2e(),
        "firefox" => return firefox(),
        "fuzz" => return fuzz(opts, fuzz_seconds),
        "bench" => crate::bench::run_bench_quick()?,
        _ => return Err(format!("unknown step {name}")),
    }
    Ok(Outcome::Ran)
}

/// Node's test runner over `tests/e2e/` against the built `dist/` (Chromium): every test file
/// but Firefox's.
fn e2e() -> Result<Outcome> {
    if !root().join("tests/e2e").is_dir() {
        return Ok(Outcome::Skipped("no tests/e2e/".into()));
    }
    let dist = dist_dir();
    if !dist.join("manifest.json").is_file() {
        return Err("dist/ is not built: run the build step first (e.g. --only build,e2e)".into());
    }
    // Tests write under target/ only: fail, naming the files, if the run dirtied the tree.
    let files = e2e_files(false)?;
    crate::tree::require_clean("e2e", || {
        run(cmd("node")
            .args(["--test", "--test-concurrency=1"])
            .args(&files)
            .env("TBA_DIST", &dist))
    })?;
    Ok(Outcome::Ran)
}

/// The Firefox part: addons.mozilla.org's linter (`web-ext lint`, warnings fail too) on
/// `dist-firefox/`, then the behaviour scenarios in Firefox (`tests/e2e/*firefox*.test.mjs`).
fn firefox() -> Result<Outcome> {
    let dist = crate::firefox::dist_dir();
    if !dist.join("manifest.json").is_file() {
        return Err(
            "dist-firefox/ is not built: run the build step first (e.g. --only build,firefox)"
                .into(),
        );
    }
    run(cmd(root().join("node_modules/.bin/web-ext"))
        .args([
            "lint",
            "--warnings-as-errors",
            "--no-config-discovery",
            "--source-dir",
        ])
        .arg(&dist)
        // No update check: CI has no network beyond the package registries.
        .env("NO_UPDATE_NOTIFIER", "1"))?;
    let geckodriver = crate::setup::geckodriver_path()
        .ok_or("geckodriver not found: run `cargo xtask setup`, which installs it")?;
    let files = e2e_files(true)?;
    if files.is_empty() {
        return Err("tests/e2e/ has no *firefox*.test.mjs file".into());
    }
    run(cmd("node")
        .args(["--test", "--test-concurrency=1"])
        .args(files)
        .env("TBA_DIST_FIREFOX", &dist)
        .env("GECKODRIVER", geckodriver))?;
    Ok(Outcome::Ran)
}

/// The `*.test.mjs` files under `tests/e2e/` for Firefox (`firefox` in the name) or for the
/// others, as sorted paths relative to the repository root.
fn e2e_files(firefox: bool) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut dirs = vec!["tests/e2e".to_string()];
    while let Some(dir) = dirs.pop() {
        let abs = root().join(&dir);
        let entries =
            std::fs::read_dir(&abs).map_err(|e| format!("cannot read {}: {e}", abs.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", abs.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{dir}/{name}");
            if entry.path().is_dir() {
                if name != "node_modules" {
                    dirs.push(path);
                }
            } else if name.ends_with(".test.mjs") && name.contains("firefox") == firefox {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Every cargo-fuzz target for `fuzz_seconds` each.
fn fuzz(opts: &Opts, fuzz_seconds: u64) -> Result<Outcome> {
    if opts.skip_fuzz {
        return Ok(Outcome::Skipped("--skip-fuzz".into()));
    }
    if !root().join("fuzz").is_dir() {
        return Ok(Outcome::Skipped("no fuzz/".into()));
    }
    let list = capture(cmd("cargo").args(["+nightly", "fuzz", "list", "--fuzz-dir", "fuzz"]))?;
    let targets: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if targets.is_empty() {
        return Ok(Outcome::Skipped("fuzz/ has no targets".into()));
    }
    println!(
        "fuzz: {} target(s), {fuzz_seconds}s each: {}",
        targets.len(),
        targets.join(", ")
    );
    // Build every target once, then fuzz them side by side: each still runs for the full
    // time, and the step takes one target's time instead of the sum.
    run(cmd("cargo").args(["+nightly", "fuzz", "build", "--fuzz-dir", "fuzz"]))?;
    let logs = crate::util::target_dir().join("fuzz-logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let mut running = Vec::new();
    for t in targets {
        let mut c = cmd("cargo");
        c.args(["+nightly", "fuzz", "run", "--fuzz-dir", "fuzz", t]);
        // Committed seeds are read-only: libFuzzer writes new inputs into the
        // first corpus directory, the git-ignored fuzz/corpus/<t>.
        let seeds = format!("fuzz/seeds/{t}");
        if root().join(&seeds).is_dir() {
            let corpus = format!("fuzz/corpus/{t}");
            std::fs::create_dir_all(root().join(&corpus))
                .map_err(|e| format!("cannot create {corpus}: {e}"))?;
            c.args([corpus, seeds]);
        }
        c.arg("--")
            .arg(format!("-max_total_time={fuzz_seconds}"))
            .arg("-timeout=5");
        let log_path = logs.join(format!("{t}.log"));
        let log = std::fs::File::create(&log_path)
            .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
        let err = log
            .try_clone()
            .map_err(|e| format!("cannot share {}: {e}", log_path.display()))?;
        println!("$ {}  > {}", crate::util::render(&c), log_path.display());
        let child = c
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start fuzzing {t}: {e}"))?;
        running.push((t, child, log_path));
    }
    let mut failed = Vec::new();
    for (t, mut child, log_path) in running {
        let status = child
            .wait()
            .map_err(|e| format!("fuzzing {t} did not finish: {e}"))?;
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        let summary = text
            .lines()
            .rev()
            .find(|l| l.starts_with("Done "))
            .unwrap_or("(no summary)");
        println!("fuzz {t}: {summary} ({status})");
        if !status.success() {
            let tail: Vec<&str> = text.lines().rev().take(60).collect();
            println!("---- last lines of {} ----", log_path.display());
            for line in tail.into_iter().rev() {
                println!("{line}");
            }
            failed.push(t);
        }
    }
    if failed.is_empty() {
        Ok(Outcome::Ran)
    } else {
        Err(format!("fuzzing found a failure in: {}", failed.join(", ")))
    }
}

/// A line that stands out in CI logs.
fn banner(title: &str) {
    println!();
    println!("==================== {title} ====================");
}

/// Table of step timings.
fn print_times(times: &[(String, Duration, String)], total: Duration) {
    banner("step timings");
    for (name, elapsed, status) in times {
        println!("{name:<12} {:>9}  {status}", fmt_duration(*elapsed));
    }
    println!("{:<12} {:>9}", "total", fmt_duration(total));
}
