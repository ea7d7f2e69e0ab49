//! Rebuild the server when the client bundle changes, so the release binary always
//! embeds the bundle trunk built last (see `src/assets.rs`).
fn main() {
    println!("cargo:rerun-if-changed=../frontend/dist");
}
