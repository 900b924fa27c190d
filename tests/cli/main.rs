//! Integration tests: run the real `waveplan` binary and the library's public entry points.
#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails loudly on unexpected errors"
)]

mod commands;
mod files;
mod fuzz_corpus;
mod import;
mod invalid_inputs;
mod limits;
mod malformed;
mod outputs;
mod overrides;
mod reliability;
mod report;
mod shipped_default;
mod warnings;
mod whatif;

use std::path::{Path, PathBuf};

/// The repository root (tests run with it as the working directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture directory.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The `waveplan` binary, run from `dir`.
pub fn waveplan(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("waveplan").expect("binary is built");
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}
