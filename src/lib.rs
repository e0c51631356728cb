//! Toolbar Authenticator core: one-time codes, secret keys, `otpauth://` URIs, accounts and the
//! vault, as plain Rust. Time is always an argument and storage is bytes in, bytes out, so every
//! rule here is tested natively with `cargo test`. The browser bindings live in `wasm`.

pub mod account;
// The backup reminder runs in the background worker through the second module only.
#[cfg(feature = "transfer")]
pub mod backup_reminder;
pub mod clock;
pub mod clock_correction;
pub mod clock_source;
pub mod coded;
pub mod counter_mac;
pub mod crypto;
pub mod form;
pub mod otp;
// Only the second module (and tests, fuzzing: they turn the feature on) compiles the QR code:
// left in the popup's build, its dead code still moved the module's constants (+92 B gzip).
#[cfg(feature = "transfer")]
pub mod qr;
pub mod secret;
pub mod store;
#[cfg(feature = "transfer")]
pub mod stored_json;
#[cfg(feature = "transfer")]
pub mod transfer;
pub mod uri;
pub mod vault;

#[cfg(target_arch = "wasm32")]
mod wasm;
