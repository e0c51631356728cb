//! Developer tasks for Toolbar Authenticator, run as `cargo xtask <command>`.

mod bench;
mod browser;
mod build;
mod bundle;
mod firefox;
mod preload;
mod screenshots;
mod setup;
mod test;
mod tree;
mod util;

use setup::Needs;
use util::Result;

/// Usage text.
const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup [--fuzz]        install missing tools: wasm32 target, wasm-bindgen-cli (Cargo.lock
                        version), npm ci, Debian chromium/firefox-esr/oathtool/zip,
                        geckodriver (pinned); --fuzz adds the nightly toolchain and cargo-fuzz
  build [--debug]       build dist/ (unpacked extension) and target/toolbar-authenticator-<version>.zip,
                        dist-firefox/ and target/toolbar-authenticator-<version>-firefox.zip
  run [--debug] [-- ARGS]
                        build, then start Chromium with dist/ loaded; ARGS go to Chromium
  test [--skip-fuzz] [--fuzz-seconds N] [--only STEP[,STEP]...]
                        setup, then fmt, clippy, clippy-wasm, test, build, e2e, firefox
                        (web-ext lint + scenarios in Firefox), fuzz, bench
                        (FUZZ_SECONDS sets the default seconds per fuzz target, 60)
  bench [--quick]       build, then measure in interleaved rounds code generation against
                        otpauth/jsSHA/crypto-js/native Rust, popup time to codes against a
                        blank extension page, what the popup loads, unlock and memory in
                        headless Chromium; writes bench/results.json and the tables in
                        bench/README.md and README.md, fails on a missed budget
                        (bench/budgets.json); --quick: few rounds, misses only reported
  screenshots           build, run the browser tests that take screenshots (they write to
                        target/screenshots/) and copy the PNGs into docs/
";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = dispatch(&args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Runs the command named by `args[0]`.
fn dispatch(args: &[String]) -> Result {
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Err("no command given".into());
    };
    match command.as_str() {
        "setup" => {
            let fuzz = flags(rest, &["--fuzz"])?.contains(&"--fuzz");
            setup::setup(Needs::SETUP.or(Needs {
                fuzz,
                ..Needs::default()
            }))
        }
        "build" => {
            let debug = flags(rest, &["--debug"])?.contains(&"--debug");
            setup::setup(Needs::BUILD)?;
            build::build(debug).map(drop)
        }
        "run" => {
            let (ours, chromium_args) = match rest.iter().position(|a| a == "--") {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &[][..]),
            };
            let debug = flags(ours, &["--debug"])?.contains(&"--debug");
            setup::setup(Needs {
                chromium: true,
                ..Needs::BUILD
            })?;
            build::build(debug)?;
            browser::launch(&build::dist_dir(), chromium_args)
        }
        "test" => test::test(&test_opts(rest)?),
        "bench" => bench::bench(rest),
        "screenshots" => {
            flags(rest, &[])?;
            screenshots::screenshots()
        }
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            print!("{USAGE}");
            Err(format!("unknown command {other:?}"))
        }
    }
}

/// Checks that `args` only holds flags from `known`; returns them.
fn flags<'a>(args: &'a [String], known: &[&str]) -> Result<Vec<&'a str>> {
    args.iter()
        .map(|a| {
            if known.contains(&a.as_str()) {
                Ok(a.as_str())
            } else {
                Err(format!(
                    "unexpected argument {a:?} (see `cargo xtask help`)"
                ))
            }
        })
        .collect()
}

/// Parses the options of `cargo xtask test`.
fn test_opts(args: &[String]) -> Result<test::Opts> {
    let mut opts = test::Opts::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "--skip-fuzz" => opts.skip_fuzz = true,
            "--fuzz-seconds" => {
                let v = value()?;
                let n = v
                    .parse()
                    .map_err(|_| format!("--fuzz-seconds {v:?} is not a whole number"))?;
                opts.fuzz_seconds = Some(n);
            }
            "--only" => opts.only.extend(
                value()?
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            ),
            _ => {
                return Err(format!(
                    "unexpected argument {a:?} (see `cargo xtask help`)"
                ));
            }
        }
    }
    Ok(opts)
}
