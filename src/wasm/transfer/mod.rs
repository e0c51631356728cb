//! Bindings of the second WebAssembly module, built with the `transfer` cargo feature: what the
//! Import and export page uses, and the popup only once **Scan QR code** is pressed. The popup's
//! own module is built without them, so it never carries the QR decoder or other apps' formats.

mod backup_worker;
mod export;
mod import;
mod import_view;
mod qr;
mod show;
