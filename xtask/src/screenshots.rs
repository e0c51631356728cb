//! `cargo xtask screenshots`: runs the browser tests that take README's screenshots and copies
//! them into `docs/` on purpose. Ordinary test runs leave them under `target/screenshots/`.

use crate::build::{build, dist_dir};
use crate::setup::{Needs, setup};
use crate::util::{Result, cmd, root, run, target_dir};

/// Tests whose name contains this take screenshots (`node --test --test-name-pattern`).
const PATTERN: &str = "screenshot";

/// Builds, runs the screenshot tests into a fresh `target/screenshots/`, copies every PNG to `docs/`.
pub fn screenshots() -> Result {
    setup(Needs {
        chromium: true,
        ..Needs::BUILD
    })?;
    build(false)?;
    let shots = target_dir().join("screenshots");
    if shots.exists() {
        std::fs::remove_dir_all(&shots)
            .map_err(|e| format!("cannot empty {}: {e}", shots.display()))?;
    }
    run(cmd("node")
        .args(["--test", "--test-concurrency=1"])
        .arg(format!("--test-name-pattern={PATTERN}"))
        .arg("tests/e2e/")
        .env("TBA_DIST", dist_dir())
        .env("TBA_SCREENSHOTS", &shots))?;
    let docs = root().join("docs");
    let mut copied = Vec::new();
    let entries = std::fs::read_dir(&shots)
        .map_err(|e| format!("no screenshots in {}: {e}", shots.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", shots.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "png") {
            let name = path.file_name().unwrap_or_default();
            std::fs::copy(&path, docs.join(name))
                .map_err(|e| format!("cannot copy {} to docs/: {e}", path.display()))?;
            copied.push(name.to_string_lossy().into_owned());
        }
    }
    if copied.is_empty() {
        return Err(format!(
            "the tests matching {PATTERN:?} wrote no PNG into {}",
            shots.display()
        ));
    }
    copied.sort();
    println!("screenshots: copied into docs/: {}", copied.join(", "));
    Ok(())
}
