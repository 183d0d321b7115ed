//! The repository's own uniffi-bindgen, pinned to the same uniffi version as the library so the
//! generated code's checksums always match.
fn main() {
    uniffi::uniffi_bindgen_main()
}
