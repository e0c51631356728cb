//! `<link rel="modulepreload">` for every module a page imports statically, written into the
//! built pages of `dist/`.
//!
//! An extension page's module graph loads level by level: the browser learns of `accounts.js`
//! only once `popup.js` has arrived, and of the glue's snippet only once the glue has. Each
//! level waited for the extension's file loader again (a Chromium trace of the popup: popup.js
//! answered at 61 ms, its imports asked at 67 ms and answered at 84–97 ms, the snippet asked
//! at 83 ms). Listed in the page's `<head>`, every module is asked for at once. The list is
//! computed here from the built files, so it cannot drift from the imports.

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

use crate::util::Result;

/// The specifiers a module imports statically: `import … from "x"`, `import "x"` and
/// `export … from "x"`. `import("x")` (loaded on demand, on purpose) is not one. A comment that
/// reads like an import may be taken for one; only files that exist are ever linked.
pub fn static_imports(source: &str) -> Vec<String> {
    // A string right after the keyword: `import(`, `import.meta` and `import * as x` are not
    // (the last one's `from` is).
    let mut found = strings_after(source, "from");
    found.extend(strings_after(source, "import"));
    found
}

/// The specifiers a module loads on demand: `import("x")`.
pub fn dynamic_imports(source: &str) -> Vec<String> {
    strings_after(source, "import(")
}

/// The quoted strings (`"…"` or `'…'`) that follow `keyword`, blanks apart, wherever the
/// keyword starts a word (not `reimport(`, `obj.import(`).
fn strings_after(source: &str, keyword: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(keyword) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + keyword.len()..];
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
            continue;
        }
        let trimmed = after.trim_start();
        let Some(quote) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = trimmed[1..].find(quote) {
            found.push(trimmed[1..=end].to_owned());
        }
    }
    found
}

/// `specifier` (relative: `./x.js`, `../x.js`) resolved against the module at `from` (a
/// `/`-separated path inside `dist/`); `None` for a bare or absolute specifier.
pub fn resolve(from: &str, specifier: &str) -> Option<String> {
    if !(specifier.starts_with("./") || specifier.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in specifier.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

/// The value of attribute `name` in one tag's text (`<script type="module" src="x">`).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The tags named `name` in `html`, as text from `<name` to `>`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let tag = &rest[at..];
        let Some(end) = tag.find('>') else { break };
        out.push(&tag[..=end]);
        rest = &tag[end..];
    }
    out
}

/// The `src` of every `<script type="module">` in `html`.
pub fn module_scripts(html: &str) -> Vec<String> {
    tags(html, "script")
        .into_iter()
        .filter(|tag| attribute(tag, "type") == Some("module"))
        .filter_map(|tag| attribute(tag, "src").map(str::to_owned))
        .collect()
}

/// Adds a `modulepreload` link for every module in the static import graph of the page
/// `html_text` (at `dist/<page>`) that it neither runs as a script nor links already; `read`
/// gives a built module's text by its path inside `dist/` (`None`: no such file). Returns the
/// new page and how many links it gained. They go before the page's first `modulepreload`
/// link, or before `</head>`.
pub fn with_preloads(
    html_text: &str,
    read: impl Fn(&str) -> Option<String>,
) -> Result<(String, usize)> {
    let entries = module_scripts(html_text);
    let linked: BTreeSet<String> = tags(html_text, "link")
        .into_iter()
        .filter(|tag| attribute(tag, "rel") == Some("modulepreload"))
        .filter_map(|tag| attribute(tag, "href").map(str::to_owned))
        .collect();
    let mut seen: BTreeSet<String> = entries.iter().cloned().collect();
    let mut queue: VecDeque<String> = entries.into_iter().collect();
    let mut order = Vec::new();
    while let Some(module) = queue.pop_front() {
        let Some(source) = read(&module) else {
            continue;
        };
        for specifier in static_imports(&source) {
            let Some(path) = resolve(&module, &specifier) else {
                continue;
            };
            if path.ends_with(".js") && read(&path).is_some() && seen.insert(path.clone()) {
                order.push(path.clone());
                queue.push_back(path);
            }
        }
    }
    let links: Vec<String> = order
        .into_iter()
        .filter(|path| !linked.contains(path))
        .map(|path| format!("<link rel=\"modulepreload\" href=\"{path}\">\n"))
        .collect();
    if links.is_empty() {
        return Ok((html_text.to_owned(), 0));
    }
    let at = html_text
        .find("<link rel=\"modulepreload\"")
        .or_else(|| html_text.find("</head>"))
        .ok_or("the page has no </head> to put its modulepreload links in")?;
    let mut page = html_text[..at].to_owned();
    page.push_str(&links.concat());
    page.push_str(&html_text[at..]);
    Ok((page, links.len()))
}

