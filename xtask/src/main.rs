//! Project automation, needing nothing but cargo: `cargo xtask <command>`.
//!
//! - `setup`: install what a fresh machine lacks (wasm target, pinned trunk and
//!   wasm-bindgen-cli, Debian's Chromium, npm packages). Idempotent: versions are
//!   checked before anything is installed.
//! - `build`: setup, then the web client (trunk) and the release binary embedding it.
//! - `run [-- ARGS]`: build, then start `target/release/confab ARGS`.
//! - `test`: setup, fmt and clippy checks, every native test, the Playwright
//!   e2e suite against the release binary, then each fuzz target for 60 s.
//! - `fuzz [--seconds N] [TARGET ...]`: the fuzz targets (see [`fuzz`]).
//! - `soak [--minutes N]`: build, then `confab-bench soak` (churn and kill -9
//!   restarts; lost and doubled counts, memory over time). Not part of `test`.

mod fuzz;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(),
        Some("build") => build(),
        Some("run") => build().and_then(|()| run(&args[1..])),
        Some("test") => test(),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("soak") => build().and_then(|()| soak(&args[1..])),
        _ => {
            eprintln!(
                "usage: cargo xtask <setup|build|run [-- confab args]|test|fuzz [--seconds N] [TARGET ...]|soak [--minutes N]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn build() -> Result {
    setup::all()?;
    step("cargo fetch (trunk builds offline)", &mut cargo(&["fetch"]))?;
    let path = setup::path_with_tools();
    step(
        "trunk build --release",
        Command::new("trunk")
            .args(["build", "--release", "--offline"])
            .env("PATH", &path)
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .current_dir(root()),
    )?;
    step(
        "cargo build --release -p confab",
        &mut cargo(&["build", "--release", "-p", "confab"]),
    )
}

fn run(args: &[String]) -> Result {
    let args = args.strip_prefix(&["--".to_string()]).unwrap_or(args);
    step(
        "confab",
        Command::new(root().join("target/release/confab")).args(args),
    )
}

/// `--minutes N` (default 10) and any other `confab-bench soak` flags.
fn soak(args: &[String]) -> Result {
    step(
        "cargo build --release -p confab-bench",
        &mut cargo(&["build", "--release", "-p", "confab-bench"]),
    )?;
    step(
        "confab-bench soak",
        Command::new(root().join("target/release/confab-bench"))
            .args(["soak", "--binary"])
            .arg(root().join("target/release/confab"))
            .args(args)
            .current_dir(root()),
    )
}

fn test() -> Result {
    setup::all()?;
    step(
        "cargo fmt --check",
        &mut cargo(&["fmt", "--all", "--", "--check"]),
    )?;
    step(
        "cargo clippy",
        &mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "cargo test (native: protocol, core, server, client model)",
        &mut cargo(&["test", "--workspace"]),
    )?;
    build()?;
    step(
        "playwright e2e",
        Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(root().join("e2e")),
    )?;
    fuzz::all(&fuzz::TARGETS, 60)
}

/// Runs a command to completion, echoing it; fails on a non-zero exit.
fn step(title: &str, command: &mut Command) -> Result {
    eprintln!("\n==> {title}");
    let status = command
        .status()
        .map_err(|e| format!("{title}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{title} failed ({status})"))
    }
}

fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args).current_dir(root());
    command
}

/// The workspace root (this crate lives in `xtask/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}
