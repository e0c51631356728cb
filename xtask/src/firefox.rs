//! The Firefox build: `dist-firefox/`, the same files as `dist/` with the manifest adapted.
//!
//! `manifest.json` at the repository root is the one source manifest; it is written for
//! Chromium and copied into `dist/` as it is. [`manifest`] derives Firefox's from it, so the
//! differences between the browsers live in this one small, tested function and never in a
//! second hand-kept copy.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::util::{Result, root};

/// The add-on's ID on addons.mozilla.org and in every Firefox profile. It must never change
/// once published: Firefox ties the add-on's storage and its updates to it.
pub const GECKO_ID: &str = "{c4a5aca1-ed2b-4172-9aba-84b607a02a7e}";

/// The oldest Firefox the add-on declares it runs on. `data_collection_permissions` sets it:
/// Firefox reads that key from 140 on (the newest of the features the extension uses; README's
/// "Firefox" section lists them all), and 140 is an ESR, so every supported Firefox has it.
pub const STRICT_MIN_VERSION: &str = "140.0";

/// The oldest Firefox for Android the add-on declares: Android reads
/// `data_collection_permissions` from 142 on. Without it addons.mozilla.org's linter warns that
/// 140 on Android would not understand the key.
pub const STRICT_MIN_VERSION_ANDROID: &str = "142.0";

/// Keys of the Chromium manifest that Firefox does not know. Firefox only warns about unknown
/// keys, but addons.mozilla.org's linter reports each warning, and the build must lint clean.
const CHROMIUM_ONLY: &[&str] = &["minimum_chrome_version"];

/// Permissions only Chromium has, dropped for the same reason: `offscreen` (Firefox has no
/// offscreen documents; its background page uses the clipboard itself).
const CHROMIUM_ONLY_PERMISSIONS: &[&str] = &["offscreen"];

/// The unpacked Firefox add-on, `dist-firefox/` at the repository root.
pub fn dist_dir() -> PathBuf {
    root().join("dist-firefox")
}

/// Firefox's manifest from the source (Chromium) manifest's JSON text.
///
/// - `background.service_worker` becomes `background.scripts`: Firefox runs the background as
///   an event page, and has no service worker background. `background.type` (`"module"`) is
///   kept: both browsers load the same ES module.
/// - Keys only Chromium reads are dropped ([`CHROMIUM_ONLY`]), and so are permissions only
///   Chromium has ([`CHROMIUM_ONLY_PERMISSIONS`]).
/// - `browser_specific_settings.gecko` gets the add-on ID, the minimum version and the
///   data-collection declaration addons.mozilla.org requires of new add-ons: none collected;
///   `gecko_android` the minimum version on Android.
///
/// Everything else is passed through unchanged. Fails when the source is not a JSON object,
/// has no `background.service_worker`, or already has `browser_specific_settings` (which would
/// mean a second place deciding Firefox's settings).
pub fn manifest(source: &str) -> Result<String> {
    let value: Value = serde_json::from_str(source)
        .map_err(|e| format!("manifest.json is not valid JSON: {e}"))?;
    let Value::Object(mut m) = value else {
        return Err("manifest.json must hold a JSON object".into());
    };
    if m.contains_key("browser_specific_settings") {
        return Err(
            "manifest.json has browser_specific_settings: Firefox's settings are \
                    added by xtask/src/firefox.rs; remove them from the source manifest"
                .into(),
        );
    }
    let background = m
        .get("background")
        .and_then(Value::as_object)
        .ok_or("manifest.json has no \"background\" object")?;
    let worker = background
        .get("service_worker")
        .and_then(Value::as_str)
        .ok_or("manifest.json: background has no \"service_worker\" file name")?;
    let mut firefox_background = Map::new();
    firefox_background.insert("scripts".into(), json!([worker]));
    for (key, value) in background {
        if key != "service_worker" {
            firefox_background.insert(key.clone(), value.clone());
        }
    }
    m.insert("background".into(), Value::Object(firefox_background));
    for key in CHROMIUM_ONLY {
        m.remove(*key);
    }
    if let Some(Value::Array(permissions)) = m.get_mut("permissions") {
        permissions.retain(|p| {
            !p.as_str()
                .is_some_and(|p| CHROMIUM_ONLY_PERMISSIONS.contains(&p))
        });
    }
    m.insert(
        "browser_specific_settings".into(),
        json!({
            "gecko": {
                "id": GECKO_ID,
                "strict_min_version": STRICT_MIN_VERSION,
                "data_collection_permissions": { "required": ["none"] },
            },
            "gecko_android": { "strict_min_version": STRICT_MIN_VERSION_ANDROID },
        }),
    );
    let mut text = serde_json::to_string_pretty(&Value::Object(m))
        .map_err(|e| format!("cannot write Firefox's manifest: {e}"))?;
    text.push('\n');
    Ok(text)
}