/// Rewrites every top-level `*.html` page of `dist` with [`with_preloads`]; prints what it
/// added.
pub fn preload_pages(dist: &Path) -> Result {
    for page in crate::build::top_level_files(dist, "html")? {
        let text = std::fs::read_to_string(&page)
            .map_err(|e| format!("cannot read {}: {e}", page.display()))?;
        let (new, added) =
            with_preloads(&text, |path| std::fs::read_to_string(dist.join(path)).ok())
                .map_err(|e| format!("{}: {e}", page.display()))?;
        if added > 0 {
            std::fs::write(&page, new)
                .map_err(|e| format!("cannot write {}: {e}", page.display()))?;
            let name = page.file_name().unwrap_or_default().to_string_lossy();
            println!("preload: {name}: {added} module(s) of its static import graph");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_imports_are_found_and_dynamic_ones_are_not() {
        let source = "import init, { a } from './pkg/glue.js';\n\
                      import * as x from \"./snippets/s.js\"\n\
                      import './side.js';\n\
                      export { b } from './re.js';\n\
                      import {\n  c,\n  d,\n} from '../multi.js';\n\
                      const later = () => import('./dynamic.js');\n\
                      const importer = 1; obj.from('x'); new URL('a_bg.wasm', import.meta.url);\n";
        let mut found = static_imports(source);
        found.sort();
        assert_eq!(
            found,
            [
                "../multi.js",
                "./pkg/glue.js",
                "./re.js",
                "./side.js",
                "./snippets/s.js"
            ]
        );
    }

    #[test]
    fn dynamic_imports_are_found_and_static_ones_are_not() {
        let source = "import { a } from './a.js';\n\
                      const later = () => import('./later.js');\n\
                      await import( \"./spaced.js\" );\n\
                      obj.import('./method.js'); reimport('./other.js');\n";
        assert_eq!(dynamic_imports(source), ["./later.js", "./spaced.js"]);
    }

    #[test]
    fn module_scripts_are_the_sources_of_module_script_tags() {
        let html = "<link rel=\"modulepreload\" href=\"a.js\">\n\
                    <script type=\"module\" src=\"popup.js\"></script>\n\
                    <script src=\"classic.js\"></script>";
        assert_eq!(module_scripts(html), ["popup.js"]);
    }

    #[test]
    fn specifiers_resolve_against_the_importing_module() {
        assert_eq!(resolve("popup.js", "./i18n.js").as_deref(), Some("i18n.js"));
        assert_eq!(
            resolve("pkg/glue.js", "./snippets/x/links.js").as_deref(),
            Some("pkg/snippets/x/links.js")
        );
        assert_eq!(resolve("pkg/a/b.js", "../../c.js").as_deref(), Some("c.js"));
        assert_eq!(resolve("popup.js", "../outside.js"), None);
        assert_eq!(resolve("popup.js", "bare"), None);
    }

    #[test]
    fn the_whole_graph_is_linked_once_before_the_existing_preload() {
        let files = [
            (
                "popup.js",
                "import a from './a.js';\nimport g from './pkg/g.js';\nimport('./later.js');",
            ),
            (
                "a.js",
                "import { t } from './i18n.js';\n// reads from './gone.js'",
            ),
            ("i18n.js", "export const t = 1;"),
            ("pkg/g.js", "import { s } from './snippets/s.js';"),
            ("pkg/snippets/s.js", "import { t } from '../../i18n.js';"),
            ("later.js", "import './never.js';"),
        ];
        let read = |path: &str| {
            files
                .iter()
                .find(|(name, _)| *name == path)
                .map(|(_, text)| (*text).to_owned())
        };
        let html = "<head>\n<link rel=\"modulepreload\" href=\"pkg/g.js\">\n\
                    <script type=\"module\" src=\"popup.js\"></script>\n</head>";
        let (page, added) = with_preloads(html, read).unwrap();
        assert_eq!(added, 3);
        assert_eq!(
            page,
            "<head>\n<link rel=\"modulepreload\" href=\"a.js\">\n\
             <link rel=\"modulepreload\" href=\"i18n.js\">\n\
             <link rel=\"modulepreload\" href=\"pkg/snippets/s.js\">\n\
             <link rel=\"modulepreload\" href=\"pkg/g.js\">\n\
             <script type=\"module\" src=\"popup.js\"></script>\n</head>"
        );
        // Nothing more to add the second time.
        assert_eq!(with_preloads(&page, read).unwrap().1, 0);
    }

    #[test]
    fn a_page_without_modules_is_left_alone() {
        let html = "<head><script src=\"classic.js\"></script></head>";
        assert_eq!(with_preloads(html, |_| None).unwrap(), (html.to_owned(), 0));
    }
}
