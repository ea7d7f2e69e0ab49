//! `cargo xtask fuzz [--seconds N] [TARGET ...]`: runs each `cargo fuzz` target
//! (see `fuzz/`) for a bounded time, 60 s by default; `cargo xtask test` runs
//! them all for 60 s each.
//!
//! libFuzzer's instrumentation needs nightly compiler flags, so this uses the
//! `nightly` toolchain, and says so plainly when it is missing rather than
//! skipping. The repository's corpus (`fuzz/corpus/TARGET`) is the seed; what
//! the fuzzer finds goes to `target/fuzz-corpus/TARGET`, so a run leaves the
//! tree clean. A crash is written to `fuzz/artifacts/TARGET/`: fix it, then
//! copy the input into `fuzz/corpus/TARGET/`, where `cargo test` replays it.

use super::{Result, root, step};
use std::process::Command;

pub const TARGETS: [&str; 4] = [
    "client_message",
    "upgrade_request",
    "inbound_frames",
    "core_sequence",
];
/// Must match what `setup` installs.
const CARGO_FUZZ: &str = "0.13.2";

pub fn run(args: &[String]) -> Result {
    let mut seconds = 60;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seconds takes a number")?;
            }
            name if TARGETS.contains(&name) => targets.push(name),
            other => {
                return Err(format!(
                    "unknown fuzz target {other:?}; targets: {TARGETS:?}"
                ));
            }
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    all(&targets, seconds)
}

pub fn all(targets: &[&str], seconds: u32) -> Result {
    tools()?;
    let fuzz = root().join("fuzz");
    for target in targets {
        let found = root().join("target/fuzz-corpus").join(target);
        std::fs::create_dir_all(&found).map_err(|e| format!("{}: {e}", found.display()))?;
        step(
            &format!("cargo fuzz run {target} for {seconds} s"),
            Command::new("cargo")
                .args(["+nightly", "fuzz", "run", target])
                .arg(&found)
                .arg(fuzz.join("corpus").join(target))
                .args([
                    "--",
                    &format!("-max_total_time={seconds}"),
                    // A slow or huge input is a finding too, not a hang of CI.
                    "-timeout=10",
                    "-rss_limit_mb=2048",
                    "-print_final_stats=1",
                ])
                .current_dir(&fuzz),
        )?;
    }
    Ok(())
}

/// cargo-fuzz at the pinned version, and a nightly toolchain.
fn tools() -> Result {
    let nightly = Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !nightly {
        return Err(
            "fuzzing needs a nightly toolchain (libFuzzer's sanitizer flags): \
                    run `rustup toolchain install nightly`"
                .into(),
        );
    }
    let found = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default();
    if found.split_whitespace().any(|word| word == CARGO_FUZZ) {
        return Ok(());
    }
    step(
        "cargo install cargo-fuzz (once; takes minutes)",
        Command::new("cargo").args(["install", "--locked", "cargo-fuzz", "--version", CARGO_FUZZ]),
    )
}