/// Writes `firefox` from the built `dist`: every file in `files` copied, `manifest.json`
/// replaced by [`manifest`] of `dist`'s.
pub fn write_dist(dist: &Path, files: &[String], firefox: &Path) -> Result {
    if firefox.exists() {
        std::fs::remove_dir_all(firefox)
            .map_err(|e| format!("cannot remove {}: {e}", firefox.display()))?;
    }
    for f in files {
        let to = firefox.join(f);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let from = dist.join(f);
        if f == "manifest.json" {
            let source = std::fs::read_to_string(&from)
                .map_err(|e| format!("cannot read {}: {e}", from.display()))?;
            std::fs::write(&to, manifest(&source)?)
                .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
        } else {
            std::fs::copy(&from, &to)
                .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn firefox(source: &Value) -> Value {
        let text = manifest(&source.to_string()).unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn chromium() -> Value {
        json!({
            "manifest_version": 3,
            "name": "__MSG_extName__",
            "version": "1.2.3",
            "minimum_chrome_version": "116",
            "permissions": ["storage", "alarms", "activeTab"],
            "background": { "service_worker": "background.js", "type": "module" },
            "action": { "default_popup": "popup.html" },
        })
    }

    #[test]
    fn the_service_worker_becomes_an_event_page_script_of_the_same_module_type() {
        let out = firefox(&chromium());
        assert_eq!(
            out["background"],
            json!({ "scripts": ["background.js"], "type": "module" })
        );
    }

    #[test]
    fn gecko_settings_are_added_with_no_data_collected() {
        let out = firefox(&chromium());
        assert_eq!(
            out["browser_specific_settings"],
            json!({
                "gecko": {
                    "id": GECKO_ID,
                    "strict_min_version": STRICT_MIN_VERSION,
                    "data_collection_permissions": { "required": ["none"] },
                },
                "gecko_android": { "strict_min_version": STRICT_MIN_VERSION_ANDROID },
            })
        );
    }

    #[test]
    fn chromium_only_keys_go_and_everything_else_is_untouched() {
        let source = chromium();
        let out = firefox(&source);
        assert!(out.get("minimum_chrome_version").is_none());
        let (Value::Object(src), Value::Object(dst)) = (&source, &out) else {
            panic!("objects expected");
        };
        for (key, value) in src {
            if key != "background" && !CHROMIUM_ONLY.contains(&key.as_str()) {
                assert_eq!(dst.get(key), Some(value), "{key} changed");
            }
        }
        assert_eq!(dst.len(), src.len() - CHROMIUM_ONLY.len() + 1);
    }

    #[test]
    fn chromium_only_permissions_go_and_the_others_stay_in_order() {
        let mut source = chromium();
        source["permissions"] = json!(["storage", "offscreen", "alarms", "activeTab"]);
        source["optional_permissions"] = json!(["clipboardRead", "clipboardWrite"]);
        let out = firefox(&source);
        assert_eq!(
            out["permissions"],
            json!(["storage", "alarms", "activeTab"])
        );
        assert_eq!(out["optional_permissions"], source["optional_permissions"]);
    }

    #[test]
    fn a_background_without_a_service_worker_is_refused() {
        for background in [json!(null), json!({ "scripts": ["a.js"] }), json!("x")] {
            let mut source = chromium();
            source["background"] = background;
            let err = manifest(&source.to_string()).err();
            assert!(err.is_some_and(|e| e.contains("background")), "{source}");
        }
    }

    #[test]
    fn settings_already_in_the_source_are_refused() {
        let mut source = chromium();
        source["browser_specific_settings"] = json!({ "gecko": { "id": "x@y" } });
        let err = manifest(&source.to_string()).err();
        assert!(err.is_some_and(|e| e.contains("browser_specific_settings")));
    }

    #[test]
    fn not_an_object_is_refused() {
        assert!(manifest("[1]").is_err());
        assert!(manifest("{").is_err());
    }

    #[test]
    fn the_repository_manifest_transforms() {
        let path = root().join("manifest.json");
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
        let out: Value = serde_json::from_str(&manifest(&source).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(out["background"].get("service_worker").is_none());
        assert_eq!(out["background"]["scripts"], json!(["background.js"]));
        assert_eq!(out["manifest_version"], json!(3));
    }
}
