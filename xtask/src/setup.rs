//! Installs the pinned tools, each only when missing or at the wrong version.
//! Versions are those measured to work on this machine kind (shared/TOOLCHAIN.md).

use super::{Result, root, step};
use std::process::Command;

const TRUNK: &str = "0.21.14";
/// Must equal the `wasm-bindgen` crate version pinned in frontend/Cargo.toml.
const WASM_BINDGEN: &str = "0.2.130";
const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's Chromium has no colour emoji font of its own: without one, the
/// screenshots of reactions and the emoji picker show empty boxes.
const EMOJI_FONT: &str = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
/// A small Chinese font (5 MB, against Noto CJK's 90), so screenshots of Chinese
/// text show characters rather than empty boxes.
const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

pub fn all() -> Result {
    wasm_target()?;
    cargo_tool(
        "trunk",
        TRUNK,
        &["install", "--locked", &format!("trunk@{TRUNK}")],
    )?;
    // Not --locked: its lockfile names a webpki-roots version the registry lacks.
    cargo_tool(
        "wasm-bindgen",
        WASM_BINDGEN,
        &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN],
    )?;
    chromium()?;
    npm_packages()
}

/// PATH with the npm tools (wasm-opt from binaryen) in front, for trunk.
pub fn path_with_tools() -> String {
    let bin = root().join("e2e/node_modules/.bin");
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn wasm_target() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    step(
        "rustup target add wasm32-unknown-unknown",
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

fn cargo_tool(binary: &str, version: &str, install: &[&str]) -> Result {
    let found = output(binary, &["--version"]).unwrap_or_default();
    if found.split_whitespace().any(|word| word == version) {
        return Ok(());
    }
    step(
        &format!("cargo {} (once; takes minutes)", install.join(" ")),
        Command::new("cargo").args(install),
    )
}

fn chromium() -> Result {
    let installed = |path: &str| std::path::Path::new(path).exists();
    if installed(CHROMIUM) && installed(EMOJI_FONT) && installed(CJK_FONT) {
        return Ok(());
    }
    let sudo = if output("id", &["-u"]).is_some_and(|uid| uid.trim() == "0") {
        vec![]
    } else {
        vec!["sudo"]
    };
    let apt = |args: &[&str]| {
        let mut command = Command::new(sudo.first().copied().unwrap_or("apt-get"));
        if !sudo.is_empty() {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    step("apt-get update", &mut apt(&["update", "-qq"]))?;
    let packages = ["chromium", "fonts-noto-color-emoji", "fonts-wqy-microhei"];
    step(
        "apt-get install chromium fonts-noto-color-emoji fonts-wqy-microhei",
        &mut apt(&[&["install", "-y", "-qq"][..], &packages[..]].concat()),
    )
}

fn npm_packages() -> Result {
    let e2e = root().join("e2e");
    let marker = e2e.join("node_modules/.package-lock.json");
    let lock = e2e.join("package-lock.json");
    let fresh = match (std::fs::metadata(&marker), std::fs::metadata(&lock)) {
        (Ok(m), Ok(l)) => m.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    step(
        "npm ci (Playwright, binaryen's wasm-opt)",
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            // Playwright must use Debian's Chromium; its own download cannot work here.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(e2e),
    )
}

/// A command's stdout, or None if it cannot run or fails.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
