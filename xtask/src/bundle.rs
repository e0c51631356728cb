//! The extension's own scripts, bundled: each page's and worker's module graph from
//! `extension/` becomes one file in `dist/`, with the code several of them share in chunks.
//!
//! Every module is a request to the browser's extension file loader, and the popup's graph was
//! ten of them (popup.js, accounts.js, i18n.js, announce.js, clock.js, scan.js,
//! unlock-form.js, the glue, its snippet, and the wasm). Each answer costs the page's main
//! thread a task, and they arrive one after another: in a Chromium trace the popup's modules
//! were answered from 40 to 68 ms after navigation, after the page's HTML at 32 ms. Bundled,
//! the popup asks for its own script, the few chunks it shares with other pages, the glue and
//! the snippet, all preloaded at once; README's "Popup load" has the measurement.
//!
//! esbuild (npm) does it: no minifying and no renaming beyond what joining modules needs, so
//! the shipped files stay readable for a store reviewer. Comments are dropped (they are for
//! readers of `extension/`). The WebAssembly glue in `pkg/` is left as wasm-bindgen wrote it:
//! it finds its `.wasm` next to itself (`import.meta.url`), which bundling would move.

use std::collections::BTreeSet;
use std::path::Path;

use crate::build::top_level_files;
use crate::preload::{dynamic_imports, module_scripts, static_imports};
use crate::util::{Result, cmd, root, run};

/// The file name a specifier of a top-level module names when it is a sibling module
/// (`./x.js`); `None` for anything else (`./pkg/…`, bare names).
fn sibling(specifier: &str) -> Option<&str> {
    let name = specifier.strip_prefix("./")?;
    (name.ends_with(".js") && !name.contains('/')).then_some(name)
}

/// The entry points among the top-level modules `sources` (file name and text): every script a
/// page runs (`pages`: the `src` of each HTML page's module scripts), and every module no other
/// one imports, statically or on demand (the background worker, the key-derivation worker that
/// the WebAssembly starts by URL). Sorted.
pub fn entry_points(sources: &[(String, String)], pages: &[String]) -> Vec<String> {
    let imported: BTreeSet<String> = sources
        .iter()
        .flat_map(|(_, text)| {
            static_imports(text)
                .into_iter()
                .chain(dynamic_imports(text))
        })
        .filter_map(|specifier| sibling(&specifier).map(str::to_owned))
        .collect();
    let mut entries: BTreeSet<String> = sources
        .iter()
        .map(|(name, _)| name)
        .filter(|name| !imported.contains(*name))
        .cloned()
        .collect();
    entries.extend(
        pages
            .iter()
            .filter_map(|src| sibling(&format!("./{src}")).map(str::to_owned)),
    );
    entries.into_iter().collect()
}

/// Replaces the top-level scripts copied from `extension` into `dist` by their bundles; fails
/// when a page's script or an entry point is missing afterwards.
pub fn bundle_scripts(extension: &Path, dist: &Path) -> Result {
    let mut sources = Vec::new();
    for path in top_level_files(extension, "js")? {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        sources.push((file_name(&path), text));
    }
    let mut pages = Vec::new();
    for page in top_level_files(extension, "html")? {
        let html = std::fs::read_to_string(&page)
            .map_err(|e| format!("cannot read {}: {e}", page.display()))?;
        pages.extend(module_scripts(&html));
    }
    let entries = entry_points(&sources, &pages);
    for copied in top_level_files(dist, "js")? {
        std::fs::remove_file(&copied)
            .map_err(|e| format!("cannot remove {}: {e}", copied.display()))?;
    }

    let bin = root().join("node_modules/.bin/esbuild");
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: run `npm ci` (cargo xtask setup does)",
            bin.display()
        ));
    }
    let mut esbuild = cmd(&bin);
    esbuild
        .args(entries.iter().map(|name| extension.join(name)))
        .arg(format!("--outdir={}", dist.display()))
        .args([
            "--bundle",
            "--splitting",
            "--format=esm",
            // wasm-bindgen's glue and what it loads stay as written (see the module's doc).
            "--external:./pkg/*",
            "--chunk-names=[name]-[hash]",
            "--charset=utf8",
            "--legal-comments=none",
            "--log-level=warning",
        ]);
    run(&mut esbuild)?;

    let built = top_level_files(dist, "js")?;
    for needed in entries.iter().chain(&pages) {
        if !built.iter().any(|path| file_name(path) == *needed) {
            return Err(format!("bundling left no dist/{needed}"));
        }
    }
    for script in &built {
        run(cmd("node").arg("--check").arg(script))?;
    }
    println!(
        "bundle: {} entry point(s) into {} script(s)",
        entries.len(),
        built.len()
    );
    Ok(())
}

/// A path's file name as text.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> Vec<(String, String)> {
        files
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect()
    }

    #[test]
    fn entries_are_page_scripts_and_modules_nobody_imports() {
        let files = sources(&[
            ("popup.js", "import './i18n.js';\nimport('./scan-read.js');"),
            ("i18n.js", ""),
            ("scan-read.js", "import init from './pkg/glue.js';"),
            ("background.js", "import './clipboard-worker.js';"),
            ("clipboard-worker.js", "await import('./offscreen.js');"),
            // Run by offscreen.html and loaded on demand by the worker: still an entry.
            ("offscreen.js", ""),
            // Started by URL from the WebAssembly: nobody imports it.
            ("kdf-worker.js", "import init from './pkg/settings.js';"),
        ]);
        let pages = ["popup.js".to_owned(), "offscreen.js".to_owned()];
        assert_eq!(
            entry_points(&files, &pages),
            ["background.js", "kdf-worker.js", "offscreen.js", "popup.js"]
        );
    }

    #[test]
    fn an_import_of_a_file_that_does_not_exist_changes_nothing() {
        let files = sources(&[("a.js", "import './missing.js';")]);
        assert_eq!(entry_points(&files, &[]), ["a.js"]);
    }
}
